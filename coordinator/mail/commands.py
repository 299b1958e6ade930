"""`send-mail` and `tick`: the commands cron runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import click
from flask import Flask

from coordinator.extensions import db
from coordinator.models.types import utcnow

# Periodic work run by `tick` after the mail is sent, each given `now`; other areas
# append to this list (e.g. scheduled reminders). Each task commits its own work.
TICK_TASKS: list[Callable[[datetime], object]] = []


def register(app: Flask) -> None:
    @app.cli.command("send-mail")
    @click.option("--batch-size", default=200, show_default=True)
    def send_mail_command(batch_size: int) -> None:
        """Deliver the queued e-mail that is due (retries included)."""
        from coordinator.services.mail_sender import send_due_messages

        report = send_due_messages(utcnow(), batch_size=batch_size)
        click.echo(
            f"Sent {report.sent}, retry later {report.retried}, failed {report.failed}, "
            f"skipped {report.skipped}, requeued {report.requeued_stale}."
        )

    @app.cli.command("tick")
    def tick_command() -> None:
        """Run every minute from cron: scheduled tasks, then send the mail that is due."""
        from coordinator.services.mail_sender import send_due_messages

        now = utcnow()
        for task in TICK_TASKS:
            task(now)
            db.session.commit()
        report = send_due_messages(now)
        click.echo(
            f"Tick: sent {report.sent}, retry later {report.retried}, failed {report.failed}."
        )
