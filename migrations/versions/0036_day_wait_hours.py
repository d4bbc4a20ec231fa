"""the hours of the day roll-ups of the waiting times

The quantiles' hour step read every minute of a range's edge days (the days of its partial months) and
divided it into its hour: at 10,000,000 sessions about 55,000 rows for the networks and as many for the
whole network, of which it adds up a few thousand sums. rollup_wait_hours keeps each day's waits per hour,
kept by the folds with the day rows: the hour step reads those. Filled from rollup_waits, set-based.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-04 20:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_wait_hours',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('step', sa.String(length=8), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('network_id', 'day', 'step', 'hour', name=op.f('pk_rollup_wait_hours'))
    )

    from digibuddy.reports import rollups

    bind = op.get_bind()
    rollups.rebuild_wait_hours_with(bind)
    # the index after the rows: one build, not one insert per row
    with op.batch_alter_table('rollup_wait_hours', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_wait_hours_day_step_hour', ['day', 'step', 'hour'], unique=False)
    if bind.dialect.name == 'postgresql':
        op.execute('ANALYZE rollup_wait_hours')


def downgrade():
    with op.batch_alter_table('rollup_wait_hours', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_wait_hours_day_step_hour')

    op.drop_table('rollup_wait_hours')
