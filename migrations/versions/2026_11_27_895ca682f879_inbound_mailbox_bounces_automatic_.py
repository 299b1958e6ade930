"""inbound mailbox: bounces, automatic replies, meeting answers; secret links out of the outbox

Revision ID: 895ca682f879
Revises: 5823cb23c228
Create Date: 2026-11-27 17:38:24.080526

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '895ca682f879'
down_revision = '5823cb23c228'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inbound_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('hard_bounce', 'soft_bounce', 'auto_reply', 'meeting_answer', 'forged', 'unrecognised')", name=op.f('ck_inbound_messages_kind')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_inbound_messages_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_inbound_messages_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_messages')),
    sa.UniqueConstraint('key', name=op.f('uq_inbound_messages_key'))
    )
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_messages_outbox_message_id'), ['outbox_message_id'], unique=False)

    op.create_table('meeting_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('token_nonce', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_via', sa.String(length=10), nullable=False),
    sa.Column('auto_reply_at', sa.DateTime(), nullable=True),
    sa.Column('auto_reply_until', sa.String(length=100), nullable=False),
    sa.Column('auto_reply_subject', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("answer IN ('accepted', 'declined', 'tentative')", name=op.f('ck_meeting_attendances_answer')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_meeting_attendances_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendances_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendances')),
    sa.UniqueConstraint('meeting_id', 'contact_id', name=op.f('uq_meeting_attendances_meeting_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_meeting_attendances_token_hash'))
    )
    with op.batch_alter_table('meeting_attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendances_contact_id'), ['contact_id'], unique=False)

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bouncing_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('bounce_reason', sa.String(length=500), nullable=False, server_default=''))

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_reply_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('auto_reply_until', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('auto_reply_subject', sa.String(length=300), nullable=False, server_default=''))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret_links', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('bounced_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_state'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_outbox_messages_state'),
            "state IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'bounced')",
        )



def downgrade():
    op.execute("UPDATE outbox_messages SET state = 'sent' WHERE state = 'bounced'")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_state'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_outbox_messages_state'),
            "state IN ('queued', 'sending', 'sent', 'failed', 'skipped')",
        )
        batch_op.drop_column('bounced_at')
        batch_op.drop_column('secret_links')

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('auto_reply_subject')
        batch_op.drop_column('auto_reply_until')
        batch_op.drop_column('auto_reply_at')

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('bounce_reason')
        batch_op.drop_column('bouncing_at')

    with op.batch_alter_table('meeting_attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendances_contact_id'))

    op.drop_table('meeting_attendances')
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_messages_outbox_message_id'))

    op.drop_table('inbound_messages')
