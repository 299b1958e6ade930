"""A backup taken while responses are being submitted restores every one committed before it."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import Answer, Organisation, Project, Question, Response, Survey
from coordinator.services.backup import backup_database, restore_database
from tests.support import make_app

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def _arrange(app):
    with app.app_context():
        org = Organisation(name="Länsstyrelsen Skåne", county_code="12", kind="county_board")
        project = Project(title="Näringsliv och miljömål", slug="naringsliv")
        survey = Survey(
            project=project, title="Enkät", deadline_at=NOW + timedelta(days=7), state="open"
        )
        survey.questions = [Question(number="1", text="Fråga", kind="long_text")]
        db.session.add_all([org, survey])
        db.session.commit()
        return org.id, survey.id, survey.questions[0].id


def _submit(app, org_id, survey_id, question_id, n):
    with app.app_context():
        for i in range(n):
            response = Response(
                survey_id=survey_id,
                organisation_id=org_id,
                state="submitted",
                submitted_at=NOW,
                first_submitted_at=NOW,
                respondent_name=f"Svarande {i}",
            )
            response.answers = [Answer(question_id=question_id, text=f"svar {i} " + "x" * 2000)]
            db.session.add(response)
            db.session.commit()
        db.session.remove()


def test_backup_during_writes_restores_every_committed_response(tmp_path):
    live_path = tmp_path / "live.sqlite3"
    app = make_app(f"sqlite:///{live_path}")
    org_id, survey_id, question_id = _arrange(app)
    _submit(app, org_id, survey_id, question_id, 50)

    writer = threading.Thread(target=_submit, args=(app, org_id, survey_id, question_id, 300))
    writer.start()
    backup_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "backup.sqlite3")
    writer.join()

    restored_path = tmp_path / "restored.sqlite3"
    restored = make_app(f"sqlite:///{restored_path}")
    restore_database(restored.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "backup.sqlite3")
    with restored.app_context():
        ids = list(db.session.scalars(select(Response.id).order_by(Response.id)))
        assert len(ids) >= 50
        # A consistent snapshot: a prefix of the commits, each response whole.
        assert ids == list(range(1, len(ids) + 1))
        answers = db.session.scalar(select(func.count()).select_from(Answer))
        assert answers == len(ids)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 350


def test_backup_and_restore_commands(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with app.app_context():
        db.session.add(Organisation(name="Skogsstyrelsen", kind="agency"))
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "b.sqlite3")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.execute(Organisation.__table__.delete())
        db.session.commit()
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "b.sqlite3")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(Organisation.name)) == "Skogsstyrelsen"
