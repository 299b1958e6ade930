"""The migrations build the schema the models describe, on every test database."""

from contextlib import nullcontext

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from coordinator.extensions import db
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
