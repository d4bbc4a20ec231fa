"""`flask reports rebuild-rollups`: every dashboard roll-up recomputed from the rows."""

import time

import click
from flask.cli import AppGroup

reports_cli = AppGroup("reports", help="Dashboards and their roll-ups.")


@reports_cli.command("rebuild-rollups")
def rebuild_rollups_command():
    """Recompute every roll-up from the requests, sessions, outcomes and feedback (set-based; after a bulk
    import or a restore that bypassed the app)."""
    from .rollups import rebuild

    started = time.perf_counter()
    rebuild()
    click.echo(f"Roll-ups rebuilt in {time.perf_counter() - started:.1f} s.")
