"""volunteer messages

A coordinator's message to a group of digibuddies (or a request for cover of a drop-in date), and who got
it on which channel, with the outbox message.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 04:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('volunteer_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('message', 'cover', name='volunteer_message_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('subjects', sa.JSON(), nullable=False),
    sa.Column('bodies', sa.JSON(), nullable=False),
    sa.Column('by_email', sa.Boolean(), nullable=False),
    sa.Column('by_sms', sa.Boolean(), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('moment_id', sa.Integer(), nullable=True),
    sa.Column('on_date', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind <> 'cover' OR (moment_id IS NOT NULL AND on_date IS NOT NULL)", name=op.f('ck_volunteer_messages_cover_date')),
    sa.CheckConstraint('by_email OR by_sms', name=op.f('ck_volunteer_messages_some_channel')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_volunteer_messages_created_by_id')),
    sa.ForeignKeyConstraint(['moment_id'], ['dropin_moments.id'], name=op.f('fk_volunteer_messages_moment_id'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['local_networks.id'], name=op.f('fk_volunteer_messages_network_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_messages'))
    )
    with op.batch_alter_table('volunteer_messages', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_messages_network_created', ['network_id', 'created_at'], unique=False)

    op.create_table('volunteer_message_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('email', 'sms', name='recipient_channel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['volunteer_messages.id'], name=op.f('fk_volunteer_message_recipients_message_id'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_volunteer_message_recipients_outbox_message_id'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer_profiles.id'], name=op.f('fk_volunteer_message_recipients_volunteer_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_message_recipients')),
    sa.UniqueConstraint('message_id', 'volunteer_id', 'channel', name=op.f('uq_volunteer_message_recipients_message_id_volunteer_id_channel'))
    )
    with op.batch_alter_table('volunteer_message_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_message_recipients_volunteer_id'), ['volunteer_id'], unique=False)



def downgrade():
    with op.batch_alter_table('volunteer_message_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_message_recipients_volunteer_id'))

    op.drop_table('volunteer_message_recipients')
    with op.batch_alter_table('volunteer_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_messages_network_created')

    op.drop_table('volunteer_messages')
