"""tens of minutes of waiting between the hours and the minutes

The quantiles of the waiting times located their hour and then read the minutes of that hour in every month
of the range: at 10,000,000 sessions nearly all sixty of them in each month, for each network, step and
quantile. The month's waits are now also counted per ten minutes, keyed as the hours are: a quantile reads
the six tens of its hour, then the ten minutes of its ten. Filled from the day roll-ups, set-based, with the
whole network's rows.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-04 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_month_wait_tens',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=8), nullable=False),
    sa.Column('ten', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('network_id', 'step', 'ten', 'month', name=op.f('pk_rollup_month_wait_tens'))
    )

    from digibuddy.reports import rollups

    rollups.rebuild_months_with(op.get_bind(), ('rollup_month_wait_tens',))


def downgrade():
    op.drop_table('rollup_month_wait_tens')
