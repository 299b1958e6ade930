"""What `tick` does for surveys: the scheduled reminders."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from coordinator.mail.commands import add_tick_task


def send_scheduled_reminders(now: datetime) -> int:
    from coordinator.services.surveys.reminders import send_scheduled_reminders as send

    return send(now)


def register(app: Flask) -> None:
    add_tick_task(app, send_scheduled_reminders)
