"""drop-in waiting list

A resident can wait for a place at a full drop-in date; the first in line gets a freed place.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dropin_waiting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('moment_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('language_code', sa.String(length=12), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_as', sa.Enum('promoted', 'left', 'expired', 'cancelled', name='wait_end', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(ended_at IS NULL) = (ended_as IS NULL)', name=op.f('ck_dropin_waiting_ended_with_how')),
    sa.ForeignKeyConstraint(['booking_id'], ['dropin_bookings.id'], name=op.f('fk_dropin_waiting_booking_id')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dropin_waiting_created_by_id')),
    sa.ForeignKeyConstraint(['language_code'], ['languages.code'], name=op.f('fk_dropin_waiting_language_code')),
    sa.ForeignKeyConstraint(['moment_id'], ['dropin_moments.id'], name=op.f('fk_dropin_waiting_moment_id'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_dropin_waiting_resident_id')),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_dropin_waiting_topic_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dropin_waiting')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_dropin_waiting_token_hash'))
    )
    with op.batch_alter_table('dropin_waiting', schema=None) as batch_op:
        batch_op.create_index('ix_dropin_waiting_moment_date', ['moment_id', 'on_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_dropin_waiting_resident_id'), ['resident_id'], unique=False)



def downgrade():
    with op.batch_alter_table('dropin_waiting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dropin_waiting_resident_id'))
        batch_op.drop_index('ix_dropin_waiting_moment_date')

    op.drop_table('dropin_waiting')
