"""the day roll-ups of the waiting times indexed by day, step and minutes

The whole network's quantiles read every network's edge days (the days of a range's partial months): by
the index on the day alone, all of those days' rows (at 10,000,000 sessions 89,000 for four days), of
which each probe keeps the minutes around its rank. The index now also holds the step and the minutes, so
each probe seeks its own rows day by day; a range of days reads it as before. Replaces ix_rollup_waits_day
(built first, so that a range of days always has an index).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-04 20:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rollup_waits', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_waits_day_step_minutes', ['day', 'step', 'minutes'], unique=False)
        batch_op.drop_index(batch_op.f('ix_rollup_waits_day'))


def downgrade():
    with op.batch_alter_table('rollup_waits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rollup_waits_day'), ['day'], unique=False)
        batch_op.drop_index('ix_rollup_waits_day_step_minutes')
