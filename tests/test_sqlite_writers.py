"""Write transactions on SQLite (coordinator/database.py): the threads of one process
take turns, a writer waits for another process's write and then goes on, a wait longer
than the busy timeout fails as the database being away, and every way a transaction
ends gives the turn to the next writer."""

import sqlite3
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from tests.support import make_app


@pytest.fixture
def engine(tmp_path):
    from coordinator.extensions import db

    app = make_app(f"sqlite:///{tmp_path / 'w.db'}", SQLITE_BUSY_TIMEOUT_MS=1500)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE notes (v TEXT)"))
        yield db.engine
        db.engine.dispose()


def _write(engine, value: str, hold: float = 0.0) -> None:
    with engine.begin() as conn:  # outside a request: BEGIN IMMEDIATE
        conn.execute(text("INSERT INTO notes (v) VALUES (:v)"), {"v": value})
        time.sleep(hold)


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM notes")).scalar_one()


def test_threads_writing_at_once_take_turns_and_every_write_is_kept(engine):
    failures: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                _write(engine, f"{n}-{i}", hold=0.001)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert _count(engine) == 90


def test_a_writer_waits_for_another_process_and_then_writes(engine, tmp_path):
    other = sqlite3.connect(tmp_path / "w.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO notes (v) VALUES ('other process')")
    threading.Timer(0.3, other.execute, args=("COMMIT",)).start()
    started = time.monotonic()
    _write(engine, "mine")
    assert time.monotonic() - started >= 0.25
    assert _count(engine) == 2
    other.close()


def test_a_wait_longer_than_the_busy_timeout_fails_as_the_database_being_away(engine, tmp_path):
    other = sqlite3.connect(tmp_path / "w.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError):
        _write(engine, "too late")
    other.execute("ROLLBACK")
    other.close()
    _write(engine, "in time")  # the failed writer gave its turn back
    assert _count(engine) == 1


def test_every_way_a_transaction_ends_gives_the_turn_back(engine):
    with pytest.raises(RuntimeError), engine.begin() as conn:
        conn.execute(text("INSERT INTO notes (v) VALUES ('rolled back')"))
        raise RuntimeError
    conn = engine.connect()
    conn.begin()
    conn.execute(text("INSERT INTO notes (v) VALUES ('never committed')"))
    conn.close()  # back to the pool with the transaction open
    done = threading.Thread(target=_write, args=(engine, "next"))
    done.start()
    done.join(timeout=5)
    assert not done.is_alive()
    assert _count(engine) == 1
