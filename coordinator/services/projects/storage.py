"""Where uploaded files live: outside static/, under generated names, behind one small
interface so that a shared volume or an object store can take its place."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from coordinator.extensions import db

_DELETIONS = "storage_deletions"


class LocalStorage:
    """Files in a directory tree, named by a random key (two-letter fan-out folders)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("bad storage key")
        return self.root / key[:2] / key

    def save(self, data: bytes) -> str:
        key = secrets.token_hex(20)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return key

    def open(self, key: str) -> BinaryIO:
        """The stored bytes as a file to stream; the caller closes it."""
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def storage() -> LocalStorage:
    folder = current_app.config.get("UPLOAD_FOLDER") or str(
        Path(current_app.instance_path) / "uploads"
    )
    return LocalStorage(Path(folder))


def delete_after_commit(key: str) -> None:
    """Remove a stored file once the transaction that dropped its row commits; after a
    rollback the row, and so the file, stays."""
    db.session.info.setdefault(_DELETIONS, []).append((storage(), key))


@event.listens_for(Session, "after_commit")
def _delete_files(session: Session) -> None:
    for store, key in session.info.pop(_DELETIONS, []):
        store.delete(key)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(_DELETIONS, None)
