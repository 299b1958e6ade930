from datetime import UTC, datetime, timedelta

from coordinator.extensions import db
from coordinator.models import Answer, Project, Question, Response, Survey
from tests.factories import make_organisation


def test_tick_runs_retention_when_configured(app, runner, smtp_server):
    from coordinator.mail.commands import add_tick_task
    from coordinator.services.register.personal_data import apply_retention

    long_ago = datetime.now(UTC) - timedelta(days=800)
    survey = Survey(
        project=Project(title="P", slug="p"),
        title="Gammal",
        deadline_at=long_ago,
        state="closed",
        closed_at=long_ago,
    )
    survey.questions = [Question(number="1", text="Fråga", kind="long_text")]
    response = Response(
        survey=survey,
        organisation=make_organisation(),
        respondent_name="Karin",
        respondent_email="karin@example.org",
        state="submitted",
    )
    response.answers = [Answer(question=survey.questions[0], text="Svar")]
    db.session.add(response)
    db.session.commit()
    tasks = app.extensions.setdefault("tick_tasks", [])
    before = list(tasks)
    add_tick_task(app, lambda now: apply_retention(12, now=now))
    try:
        result = runner.invoke(args=["tick"])
    finally:
        tasks[:] = before
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert response.respondent_email is None and response.answers[0].text == "Svar"


def test_a_line_break_in_a_name_does_not_stop_tick(app, runner, smtp_server):
    """Issue 11 point 1: a contact name with a line break (stored before names were
    normalised) fails its own reminder with the reason; the other reminder and a queued
    password reset still go out, and tick exits 0."""
    from sqlalchemy import select, update

    from coordinator.models import Contact, OutboxMessage
    from coordinator.services.accounts.password_reset import request_password_reset
    from tests.factories import make_contact, make_invitation, make_survey, make_user

    now = datetime.now(UTC)
    survey = make_survey(deadline_at=now + timedelta(days=1))
    survey.reminder_days = [-2]
    org = make_organisation()
    broken = make_contact(org, email="broken@example.org")
    for contact in (broken, make_contact(org, email="fine@example.org")):
        make_invitation(survey, contact)[0].created_at = now - timedelta(days=7)
    db.session.execute(update(Contact).where(Contact.id == broken.id).values(name="Anna\nSvensson"))
    request_password_reset(make_user(email="staff@example.org").email, now)
    db.session.commit()

    result = runner.invoke(args=["tick"])

    assert result.exit_code == 0, result.output
    delivered = sorted(str(m["To"]).rpartition("<")[2].rstrip(">") for m in smtp_server.messages)
    assert delivered == ["fine@example.org", "staff@example.org"]
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.state == "failed")).all()
    assert [m.recipient_email for m in failed] == ["broken@example.org"]
    assert "radbrytningar" in failed[0].last_error


def test_a_failing_tick_task_does_not_stop_the_mail(app, runner, smtp_server):
    """Whatever a scheduled task raises, the queued mail is still sent; tick then exits 1
    so that cron reports the failure."""
    from coordinator.mail.commands import add_tick_task
    from coordinator.services.accounts.password_reset import request_password_reset
    from tests.factories import make_user

    request_password_reset(make_user(email="staff@example.org").email, datetime.now(UTC))
    db.session.commit()

    def broken(now):
        raise RuntimeError("task broke")

    tasks = app.extensions.setdefault("tick_tasks", [])
    before = list(tasks)
    tasks.insert(0, broken)
    add_tick_task(app, broken)
    try:
        result = runner.invoke(args=["tick"])
    finally:
        tasks[:] = before
    assert result.exit_code == 1
    assert [str(m["To"]) for m in smtp_server.messages][0].endswith("<staff@example.org>")
