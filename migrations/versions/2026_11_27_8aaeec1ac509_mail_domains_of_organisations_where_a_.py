"""mail domains of organisations; where a contact came from

An organisation keeps the mail domains its staff's addresses are in (the county boards:
lansstyrelsen.se), so that a survey passed on from one of its links can only go to its
own colleagues. A contact records where it came from: "staff" (the register, an import)
or "pass_on" (typed by a respondent passing a survey on, until staff confirm it).

Revision ID: 8aaeec1ac509
Revises: 6f94943a5981
Create Date: 2026-11-27 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8aaeec1ac509'
down_revision = '6f94943a5981'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mail_domains', sa.String(length=500), server_default='', nullable=False)
        )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('source', sa.String(length=20), server_default='staff', nullable=False)
        )
    op.execute(
        "UPDATE organisations SET mail_domains = 'lansstyrelsen.se' WHERE kind = 'county_board'"
    )


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('source')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('mail_domains')
