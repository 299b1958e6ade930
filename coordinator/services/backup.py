"""Consistent backups while the app runs, and restoring them.

SQLite: the online backup API copies a consistent snapshot page by page while other
connections keep reading and writing. PostgreSQL: `pg_dump --format=custom` (and
`pg_restore --clean`) do the same; they must be on PATH and speak to the same server.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from coordinator.services.errors import BackupError


def _sqlite_path(database_uri: str) -> Path:
    database = make_url(database_uri).database
    if not database or database == ":memory:":
        raise BackupError("Only a file-based SQLite database can be backed up.")
    return Path(database)


def _pg_args(database_uri: str) -> list[str]:
    url = make_url(database_uri).set(drivername="postgresql")
    return ["--dbname", url.render_as_string(hide_password=False)]


def backup_database(database_uri: str, target: Path) -> Path:
    """Write a consistent copy of the database to `target` and return it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if database_uri.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(database_uri))
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)  # one step: a single consistent snapshot (WAL)
        finally:
            destination.close()
            source.close()
        return target
    if database_uri.startswith("postgresql"):
        if not shutil.which("pg_dump"):
            raise BackupError("pg_dump is not installed; install the PostgreSQL client tools.")
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                *_pg_args(database_uri),
            ],
            check=True,
        )
        return target
    raise BackupError(f"Unsupported database for backup: {make_url(database_uri).drivername}")


def restore_database(database_uri: str, source: Path) -> None:
    """Replace the database's contents with the backup in `source`."""
    if not source.exists():
        raise BackupError(f"No such backup: {source}")
    if database_uri.startswith("sqlite"):
        backup = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(database_uri), timeout=30)
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
        return
    if database_uri.startswith("postgresql"):
        if not shutil.which("pg_restore"):
            raise BackupError("pg_restore is not installed; install the PostgreSQL client tools.")
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                *_pg_args(database_uri),
                str(source),
            ],
            check=True,
        )
        return
    raise BackupError(f"Unsupported database for restore: {make_url(database_uri).drivername}")
