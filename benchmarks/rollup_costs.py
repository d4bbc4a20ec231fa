"""What the network dashboard's waiting-time quantiles and one fold cost, on a kept dashboard database:
`python benchmarks/rollup_costs.py URL [--loads 5] [--networks 3] [--days 3]`.

URL is a database kept by benchmarks/dashboard.py (--keep), at the current schema (its --measure-only
brings it there). Two measurements, each repeated --loads times in a transaction that is rolled back, so the
database is left as it was:
  * the medians and 90th percentiles of every network and of the whole network for the last 12 months
    (rollups._timings for the scope of every network, after the dashboard's planner settings);
  * one fold of --days dirty days (today and the days before it) of --networks networks (the first ones by
    id), as the scheduler's job or a dashboard load folds after a few changes (rollups.fold_with).
For each it prints the minimum and median wall time, the time spent in the statements and their number, and
the minimum CPU time of this process. Compare before and after a change back to back, with the load average
(printed before and after)."""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import synthetic  # noqa: E402 - after the path insert


def timed(engine, work, loads: int, prepare=None) -> list[tuple[float, list[float], float]]:
    """(wall, each statement's time, CPU) of each of `loads` runs of work(), each after prepare() (not
    timed)."""
    import sqlalchemy as sa

    spent = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["started"] = time.perf_counter()

    @sa.event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, parameters, context, executemany):
        spent.append(time.perf_counter() - conn.info.pop("started"))

    found = []
    try:
        for _ in range(loads):
            if prepare is not None:
                prepare()
            spent.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            work()
            found.append((time.perf_counter() - wall, list(spent), time.process_time() - cpu))
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    return found


def report(what: str, runs, each: bool = False) -> None:
    """The minimum and median wall time, the statements' time and number, the CPU time; with `each`, every
    statement's minimum over the runs too (in the order they ran)."""
    walls = [wall for wall, _spent, _cpu in runs]
    print(
        f"{what}: wall min {min(walls) * 1000:.0f} ms, median {statistics.median(walls) * 1000:.0f} ms; "
        f"statements min {min(sum(spent) for _w, spent, _c in runs) * 1000:.0f} ms ({len(runs[0][1])}); "
        f"CPU min {min(cpu for _w, _s, cpu in runs) * 1000:.0f} ms",
        flush=True,
    )
    if each:
        ms = [min(spent[i] for _w, spent, _c in runs) * 1000 for i in range(len(runs[0][1]))]
        print("  each statement (min, ms): " + ", ".join(f"{m:.0f}" for m in ms), flush=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url")
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--networks", type=int, default=3)
    parser.add_argument("--days", type=int, default=3)
    args = parser.parse_args()

    import sqlalchemy as sa

    from digibuddy.core.db import utcnow
    from digibuddy.extensions import db
    from digibuddy.reports import numbers, queries, rollup_rules, rollups, stats
    from digibuddy.reports.models import RollupDirty

    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    app = synthetic.make_app(args.url)
    with app.app_context():
        today = rollup_rules.local_day(utcnow())
        scope = numbers.scope_for(None, stats.default_range(today))

        def quantiles():
            queries.planner_settings(scope)
            rollups._timings(scope, db.engine.dialect.name)
            db.session.rollback()

        quantiles()  # warm-up
        report(
            "quantiles of every network, last 12 months", timed(db.engine, quantiles, args.loads), each=True
        )

        networks = db.session.scalars(
            sa.select(sa.func.distinct(rollups.CELLS.c.network_id))
            .order_by(rollups.CELLS.c.network_id)
            .limit(args.networks)
        ).all()
        marks = [
            {"network_id": n, "day": today - timedelta(days=d)} for n in networks for d in range(args.days)
        ]

        def mark():
            db.session.connection().execute(sa.insert(RollupDirty.__table__), marks)

        def fold():
            assert rollups.fold_with(db.session.connection()) == len(marks)
            db.session.rollback()

        mark()
        fold()  # warm-up
        runs = timed(db.engine, fold, args.loads, prepare=mark)
        report(f"fold of {args.days} days of {len(networks)} networks", runs)
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
