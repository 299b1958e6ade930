"""Consistent backups while the app runs, and restoring them.

A backup is one archive (tar, gzip) holding the database dump (`database.sqlite3` or
`database.pgdump`) and every uploaded file (`uploads/…`, as UPLOAD_FOLDER holds them). The
database is dumped first: a file uploaded meanwhile is merely extra, and a file whose row
was dropped meanwhile may be missing, which downloads answer with 410.

SQLite: the online backup API copies a consistent snapshot page by page while other
connections keep reading and writing. PostgreSQL: `pg_dump --format=custom` (and
`pg_restore --clean`) do the same; they must be on PATH and speak to the same server.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
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


# What an archive may hold: the dump, and stored files under their generated keys.
_DATABASE_NAMES = ("database.sqlite3", "database.pgdump")
_UPLOAD_NAME = re.compile(r"^uploads/([0-9a-zA-Z]{2})/([0-9a-zA-Z]+)$")


def write_backup(database_uri: str, upload_folder: Path, target: Path) -> Path:
    """One archive at `target` with the database and the uploaded files."""
    target.parent.mkdir(parents=True, exist_ok=True)
    name = _DATABASE_NAMES[0] if database_uri.startswith("sqlite") else _DATABASE_NAMES[1]
    with tempfile.TemporaryDirectory() as work:
        dump = backup_database(database_uri, Path(work) / name)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=name)
            for path in sorted(upload_folder.glob("??/*")):
                arcname = f"uploads/{path.parent.name}/{path.name}"
                if path.is_file() and _UPLOAD_NAME.match(arcname):
                    tar.add(path, arcname=arcname)
        partial.replace(target)  # never a half-written archive under the real name
    return target


def restore_backup(database_uri: str, upload_folder: Path, source: Path) -> int:
    """The database and the files from an archive made by `write_backup` (or, from an
    older backup, a bare database file); returns how many files were restored. Only the
    dump and files named like stored uploads are read from the archive."""
    if not source.exists():
        raise BackupError(f"No such backup: {source}")
    if not tarfile.is_tarfile(source):
        restore_database(database_uri, source)
        return 0
    with tempfile.TemporaryDirectory() as work, tarfile.open(source) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        dump = next((m for m in members if m.name in _DATABASE_NAMES), None)
        if dump is None:
            raise BackupError(f"{source} holds no database dump.")
        dump_path = Path(work) / dump.name
        _copy_member(tar, dump, dump_path)
        restore_database(database_uri, dump_path)
        restored = 0
        for member in members:
            match = _UPLOAD_NAME.match(member.name)
            if match:
                _copy_member(tar, member, upload_folder / match[1] / match[2])
                restored += 1
    return restored


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> None:
    extracted = tar.extractfile(member)
    if extracted is None:
        raise BackupError(f"Cannot read {member.name} from the backup.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with extracted, target.open("wb") as out:
        shutil.copyfileobj(extracted, out)
