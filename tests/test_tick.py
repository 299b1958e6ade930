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
