"""Every scheduled job, in one list. Each job function is idempotent."""

from datetime import timedelta
from functools import partial

from .runner import Job


def _retention(apply_retention):
    """Retention with the audit period from the configuration (the job runs inside the app context)."""
    from flask import current_app

    return apply_retention(audit_months=current_app.config["AUDIT_RETENTION_MONTHS"])


def all_jobs() -> list[Job]:
    from ..events.jobs import send_event_reminders
    from ..matching.services import escalate_waiting, expire_offers, start_new_requests
    from ..notifications.delivery import deliver_due
    from ..privacy.retention import apply_retention
    from ..reports.digest import weekly_digest
    from ..reports.rollups import folded_job
    from ..scheduling.dropins import close_waiting_lists
    from ..scheduling.jobs import ask_outcomes, send_dropin_reminders, send_reminders

    return [
        Job("deliver_outbox", deliver_due, every=timedelta(minutes=1)),
        Job("start_matching", start_new_requests, every=timedelta(minutes=2)),
        Job("expire_offers", expire_offers, every=timedelta(minutes=5)),
        Job("escalate_waiting", escalate_waiting, every=timedelta(minutes=15)),
        Job("session_reminders", send_reminders, every=timedelta(minutes=10)),
        Job("dropin_reminders", send_dropin_reminders, every=timedelta(minutes=30)),
        Job("event_reminders", send_event_reminders, every=timedelta(minutes=30)),
        Job("dropin_waiting_lists", close_waiting_lists, every=timedelta(minutes=15)),
        Job("ask_outcomes", ask_outcomes, every=timedelta(minutes=30)),
        Job("dashboard_rollups", folded_job, every=timedelta(minutes=1)),
        Job("anonymise", partial(_retention, apply_retention), cron={"hour": 3, "minute": 15}),
        Job("weekly_digest", weekly_digest, cron={"day_of_week": "mon", "hour": 7, "minute": 0}),
    ]
