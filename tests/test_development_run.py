"""`make run` alone is the whole product in development: it prepares the database with the reference and
demo data, serves the pages and runs the scheduled jobs beside them, and writes e-mail to the log and the
development messages page. A request filed online is matched and offered by the scheduler, and the offer
e-mail can be read on that page, with no other service running."""

import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)
SCALE = "0.05"  # every interval 20 times shorter: matching every 6 s, the outbox every 3 s
STARTUP_SECONDS = 240
MATCHING_SECONDS = 90


class Browser:
    """A user agent with cookies, enough for a form with a CSRF token."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.status, response.read().decode()

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=20) as response:
            return response.status, response.read().decode()


def _wait_for_pages(process: subprocess.Popen, browser: Browser, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make run stopped:\n{log.read_text()[-4000:]}")
        try:
            if browser.get("/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"make run did not serve within {STARTUP_SECONDS} s:\n{log.read_text()[-4000:]}")


def _offer_message_of(database: Path, reference: str) -> int | None:
    """The id of the offer e-mail for the request, once the scheduler made an offer and queued it."""
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT outbox_messages.id FROM outbox_messages"
            " JOIN offers ON outbox_messages.dedupe_key = 'offer-' || offers.id"
            " JOIN help_requests ON help_requests.id = offers.request_id"
            " WHERE help_requests.reference = ? AND outbox_messages.kind = 'offer'",
            (reference,),
        ).fetchone()
    return row[0] if row else None


def test_make_run_matches_a_request_filed_online_and_shows_the_offer_message(tmp_path):
    database = tmp_path / "digibuddy.sqlite"
    port = free_port()
    log = tmp_path / "make-run.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SCHEDULER_SCALE": SCALE,
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("MAIL_SERVER", "MAIL_BACKEND", "SMS_BACKEND", "DIGIBUDDY_ENV", "FLASK_DEBUG"):
        env.pop(name, None)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"VENV={VENV}", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    browser = Browser(port)
    try:
        _wait_for_pages(process, browser, log)
        status, form = browser.get("/help")
        assert status == 200
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        smartphone = re.search(r'name="topics" id="topic-\d+" value="(\d+)"', form).group(1)
        status, confirmation = browser.post(
            "/help",
            [
                ("csrf_token", token),
                ("topics", smartphone),
                ("preferred_mode", "location"),
                ("postcode", "9000"),
                ("languages", "nl"),
                ("time_windows", "0-morning"),
                ("time_windows", "2-afternoon"),
                ("first_name", "Marleen"),
                ("phone", "0470 12 34 56"),
                ("has_no_email", "y"),
                ("consent", "y"),
            ],
        )
        assert status == 200  # after the redirect: the confirmation with the request's code
        with sqlite3.connect(database) as connection:
            reference, filed_status = connection.execute(
                "SELECT reference, status FROM help_requests ORDER BY id DESC LIMIT 1"
            ).fetchone()
        assert filed_status == "new"  # nothing matched it yet: the scheduler will
        assert f"{reference[:4]}-{reference[4:]}" in confirmation

        deadline = time.monotonic() + MATCHING_SECONDS
        message_id = None
        while message_id is None and time.monotonic() < deadline:
            time.sleep(1)
            message_id = _offer_message_of(database, reference)
        assert message_id is not None, f"no offer within {MATCHING_SECONDS} s:\n{log.read_text()[-4000:]}"

        listing = browser.get("/dev/messages")[1]
        assert f"/dev/messages/{message_id}" in listing
        shown = browser.get(f"/dev/messages/{message_id}")[1]
        assert f"{reference[:4]}-{reference[4:]}" in shown  # the offer names the request's code
        assert "/offers/" in shown  # and links to the offer to answer it
        log_text = log.read_text()
        assert "start_matching ran" in log_text and "deliver_outbox ran" in log_text
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
