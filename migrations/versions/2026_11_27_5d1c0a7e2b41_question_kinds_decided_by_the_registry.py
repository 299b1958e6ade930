"""question kinds decided by the registry, not a CHECK constraint

The kinds are classes in coordinator/services/surveys/kinds/; a new kind is a new module
there, with no schema change.

Revision ID: 5d1c0a7e2b41
Revises: f06ee50f161b
Create Date: 2026-11-27 17:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d1c0a7e2b41'
down_revision = 'f06ee50f161b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_questions_kind'), type_='check')


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f('ck_questions_kind'),
            "kind IN ('heading', 'yes_no_comment', 'short_text', 'long_text', "
            "'single_choice', 'multiple_choice')",
        )
