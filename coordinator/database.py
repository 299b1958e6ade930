"""Engine set-up: SQLite pragmas and write transactions that take the lock up front.

SQLite's default deferred transaction lets two requests read the same row and then both
write it; the second one fails with "database is locked" or, worse, overwrites. Every
transaction that may write therefore starts with BEGIN IMMEDIATE: unsafe HTTP methods,
CLI commands and anything outside a request. Safe requests (GET, HEAD), and posts to views
marked `reads_only`, read in a deferred transaction so that readers never queue behind
writers (WAL lets them run side by side).
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

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


class WriterTurns:
    """BEGIN IMMEDIATE without SQLite's sleeps.

    SQLite makes a writer that finds the write lock taken poll for it with growing sleeps
    (up to 100 ms each), so under load most of a save's time went to sleeping, and one
    unlucky writer could sleep for seconds. Here the threads of one process take turns
    (the next one wakes the moment the last one ends), and the one whose turn it is polls
    every millisecond or two while another process writes."""

    def __init__(self, busy_timeout_ms: int) -> None:
        self.busy_timeout_ms = int(busy_timeout_ms)
        self.turn = threading.Lock()

    def begin(self, connection: Any) -> None:
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        if not self.turn.acquire(timeout=self.busy_timeout_ms / 1000):
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("locked"))
        connection.info["writer_turn"] = True
        try:
            self._begin_immediate(connection.connection.driver_connection, deadline)
        except BaseException:
            self.end(connection.info)
            raise

    def _begin_immediate(self, driver: sqlite3.Connection, deadline: float) -> None:
        driver.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    driver.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                        raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
                time.sleep(random.uniform(0.0005, 0.002))
        finally:
            driver.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")

    def end(self, info: dict[str, Any]) -> None:
        if info.pop("writer_turn", False):
            self.turn.release()


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Turn off pysqlite's own transaction handling and begin transactions ourselves."""
    turns = WriterTurns(busy_timeout_ms)

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
        if _wants_immediate():
            turns.begin(connection)
        else:
            connection.exec_driver_sql("BEGIN")

    event.listen(engine, "commit", lambda connection: turns.end(connection.info))
    event.listen(engine, "rollback", lambda connection: turns.end(connection.info))
    # However a connection goes back to the pool, its turn ends with it.
    event.listen(engine, "checkin", lambda _dbapi, record: turns.end(record.info))


def init_database(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
