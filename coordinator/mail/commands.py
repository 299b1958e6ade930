"""`send-mail` and `tick`: the commands cron runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from coordinator.extensions import db
from coordinator.models.types import utcnow

log = logging.getLogger(__name__)

TickTask = Callable[[datetime], object]


def add_tick_task(app: Flask, task: TickTask) -> None:
    """Have `tick` run `task(now)` before sending mail (e.g. scheduled reminders, which
    then go out in the same tick). The tick commits after each task."""
    app.extensions.setdefault("tick_tasks", []).append(task)


@click.command("send-mail")
@click.option("--batch-size", default=200, show_default=True)
@with_appcontext
def send_mail_command(batch_size: int) -> None:
    """Deliver the queued e-mail that is due (retries included)."""
    from coordinator.services.mail.sender import send_due_messages

    report = send_due_messages(utcnow(), batch_size=batch_size)
    click.echo(
        f"Sent {report.sent}, retry later {report.retried}, failed {report.failed}, "
        f"skipped {report.skipped}, requeued {report.requeued_stale}."
    )


@click.command("tick")
@with_appcontext
def tick_command() -> None:
    """Run every minute from cron: scheduled tasks, then send the mail that is due."""
    from coordinator.services.mail.sender import send_due_messages

    now = utcnow()
    failed_tasks = 0
    for task in current_app.extensions.get("tick_tasks", []):
        try:
            task(now)
            db.session.commit()
        except Exception:
            # One broken task must not keep the mail (a password reset, say) waiting.
            db.session.rollback()
            log.exception("tick task %s failed", getattr(task, "__name__", task))
            failed_tasks += 1
    report = send_due_messages(now)
    click.echo(f"Tick: sent {report.sent}, retry later {report.retried}, failed {report.failed}.")
    if failed_tasks:
        raise click.exceptions.Exit(1)


def register(app: Flask) -> None:
    app.cli.add_command(send_mail_command)
    app.cli.add_command(tick_command)
