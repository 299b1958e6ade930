"""question settings and conditions; number, date, grid and file answers

Revision ID: 5823cb23c228
Revises: 5d1c0a7e2b41
Create Date: 2026-11-27 17:15:58.112884

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5823cb23c228'
down_revision = '5d1c0a7e2b41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_answer_files_answer_id_answers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_files')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_answer_files_storage_key'))
    )
    with op.batch_alter_table('answer_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_files_answer_id'), ['answer_id'], unique=False)

    # Rows that exist get an empty object or list; new rows get theirs from the app.
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number_value', sa.Numeric().with_variant(sa.String(length=40), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('date_value', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('row_choices', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.alter_column('row_choices', server_default=None)

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('condition_question_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('condition_values', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.create_foreign_key(batch_op.f('fk_questions_condition_question_id_questions'), 'questions', ['condition_question_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.alter_column('settings', server_default=None)
        batch_op.alter_column('condition_values', server_default=None)


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_questions_condition_question_id_questions'), type_='foreignkey')
        batch_op.drop_column('condition_values')
        batch_op.drop_column('condition_question_id')
        batch_op.drop_column('settings')

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('row_choices')
        batch_op.drop_column('date_value')
        batch_op.drop_column('number_value')

    with op.batch_alter_table('answer_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_files_answer_id'))

    op.drop_table('answer_files')
