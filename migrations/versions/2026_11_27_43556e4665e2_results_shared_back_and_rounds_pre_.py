"""results shared back and rounds pre-filled

A survey's results shared with the invited boards (results_shares, undone by undone_at);
a survey made by "Ny omgång" points at the round it follows, each of its questions at the
question it was copied from, and an answer copied from the previous round is `prefilled`
until a respondent saves it.

Revision ID: 43556e4665e2
Revises: b37fb63432fc
Create Date: 2026-11-27 20:35:52.056916

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '43556e4665e2'
down_revision = 'b37fb63432fc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('results_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('shared_at', sa.DateTime(), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('include_free_text', sa.Boolean(), nullable=False),
    sa.Column('include_attachments', sa.Boolean(), nullable=False),
    sa.Column('on_public_page', sa.Boolean(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_results_shares_shared_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_results_shares_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_results_shares_undone_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results_shares'))
    )
    with op.batch_alter_table('results_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_results_shares_survey_id'), ['survey_id'], unique=False)

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('prefilled', sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_question_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_questions_previous_question_id_questions'), 'questions', ['previous_question_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_round_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_surveys_previous_round_id_surveys'), 'surveys', ['previous_round_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_surveys_previous_round_id_surveys'), type_='foreignkey')
        batch_op.drop_column('previous_round_id')

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questions_previous_question_id_questions'), type_='foreignkey')
        batch_op.drop_column('previous_question_id')

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('prefilled')

    with op.batch_alter_table('results_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_results_shares_survey_id'))

    op.drop_table('results_shares')
