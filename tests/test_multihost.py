"""Several hosts, proven: two gunicorn instances and two scheduler processes on one fresh PostgreSQL
database and one Redis, as in production behind a load balancer. A bounded working day goes through both
hosts in turn (residents file requests, digibuddies log in, accept offers and plan sessions), then:

- a session cookie made on one host works on the other;
- the log-in limit and the status look-up limit are counted once, in Redis, for both hosts;
- every scheduled job ran once per due time (job_runs), and both schedulers took part;
- no write was lost: every request filed is in the database, each with its own code;
- no message was sent twice.

Skipped when PostgreSQL or Redis does not answer on 127.0.0.1 (CI has both)."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from digibuddy.accounts.models import Role
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.notifications.models import MessageChannel, MessageStatus, OutboxMessage
from digibuddy.reference.loader import load_all
from digibuddy.reference.models import Topic
from digibuddy.requests.models import HelpRequest, RequestStatus
from digibuddy.scheduler.jobs import all_jobs
from digibuddy.scheduler.models import JobRun
from digibuddy.scheduling.models import HelpSession
from digibuddy.volunteers.models import LanguageLevel
from tests.conftest import _create_postgres_database, _postgres_reachable, make_app
from tests.factories import PASSWORD, NetworkFactory, make_user
from tests.matching_helpers import helper
from tests.requests_helpers import online_form
from tests.scheduling_helpers import next_weekday, open_location
from tests.smtp_server import SmtpServer, free_port
from tests.test_production import wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
SECRET_KEY = "multi-host-test-" + "k" * 40  # the same on every host, as in production
LOGIN_LIMIT = 12
STATUS_LOOKUP_LIMIT = 6
RESIDENTS = 10
VOLUNTEERS = 3
SCALE = "0.05"  # every job interval times 0.05: the outbox every 3 s, matching every 6 s
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REFERENCE_RE = re.compile(r'id="reference-code">(?:<bdi dir="ltr">)?([A-Z2-9]{4}-[A-Z2-9]{4})')


def _redis_reachable() -> bool:
    host_port = urllib.parse.urlsplit(REDIS_URL)
    try:
        with socket.create_connection((host_port.hostname, host_port.port or 6379), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.multihost,
    pytest.mark.skipif(not _postgres_reachable(), reason="no PostgreSQL on 127.0.0.1:5432"),
    pytest.mark.skipif(not _redis_reachable(), reason=f"no Redis at {REDIS_URL}"),
]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A browser with its own cookies; the load balancer sends each of its requests to either host."""

    def __init__(self):
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects
        )

    def open(self, url: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as answer:
                return answer.status, answer.read().decode(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def submit(self, form_url: str, data: dict, post_url: str | None = None) -> tuple[int, str, dict]:
        """GET the form (for its CSRF token), POST it; the two may go to different hosts."""
        status, page, _ = self.open(form_url)
        match = CSRF_RE.search(page)
        assert match, f"no form at {form_url} ({status}): {page[:500]}"
        return self.open(post_url or form_url, {**data, "csrf_token": match.group(1)})


class Hosts:
    """Two hosts behind a round-robin load balancer: each `pair()` gives the host that shows a form and the
    other one, which receives it; the receiving host alternates."""

    def __init__(self, bases):
        self.bases = bases
        self.turn = 0

    def pair(self) -> tuple[str, str]:
        self.turn += 1
        return self.bases[(self.turn + 1) % 2], self.bases[self.turn % 2]

    def submit(self, browser: "Browser", path: str, data: dict, post_path: str | None = None):
        shows, receives = self.pair()
        return browser.submit(shows + path, data, post_url=receives + (post_path or path))


def _environment(database_url: str, smtp_port: int, prefix: str) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        LOGIN_LIMIT=f"{LOGIN_LIMIT} per 15 minutes",
        STATUS_LOOKUP_LIMIT=f"{STATUS_LOOKUP_LIMIT} per 15 minutes",
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        DEV_MESSAGES_PAGE="0",
        TWO_FACTOR_REQUIRED="0",
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(processes) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds} s")


@pytest.fixture
def fresh_postgres():
    url, drop = _create_postgres_database()
    app = make_app(url, RATELIMIT_ENABLED=False)
    with app.app_context():
        upgrade()
        load_all()
        db.session.commit()
        yield app, url
        db.session.remove()
        db.engine.dispose()
    drop()


def _network():
    """Gent with a location open on weekdays, a coordinator and digibuddies who cover the form's topics."""
    gent = NetworkFactory(name="Gent", postcodes=["9000"])
    location = open_location(gent)
    coordinator = make_user(Role.COORDINATOR, gent, name="Chris Coördinator")
    topics = db.session.scalars(
        select(Topic.code).where(Topic.active.is_(True)).order_by(Topic.id).limit(2)
    ).all()
    volunteers = [
        helper(gent, topics=topics, languages=(("nl", LanguageLevel.NATIVE),), max_concurrent=RESIDENTS)
        for _ in range(VOLUNTEERS)
    ]
    return gent, location, coordinator, volunteers


def _log_in(browser: Browser, hosts: Hosts, email: str, counter: list) -> None:
    counter.append(email)
    status, page, _ = hosts.submit(browser, "/login", {"email": email, "password": PASSWORD})
    assert status == 302, (status, page[:1000])


def test_two_hosts_and_two_schedulers_share_one_database_and_one_redis(fresh_postgres, tmp_path):
    started = time.monotonic()
    app, url = fresh_postgres
    gent, location, coordinator, volunteers = _network()
    smtp = SmtpServer(free_port()).start()
    env = _environment(url, smtp.port, prefix=f"multihost-{uuid.uuid4().hex[:8]}")
    ports = [free_port(), free_port()]
    web = [
        _start(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            {**env, "PORT": str(port)},
            tmp_path / f"web-{n}.log",
        )
        for n, port in enumerate(ports)
    ]
    schedulers = [
        _start(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "wsgi",
                "scheduler",
                "run",
                "--scale",
                SCALE,
                "--host",
                name,
            ],
            env,
            tmp_path / f"scheduler-{name}.log",
        )
        for name in ("alpha", "beta")
    ]
    logs = lambda: {p.name: p.read_text()[-3000:] for p in tmp_path.glob("*.log")}  # noqa: E731
    hosts = Hosts([f"http://127.0.0.1:{port}" for port in ports])
    logins = []
    timings = {}
    try:
        for base, process in zip(hosts.bases, web, strict=True):
            wait_until_serving(base, process, seconds=90)
        scheduling_from = utcnow()

        # Residents file requests online, through both hosts in turn.
        shown = []
        for n in range(RESIDENTS):
            resident = Browser()
            form = online_form(first_name=f"Bewoner{n}", email=f"bewoner{n}@example.org", has_no_email=None)
            status, page, _ = hosts.submit(resident, "/help", form)
            assert status == 302, (status, page[:2000])
            status, page, _ = resident.open(hosts.pair()[0] + "/help/confirmation")
            assert status == 200, page[:1000]
            shown.append(REFERENCE_RE.search(page).group(1).replace("-", ""))
        timings["requests filed"] = time.monotonic() - started

        # The coordinator's session cookie, made on one host, works on the other.
        office = Browser()
        status, page, _ = office.submit(
            hosts.bases[0] + "/login", {"email": coordinator.email, "password": PASSWORD}
        )
        logins.append(coordinator.email)
        assert status == 302, page[:1000]
        status, page, _ = office.open(hosts.bases[1] + "/home")
        assert status == 200 and "Chris" in page, (status, page[:1000])
        status, page, _ = office.open(hosts.bases[1] + "/requests")
        assert status == 200 and all(f"{code[:4]}-{code[4:]}" in page for code in shown[:5]), page[:2000]

        # The schedulers offer each request to a digibuddy; each accepts and plans a session, host after host.
        def pending_offers():
            return db.session.scalars(select(Offer).where(Offer.status == OfferStatus.PENDING)).all()

        _wait_for(lambda: len(pending_offers()) == RESIDENTS, 60, "an offer for every request")
        timings["offers made"] = time.monotonic() - started
        browsers = {}
        for volunteer in volunteers:
            browsers[volunteer.id] = Browser()
            _log_in(browsers[volunteer.id], hosts, volunteer.user.email, logins)
        for slot, offer in enumerate(sorted(pending_offers(), key=lambda o: o.id)):
            browser = browsers[offer.volunteer_id]
            status, page, _ = hosts.submit(browser, f"/offers/{offer.id}", {}, f"/offers/{offer.id}/accept")
            assert status == 302, (status, page[:1000])
            day = next_weekday(1, weeks_ahead=1 + slot // 3)
            session_form = {
                "date": day.isoformat(),
                "starts": f"{9 + slot % 3:02d}:00",
                "ends": f"{10 + slot % 3:02d}:00",
                "place_kind": "location",
                "location_id": location.id,
            }
            status, page, _ = hosts.submit(
                browser, f"/requests/{offer.request_id}/sessions/new", session_form
            )
            assert status == 302, (status, page[:3000])
        timings["sessions planned"] = time.monotonic() - started

        # Every message reaches the outbox's end: sent, and each only once.
        def outbox_done():
            waiting = db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.channel == MessageChannel.EMAIL)
                .where(OutboxMessage.status.not_in([MessageStatus.SENT, MessageStatus.FAILED]))
            )
            return waiting == 0

        _wait_for(outbox_done, 45, "every e-mail delivered")
        timings["messages delivered"] = time.monotonic() - started

        # The limits hold across both hosts: Redis counts every attempt once, whichever host took it.
        intruder = Browser()
        answers = []
        for _ in range(2 * LOGIN_LIMIT):
            wrong = {"email": "nobody@example.org", "password": "wrong"}
            answers.append(hosts.submit(intruder, "/login", wrong)[0])
            if answers[-1] == 429:
                break
        assert answers[-1] == 429, answers
        assert len(answers) - 1 + len(logins) == LOGIN_LIMIT, (answers, len(logins))
        for base in hosts.bases:  # now refused on both hosts
            assert intruder.submit(base + "/login", {"email": "x@example.org", "password": "y"})[0] == 429

        lookups = Browser()
        right = {"reference": shown[0], "postcode": "9000"}
        found = [lookups.submit(base + "/status", right)[0] for base in hosts.bases]
        assert found == [302, 302]  # the code works on either host
        answers = []
        for _ in range(2 * STATUS_LOOKUP_LIMIT):
            answers.append(
                hosts.submit(lookups, "/status", {"reference": "ZZZZ-ZZZZ", "postcode": "9000"})[0]
            )
            if answers[-1] == 429:
                break
        assert answers[-1] == 429 and len(answers) - 1 + len(found) == STATUS_LOOKUP_LIMIT, answers
        for base in hosts.bases:
            assert lookups.submit(base + "/status", right)[0] == 429
        timings["limits checked"] = time.monotonic() - started

        # The scheduler that won the due times so far stops (a host goes down): the other one takes over.
        db.session.expire_all()
        by_host = dict(db.session.execute(select(JobRun.host, func.count()).group_by(JobRun.host)).all())
        winner = max(by_host, key=by_host.get)
        _stop([schedulers[0 if winner == "alpha" else 1]])
        stopped_at = utcnow()
        other = "beta" if winner == "alpha" else "alpha"
        _wait_for(
            lambda: db.session.scalar(
                select(func.count())
                .select_from(JobRun)
                .where(JobRun.host == other, JobRun.job == "deliver_outbox", JobRun.started_at > stopped_at)
            ),
            30,
            f"{other} delivering the outbox after {winner} stopped",
        )
        timings["failover"] = time.monotonic() - started
    finally:
        _stop(web + schedulers)
        smtp.stop()
    elapsed = time.monotonic() - started
    db.session.expire_all()

    # No write lost: every request filed is there, each with its own code, and each was helped.
    requests = db.session.scalars(select(HelpRequest).where(HelpRequest.network_id == gent.id)).all()
    references = [r.reference for r in requests]
    assert sorted(references) == sorted(shown) and len(set(references)) == RESIDENTS
    assert {r.status for r in requests} == {RequestStatus.SCHEDULED}
    assert db.session.scalar(select(func.count()).select_from(HelpSession)) == RESIDENTS
    accepted = db.session.scalar(
        select(func.count()).select_from(Offer).where(Offer.status == OfferStatus.ACCEPTED)
    )
    assert accepted == RESIDENTS

    # Every scheduled job ran once per due time, and both schedulers took part.
    runs = db.session.execute(select(JobRun.job, JobRun.due_key, JobRun.host, JobRun.succeeded)).all()
    keys = [(job, key) for job, key, _host, _ok in runs]
    assert len(keys) == len(set(keys)), "a job ran twice for one due time"
    assert all(ok for *_rest, ok in runs), [r for r in runs if not r.succeeded]
    assert {host for _job, _key, host, _ok in runs} == {"alpha", "beta"}, logs()
    seconds = (utcnow() - scheduling_from).total_seconds()
    for job in all_jobs():
        if job.every is not None and job.every * float(SCALE) <= timedelta(seconds=seconds / 2):
            assert any(name == job.name for name, _key, _h, _ok in runs), (job.name, logs())
    deliveries = sorted(int(key) for job, key, _h, _ok in runs if job == "deliver_outbox")
    assert all(b - a >= 3 for a, b in zip(deliveries, deliveries[1:], strict=False))
    assert any("skipped" in text for name, text in logs().items() if name.startswith("scheduler"))

    # No message sent twice: each e-mail the SMTP server received is a different outbox message.
    sent = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.channel == MessageChannel.EMAIL, OutboxMessage.status == MessageStatus.SENT
        )
    ).all()
    received = [message["Message-ID"] for message in smtp.messages]
    assert len(received) == len(set(received)), "an e-mail was sent twice"
    assert len(received) == len(sent) >= RESIDENTS  # at least each resident's confirmation
    assert elapsed < 150, f"took {elapsed:.0f} s: {timings}"
