"""Where a public page's time goes: `python benchmarks/page_costs.py [--requests 3000]`.

Calls the WSGI application in this process (no server, no sockets, no client), on a fresh SQLite database
with the demo data, warmed up as gunicorn's master does: the bare Flask app of benchmarks/bare_app.py, a
route of digibuddy's that returns one word (what every request costs: the hooks, the session, the
extensions), and each public page as a visitor with a session gets it. Prints the median microseconds of
each, and then the same without the before/after-request hooks. Under gunicorn each request costs the same
server and socket work on top of these figures for every app, so this is the part a page can still cut."""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PUBLIC_PAGES = ("/", "/help", "/status", "/volunteers/become")


def median_us(app, environ: dict, requests: int) -> float:
    def start_response(status, headers, exc_info=None):
        return None

    def once():
        body = app(dict(environ), start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()

    for _ in range(50):
        once()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        once()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="timed requests per page (default 3000)")
    args = parser.parse_args()

    from werkzeug.test import EnvironBuilder

    from benchmarks.bare_app import app as bare
    from benchmarks.pages import load_average, prepare_database
    from digibuddy import create_app
    from digibuddy.warmup import warm_up

    print(f"load average before: {load_average()}", flush=True)
    url, drop = prepare_database(False)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-" + "x" * 40})
        app.add_url_rule("/page-costs-one-word", "page_costs_one_word", lambda: "ok")
        warm_up(app)
        visitor = app.test_client()
        visitor.get("/help")  # a session with a CSRF token, as a browser has after its first form
        headers = {"Accept-Language": "nl", "User-Agent": "digibuddy-benchmark", "Host": "127.0.0.1"}
        cookie = visitor.get_cookie("session")
        with_session = {**headers, "Cookie": f"session={cookie.value}"}

        def environ(path: str, sent: dict) -> dict:
            return EnvironBuilder(path=path, headers=sent).get_environ()

        rows = [("bare Flask + Jinja", median_us(bare, environ("/", headers), args.requests), None)]
        paths = ("/page-costs-one-word", *PUBLIC_PAGES)
        found = {path: median_us(app, environ(path, with_session), args.requests) for path in paths}
        for funcs in (app.before_request_funcs, app.after_request_funcs):
            for scope in funcs:
                funcs[scope] = []
        bare_hooks = {path: median_us(app, environ(path, with_session), args.requests) for path in paths}
        for path in paths:
            name = "digibuddy, one word" if path == "/page-costs-one-word" else path
            rows.append((name, found[path], bare_hooks[path]))
    finally:
        drop()

    print(f"\nin-process WSGI, median of {args.requests} requests, SQLite with the demo data")
    print(f"{'page':<22} {'us':>7} {'no hooks':>9} {'hooks':>7}")
    for name, total, no_hooks in rows:
        if no_hooks is None:
            print(f"{name:<22} {total:>7.0f}")
        else:
            print(f"{name:<22} {total:>7.0f} {no_hooks:>9.0f} {total - no_hooks:>7.0f}")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
