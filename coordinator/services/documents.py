"""Documents for a project's plan and for meetings, checked by what they contain."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import PurePath

from flask import current_app

from coordinator.extensions import db
from coordinator.models import Document, DocumentVersion, Meeting, Project, User
from coordinator.services.audit import record_event
from coordinator.services.storage import storage

OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
OLE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}


class DocumentError(ValueError):
    """The file cannot be accepted; the message says why in plain words."""


def detect_type(data: bytes, filename: str) -> str:
    """The content type of an allowed file, judged by its bytes, or DocumentError."""
    suffix = PurePath(filename).suffix.lower()
    if not data:
        raise DocumentError("Filen är tom.")
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and suffix in OLE_TYPES:
        return OLE_TYPES[suffix]
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile as exc:
            raise DocumentError("Filen är skadad.") from exc
        if "[Content_Types].xml" in names:
            for folder, (content_type, _) in OOXML.items():
                if any(name.startswith(folder) for name in names):
                    return content_type
    raise DocumentError(
        "Filtypen är inte tillåten. "
        "Ladda upp PDF, Word, Excel, PowerPoint eller en bild (PNG, JPEG, GIF)."
    )


def safe_filename(filename: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name.strip() or "dokument"
    return "".join(c for c in name if c.isprintable() and c not in '"<>|:*?')[:200] or "dokument"


def add_version(
    document: Document | None,
    *,
    project: Project,
    meeting: Meeting | None,
    title: str,
    filename: str,
    data: bytes,
    actor: User,
    now: datetime,
) -> Document:
    """Store a new file, or a new version of `document` (earlier versions are kept)."""
    if len(data) > current_app.config["UPLOAD_MAX_BYTES"]:
        limit = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
        raise DocumentError(f"Filen är för stor. Högst {limit} MB.")
    content_type = detect_type(data, filename)
    if document is None:
        document = Document(
            project=project,
            meeting_id=meeting.id if meeting else None,
            title=title.strip() or safe_filename(filename),
            created_at=now,
        )
        db.session.add(document)
    key = storage().save(data)
    document.versions.append(
        DocumentVersion(
            filename=safe_filename(filename),
            content_type=content_type,
            size=len(data),
            storage_key=key,
            uploaded_by_id=actor.id,
            created_at=now,
        )
    )
    db.session.flush()
    record_event(
        actor,
        "document.upload",
        "document",
        document.id,
        document.title,
        {"version": len(document.versions)},
        now=now,
    )
    return document
