"""surveys: a revision that changes with the survey or its questions

The respondent's form keeps the HTML of a survey's questions under the survey's revision
(coordinator/respond/question_block.py). Each existing survey gets a random revision of
its own.

Revision ID: a1f3c9e2d7b4
Revises: 8c398c69a4f2
Create Date: 2026-11-28 00:10:00

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a1f3c9e2d7b4'
down_revision = '8c398c69a4f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('revision', sa.String(length=16), nullable=False, server_default='')
        )
    surveys = sa.table('surveys', sa.column('id', sa.Integer), sa.column('revision', sa.String))
    connection = op.get_bind()
    for (survey_id,) in connection.execute(sa.select(surveys.c.id)).all():
        connection.execute(
            surveys.update()
            .where(surveys.c.id == survey_id)
            .values(revision=secrets.token_hex(8))
        )


def downgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('revision')
