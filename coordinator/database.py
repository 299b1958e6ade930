"""Engine set-up: SQLite pragmas and write transactions that take the lock up front.

SQLite's default deferred transaction lets two requests read the same row and then both
write it; the second one fails with "database is locked" or, worse, overwrites. Every
transaction that may write therefore starts with BEGIN IMMEDIATE: unsafe HTTP methods,
CLI commands and anything outside a request. Safe requests (GET, HEAD) read in a deferred
transaction so that readers never queue behind writers (WAL lets them run side by side).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from coordinator.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _wants_immediate() -> bool:
    return not (has_request_context() and request.method in SAFE_METHODS)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Turn off pysqlite's own transaction handling and begin transactions ourselves."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_immediate() else "BEGIN")


def init_database(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
