"""``flask jobs run``: every due background job once (run it every minute from cron or a systemd timer)."""

import click
from flask.cli import AppGroup

from lms.jobs.runner import JobFailed, run_due_jobs

jobs_cli = AppGroup("jobs", help="Background jobs: mail delivery and digests.")


@jobs_cli.command("run")
def run_command() -> None:
    """Run every due job once; does nothing while another runner is at work."""
    outcomes = run_due_jobs()
    if outcomes is None:
        click.echo("Another job runner is at work; nothing was run.")
        return
    for name, outcome in outcomes:
        click.echo(f"{name}: {outcome}", err=isinstance(outcome, JobFailed))
    if any(isinstance(outcome, JobFailed) for _name, outcome in outcomes):
        raise SystemExit(1)
