"""draft of changes to a submitted response

A submitted response keeps its submitted answers; changes saved afterwards are answer rows
marked `pending` until they are submitted again. A downgrade drops such drafts of changes.

Revision ID: f06ee50f161b
Revises: 7c935d4204cb
Create Date: 2026-11-27 17:09:47.501298

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f06ee50f161b'
down_revision = '7c935d4204cb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('pending', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.drop_constraint(batch_op.f('uq_answers_response_id'), type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_answers_response_id'), ['response_id', 'question_id', 'pending']
        )

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes_saved_at', sa.DateTime(), nullable=True))


def downgrade():
    answers = sa.table('answers', sa.column('pending', sa.Boolean()))
    op.execute(answers.delete().where(answers.c.pending == sa.true()))

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_column('changes_saved_at')

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_answers_response_id'), type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_answers_response_id'), ['response_id', 'question_id']
        )
        batch_op.drop_column('pending')
