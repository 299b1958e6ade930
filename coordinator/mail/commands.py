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


def add_tick_task(app: Flask, task: TickTask, first: bool = False) -> None:
    """Have `tick` run `task(now)` before sending mail (e.g. scheduled reminders, which
    then go out in the same tick). The tick commits after each task."""
    tasks = app.extensions.setdefault("tick_tasks", [])
    if first:
        tasks.insert(0, task)
    else:
        tasks.append(task)


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


@click.command("read-mail")
@with_appcontext
def read_mail_command() -> None:
    """Handle what waits in the inbound mailbox (INBOUND_*): bounces, automatic replies
    and meeting answers. `tick` does the same every minute."""
    from coordinator.services.mail.mailbox import inbound_configured, read_mailbox

    if not inbound_configured():
        raise click.ClickException(
            "The inbound mailbox is not set up (INBOUND_HOST, INBOUND_ADDRESS)."
        )
    report = read_mailbox(utcnow())
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted((report.kinds or {}).items()))
    click.echo(f"Read {report.handled} new ({kinds or 'none'}), {report.seen_before} seen before.")


def _read_inbound(now: datetime) -> None:
    from coordinator.services.mail.mailbox import read_mailbox

    read_mailbox(now)


def register(app: Flask) -> None:
    app.cli.add_command(send_mail_command)
    app.cli.add_command(tick_command)
    app.cli.add_command(read_mail_command)
    # First in every tick, so that a bounce read now stops this tick's reminders to it.
    add_tick_task(app, _read_inbound, first=True)
