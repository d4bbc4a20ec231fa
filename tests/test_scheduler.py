"""Scheduled jobs run once per due time, even with two scheduler processes on one PostgreSQL database."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from itertools import pairwise

from sqlalchemy import func, select

from digibuddy.extensions import db
from digibuddy.notifications.outbox import queue_email
from digibuddy.scheduler.jobs import all_jobs
from digibuddy.scheduler.models import JobRun
from digibuddy.scheduler.runner import Job, run_job
from tests.smtp_server import SmtpServer, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_a_job_runs_once_per_due_time(app):
    calls = []
    job = Job("test_job", lambda: calls.append(1) or "done", every=timedelta(minutes=5))
    now = datetime(2026, 11, 23, 10, 2)
    assert run_job(job, now=now, host="a") is True
    assert run_job(job, now=now + timedelta(minutes=2), host="b") is False  # same 10:00-10:05 slot
    assert run_job(job, now=now + timedelta(minutes=3), host="b") is True  # 10:05 slot
    assert calls == [1, 1]
    runs = db.session.scalars(select(JobRun).order_by(JobRun.id)).all()
    assert [(r.host, r.succeeded, r.result) for r in runs] == [("a", True, "done"), ("b", True, "done")]


def test_a_failing_job_is_recorded_and_does_not_stop_others(app):
    def broken():
        raise RuntimeError("boom")

    assert run_job(Job("broken", broken, every=timedelta(minutes=1)), host="a") is True
    run = db.session.scalar(select(JobRun))
    assert run.succeeded is False and "boom" in run.result


def test_due_keys_for_daily_and_weekly_jobs():
    daily = Job("d", lambda: None, cron={"hour": 3})
    weekly = Job("w", lambda: None, cron={"day_of_week": "mon", "hour": 7})
    assert daily.due_key(datetime(2026, 11, 23, 3, 15)) == "2026-11-23"
    assert (
        weekly.due_key(datetime(2026, 11, 23, 7)) == weekly.due_key(datetime(2026, 11, 29, 23)) == "2026-W48"
    )


def test_every_job_is_registered():
    names = {job.name for job in all_jobs()}
    assert names == {
        "deliver_outbox",
        "start_matching",
        "expire_offers",
        "escalate_waiting",
        "session_reminders",
        "dropin_reminders",
        "event_reminders",
        "dropin_waiting_lists",
        "ask_outcomes",
        "dashboard_rollups",
        "anonymise",
        "weekly_digest",
    }


def _scheduler(database_url, host, smtp_port):
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="test",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        PYTHONUNBUFFERED="1",
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "scheduler",
            "run",
            "--scale",
            "0.05",
            "--host",
            host,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _wait_for_deliveries(smtp, expected, processes, least=10, most=90):
    """Let the processes run at least `least` seconds (so that they compete for due times) and until every
    message arrived and the delivery job ran a few times; a busy machine may need longer than a quiet one."""
    started = time.monotonic()
    while True:
        elapsed = time.monotonic() - started
        db.session.expire_all()
        runs = db.session.scalar(
            select(func.count()).select_from(JobRun).where(JobRun.job == "deliver_outbox")
        )
        done = len(smtp.messages) >= expected and runs >= 2 + processes
        if (done and elapsed >= least) or elapsed >= most:
            return
        time.sleep(1)


def test_two_scheduler_processes_run_each_job_once_per_due_time(app, backend):
    """On PostgreSQL two processes compete; on SQLite (one process is the rule there) one process runs."""
    port = free_port()
    smtp = SmtpServer(port).start()
    for n in range(5):
        queue_email(
            recipient=f"p{n}@example.org", subject=f"Bericht {n}", body="x", kind="test", dedupe_key=f"s-{n}"
        )
    db.session.commit()
    url = db.engine.url.render_as_string(hide_password=False)
    hosts = ["alpha", "beta"] if backend == "postgresql" else ["alpha"]
    processes = [_scheduler(url, host, port) for host in hosts]
    try:
        _wait_for_deliveries(smtp, expected=5, processes=len(processes))
    finally:
        outputs = []
        for process in processes:
            os.killpg(process.pid, signal.SIGINT)
        for process in processes:
            try:
                outputs.append(process.communicate(timeout=20)[0])
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                outputs.append(process.communicate()[0])
        smtp.stop()
    db.session.expire_all()
    runs = db.session.execute(select(JobRun.job, JobRun.due_key, JobRun.host)).all()
    assert runs, outputs
    keys = [(job, key) for job, key, _host in runs]
    assert len(keys) == len(set(keys)), "a job ran twice for one due time"
    deliveries = sorted(int(key) for job, key, _h in runs if job == "deliver_outbox")
    assert len(deliveries) >= 2, outputs  # every 3 seconds, after start-up
    assert all(b - a >= 3 for a, b in pairwise(deliveries))
    assert sorted(m["Subject"] for m in smtp.messages) == [
        f"Bericht {n}" for n in range(5)
    ]  # each exactly once
    if backend == "postgresql":
        assert any("skipped" in output for output in outputs), outputs  # the two processes did compete
    assert db.session.scalar(select(func.count()).select_from(JobRun).where(JobRun.succeeded.is_(False))) == 0
