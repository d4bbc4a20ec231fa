"""Dashboard benchmark: `make benchmark-dashboard` (or `python benchmarks/dashboard.py [--sessions N ...]`).

For each size (by default 1,000,000 and then 10,000,000 help sessions) it fills a fresh PostgreSQL database
with a synthetic Flemish history on the real reference data: 59 networks of about five of the 285 Flemish
municipalities, 20,000 volunteers (one per 100 sessions when that is more: 100,000 at 10,000,000), and the
help sessions with their requests, residents, topics, languages, offers, event logs, outcomes and feedback,
spread over the last three years (growing over time) with realistic status mixes; the queue of open requests
follows from each request's age. A larger size is the same three years of the same networks, busier: ten
times the sessions means ten times the requests of every network. Everything is generated inside PostgreSQL,
set-based (INSERT ... SELECT over generate_series, secondary indexes built after loading), deterministically
from --seed: every random draw is a hash of (seed, row, draw), so the data does not depend on the query plan.
Then VACUUM ANALYZE.

Then it renders the full pages through the Flask app (test client, logged in) and prints p50 and p95 over
repeated loads, after a warm-up:
  * /reports/local as the coordinator of a typical network (the median by requests in the last 12 months), for
    the default range (the last 12 months), the last calendar month and three years, and that network's yearly
    report; the same default page for the coordinator of the largest network;
  * /reports/network as the central administrator for the same ranges, and the central view of the yearly
    report; every load computed from the roll-ups (digibuddy/reports/rollups.py).
Targets (p95, default range, 2-core machine): the local dashboard 150 ms at 1,000,000 sessions and 300 ms at
10,000,000; the network dashboard 500 ms.

--keep keeps each database, named after its size and seed; --reuse measures again on the kept database of each
size (bringing it up to the current schema first), generating and keeping it when there is none yet;
--measure-only URL measures again on a kept database given by its URL."""

import argparse
import contextlib
import random
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import synthetic  # noqa: E402 - after the path insert

PASSWORD = "benchmark-password"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
YEAR_SECONDS = 365.25 * 86400
HOUR, DAY = 3600.0, 86400.0

REQUEST_LANGUAGES = synthetic.REQUEST_LANGUAGES
CHANNELS = [("online", 0.42), ("phone", 0.30), ("counter", 0.22), ("outreach", 0.06)]
AGE_BANDS = [
    ("under_30", 0.04),
    ("30_54", 0.14),
    ("55_64", 0.17),
    ("65_74", 0.30),
    ("75_plus", 0.25),
    (None, 0.10),
]
# What eventually happens to a request (its status today also depends on its age).
FATES = [
    ("completed", 0.705),
    ("unresolved", 0.06),
    ("cancelled_early", 0.07),
    ("cancelled_late", 0.05),
    ("expired", 0.113),
    ("stuck", 0.002),
]
SESSION_MIX = [("done", 0.78), ("resident_no_show", 0.08), ("volunteer_no_show", 0.04), ("cancelled", 0.10)]
RESULTS = [("solved", 0.55), ("partly_solved", 0.25), ("referred", 0.10), ("not_solved", 0.10)]
REFERRALS = [
    ("social_services", 0.25),
    ("caw", 0.12),
    ("bank", 0.16),
    ("tax_office", 0.10),
    ("health_insurance", 0.09),
    ("pension_service", 0.06),
    ("vdab", 0.06),
    ("municipality", 0.08),
    ("Wijkgezondheidscentrum", 0.03),
    ("Huisarts", 0.02),
    ("Bibliotheek", 0.02),
    ("Itsme helpdesk", 0.01),
]
FEEDBACK_CHANNELS = [("link", 0.60), ("phone", 0.25), ("counter", 0.15)]
SATISFACTION = [(5, 0.45), (4, 0.35), (3, 0.12), (2, 0.05), (1, 0.03)]
LOADED_TABLES = (
    "residents",
    "help_requests",
    "request_topics",
    "request_languages",
    "offers",
    "help_sessions",
    "outcomes",
    "feedback",
    "request_events",
)
SIZES = (1_000_000, 10_000_000)
LOCAL_TARGET_MS, LOCAL_TARGET_10M_MS = 150.0, 300.0  # the local dashboard's p95 at 1,000,000 and 10,000,000
NETWORK_TARGET_MS = 500.0  # the network dashboard's p95, calculated on every load
GENERATION_TABLE = "benchmark_generation"
REASONS = ("not_active", "full", "language", "mode", "distance", "topic", "already_asked")


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


class Draws:
    """SQL expressions for deterministic uniform draws in [0, 1): a hash of (seed, key, salt)."""

    def __init__(self, seed: int):
        self.seed = seed

    def u(self, key: str, salt: int) -> str:
        return (
            f"((hashint8extended(({key})::bigint, {self.seed * 1009 + salt}) & 4503599627370495)::float8"
            f" / 4503599627370496.0)"
        )

    def exp(self, key: str, salt: int, mean: float) -> str:
        return f"(-ln(1.0 - {self.u(key, salt)}) * {mean})"

    def pick(self, key: str, salt: int, weighted) -> str:
        """CASE over cumulative weights: one value of `weighted` [(sql literal or None, weight)]."""
        total = sum(w for _v, w in weighted)
        draw, cumulative, whens = self.u(key, salt), 0.0, []
        for value, weight in weighted[:-1]:
            cumulative += weight / total
            whens.append(f"WHEN {draw} < {cumulative!r} THEN {_literal(value)}")
        return f"(CASE {' '.join(whens)} ELSE {_literal(weighted[-1][0])} END)"


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def seconds(expression: str) -> str:
    return f"(({expression}) * interval '1 second')"


def generate_history(engine, sa, draws: Draws, now, target_sessions: int, echo) -> None:
    """Requests and everything that hangs off them, in SQL, until exactly `target_sessions` sessions exist.

    The work runs on two connections at once where it can (the machine has two cores): the working tables are
    unlogged tables both can read, and each loaded table is written by one statement, in creation order."""
    d = draws
    params = {"now": now}

    def run(conn, sql, **params):
        return conn.execute(sa.text(sql), params)

    def connect():
        conn = engine.connect()
        run(conn, "SET work_mem = '1GB'")
        run(conn, "SET maintenance_work_mem = '1GB'")
        # One process per statement (the two connections use the two cores), and tables written in order
        # are read back in that order (a scan never starts half-way through a table).
        run(conn, "SET max_parallel_workers_per_gather = 0")
        run(conn, "SET max_parallel_maintenance_workers = 0")
        run(conn, "SET synchronize_seqscans = off")
        # Foreign-key triggers are skipped when the server lets us (the rows are consistent by construction).
        try:
            with conn.begin_nested():
                run(conn, "SET session_replication_role = replica")
        except sa.exc.DBAPIError:
            pass
        return conn

    def job(*steps):
        def go():
            with connect() as conn:
                for step in steps:
                    step(conn)
                conn.commit()

        return go

    def both(*jobs):
        """The jobs at the same time, each on a connection of its own, each in one transaction."""
        with ThreadPoolExecutor(len(jobs)) as pool:
            for future in [pool.submit(j) for j in jobs]:
                future.result()

    conn = connect()
    # Bulk load: the secondary indexes are dropped now and built again at the end.
    indexes = conn.execute(
        sa.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = "
            "ANY(:tables) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ),
        {"tables": list(LOADED_TABLES)},
    ).all()
    for name, _definition in indexes:
        run(conn, f'DROP INDEX "{name}"')

    # Lookup tables: Flemish postcodes with their network, active volunteers and a location per network,
    # topics.
    run(
        conn,
        """CREATE UNLOGGED TABLE bench_pc AS
           SELECT (row_number() OVER (ORDER BY p.code) - 1)::int AS idx, p.code, nm.network_id
           FROM postcodes p JOIN network_municipalities nm ON nm.municipality_nis = p.municipality_nis""",
    )
    run(
        conn,
        """CREATE UNLOGGED TABLE bench_vol AS
           SELECT m.network_id, (row_number() OVER (PARTITION BY m.network_id ORDER BY v.id) - 1)::int AS idx,
                  v.id AS volunteer_id, count(*) OVER (PARTITION BY m.network_id) AS n
           FROM memberships m JOIN volunteer_profiles v ON v.user_id = m.user_id
           WHERE m.role = 'volunteer' AND v.status = 'active'""",
    )
    run(conn, "CREATE INDEX ON bench_vol (network_id, idx)")
    run(
        conn,
        """CREATE UNLOGGED TABLE bench_net AS
           SELECT n.id AS network_id, (SELECT min(l.id) FROM locations l WHERE l.network_id = n.id) AS
               location_id,
                  (SELECT count(*) FROM bench_vol b WHERE b.network_id = n.id) AS volunteers
           FROM local_networks n""",
    )
    thin = conn.execute(sa.text("SELECT count(*) FROM bench_net WHERE volunteers < 3")).scalar()
    if thin:
        raise SystemExit(f"{thin} networks have fewer than 3 active volunteers; raise --volunteers")
    run(
        conn,
        """CREATE UNLOGGED TABLE bench_topic AS
           SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM topics""",
    )
    npc = conn.execute(sa.text("SELECT count(*) FROM bench_pc")).scalar()
    ntopics = conn.execute(sa.text("SELECT count(*) FROM bench_topic")).scalar()

    # The plan: one row per request with its fate, its milestones and its status today. A request needs about
    # 1.1 sessions on average, so as many candidates as target sessions are always enough; the surplus is cut.
    t0 = time.perf_counter()
    fate = d.pick("g", 3, [(f, w) for f, w in FATES])
    span = 3 * YEAR_SECONDS
    candidates = int(target_sessions)
    plan_sql = f"""
        WITH base AS MATERIALIZED (
            SELECT g, pc.code AS postcode, pc.network_id,
                   -- recency t in [0, 1): density grows linearly, twice as many requests now as three years
                   -- ago
                   CAST(:now AS timestamp) - {seconds(f"(1 - (sqrt(1 + 3 * {d.u('g', 2)}) - 1)) * {span}")}
                       AS created_at,
                   {fate} AS fate,
                   {d.pick("g", 4, CHANNELS)} AS channel,
                   {d.pick("g", 5, synthetic.MODES)} AS mode,
                   {d.pick("g", 6, AGE_BANDS)} AS age_band,
                   {d.pick("g", 7, REQUEST_LANGUAGES)} AS language,
                   30 + 150 * {d.u("g", 8)} AS d_queue,
                   {d.exp("g", 9, 5 * HOUR)} AS d_offer,
                   {d.u("g", 10)} AS u_offers,
                   20 * {HOUR} * {d.u("g", 11)} AS d_accept,
                   {d.exp("g", 12, DAY)} AS d_plan,
                   2 * {DAY} + 12 * {DAY} * {d.u("g", 13)} AS d_lead,
                   {d.u("g", 14)} AS u_sessions,
                   5 * {DAY} + 5 * {DAY} * {d.u("g", 15)} AS d_spacing,
                   2 * {HOUR} + {d.exp("g", 16, DAY)} AS d_close,
                   {d.u("g", 17)} AS u_cancel,
                   {d.u("g", 18)} AS u_volunteer,
                   {d.u("g", 19)} AS u_feedback
            FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS g
            JOIN bench_pc pc ON pc.idx = floor({d.u("g", 1)} * {npc})::int
        ), timed AS (
            SELECT *, created_at + {seconds("d_queue")} AS t_matching,
                   created_at + {seconds("d_queue + d_offer")} AS t_offer,
                   CASE WHEN fate IN ('expired', 'stuck') THEN 3 WHEN fate = 'cancelled_early' THEN 1
                        WHEN u_offers < 0.6 THEN 1 WHEN u_offers < 0.85 THEN 2 ELSE 3 END AS offers,
                   CASE WHEN fate IN ('completed', 'unresolved') THEN
                             CASE WHEN u_sessions < 0.68 THEN 1 WHEN u_sessions < 0.90 THEN 2 ELSE 3 END
                        WHEN fate = 'cancelled_late' AND u_cancel < 0.5 THEN 1 ELSE 0 END AS sessions
            FROM base
        ), matched AS (
            SELECT *,
                   CASE WHEN fate IN ('completed', 'unresolved', 'cancelled_late')
                        THEN t_offer + {seconds(f"(offers - 1) * 20 * {HOUR} + d_accept")} END AS t_matched,
                   CASE WHEN fate IN ('expired', 'stuck') THEN t_offer + interval '72 hours' END AS
                       t_escalated
            FROM timed
        ), planned AS (
            SELECT *, t_matched + {seconds("d_plan")} AS t_planned FROM matched
        ), closed AS (
            SELECT *, t_planned + {seconds("d_lead")} AS first_start,
                   CASE fate
                       WHEN 'completed' THEN t_planned +
                           {seconds("d_lead + (sessions - 1) * d_spacing + d_close")}
                       WHEN 'unresolved' THEN t_planned +
                           {seconds("d_lead + (sessions - 1) * d_spacing + d_close")}
                       WHEN 'cancelled_late' THEN CASE WHEN sessions > 0
                           THEN t_planned + {seconds("d_lead * u_cancel")}
                           ELSE t_matched + {seconds(f"5 * {DAY} * u_cancel")} END
                       WHEN 'cancelled_early' THEN t_offer + {seconds(f"3 * {DAY} * u_cancel")}
                       WHEN 'expired' THEN t_escalated + interval '30 days'
                   END AS t_closed
            FROM planned
        )
        SELECT *,
               CASE WHEN :now < t_matching THEN 'new'
                    WHEN :now < t_offer THEN 'matching'
                    WHEN fate IN ('expired', 'stuck') THEN
                         CASE WHEN :now < t_escalated THEN 'offered'
                              WHEN fate = 'stuck' OR :now < t_closed THEN 'escalated' ELSE 'expired' END
                    WHEN fate = 'cancelled_early' THEN CASE WHEN :now < t_closed THEN 'offered' ELSE
                        'cancelled' END
                    WHEN :now < t_matched THEN 'offered'
                    WHEN fate = 'cancelled_late' AND :now >= t_closed THEN 'cancelled'
                    WHEN sessions = 0 OR :now < t_planned THEN 'matched'
                    WHEN :now < t_closed THEN 'scheduled'
                    ELSE fate END AS status,
               -- sessions that exist today: the first is planned at t_planned, each follow-up at the previous
               -- one
               CASE WHEN sessions = 0 OR :now < t_planned THEN 0
                    ELSE 1 + (SELECT count(*) FROM generate_series(1, sessions - 1) i
                              WHERE t_planned + {seconds("d_lead + (i - 1) * d_spacing")} <= :now) END
                   AS sessions_now
        FROM closed"""
    run(conn, f"CREATE UNLOGGED TABLE plan_raw AS {plan_sql} WITH NO DATA", **params, first=1, last=0)
    conn.commit()

    def candidates_from(first, last):
        return lambda conn: run(conn, f"INSERT INTO plan_raw {plan_sql}", **params, first=first, last=last)

    half = candidates // 2
    both(job(candidates_from(1, half)), job(candidates_from(half + 1, candidates)))
    # Keep candidates (in random order g) until the target is reached; the last one may lose sessions. The
    # running total needs only (g, sessions_now) sorted; the kept rows are then written once, numbered and
    # stored in creation order, so request ids follow creation time, as in a real database.
    cut = conn.execute(
        sa.text(f"""SELECT g, running - {int(target_sessions)} FROM (
                        SELECT g, sum(sessions_now) OVER (ORDER BY g) AS running FROM plan_raw) r
                    WHERE running >= {int(target_sessions)} ORDER BY g LIMIT 1""")
    ).first()
    if cut is None:
        total = conn.execute(sa.text("SELECT sum(sessions_now) FROM plan_raw")).scalar()
        raise SystemExit(f"only {total} sessions planned for a target of {target_sessions}")
    last, surplus = cut
    run(
        conn,
        f"""CREATE UNLOGGED TABLE plan AS
            SELECT *, (row_number() OVER (ORDER BY created_at, g))::int AS id,
                   sessions_now - CASE WHEN g = {last} THEN {surplus} ELSE 0 END AS sessions_kept
            FROM plan_raw WHERE g <= {last} ORDER BY id""",
    )
    run(conn, "DROP TABLE plan_raw")
    run(conn, "ALTER TABLE plan DROP COLUMN sessions_now")
    run(conn, "ALTER TABLE plan RENAME COLUMN sessions_kept TO sessions_now")
    run(conn, "ANALYZE plan")
    conn.commit()
    echo(f"plan of {conn.execute(sa.text('SELECT count(*) FROM plan')).scalar()} requests", t0)

    t0 = time.perf_counter()
    reasons = ", ".join(
        f"'{r}', NULLIF(floor({d.u('g', 30 + i)} * {d.u('g', 40 + i)} * 40)::int, 0)"
        for i, r in enumerate(REASONS)
    )

    def residents(conn):
        run(
            conn,
            f"""INSERT INTO residents (id, network_id, first_name, postcode_code, street_address, locale,
        has_no_email,
                                   age_band, needs_low_vision, needs_hearing, needs_mobility, consent_at,
                                   consent_channel, consent_version, created_at)
            SELECT id, network_id, 'Inwoner ' || id, postcode, 'Dorpsstraat 1',
                   CASE WHEN language IN ('fr', 'ar', 'tr', 'uk', 'en') THEN language ELSE 'nl' END,
                   {d.u("g", 20)} < 0.6, age_band, {d.u("g", 21)} < 0.08, {d.u("g", 22)} < 0.06,
                   {d.u("g", 23)} < 0.10, created_at, channel, '2026-01', created_at
            FROM plan""",
        )

    def requests(conn):
        run(
            conn,
            f"""INSERT INTO help_requests (id, reference, resident_id, network_id, intake_channel,
                                       preferred_mode, status, status_changed_at, offer_round,
                                       escalation_reasons, created_at)
            SELECT id, 'B' || lpad(id::text, 9, '0'), id, network_id, channel, mode, status,
                   CASE status WHEN 'new' THEN created_at WHEN 'matching' THEN t_matching
                               WHEN 'offered' THEN t_offer WHEN 'escalated' THEN t_escalated
                               WHEN 'matched' THEN t_matched WHEN 'scheduled' THEN t_planned
                               ELSE t_closed END,
                   CASE WHEN :now < t_offer THEN 0
                        ELSE LEAST(offers, 1 + floor(extract(epoch FROM :now - t_offer) / (20 * {HOUR}))::int)
                            END,
                   -- the reasons nobody fitted; the app stores JSON null once a digibuddy is found
                   CASE WHEN status IN ('escalated', 'expired') THEN
                       CAST(jsonb_strip_nulls(jsonb_build_object(
                        'rounds', CASE WHEN {d.u("g", 29)} < 0.4 THEN 1 END, {reasons})) AS json)
                        WHEN t_matched <= :now THEN CAST('null' AS json) END,
                   created_at
            FROM plan""",
            **params,
        )

    # One to three topics (a topic drawn twice counts once) and one or two languages per request, made per
    # request so nothing has to be sorted or de-duplicated across all of them.
    def topics(conn):
        run(
            conn,
            f"""INSERT INTO request_topics (request_id, topic_id)
            SELECT p.id, t.id FROM plan p
            CROSS JOIN LATERAL (
                SELECT DISTINCT t.id
                FROM generate_series(1, 1 + floor({d.u("p.g", 24)} * {d.u("p.g", 25)} * 3)::int) AS k
                JOIN bench_topic t
                  ON t.idx = floor(power({d.u("p.g * 4 + k", 26)}, 1.6) * {ntopics})::int) t""",
        )

    second = d.pick("g", 28, [(lang, w) for lang, w in REQUEST_LANGUAGES if lang != "nl"])

    def languages(conn):
        run(
            conn,
            f"""INSERT INTO request_languages (request_id, language_code)
            SELECT id, l.code FROM plan
            CROSS JOIN LATERAL (VALUES (language),
                (CASE WHEN {d.u("g", 27)} < CASE WHEN language = 'nl' THEN 0.04 ELSE 0.5 END
                      THEN CASE WHEN language = 'nl' THEN {second} ELSE 'nl' END END)) AS l (code)
            WHERE l.code IS NOT NULL""",
        )

    both(job(residents, topics), job(requests, languages))
    echo("residents, requests, topics, languages", t0)

    # Offers: rounds 20 hours apart (24 for requests that ran out of rounds), to distinct volunteers.
    offer_hours = "CASE WHEN p.fate IN ('expired', 'stuck') THEN 24 ELSE 20 END"

    def offers(conn):
        t0 = time.perf_counter()
        run(
            conn,
            f"""INSERT INTO offers (id, request_id, volunteer_id, round, score, status, direct_assignment,
                               created_at, expires_at, responded_at)
           SELECT row_number() OVER (ORDER BY created_at, request_id, k), request_id, volunteer_id, k, score,
                  status, false, created_at, created_at + interval '24 hours',
                  CASE WHEN status IN ('accepted', 'declined') THEN created_at + interval '5 hours' END
           FROM (
            SELECT request_id, k, created_at, volunteer_id,
                   CASE WHEN fate = 'cancelled_early' THEN CASE WHEN status = 'cancelled' THEN 'withdrawn'
                                                               ELSE 'pending' END
                        WHEN fate IN ('expired', 'stuck') OR k < offers THEN
                             CASE WHEN :now < created_at + interval '24 hours' THEN 'pending'
                                  WHEN {d.u("g * 4 + k", 50)} < 0.4 THEN 'declined' ELSE 'expired' END
                        WHEN :now >= t_matched THEN 'accepted' ELSE 'pending' END AS status,
                   50 + 50 * {d.u("g * 4 + k", 51)} AS score
            FROM (SELECT p.id AS request_id, p.g, k, p.fate, p.status, p.offers, p.t_matched, v.volunteer_id,
                         p.t_offer + {seconds(f"(k - 1) * {offer_hours} * {HOUR}")} AS created_at
                  FROM plan p
                  CROSS JOIN LATERAL generate_series(1, p.offers) AS k
                  JOIN bench_net n ON n.network_id = p.network_id
                  JOIN bench_vol v ON v.network_id = p.network_id
                                  AND v.idx = (floor(p.u_volunteer * n.volunteers)::int + k - 1) %
                                      n.volunteers) o
            WHERE created_at <= :now) o
           ORDER BY created_at, request_id, k""",
            **params,
        )
        echo(f"{conn.execute(sa.text('SELECT count(*) FROM offers')).scalar()} offers", t0)

    # Sessions with the accepted volunteer; statuses follow the request's fate and the clock.
    mix = d.pick("p.g * 4 + i", 52, SESSION_MIX)

    def sessions(conn):
        t0 = time.perf_counter()
        run(
            conn,
            f"""CREATE UNLOGGED TABLE bench_session AS
            SELECT row_number() OVER (ORDER BY created_at, request_id, i) AS id, * FROM (
            SELECT p.id AS request_id, i, p.fate, p.g, p.sessions_now,
                   p.first_start + {seconds("(i - 1) * p.d_spacing")} AS starts_at,
                   CASE WHEN i = 1 THEN p.t_planned ELSE p.first_start + {seconds("(i - 2) * p.d_spacing")}
                       END
                       AS created_at,
                   v.volunteer_id, p.mode, n.location_id,
                   CASE WHEN p.fate = 'cancelled_late' THEN
                            CASE WHEN p.status = 'cancelled' THEN 'cancelled' ELSE 'planned' END
                        WHEN p.first_start + {seconds("(i - 1) * p.d_spacing")} > :now THEN 'planned'
                        WHEN i = p.sessions AND p.fate = 'completed' THEN 'done'
                        WHEN i = p.sessions AND p.fate = 'unresolved' THEN
                             CASE WHEN {d.u("p.g * 4 + i", 53)} < 0.7 THEN 'done' ELSE 'resident_no_show' END
                        WHEN :now < p.first_start + {seconds("(i - 1) * p.d_spacing")} + interval '1 day'
                             AND {d.u("p.g * 4 + i", 54)} < 0.5 THEN 'planned'
                        ELSE {mix} END AS status,
                   45 + 75 * {d.u("p.g * 4 + i", 55)} AS minutes
            FROM plan p
            CROSS JOIN LATERAL generate_series(1, p.sessions_now) AS i
            JOIN bench_net n ON n.network_id = p.network_id
            JOIN bench_vol v ON v.network_id = p.network_id
                            AND v.idx = (floor(p.u_volunteer * n.volunteers)::int + p.offers - 1) %
                                n.volunteers) s
            ORDER BY id""",
            **params,
        )
        run(
            conn,
            """INSERT INTO help_sessions (id, request_id, volunteer_id, starts_at, ends_at, place_kind,
                                      location_id, status, cancel_reason, created_at)
           SELECT id, request_id, volunteer_id, starts_at, starts_at + minutes * interval '1 minute', mode,
                  CASE WHEN mode = 'location' THEN location_id END, status,
                  CASE WHEN status = 'cancelled' THEN 'Afgezegd door de inwoner' END, created_at
           FROM bench_session""",
        )
        echo(f"{conn.execute(sa.text('SELECT count(*) FROM help_sessions')).scalar()} sessions", t0)

    result = d.pick("s.g * 4 + s.i", 56, RESULTS)
    referral = d.pick("s.g * 4 + s.i", 57, REFERRALS)
    satisfaction = d.pick("g", 65, SATISFACTION)

    def outcomes(conn):
        t0 = time.perf_counter()
        run(
            conn,
            f"""CREATE UNLOGGED TABLE bench_outcome AS
            SELECT s.id, s.request_id, r.result,
                   CASE WHEN r.result = 'referred' THEN {referral} END AS referred_to,
                   LEAST(1440, round(s.minutes + 10 * {d.u("s.g * 4 + s.i", 58)}))::int AS minutes_spent,
                   CASE WHEN r.answered THEN r.before END AS confidence_before,
                   CASE WHEN r.answered THEN LEAST(5, GREATEST(1, r.before - 1 + floor(4 *
                       {d.u("s.g * 4 + s.i", 59)})::int)) END AS confidence_after,
                   {d.u("s.g * 4 + s.i", 60)} < 0.12 AS follow_up_needed, r.recorded_at
            FROM bench_session s
            CROSS JOIN LATERAL (SELECT
                CASE WHEN s.fate = 'unresolved' AND s.i = s.sessions_now THEN 'not_solved' ELSE {result} END
                    AS result,
                {d.u("s.g * 4 + s.i", 61)} < 0.7 AS answered,
                1 + floor(4 * {d.u("s.g * 4 + s.i", 62)})::int AS before,
                s.starts_at + s.minutes * interval '1 minute'
                    + {seconds(d.exp("s.g * 4 + s.i", 63, 8 * HOUR))} AS recorded_at) r
            WHERE s.status = 'done' AND r.recorded_at <= :now AND {d.u("s.g * 4 + s.i", 64)} < 0.96
            ORDER BY r.recorded_at""",
            **params,
        )
        run(
            conn,
            """INSERT INTO outcomes (id, session_id, result, referred_to, minutes_spent, confidence_before,
                                 confidence_after, follow_up_needed, recorded_at)
           SELECT id, id, result, referred_to, minutes_spent, confidence_before, confidence_after,
                  follow_up_needed, recorded_at
           FROM bench_outcome""",
        )
        run(
            conn,
            f"""INSERT INTO feedback (id, request_id, channel, satisfaction, created_at)
            SELECT row_number() OVER (ORDER BY at, id), id, channel, satisfaction, at FROM (
                SELECT id, {d.pick("g", 66, FEEDBACK_CHANNELS)} AS channel, {satisfaction} AS satisfaction,
                       t_closed + {seconds(d.exp("g", 67, 3 * DAY))} AS at
                FROM plan WHERE status IN ('completed', 'unresolved') AND u_feedback < 0.3) f
            WHERE at <= :now ORDER BY at, id""",
            **params,
        )
        echo(
            f"{conn.execute(sa.text('SELECT count(*) FROM outcomes')).scalar()} outcomes, "
            f"{conn.execute(sa.text('SELECT count(*) FROM feedback')).scalar()} feedback",
            t0,
        )

    both(job(offers), job(sessions, outcomes))

    # The event log, in time order: status changes, offers, planned sessions and outcomes. Meanwhile the
    # indexes of the other tables are built.
    def events(conn):
        t0 = time.perf_counter()
        run(
            conn,
            """INSERT INTO request_events (id, request_id, at, kind, from_status, to_status)
           SELECT row_number() OVER (ORDER BY at, request_id, kind), request_id, at, kind, from_status,
                  to_status
           FROM (
           SELECT id AS request_id, created_at AS at, 'created' AS kind, NULL AS from_status,
                  'new' AS to_status
               FROM plan
           UNION ALL SELECT id, t_matching, 'status', 'new', 'matching' FROM plan WHERE t_matching <= :now
           UNION ALL SELECT id, t_offer, 'status', 'matching', 'offered' FROM plan WHERE t_offer <= :now
           UNION ALL SELECT request_id, created_at, 'offer', NULL, NULL FROM offers
           UNION ALL SELECT id, t_escalated, 'status', 'offered', 'escalated' FROM plan WHERE t_escalated <=
               :now
           UNION ALL SELECT id, t_matched, 'status', 'offered', 'matched' FROM plan WHERE t_matched <= :now
           UNION ALL SELECT request_id, created_at, 'session_planned', NULL, NULL FROM bench_session
           UNION ALL SELECT id, t_planned, 'status', 'matched', 'scheduled' FROM plan
               WHERE sessions_now > 0 AND t_planned <= :now
           UNION ALL SELECT request_id, recorded_at, 'outcome', NULL, NULL FROM bench_outcome
           UNION ALL SELECT id, t_closed, 'status',
                            CASE WHEN status = 'expired' THEN 'escalated' WHEN fate = 'cancelled_early' THEN
                                'offered'
                                 WHEN sessions_now > 0 THEN 'scheduled' ELSE 'matched' END, status
               FROM plan WHERE status IN ('completed', 'unresolved', 'cancelled', 'expired')) e
           ORDER BY at, request_id, kind""",
            **params,
        )
        echo(f"{conn.execute(sa.text('SELECT count(*) FROM request_events')).scalar()} request events", t0)

    def build(definitions):
        def go(conn):
            t0 = time.perf_counter()
            for definition in definitions:
                run(conn, definition)
            echo(f"{len(definitions)} indexes built", t0)

        return go

    of_events = [definition for _name, definition in indexes if " ON public.request_events " in definition]
    others = [definition for _name, definition in indexes if definition not in of_events]
    both(job(events), job(build(others)))
    if of_events:
        both(*(job(build([definition])) for definition in of_events))
    for table in (
        "residents",
        "help_requests",
        "offers",
        "help_sessions",
        "outcomes",
        "feedback",
        "request_events",
    ):
        run(conn, f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    for table in (
        "plan",
        "bench_session",
        "bench_outcome",
        "bench_pc",
        "bench_vol",
        "bench_net",
        "bench_topic",
    ):
        run(conn, f"DROP TABLE {table}")
    conn.commit()
    tables = (
        conn.execute(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        )
        .scalars()
        .all()
    )
    conn.close()

    # VACUUM ANALYZE, the event log on one connection and every other table on the other.
    t0 = time.perf_counter()

    def vacuum(names):
        def go():
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                run(conn, "VACUUM ANALYZE " + ", ".join(f'"{name}"' for name in names))

        return go

    both(vacuum(["request_events"]), vacuum([name for name in tables if name != "request_events"]))
    # write the loaded pages out now rather than during the measurements (needs superuser)
    with (
        engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn,
        contextlib.suppress(sa.exc.DBAPIError),
    ):
        run(conn, "CHECKPOINT")
    echo("VACUUM ANALYZE, CHECKPOINT", t0)


def spread_volunteers(conn, sa, draws: Draws, now) -> None:
    """Volunteers applied over the last five years; those who left did so in the last three."""
    d = draws
    conn.execute(
        sa.text(f"""
        UPDATE volunteer_profiles SET
            created_at = CAST(:now AS timestamp) - {seconds(f"{d.u('id', 70)} * 5 * {YEAR_SECONDS}")},
            status_changed_at = CASE WHEN status = 'left'
                THEN CAST(:now AS timestamp) - {seconds(f"{d.u('id', 71)} * 3 * {YEAR_SECONDS}")}
                ELSE CAST(:now AS timestamp) - {seconds(f"{d.u('id', 70)} * 5 * {YEAR_SECONDS}")} END"""),
        {"now": now},
    )
    conn.execute(
        sa.text(
            "UPDATE volunteer_profiles SET created_at = status_changed_at - interval '30 days' "
            "WHERE status_changed_at < created_at"
        )
    )
    conn.commit()


def login(client, email):
    page = client.get("/login")
    token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"log-in of {email} failed ({response.status_code})"


def measure(client, url, warmup, loads, budget_seconds=None, min_loads=10):
    """p50 and p95 in ms over `loads` full page loads after `warmup` ones; a page that takes longer than
    `budget_seconds` in all stops after `min_loads` loads (its p95 is then close to its maximum)."""
    for _ in range(warmup):
        t0 = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        if budget_seconds and time.perf_counter() - t0 > budget_seconds / 20:
            break  # a slow page: one warm-up is enough
    times = []
    started = time.perf_counter()
    while len(times) < loads:
        t0 = time.perf_counter()
        response = client.get(url)
        body = response.get_data()
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200 and body, f"{url}: {response.status_code}"
        if budget_seconds and len(times) >= min_loads and time.perf_counter() - started > budget_seconds:
            break
    return percentile(times, 50), percentile(times, 95), len(body), len(times)


def generate(app, args) -> float:
    """The schema, the reference data and the synthetic history, then VACUUM ANALYZE. Returns the seconds."""
    import sqlalchemy as sa

    from digibuddy.core.db import utcnow
    from digibuddy.extensions import db

    started = time.perf_counter()
    synthetic.build_schema(app)
    draws = Draws(args.seed)

    def echo(what, t0):
        print(f"  {what} ({time.perf_counter() - t0:.1f} s)", flush=True)

    rnd = random.Random(args.seed)
    with app.app_context():
        now = utcnow().replace(microsecond=0)
        t0 = time.perf_counter()
        municipalities, _postcodes, network_of, _topic_ids = synthetic.flemish_volunteers(
            db, rnd, args.volunteers, PASSWORD
        )
        db.session.remove()
        with db.engine.connect() as conn:
            spread_volunteers(conn, sa, draws, now)
        echo(
            f"{len(set(network_of.values()))} networks over {len(municipalities)} municipalities, "
            f"{args.volunteers} volunteers",
            t0,
        )
        # Connections of their own, so the bulk-load settings never reach the pages measured afterwards.
        engine = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
        generate_history(engine, sa, draws, now, args.sessions, echo)
        engine.dispose()
        db.session.remove()
    seconds_taken = time.perf_counter() - started
    save_generation(app, args, now, seconds_taken)
    return seconds_taken


def describe(app, generation):
    """Prints the data sizes; returns the typical network (the median by requests of the last 12 months) and
    the largest one, and gives each a coordinator (and the whole network an administrator) unless they
    exist."""
    import sqlalchemy as sa

    from digibuddy.accounts.models import Membership, Role, User
    from digibuddy.core.db import utcnow
    from digibuddy.extensions import db

    with app.app_context():
        now = utcnow()
        since = now - timedelta(days=365)
        counts = db.session.execute(
            sa.text(
                "SELECT network_id, count(*) FROM help_requests WHERE created_at >= :since GROUP BY "
                "network_id ORDER BY count(*), network_id"
            ),
            {"since": since},
        ).all()
        typical, typical_count = counts[len(counts) // 2]
        largest, largest_count = counts[-1]
        sizes = {
            table: db.session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
            for table in (
                "local_networks",
                "volunteer_profiles",
                "residents",
                "help_requests",
                "request_topics",
                "request_languages",
                "offers",
                "request_events",
                "help_sessions",
                "outcomes",
                "feedback",
            )
        }
        in_range = db.session.execute(
            sa.text("SELECT count(*) FROM help_sessions WHERE starts_at >= :since AND starts_at < :now"),
            {"since": since, "now": now},
        ).scalar()
        statuses = db.session.execute(
            sa.text("SELECT status, count(*) FROM help_requests GROUP BY status ORDER BY count(*) DESC")
        ).all()
        if db.session.scalar(sa.select(User.id).where(User.email == "admin@bench.example")) is None:
            synthetic.create_staff(db, typical, PASSWORD)
            coordinator = User(
                email="coordinator-largest@bench.example", name="Coördinator Groot", locale="nl"
            )
            coordinator.set_password(PASSWORD)
            db.session.add(coordinator)
            db.session.flush()
            db.session.add(Membership(user_id=coordinator.id, network_id=largest, role=Role.COORDINATOR))
            db.session.commit()
        db.session.remove()
    generated = f"; generated in {generation:.0f} s" if generation is not None else ""
    print(
        f"data: {sizes['local_networks']} networks, {sizes['volunteer_profiles']:,} volunteers, "
        f"{sizes['help_sessions']:,} sessions ({in_range:,} started in the last 12 months), "
        f"{sizes['help_requests']:,} requests, {sizes['residents']:,} residents, {sizes['offers']:,} offers, "
        f"{sizes['request_events']:,} request events, {sizes['outcomes']:,} outcomes, "
        f"{sizes['feedback']:,} feedback, {sizes['request_topics']:,} request topics, "
        f"{sizes['request_languages']:,} request languages{generated}"
    )
    print("requests by status: " + ", ".join(f"{s} {n:,}" for s, n in statuses))
    print(
        f"typical network #{typical}: {typical_count:,} requests in the last 12 months; "
        f"largest #{largest}: {largest_count:,}"
    )
    return typical


def measure_pages(app, args, typical):
    """Every page, logged in as its user; returns [(page, p50, p95, target p95 or None)] in ms."""
    from digibuddy.core.db import utcnow
    from digibuddy.core.time import to_local
    from digibuddy.extensions import db
    from digibuddy.reports import stats

    today = to_local(utcnow()).date()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    month = f"from={last_month_end.replace(day=1).isoformat()}&to={last_month_end.isoformat()}"
    three_years = f"from={(today - timedelta(days=3 * 365)).isoformat()}&to={today.isoformat()}"
    coordinator, largest, admin = (
        "coordinator@bench.example",
        "coordinator-largest@bench.example",
        "admin@bench.example",
    )
    default = stats.default_range(today)
    month_range = stats.DateRange(last_month_end.replace(day=1), last_month_end)
    three_years_range = stats.DateRange(today - timedelta(days=3 * 365), today)
    pages = [
        (
            coordinator,
            "local dashboard, typical network, last 12 months (default)",
            "/reports/local",
            args.target,
            None,
        ),
        (coordinator, "local dashboard, typical network, last month", f"/reports/local?{month}", False, None),
        (
            coordinator,
            "local dashboard, typical network, 3 years",
            f"/reports/local?{three_years}",
            False,
            None,
        ),
        (coordinator, "yearly report, typical network", "/reports/yearly", False, None),
        (
            largest,
            "local dashboard, largest network, last 12 months (default)",
            "/reports/local",
            False,
            None,
        ),
        (
            admin,
            "network dashboard, last 12 months (default)",
            "/reports/network",
            NETWORK_TARGET_MS,
            default,
        ),
        (admin, "network dashboard, last month", f"/reports/network?{month}", False, month_range),
        (admin, "network dashboard, 3 years", f"/reports/network?{three_years}", False, three_years_range),
        (
            admin,
            f"yearly report (central view) of network #{typical}",
            f"/reports/yearly?network={typical}",
            False,
            None,
        ),
    ]
    clients = {}
    results = []
    if args.only:
        pages = [page for page in pages if any(word in page[1] for word in args.only)]
    for email, what, page_url, target, _network_range in pages:
        if email not in clients:
            clients[email] = app.test_client()
            login(clients[email], email)
        p50, p95, size, loads = measure(
            clients[email], page_url, args.warmup, args.loads, args.budget, args.min_loads
        )
        verdict = ""
        if target:
            met = "met" if p95 <= target else "NOT met"
            verdict = f"; target p95 <= {target:.0f} ms: {met} ({p95 / target:.2f}x the target)"
        results.append((what, p50, p95, target or None))
        print(
            f"{what}: p50 {p50:.0f} ms, p95 {p95:.0f} ms over {loads} loads ({size // 1024} KiB){verdict}",
            flush=True,
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def local_target(sessions: int) -> float:
    """The local dashboard's p95 target in ms: 150 up to 1,000,000 sessions, 300 beyond (up to 10,000,000)."""
    return LOCAL_TARGET_MS if sessions <= 1_000_000 else LOCAL_TARGET_10M_MS


def kept_name(sessions: int, seed: int) -> str:
    return f"digibuddy_dashboard_{sessions}_{seed}"


def save_generation(app, args, now, seconds_taken) -> None:
    """What the database was generated with, for a later --reuse (in a table of its own, not the app's)."""
    import sqlalchemy as sa

    from digibuddy.extensions import db

    with app.app_context(), db.engine.begin() as conn:
        conn.execute(
            sa.text(f"""CREATE TABLE {GENERATION_TABLE} (seed int, sessions bigint, volunteers int,
                        generated_at timestamp, seconds float8)""")
        )
        conn.execute(
            sa.text(f"INSERT INTO {GENERATION_TABLE} VALUES (:seed, :sessions, :volunteers, :now, :seconds)"),
            {
                "seed": args.seed,
                "sessions": args.sessions,
                "volunteers": args.volunteers,
                "now": now,
                "seconds": seconds_taken,
            },
        )


def load_generation(app):
    """(seed, sessions, volunteers, generated_at, seconds) of a database generated here, else None."""
    import sqlalchemy as sa

    from digibuddy.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        if not sa.inspect(conn).has_table(GENERATION_TABLE):
            return None
        return conn.execute(sa.text(f"SELECT * FROM {GENERATION_TABLE}")).one()


def prepare_reused(app, url):
    """A kept database, brought up to the current schema (migrations added since it was generated)."""
    from flask_migrate import upgrade

    generation = load_generation(app)
    if generation is None:
        raise SystemExit(f"{url} was not generated by this benchmark (no {GENERATION_TABLE} table)")
    seed, sessions, volunteers, generated_at, seconds_taken = generation
    print(
        f"reusing the database generated at {generated_at:%Y-%m-%d %H:%M} UTC in {seconds_taken:.0f} s "
        f"(seed {seed}, {sessions:,} sessions, {volunteers:,} volunteers)",
        flush=True,
    )
    t0 = time.perf_counter()
    with app.app_context():
        upgrade()
    print(f"schema up to date ({time.perf_counter() - t0:.1f} s)", flush=True)
    return sessions


def rebuild_rollups(app) -> float:
    """Every roll-up computed again from the raw rows (`flask reports rebuild-rollups`), then VACUUM ANALYZE
    for the roll-up tables' statistics; prints and returns the seconds of the rebuild."""
    import sqlalchemy as sa

    from digibuddy.extensions import db
    from digibuddy.reports import rollups

    with app.app_context():
        t0 = time.perf_counter()
        rollups.rebuild()
        seconds_taken = time.perf_counter() - t0
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
        db.engine.dispose()
    print(f"roll-ups rebuilt from the raw rows in {seconds_taken:.1f} s", flush=True)
    return seconds_taken


def run(url, args, reuse=False):
    """Generates (or reuses) the data on `url`, rebuilds the roll-ups and measures the pages; returns
    (sessions, seconds of the rebuild or None, the pages' figures)."""
    app = synthetic.make_app(url)
    if reuse:
        args.sessions = prepare_reused(app, url)
        generation = None
    else:
        generation = generate(app, args)
    rebuild = None if args.skip_rebuild else rebuild_rollups(app)
    args.target = local_target(args.sessions)
    typical = describe(app, generation)
    return args.sessions, rebuild, measure_pages(app, args, typical)


def summary(runs) -> None:
    """Every size side by side: the rebuild, each page's p95 and its target; then the targets missed."""
    sizes = [f"{sessions:,} sessions" for sessions, _rebuild, _results in runs]
    pages = list(dict.fromkeys(what for _s, _r, results in runs for what, *_ in results))
    width = max(len(what) for what in pages + ["roll-up rebuild"])
    print("\nsummary, p95 in ms (target in brackets)")
    print(" " * width + "".join(f"  {size:>22}" for size in sizes))
    rebuilds = [f"{rebuild:.0f} s" if rebuild is not None else "-" for _s, rebuild, _r in runs]
    print("roll-up rebuild".ljust(width) + "".join(f"  {cell:>22}" for cell in rebuilds))
    missed = []
    for what in pages:
        cells = []
        for sessions, _rebuild, results in runs:
            found = [(p95, target) for page, _p50, p95, target in results if page == what]
            if not found:
                cells.append("-")
                continue
            p95, target = found[0]
            cells.append(f"{p95:.0f}" + (f" ({target:.0f})" if target else ""))
            if target and p95 > target:
                missed.append(f"{what} ({sessions:,} sessions): {p95:.0f} ms, {p95 / target:.2f}x the target")
        print(what.ljust(width) + "".join(f"  {cell:>22}" for cell in cells))
    if missed:
        print("target not met: " + "; ".join(missed))


def run_size(sessions: int, args):
    """One size: on the kept database of that size with --reuse (generated first when there is none yet),
    else on a new one, dropped at the end unless --keep."""
    args.sessions = sessions
    if args.volunteers_given is None:
        args.volunteers = max(20_000, sessions // 100)
    else:
        args.volunteers = args.volunteers_given
    name = kept_name(sessions, args.seed) if args.keep or args.reuse else None
    print(f"== {sessions:,} sessions ==", flush=True)
    try:
        existing = synthetic.existing_postgresql_database(name) if name else None
        if existing and args.reuse:
            return run(existing[0], args, reuse=True)
        if existing:
            print(f"replacing the kept database {name}")
            existing[1]()
        url, drop = synthetic.postgresql_database(name)
    except Exception as error:  # noqa: BLE001
        raise SystemExit(
            f"This benchmark needs PostgreSQL on 127.0.0.1:5432 or BENCH_POSTGRES_URL ({error})"
        ) from error
    try:
        return run(url, args)
    finally:
        if name:
            print(f"database kept: {url} (measure it again with --reuse --sessions {sessions})")
        else:
            drop()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--sessions",
        type=int,
        nargs="+",
        default=list(SIZES),
        help="the sizes to measure, one after the other (default: 1000000 10000000)",
    )
    parser.add_argument(
        "--volunteers",
        type=int,
        dest="volunteers_given",
        help="volunteers (default: 20,000, or one per 100 sessions when that is more)",
    )
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--loads", type=int, default=30)
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="seconds of loads per page; a slower page stops after --min-loads loads",
    )
    parser.add_argument("--min-loads", type=int, default=10)
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="WORDS",
        help='measure only the pages whose description contains one of these, e.g. "(default)"',
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep each database, named after its size and seed, instead of dropping it",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure on the database of each size kept by an earlier --keep (generated and kept when there "
        "is none yet); it is brought up to the current schema first",
    )
    parser.add_argument(
        "--skip-rebuild",
        action="store_true",
        help="measure the roll-ups as they are (with --reuse: as the migrations left them) instead of "
        "rebuilding them from the raw rows first",
    )
    parser.add_argument(
        "--measure-only",
        metavar="URL",
        help="measure the pages again on the database at URL, kept by an earlier --keep",
    )
    args = parser.parse_args()
    if args.measure_only:
        runs = [run(args.measure_only, args, reuse=True)]
    else:
        runs = [run_size(sessions, args) for sessions in args.sessions]
    summary(runs)


if __name__ == "__main__":
    main()
