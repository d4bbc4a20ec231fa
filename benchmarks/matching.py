"""Matching benchmark: `make benchmark-matching` (Flanders) and `make benchmark-matching-belgium`
(or `python benchmarks/matching.py [--volunteers 100000]`).

Builds a synthetic network on the real reference data (networks of about five municipalities, a fixed
seed) on SQLite and, when a server answers, on PostgreSQL: by default 20,000 volunteers over the 285
Flemish municipalities; from 100,000 volunteers on, all 565 Belgian municipalities (Flanders, Brussels,
Wallonia and the German-speaking Community, each with its own language mix) and a batch of 10,000. Prints:
  * single-request matching latency (p50, p95) over 1,000 requests: SQL pre-filter + scoring;
  * the same for a naive approach that loads and scores every volunteer, and the ratio;
  * the batch proposal for the open requests: wall time, and its total score against the exact optimum
    computed independently (a linear program solved by HiGHS).
Targets: p95 <= 50 ms per request; batch <= 10 s for 2,000 requests, <= 30 s for 10,000; batch total ==
optimum."""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import synthetic  # noqa: E402

BELGIUM_FROM = 100_000  # volunteers: from this size on the network covers all of Belgium
BATCH_SIZE = {"flanders": 2000, "belgium": 10000}
BATCH_TARGET_S = {"flanders": 10, "belgium": 30}
NAIVE_REQUESTS = {"flanders": 50, "belgium": 10}  # the naive approach takes seconds per request in Belgium


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def run(label, url, args):
    import sqlalchemy as sa

    from digibuddy.extensions import db
    from digibuddy.matching import batch, candidates, services
    from digibuddy.matching.engine import rank
    from digibuddy.requests.models import HelpRequest

    app = synthetic.make_app(url)
    synthetic.build_schema(app)
    rnd = random.Random(args.seed)
    with app.app_context():
        started = time.perf_counter()
        municipalities, postcodes, network_of, topic_ids, area_of = synthetic.volunteers_over(
            db, rnd, args.volunteers, "benchmark-password", belgium=args.area == "belgium"
        )
        request_ids = synthetic.insert_requests(
            db, rnd, args.requests, postcodes, network_of, topic_ids, area_of=area_of
        )
        if db.engine.dialect.name == "postgresql":
            # As autovacuum would on a live database: statistics, and the visibility map that lets
            # index-only scans skip the table.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        print(
            f"[{label}] data: {len(municipalities)} {'Belgian' if args.area == 'belgium' else 'Flemish'} "
            f"municipalities, {len(set(network_of.values()))} "
            f"networks, {args.volunteers} volunteers, {args.requests} requests "
            f"({time.perf_counter() - started:.1f} s to generate)"
        )

        latencies, found = [], 0
        for request_id in request_ids:
            db.session.expunge_all()
            t0 = time.perf_counter()
            help_request = db.session.get(HelpRequest, request_id)
            result = services.suggestions(help_request, limit=1, with_reasons=False)
            latencies.append((time.perf_counter() - t0) * 1000)
            found += result.best is not None
        p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
        print(
            f"[{label}] single request, pre-filter + score: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
            f"over {len(latencies)} requests ({found} found a candidate); target p95 <= 50 ms: "
            f"{'met' if p95 <= 50 else 'NOT met'} ({p95 / 50:.2f} of it)"
        )

        all_networks = sorted(set(network_of.values()))
        naive = []
        for request_id in request_ids[: args.naive_requests]:
            db.session.expunge_all()
            t0 = time.perf_counter()
            help_request = db.session.get(HelpRequest, request_id)
            data = candidates.request_data(help_request)
            rank(data, candidates.all_volunteers(all_networks, data), limit=1)
            naive.append((time.perf_counter() - t0) * 1000)
        n50, n95 = percentile(naive, 50), percentile(naive, 95)
        print(
            f"[{label}] naive, load and score all {args.volunteers} volunteers: p50 {n50:.0f} ms, "
            f"p95 {n95:.0f} ms over {len(naive)} requests; ratio naive/pre-filter at p50: {n50 / p50:.0f}x, "
            f"at p95: {n95 / p95:.0f}x"
        )

        # Batch: more open requests, solved for the whole country or region at once.
        batch_ids = synthetic.insert_requests(
            db, rnd, args.batch, postcodes, network_of, topic_ids, first_id=args.requests + 1, area_of=area_of
        )
        db.session.execute(
            sa.update(HelpRequest).where(HelpRequest.id.not_in(batch_ids)).values(status="cancelled")
        )
        db.session.commit()
        db.session.expunge_all()
        t0 = time.perf_counter()
        proposal, scores, _ranked = services.batch_proposal(all_networks)
        wall = time.perf_counter() - t0
        target = BATCH_TARGET_S[args.area]
        capacity = candidates.free_capacity({v for pairs in scores.values() for v in pairs})
        t1 = time.perf_counter()
        optimum = batch.optimum_by_linear_programming(scores, capacity)
        lp_time = time.perf_counter() - t1
        edges = sum(len(p) for p in scores.values())
        print(
            f"[{label}] batch proposal for {len(scores)} open requests ({edges} feasible pairs): "
            f"{wall:.2f} s wall time (target <= {target} s: {'met' if wall <= target else 'NOT met'}, "
            f"{wall / target:.2f} of it), "
            f"{len(proposal.assignments)} assigned, total score {proposal.total_score:.1f}; "
            f"independent LP optimum {optimum:.1f} ({lp_time:.1f} s): "
            f"{'equal' if abs(proposal.total_score - optimum) < 1e-6 else 'DIFFERENT'}"
        )
        db.session.remove()
        db.engine.dispose()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument(
        "--naive-requests", type=int, help="requests for the naive approach (default: 50; Belgium 10)"
    )
    parser.add_argument(
        "--area",
        choices=("flanders", "belgium"),
        help=f"the municipalities covered (default: Belgium from {BELGIUM_FROM:,} volunteers, else Flanders)",
    )
    parser.add_argument(
        "--batch", type=int, help="open requests for the batch (default: 2,000; Belgium 10,000)"
    )
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgresql-only", action="store_true")
    args = parser.parse_args()
    args.area = args.area or ("belgium" if args.volunteers >= BELGIUM_FROM else "flanders")
    args.batch = args.batch or BATCH_SIZE[args.area]
    args.naive_requests = args.naive_requests or NAIVE_REQUESTS[args.area]
    for label, url, drop in synthetic.database_urls():
        if args.sqlite_only and label != "sqlite":
            drop()
            continue
        if args.postgresql_only and label != "postgresql":
            continue
        try:
            run(label, url, args)
        finally:
            if drop:
                drop()


if __name__ == "__main__":
    main()
