"""survey mail texts in the coordinator's words

A survey may have its own subject and body for its invitation, reminder, receipt and
"results shared" mail. A survey without a row sends the built-in text, as before.

Revision ID: 348fb9e8e596
Revises: 43556e4665e2
Create Date: 2026-11-27 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '348fb9e8e596'
down_revision = '43556e4665e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_mail_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('invitation', 'reminder', 'receipt', 'results_shared')",
            name=op.f('ck_survey_mail_texts_kind'),
        ),
        sa.ForeignKeyConstraint(
            ['survey_id'], ['surveys.id'],
            name=op.f('fk_survey_mail_texts_survey_id_surveys'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['users.id'],
            name=op.f('fk_survey_mail_texts_updated_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_mail_texts')),
        sa.UniqueConstraint('survey_id', 'kind', name=op.f('uq_survey_mail_texts_survey_id')),
    )


def downgrade():
    op.drop_table('survey_mail_texts')
