"""Where a staff page's time goes: `python benchmarks/staff_costs.py [--loads 30] [--profile PAGE]`.

Calls the WSGI application in this process (no server, no sockets), warmed up as gunicorn's master does, on
a fresh SQLite database with the demo data (or, with --flemish, a fresh PostgreSQL database with the page
benchmark's Flemish-scale data; --keep NAME keeps it under that name and reuses it the next time), logged in
as the demo coordinator and digibuddy of Gent as benchmarks/pages.py is. Loads each staff page --loads times
and prints the minimum CPU time of this process per load (on SQLite the database's own CPU too, on
PostgreSQL not) and the minimum wall time, beside a logged-in page that shows almost nothing (the password
page), and the wall time of each page's first load in this process (in the order below, right after the
warm-up and the log-ins; benchmarks/pages.py times it in a new gunicorn worker). With --profile PAGE (a name
below, e.g. "request queue") it prints cProfile's largest costs of that page over the loads instead. Minima
are the figures to compare before and after a change on a loaded machine."""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# As benchmarks/pages.py sends them (the session is bound to the browser that logged in).
HEADERS = {"Accept-Language": "nl", "User-Agent": "digibuddy-benchmark"}


def pages_of(request_id: int) -> list[tuple[str, str, str]]:
    """(name, path, who) of each staff page benchmarks/pages.py loads, and the password page."""
    return [
        ("password page", "/account/password", "coordinator"),
        ("coordinator home", "/home", "coordinator"),
        ("request queue", "/requests", "coordinator"),
        ("request detail", f"/requests/{request_id}", "coordinator"),
        ("matching suggestions", f"/requests/{request_id}/matching", "coordinator"),
        ("local dashboard", "/reports/local", "coordinator"),
        ("volunteer home", "/home", "volunteer"),
    ]


def log_in(app, email: str):
    from benchmarks.pages import CSRF_RE, DEMO_PASSWORD

    client = app.test_client()
    page = client.get("/login", headers=HEADERS).get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    form = {"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
    answer = client.post("/login", data=form, headers=HEADERS)
    if answer.status_code != 302:
        raise SystemExit(f"could not log in as {email}: {answer.status_code}")
    return client


def load(client, path: str) -> None:
    answer = client.get(path, headers=HEADERS)
    if answer.status_code != 200:
        raise SystemExit(f"{path} answered {answer.status_code}")


def minima(client, path: str, loads: int) -> tuple[float, float, float]:
    """(first wall ms, min CPU ms, min wall ms) over `loads` loads after the first."""
    started = time.perf_counter()
    load(client, path)
    first = time.perf_counter() - started
    cpu, wall = [], []
    for _ in range(loads):
        started_cpu, started = time.process_time(), time.perf_counter()
        load(client, path)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return first * 1000, min(cpu) * 1000, min(wall) * 1000


def database(args) -> tuple[str, callable, dict]:
    from benchmarks import synthetic
    from benchmarks.pages import COORDINATOR, VOLUNTEER, prepare_database, prepare_flemish

    if not args.flemish:
        url, drop = prepare_database(False)
        return url, drop, {"coordinator": COORDINATOR, "volunteer": VOLUNTEER}
    if args.keep:
        found = synthetic.existing_postgresql_database(args.keep)
        if found is not None:
            url, _drop = found
            return url, lambda: None, flemish_people(url)
    url, drop, who = prepare_flemish(20000, 30000, 2026)
    if args.keep:
        from sqlalchemy import create_engine, text

        name = url.rsplit("/", 1)[1]
        admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{args.keep}"'))
        admin.dispose()
        url = url.rsplit("/", 1)[0] + "/" + args.keep
        return url, lambda: None, who
    return url, drop, who


def flemish_people(url: str) -> dict:
    """The coordinator and digibuddy prepare_flemish chose in a kept database."""
    import sqlalchemy as sa

    from benchmarks import synthetic
    from benchmarks.pages import active_volunteer
    from digibuddy.accounts.models import Membership, User
    from digibuddy.extensions import db

    app = synthetic.make_app(url)
    with app.app_context():
        coordinator = "coordinator@bench.example"
        network_id = db.session.scalar(
            sa.select(Membership.network_id)
            .join(User, User.id == Membership.user_id)
            .where(User.email == coordinator)
        )
        volunteer = active_volunteer(network_id)
        db.engine.dispose()
    return {"coordinator": coordinator, "volunteer": volunteer}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=30, help="timed loads per page (default 30)")
    parser.add_argument("--profile", metavar="PAGE", help="print cProfile's largest costs of this page")
    parser.add_argument("--flemish", action="store_true", help="PostgreSQL with the Flemish-scale data")
    parser.add_argument("--keep", metavar="NAME", help="with --flemish: keep (and reuse) the database NAME")
    parser.add_argument("--only", metavar="PAGE", action="append", help="measure only these pages")
    args = parser.parse_args()

    from benchmarks.pages import load_average, open_request
    from digibuddy import create_app
    from digibuddy.warmup import warm_up

    print(f"load average before: {load_average()}", flush=True)
    url, drop, who = database(args)
    try:
        request_id = open_request(url, who["coordinator"])
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "benchmark-" + "x" * 40,
                "LOGIN_LIMIT": "100000 per minute",
            }
        )
        warm_up(app)
        clients = {role: log_in(app, email) for role, email in who.items()}
        pages = pages_of(request_id)
        if args.profile:
            name, path, role = next(page for page in pages if page[0] == args.profile)
            load(clients[role], path)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.loads):
                load(clients[role], path)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(120)
            stats.sort_stats("tottime").print_stats(30)
            print(f"{name} ({path}), {args.loads} loads:\n{out.getvalue()}")
            return
        print(
            f"\nin process, {args.loads} loads each, "
            f"{'PostgreSQL Flemish' if args.flemish else 'SQLite demo'}"
        )
        print(f"{'page':<22} {'first ms':>9} {'min CPU ms':>11} {'min wall ms':>12}")
        for name, path, role in pages:
            if args.only and name not in args.only:
                continue
            first, cpu, wall = minima(clients[role], path, args.loads)
            print(f"{name:<22} {first:>9.1f} {cpu:>11.1f} {wall:>12.1f}", flush=True)
    finally:
        drop()
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
