"""Two `tick`s at once when reminders are due (issue 11 point 11): each invitation is
reminded once and neither tick fails. The second tick starts while the first has queued
its reminders and not yet committed, which is where, on PostgreSQL, the second used to
insert the same reminder deliveries and fail with IntegrityError."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import OutboxMessage, ReminderDelivery
from coordinator.services.surveys.reminders import send_scheduled_reminders
from tests.factories import make_contact, make_invitation, make_organisation, make_survey

NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def test_two_ticks_at_once_remind_each_invitation_once(app):
    survey = make_survey(deadline_at=NOW + timedelta(days=1))
    survey.reminder_days = [-2]
    for _ in range(5):
        invitation, _token = make_invitation(survey, make_contact(make_organisation()))
        invitation.created_at = NOW - timedelta(days=7)
    db.session.commit()

    first_queued = threading.Event()
    second_started = threading.Event()
    results: dict[str, object] = {}

    def tick(name: str, before_commit: threading.Event | None) -> None:
        with app.app_context():
            try:
                if name == "second":
                    first_queued.wait(10)
                    second_started.set()
                sent = send_scheduled_reminders(NOW)
                if name == "first":
                    first_queued.set()
                    second_started.wait(10)
                    # Give the second tick time to reach the same rows before committing.
                    threading.Event().wait(0.5)
                db.session.commit()
                results[name] = sent
            except Exception as exc:  # what cron would see as exit status 1
                db.session.rollback()
                results[name] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tick, args=(n, None)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert all(isinstance(r, int) for r in results.values()), results
    assert sorted(results.values()) == [0, 5]
    assert db.session.scalar(select(func.count()).select_from(ReminderDelivery)) == 5
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 5
