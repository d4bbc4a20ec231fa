"""`flask scheduler run` (the scheduler process), `flask scheduler once JOB`, `flask scheduler list`."""

import contextlib
import logging
import signal

import click
from flask import current_app
from flask.cli import AppGroup

from ..core.time import BRUSSELS

scheduler_cli = AppGroup("scheduler", help="Scheduled jobs.")


@scheduler_cli.command("run")
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    help="Multiply every interval (tests use a small value to run minutes in seconds).",
)
@click.option("--host", default=None, help="Name recorded with each run (default: the host name).")
def run_command(scale, host):
    """Run the scheduler in the foreground until stopped. Several may run against one PostgreSQL database:
    each job still runs once per due time. On SQLite, run only one."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    from .jobs import all_jobs
    from .runner import run_job

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = current_app._get_current_object()
    scheduler = BlockingScheduler(timezone=BRUSSELS)

    def wrapper(job):
        def run():
            with app.app_context():
                ran = run_job(job, scale=scale, host=host)
                logging.getLogger("digibuddy.scheduler").info("%s %s", job.name, "ran" if ran else "skipped")

        return run

    for job in all_jobs():
        if job.every is not None:
            trigger = IntervalTrigger(seconds=max(1, job.every.total_seconds() * scale))
        else:
            trigger = CronTrigger(timezone=BRUSSELS, **job.cron)
        scheduler.add_job(
            wrapper(job),
            trigger,
            id=job.name,
            name=job.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=60,
        )

    def stop(_signum, _frame):
        # A deploy or a process manager stops the scheduler with SIGTERM: let a job that is running finish and
        # record its result. Killed half-way, its run would stay started for good, and as each job runs once
        # per due time, nobody would finish that due time's work.
        if scheduler.running:
            scheduler.shutdown(wait=True)
        else:
            raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    click.echo(f"Scheduler started with {len(all_jobs())} jobs (Ctrl+C to stop).")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()


@scheduler_cli.command("once")
@click.argument("name")
def once_command(name):
    """Run one job now (still once per due time)."""
    from .jobs import all_jobs
    from .runner import run_job

    jobs = {job.name: job for job in all_jobs()}
    if name not in jobs:
        raise click.BadParameter(f"unknown job; choose from {', '.join(jobs)}")
    click.echo("ran" if run_job(jobs[name]) else "skipped: already ran for this due time")


@scheduler_cli.command("list")
def list_command():
    from .jobs import all_jobs

    for job in all_jobs():
        click.echo(f"{job.name}: {'every ' + str(job.every) if job.every else job.cron}")
