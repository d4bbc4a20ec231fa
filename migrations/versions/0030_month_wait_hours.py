"""hours of waiting between the day buckets and the minutes

The quantiles of the waiting times located their day-wide bucket and then read every minute row of it; for
the first offer nearly every wait lies within the first day, so that was nearly every minute row of the range.
The month's waits are now also counted per hour, keyed by network, step and hour first, and the month minute
rows get an index by network, step and minutes: a quantile reads the hours of its day and then the minutes of
its hour. Filled from the day roll-ups, set-based.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-02 18:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_month_wait_hours',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=8), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('network_id', 'step', 'hour', 'month', name=op.f('pk_rollup_month_wait_hours'))
    )
    with op.batch_alter_table('rollup_month_waits', schema=None) as batch_op:
        batch_op.create_index(
            'ix_rollup_month_waits_network_step_minutes', ['network_id', 'step', 'minutes'], unique=False,
            postgresql_include=['month', 'count'],
        )

    from digibuddy.reports import rollups

    rollups.rebuild_months_with(op.get_bind(), ('rollup_month_wait_hours',))


def downgrade():
    with op.batch_alter_table('rollup_month_waits', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_month_waits_network_step_minutes')
    op.drop_table('rollup_month_wait_hours')
