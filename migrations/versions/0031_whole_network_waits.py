"""the whole network's month rows of the waiting times

The whole network's medians and 90th percentiles merged every network's month rows of the waiting times,
network by network, for each of the three steps of the quantiles: about half of what they cost on the
network dashboard. The month tables of the waiting times (rollup_month_waits, rollup_month_wait_buckets,
rollup_month_wait_hours) now also hold the whole network's rows, the sums of every network's, under network
id 0, which no network has (the roll-up tables have no foreign key); the fold keeps them by difference.
Filled from the networks' month rows, set-based. No schema change.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03 09:00:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

TABLES = ("rollup_month_waits", "rollup_month_wait_buckets", "rollup_month_wait_hours")


def upgrade():
    from digibuddy.reports import rollups

    bind = op.get_bind()
    rollups.rebuild_whole_with(bind, TABLES)
    if bind.dialect.name == "postgresql":
        # A third of rollup_month_waits' rows are new, under a network id its statistics do not know yet:
        # the planner then takes the whole network's rows of a month for one row and reads them all through
        # the index by network, step and minutes (seconds for each fold, until autovacuum analyses them).
        for table in TABLES:
            op.execute(f"ANALYZE {table}")


def downgrade():
    # the code before this revision would count them as one more network's
    for table in TABLES:
        op.execute(f"DELETE FROM {table} WHERE network_id = 0")
