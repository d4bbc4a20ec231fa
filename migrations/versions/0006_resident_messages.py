"""resident messages

Messages to a resident remember the resident and request they are about (an SMS reply lands on the
request, anonymisation clears them); an SMS keeps the provider's id and when it was delivered; a resident
who answered STOP is never contacted again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:43:36.765486

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resident_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('provider_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_resident_id'), ['resident_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_messages_provider_ref'), ['provider_ref'])
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_resident_id'), 'residents', ['resident_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_request_id'), 'help_requests', ['request_id'], ['id'])

    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('messages_stopped_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_column('messages_stopped_at')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_request_id'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_resident_id'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_outbox_messages_provider_ref'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_resident_id'))
        batch_op.drop_column('delivered_at')
        batch_op.drop_column('provider_ref')
        batch_op.drop_column('request_id')
        batch_op.drop_column('resident_id')
