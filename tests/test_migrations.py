"""The migrations build the schema the models describe, on every test database."""

from contextlib import nullcontext

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, table

from coordinator.extensions import db
from coordinator.models import Answer, Response
from tests.factories import make_invitation, make_survey
from tests.support import make_app, postgres_schema


def _schema_diff() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, db.metadata))


def test_models_match_migrated_schema(app):
    assert _schema_diff() == []


def test_downgrade_to_empty_and_upgrade_again(app, tmp_path):
    on_postgres = db.engine.dialect.name == "postgresql"
    with postgres_schema() if on_postgres else nullcontext(f"sqlite:///{tmp_path / 'm.db'}") as uri:
        other = make_app(uri)
        with other.app_context():
            flask_migrate.downgrade(revision="base")
            flask_migrate.upgrade()
            assert _schema_diff() == []
            db.engine.dispose()


FIRST_SCHEMA = "155ae6879985"
KEPT = ("surveys", "questions", "invitations", "responses", "answers")


def _counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t: conn.execute(select(func.count()).select_from(table(t))).scalar_one() for t in KEPT
        }


def test_migrations_keep_the_rows_of_the_tables_they_rebuild(tmp_path):
    """SQLite rebuilds a table to change a column; with foreign keys on, dropping the old
    table would delete every row that refers to it. Down to the first schema and up again,
    the surveys, questions, invitations and answers are all still there."""
    other = make_app(f"sqlite:///{tmp_path / 'kept.db'}")
    with other.app_context():
        survey = make_survey(state="open")
        invitation, _ = make_invitation(survey)
        response = Response(
            survey=survey, organisation_id=invitation.organisation_id, invitation=invitation
        )
        db.session.add(response)
        db.session.add(Answer(response=response, question=survey.questions[0], text="Kvar"))
        db.session.commit()
        before = _counts()
        assert before["answers"] == 1
        db.session.remove()
        flask_migrate.downgrade(revision=FIRST_SCHEMA)
        flask_migrate.upgrade()
        assert _counts() == before
        db.engine.dispose()
