"""A backup taken while responses are being submitted restores every one committed before it."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
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


def _fresh_postgres_database():
    """A database of its own (pg_dump and pg_restore --clean work on whole databases, so
    the shared test database with other runs' schemas must not be used)."""
    import secrets

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.support import TEST_DATABASE_URL

    name = f"backup_{secrets.token_hex(4)}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(TEST_DATABASE_URL).set(database=name).render_as_string(False), drop


def _database(kind, tmp_path, label):
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / (label + '.sqlite3')}", lambda: None
    from tests.support import TEST_DATABASE_URL

    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    return _fresh_postgres_database()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_backup_holds_the_uploaded_files_and_a_new_host_serves_them(tmp_path, kind):
    """Issue 11, point 13: one archive with the database and the uploads; restored on a
    new host (empty database, empty upload folder), the public download works."""
    import tarfile

    from tests.factories import make_meeting, make_project, make_user

    old_uri, drop_old = _database(kind, tmp_path, "old")
    new_uri, drop_new = _database(kind, tmp_path, "new")
    apps = []
    try:
        old = make_app(old_uri)
        apps.append(old)
        with old.app_context():
            project = make_project(slug="plan")
            project.visibility = "public"
            _, version = make_meeting(project, make_user())
            url = f"/p/plan/documents/{version.id}"
            db.session.commit()
            original = old.test_client().get(url).data
            assert original.startswith(b"%PDF")
        archive = tmp_path / "coordinator.tar.gz"
        result = old.test_cli_runner().invoke(args=["backup", str(archive)])
        assert result.exit_code == 0, result.output
        with tarfile.open(archive) as tar:
            names = [m.name for m in tar.getmembers() if m.isfile()]
        assert any(n.startswith("database.") for n in names), names
        assert any(n.startswith("uploads/") for n in names), names

        new = make_app(new_uri)  # a new host: its own database and upload folder
        apps.append(new)
        with new.app_context():
            assert new.test_client().get(url).status_code == 404
            db.session.remove()
        result = new.test_cli_runner().invoke(args=["restore", "--yes", str(archive)])
        assert result.exit_code == 0, result.output
        with new.app_context():
            response = new.test_client().get(url)
            assert response.status_code == 200
            assert response.data == original
    finally:
        for each in apps:
            with each.app_context():
                db.session.remove()
                db.engine.dispose()
        drop_old()
        drop_new()


def test_a_document_whose_file_is_missing_is_gone_not_an_error(app, client):
    from pathlib import Path

    from tests.factories import make_meeting, make_project, make_user

    project = make_project(slug="plan")
    project.visibility = "public"
    _, version = make_meeting(project, make_user())
    db.session.commit()
    folder = Path(app.config["UPLOAD_FOLDER"])
    (folder / version.storage_key[:2] / version.storage_key).unlink()
    response = client.get(f"/p/plan/documents/{version.id}")
    assert response.status_code == 410
    assert "Filen finns inte längre" in response.get_data(as_text=True)
