"""active volunteers as bitmasks of days and months

The active volunteers of a range were the distinct (network, volunteer) pairs of every whole month's
rollup_month_active rows and of every edge day's rollup_active rows, fetched into Python: at 10,000,000
sessions about 1.2 million rows for the last 12 months. rollup_month_active now also holds the days of the
month each volunteer was active on as a bitmask, and rollup_year_active the months of each year: a range
reads one row per network, volunteer and year for its whole months and one per network and volunteer for
each partial month, and counts them in SQL. Filled from the day roll-ups, set-based.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rollup_month_active', schema=None) as batch_op:
        batch_op.add_column(sa.Column('days', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('rollup_month_active', schema=None) as batch_op:
        batch_op.alter_column('days', server_default=None)

    op.create_table('rollup_year_active',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', 'network_id', 'volunteer_id', name=op.f('pk_rollup_year_active'))
    )

    # Fill both from the day roll-ups (the same statements a fold runs for a changed month).
    from digibuddy.reports import rollups

    bind = op.get_bind()
    rollups.rebuild_months_with(bind, ('rollup_month_active', 'rollup_year_active'))
    if bind.dialect.name == 'postgresql':
        # statistics for the new table and the rewritten one before the first dashboard plans on them
        op.execute('ANALYZE rollup_month_active')
        op.execute('ANALYZE rollup_year_active')


def downgrade():
    op.drop_table('rollup_year_active')
    with op.batch_alter_table('rollup_month_active', schema=None) as batch_op:
        batch_op.drop_column('days')
