"""coarse month buckets of the waiting times

The quantiles of the waiting times merged every minute row of every network and month of a range; the
month's minutes are now also counted per bucket of a day, so a quantile's rank is found among the buckets
and then only the minutes of its bucket are read. Filled from the day roll-ups, set-based.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-02 15:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_month_wait_buckets',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('step', sa.String(length=8), nullable=False),
    sa.Column('bucket', sa.Integer(), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('network_id', 'month', 'step', 'bucket', name=op.f('pk_rollup_month_wait_buckets'))
    )
    with op.batch_alter_table('rollup_month_wait_buckets', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_month_wait_buckets_month', ['month'], unique=False)

    from digibuddy.reports import rollups

    rollups.rebuild_months_with(op.get_bind(), ('rollup_month_wait_buckets',))


def downgrade():
    op.drop_table('rollup_month_wait_buckets')
