"""content language of surveys, projects and news

A survey, a project and a news item keep the language they were written in, so that a
page in the other interface language marks them (WCAG 3.1.2). Everything written so far
is Swedish.

Revision ID: b37fb63432fc
Revises: 895ca682f879
Create Date: 2026-11-27 17:30:18.001122

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b37fb63432fc'
down_revision = '895ca682f879'
branch_labels = None
depends_on = None

TABLES = ('news_items', 'projects', 'surveys')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('language', sa.String(length=8), server_default='sv', nullable=False)
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('language')
