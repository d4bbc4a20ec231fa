"""Page benchmark: `make benchmark-pages` (or `python benchmarks/pages.py`).

Serves digibuddy with gunicorn (gunicorn.conf.py, 2 sync workers by default) on a fresh database with the demo
data (SQLite; --postgres for a fresh PostgreSQL database on 127.0.0.1:5432) or, with --flemish (`make
benchmark-pages-flemish`), on a fresh PostgreSQL database with the matching benchmark's Flemish-scale data
(benchmarks/synthetic.py: 20,000 volunteers, 30,000 requests over a year, logged in as a coordinator of the
network holding most requests and as one of its digibuddies), and beside it, under the same
gunicorn settings, a bare Flask app rendering a small Jinja template (benchmarks/bare_app.py). Then loads each
key page with --clients concurrent clients for --seconds seconds and prints requests per second, p50, p95 and
p99, and each page's throughput as a share of the bare app's:

  public pages (home, request form, status look-up, become a digibuddy): target >= 50 % of bare;
  staff pages (coordinator home, request queue, request detail, matching suggestions, local dashboard,
  volunteer home), logged in: target >= 25 % of bare and p95 < 100 ms.

It also times the first load of each key page in a new gunicorn worker (forked from the warmed-up master,
as after --max-requests) against its warm load (target: at most 200 ms slower). The load average (`uptime`)
is printed before and after: the figures are only comparable on an otherwise quiet machine. It takes about
--seconds x 11 plus a minute and a half."""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import synthetic  # noqa: E402

DEMO_PASSWORD = "demo-digibuddy-2026"
COORDINATOR = "coordinator@gent.digibuddy.demo"
VOLUNTEER = "digibuddy@gent.digibuddy.demo"
USER_AGENT = "digibuddy-benchmark"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PUBLIC_TARGET, STAFF_TARGET, STAFF_P95_MS = 0.50, 0.25, 100.0
FIRST_LOAD_TARGET_MS = 200.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


class Client:
    """An HTTP client with its own cookies; a new connection per request (sync workers close each one)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"User-Agent": USER_AGENT, "Accept-Language": "nl"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
            for header, value in answer.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return answer.status, text
        finally:
            connection.close()

    def log_in(self, email: str) -> None:
        _status, page = self.request("GET", "/login")
        token = CSRF_RE.search(page).group(1)
        status, page = self.request(
            "POST", "/login", {"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
        )
        if status != 302:
            raise SystemExit(f"could not log in as {email}: {status}\n{page[:500]}")


def measure(port: int, path: str, clients: int, seconds: float, login: str | None) -> dict:
    """`clients` threads load `path` for `seconds`; every answer must be 200."""
    sessions = []
    for _ in range(clients):
        client = Client(port)
        if login:
            client.log_in(login)
        sessions.append(client)
    for client in sessions:  # one load each before timing (a worker's caches are not what is measured)
        client.request("GET", path)
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def run(client: Client) -> None:
        mine, bad = [], []
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            status, _ = client.request("GET", path)
            mine.append(time.perf_counter() - started)
            if status != 200:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(client,)) for client in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{path}: {len(errors)} answers were not 200 (e.g. {errors[0]})")
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "count": len(latencies),
    }


def prepare_database(postgres: bool) -> tuple[str, callable]:
    """A fresh database with the migrations, the reference data and the demo data."""
    from digibuddy.demo.seed import seed_demo
    from digibuddy.extensions import db

    if postgres:
        url, drop = synthetic.postgresql_database()
    else:
        folder = tempfile.mkdtemp(prefix="digibuddy-pages-")
        url = f"sqlite:///{folder}/pages.sqlite"

        def drop():
            shutil.rmtree(folder, ignore_errors=True)

    app = synthetic.make_app(url)
    synthetic.build_schema(app)
    with app.app_context():
        db.session.commit()
        seed_demo(echo=lambda *args, **kwargs: None)
        db.session.remove()
        db.engine.dispose()
    return url, drop


# Where the Flemish-scale requests stand: most of a year's requests are closed, the rest wait or are
# being matched (the queue lists them all, oldest first; its filters narrow them).
FLEMISH_STATUSES = [
    ("completed", 0.55),
    ("cancelled", 0.08),
    ("unresolved", 0.04),
    ("expired", 0.03),
    ("new", 0.18),
    ("matching", 0.07),
    ("escalated", 0.05),
]


def active_volunteer(network_id: int) -> str:
    """The e-mail address of the network's first active digibuddy (the volunteer home is loaded as them)."""
    import sqlalchemy as sa

    from digibuddy.accounts.models import Membership, Role, User
    from digibuddy.extensions import db
    from digibuddy.volunteers.models import VolunteerProfile

    return db.session.scalar(
        sa.select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(
            Membership.network_id == network_id,
            Membership.role == Role.VOLUNTEER,
            VolunteerProfile.status == "active",
        )
        .order_by(User.id)
    )


def prepare_flemish(volunteers: int, requests: int, seed: int) -> tuple[str, callable, dict]:
    """A fresh PostgreSQL database with the matching benchmark's Flemish-scale data (benchmarks/synthetic.py:
    `volunteers` volunteers over the 285 Flemish municipalities, `requests` requests routed to the network
    covering the resident), a coordinator of the network holding most requests and one of that network's
    active digibuddies to log in as. Returns (url, drop, who)."""
    import random

    import sqlalchemy as sa

    from digibuddy.extensions import db
    from digibuddy.reports import rollups
    from digibuddy.requests.models import HelpRequest

    url, drop = synthetic.postgresql_database()
    app = synthetic.make_app(url)
    synthetic.build_schema(app)
    rnd = random.Random(seed)
    started = time.perf_counter()
    with app.app_context():
        _municipalities, postcodes, network_of, topic_ids = synthetic.flemish_volunteers(
            db, rnd, volunteers, DEMO_PASSWORD
        )
        ids = synthetic.insert_requests(db, rnd, requests, postcodes, network_of, topic_ids)
        # Spread the requests over the last year (the generator files them a minute apart) and over the
        # statuses a year of work leaves behind.
        by_status: dict[str, list[int]] = {}
        for request_id in ids:
            by_status.setdefault(synthetic.pick(rnd, FLEMISH_STATUSES), []).append(request_id)
        days_ago = sa.func.make_interval(0, 0, 0, sa.cast(HelpRequest.id * 365 // len(ids), sa.Integer))
        for status, chosen in by_status.items():
            for start in range(0, len(chosen), 5000):
                db.session.execute(
                    sa.update(HelpRequest)
                    .where(HelpRequest.id.in_(chosen[start : start + 5000]))
                    .values(status=status, created_at=HelpRequest.created_at - days_ago)
                )
        db.session.commit()
        network_id, count = db.session.execute(
            sa.select(HelpRequest.network_id, sa.func.count())
            .group_by(HelpRequest.network_id)
            .order_by(sa.func.count().desc(), HelpRequest.network_id)
        ).first()
        coordinator, _admin = synthetic.create_staff(db, network_id, DEMO_PASSWORD)
        volunteer = active_volunteer(network_id)
        # The bulk inserts went around the writers that keep the dashboards' roll-ups: compute them once.
        rollups.rebuild()
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))  # as autovacuum would on a live database
        db.engine.dispose()
    print(
        f"data: {len(set(network_of.values()))} networks, {volunteers:,} volunteers, {requests:,} requests; "
        f"the coordinator's network holds {count:,} requests "
        f"({time.perf_counter() - started:.0f} s to generate)",
        flush=True,
    )
    return url, drop, {"coordinator": coordinator, "volunteer": volunteer}


def open_request(url: str, coordinator: str) -> int:
    """An open request of the coordinator's network (for its detail and matching suggestions)."""
    from sqlalchemy import select

    from digibuddy.accounts.models import Membership, User
    from digibuddy.extensions import db
    from digibuddy.requests.models import HelpRequest, RequestStatus

    app = synthetic.make_app(url)
    with app.app_context():
        network_id = db.session.scalar(
            select(Membership.network_id)
            .join(User, User.id == Membership.user_id)
            .where(User.email == coordinator)
        )
        open_ = (RequestStatus.NEW, RequestStatus.MATCHING, RequestStatus.ESCALATED, RequestStatus.OFFERED)
        found = db.session.scalar(
            select(HelpRequest.id)
            .where(HelpRequest.network_id == network_id, HelpRequest.status.in_(open_))
            .order_by(HelpRequest.id)
        )
        db.engine.dispose()
    if found is None:
        raise SystemExit("the data holds no open request for the coordinator's network")
    return found


def serve(target: str, env: dict, workers: int, log: Path, probe: str = "/") -> tuple[subprocess.Popen, int]:
    """`target` under gunicorn with `workers` workers, once `probe` answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", target],
        cwd=ROOT,
        env={**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers), "ACCESS_LOG": ""},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{target} did not start:\n{log.read_text()[-3000:]}")
        try:
            if Client(port).request("GET", probe)[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{target} did not answer within 120 s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def worker_of(process: subprocess.Popen) -> int | None:
    """The pid of the gunicorn master's one worker (None while it has none)."""
    found = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    return int(found[0]) if len(found) == 1 else None


def fresh_worker(process: subprocess.Popen, port: int, old: int | None) -> int:
    """Stop the master's worker (`old`), so that it forks a new one from the warmed-up master, as it does
    after --max-requests or a crash; wait until the new one answers /healthz (which renders nothing)."""
    if old is not None:
        os.kill(old, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        worker = worker_of(process)
        if worker is not None and worker != old:
            try:
                if Client(port).request("GET", "/healthz")[0] == 200:
                    return worker
            except OSError:
                pass
        time.sleep(0.1)
    raise SystemExit("gunicorn did not start a new worker within 60 s")


def first_loads(env: dict, log: Path, pages: list) -> list[tuple[str, float, float]]:
    """Each key page as the first page of a new worker (one worker, so the first request is its own; a staff
    page right after its log-in), then the median of the next ten: [(name, first ms, warm ms)]."""
    process, port = serve("wsgi:app", env, 1, log, probe="/healthz")
    found = []
    try:
        worker = worker_of(process)
        for name, path, login, _kind in pages:
            worker = fresh_worker(process, port, worker)
            client = Client(port)
            if login:
                client.log_in(login)
            started = time.perf_counter()
            status, _ = client.request("GET", path)
            first = (time.perf_counter() - started) * 1000
            if status != 200:
                raise SystemExit(f"{path}: the first load answered {status}")
            warm = []
            for _ in range(10):
                started = time.perf_counter()
                client.request("GET", path)
                warm.append((time.perf_counter() - started) * 1000)
            found.append((name, first, statistics.median(warm)))
    finally:
        stop(process)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load time per page (default 5)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL on 127.0.0.1:5432 instead of SQLite"
    )
    parser.add_argument(
        "--flemish",
        action="store_true",
        help="PostgreSQL with the matching benchmark's Flemish-scale data instead of the demo data",
    )
    parser.add_argument("--volunteers", type=int, default=20000, help="with --flemish (default 20,000)")
    parser.add_argument("--requests", type=int, default=30000, help="with --flemish (default 30,000)")
    parser.add_argument("--seed", type=int, default=2026, help="with --flemish (default 2026)")
    args = parser.parse_args()

    print(f"load average before: {load_average()}  ({os.cpu_count()} cores)", flush=True)
    if args.flemish:
        url, drop, who = prepare_flemish(args.volunteers, args.requests, args.seed)
    else:
        url, drop = prepare_database(args.postgres)
        who = {"coordinator": COORDINATOR, "volunteer": VOLUNTEER}
    request_id = open_request(url, who["coordinator"])
    logs = Path(tempfile.mkdtemp(prefix="digibuddy-pages-logs-"))
    env = dict(
        os.environ,
        DATABASE_URL=url,
        SECRET_KEY="benchmark-" + "x" * 40,
        LOGIN_LIMIT="100000 per minute",
        DEV_MESSAGES_PAGE="0",
        PYTHONUNBUFFERED="1",
    )
    pages = [
        ("home", "/", None, "public"),
        ("request form", "/help", None, "public"),
        ("status look-up", "/status", None, "public"),
        ("become a digibuddy", "/volunteers/become", None, "public"),
        ("coordinator home", "/home", who["coordinator"], "staff"),
        ("request queue", "/requests", who["coordinator"], "staff"),
        ("request detail", f"/requests/{request_id}", who["coordinator"], "staff"),
        ("matching suggestions", f"/requests/{request_id}/matching", who["coordinator"], "staff"),
        ("local dashboard", "/reports/local", who["coordinator"], "staff"),
        ("volunteer home", "/home", who["volunteer"], "staff"),
    ]
    try:
        firsts = first_loads(env, logs / "first.log", pages)
        bare_process, bare_port = serve("benchmarks.bare_app:app", env, args.workers, logs / "bare.log")
        try:
            bare = measure(bare_port, "/", args.clients, args.seconds, None)
        finally:
            stop(bare_process)
        process, port = serve("wsgi:app", env, args.workers, logs / "digibuddy.log")
        try:
            results = [
                (name, kind, measure(port, path, args.clients, args.seconds, login))
                for name, path, login, kind in pages
            ]
        finally:
            stop(process)
    finally:
        drop()
        shutil.rmtree(logs, ignore_errors=True)

    if args.flemish:
        data = (
            f"Flemish-scale data ({args.volunteers:,} volunteers, {args.requests:,} requests) on PostgreSQL"
        )
    else:
        data = f"demo data on {'PostgreSQL' if args.postgres else 'SQLite'}"
    print(
        f"\ngunicorn, {args.workers} sync workers, {args.clients} concurrent clients, "
        f"{args.seconds:g} s per page, {data}"
    )
    print(f"{'page':<22} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'of bare':>8}  target")
    row = "{:<22} {:>7.1f} {:>7.1f} {:>7.1f} {:>7.1f} {:>8}  {}"
    print(row.format("bare Flask + Jinja", bare["rps"], bare["p50"], bare["p95"], bare["p99"], "100%", ""))
    failed = []
    for name, kind, found in results:
        share = found["rps"] / bare["rps"]
        if kind == "public":
            ok = share >= PUBLIC_TARGET
            target = f">= {PUBLIC_TARGET:.0%} of bare"
        else:
            ok = share >= STAFF_TARGET and found["p95"] < STAFF_P95_MS
            target = f">= {STAFF_TARGET:.0%} of bare, p95 < {STAFF_P95_MS:.0f} ms"
        if not ok:
            failed.append(name)
        verdict = "ok" if ok else "MISSED"
        print(
            row.format(
                name,
                found["rps"],
                found["p50"],
                found["p95"],
                found["p99"],
                f"{share:.0%}",
                f"{target}: {verdict}",
            )
        )
    print(f"\nfirst load in a new worker (target: at most +{FIRST_LOAD_TARGET_MS:.0f} ms over warm)")
    print(f"{'page':<22} {'first ms':>9} {'warm ms':>8} {'slower':>7}  target")
    for name, first, warm in firsts:
        slower = first - warm
        ok = slower <= FIRST_LOAD_TARGET_MS
        if not ok:
            failed.append(f"{name} (first load)")
        print(f"{name:<22} {first:>9.0f} {warm:>8.0f} {slower:>+7.0f}  {'ok' if ok else 'MISSED'}")
    print(f"load average after: {load_average()}")
    if failed:
        print(f"targets missed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
