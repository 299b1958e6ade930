"""board answer and who wrote each answer

A response can be its organisation's board answer (at most one per organisation and
survey, built together by everyone invited from it); each answer records who last wrote
it and when. A downgrade keeps board answers as ordinary responses.

Revision ID: 6f94943a5981
Revises: 348fb9e8e596
Create Date: 2026-11-27 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6f94943a5981'
down_revision = '348fb9e8e596'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_board_answer', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_index(
        'uq_responses_board_answer',
        'responses',
        ['survey_id', 'organisation_id'],
        unique=True,
        sqlite_where=sa.text('is_board_answer'),
        postgresql_where=sa.text('is_board_answer'),
    )

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('written_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('written_by_invitation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('written_by_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_answers_written_by_invitation_id_invitations'),
            'invitations',
            ['written_by_invitation_id'],
            ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_answers_written_by_user_id_users'),
            'users',
            ['written_by_user_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_answers_written_by_user_id_users'), type_='foreignkey'
        )
        batch_op.drop_constraint(
            batch_op.f('fk_answers_written_by_invitation_id_invitations'), type_='foreignkey'
        )
        batch_op.drop_column('written_by_user_id')
        batch_op.drop_column('written_by_invitation_id')
        batch_op.drop_column('written_at')

    op.drop_index('uq_responses_board_answer', table_name='responses')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_column('is_board_answer')
