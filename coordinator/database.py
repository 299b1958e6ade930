"""Engine set-up: SQLite pragmas and write transactions that take the lock up front.

SQLite's default deferred transaction lets two requests read the same row and then both
write it; the second one fails with "database is locked" or, worse, overwrites. Every
transaction that may write therefore starts with BEGIN IMMEDIATE: unsafe HTTP methods,
CLI commands and anything outside a request. Safe requests (GET, HEAD), and posts to views
marked `reads_only`, read in a deferred transaction so that readers never queue behind
writers (WAL lets them run side by side).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from coordinator.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

ViewT = TypeVar("ViewT", bound=Callable[..., object])


def reads_only(view: ViewT) -> ViewT:
    """Mark a view that only reads although it is posted to (a preview of an upload): its
    transactions begin deferred, so it neither takes nor waits for SQLite's write lock."""
    view.reads_only = True  # type: ignore[attr-defined]
    return view


def _wants_immediate() -> bool:
    if not has_request_context():
        return True
    if request.method in SAFE_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "reads_only", False)


def end_transaction() -> None:
    """End the request's transaction before slow work that needs no database (reading an
    upload), so that no lock is held meanwhile. Objects read so far are read again when
    next used."""
    db.session.commit()


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
