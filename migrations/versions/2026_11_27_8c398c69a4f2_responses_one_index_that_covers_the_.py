"""responses: one index that covers the dashboard's counts

The follow-up dashboard counts each organisation's drafts, answers on time and late,
coordinated answers, board answers and last save from every response of a survey. With the columns it
reads in the index (after survey and organisation, as before), the database answers from
the index alone: on SQLite the counts over 10,000 responses take 6.8 ms instead of 11.6.
It replaces the index on (survey_id, organisation_id), of which it is an extension.

Revision ID: 8c398c69a4f2
Revises: 8aaeec1ac509
Create Date: 2026-11-27 21:05:43.886558

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8c398c69a4f2'
down_revision = '8aaeec1ac509'
branch_labels = None
depends_on = None

COLUMNS = [
    'survey_id',
    'organisation_id',
    'state',
    'late',
    'is_coordinated',
    'is_board_answer',
    'updated_at',
]


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_survey_org')
        batch_op.create_index('ix_responses_survey_org_counts', COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_survey_org_counts')
        batch_op.create_index(
            'ix_responses_survey_org', ['survey_id', 'organisation_id'], unique=False
        )
