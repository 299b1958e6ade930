"""Documents for a project's plan and for meetings, checked by what they contain."""

from __future__ import annotations

import io
import zipfile
import zlib
from datetime import datetime
from pathlib import PurePath

from flask import current_app
from flask_babel import lazy_gettext as _l

from coordinator.extensions import db
from coordinator.models import Document, DocumentVersion, Meeting, Project, User
from coordinator.services.audit import record_event
from coordinator.services.errors import DocumentError
from coordinator.services.projects.storage import storage

OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# OpenDocument: a zip whose "mimetype" entry names the type.
ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
OLE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}


# The file name endings each type may have; the first is used when the name says otherwise.
SUFFIXES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    OOXML["word/"]: (".docx",),
    OOXML["xl/"]: (".xlsx",),
    OOXML["ppt/"]: (".pptx",),
    **{content_type: (suffix,) for suffix, content_type in OLE_TYPES.items()},
    **{content_type: (suffix,) for content_type, suffix in ODF.items()},
}


MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_type(data: bytes, filename: str) -> str:
    """The content type of an allowed file, judged by its bytes, or DocumentError."""
    suffix = PurePath(filename).suffix.lower()
    if not data:
        raise DocumentError(_l("Filen är tom."))
    for magic, content_type in MAGIC:
        if data.startswith(magic):
            return content_type
    if data.startswith(OLE_MAGIC) and suffix in OLE_TYPES:
        return OLE_TYPES[suffix]
    if data.startswith(b"PK\x03\x04") and (found := _ooxml_type(data)):
        return found
    raise DocumentError(
        _l(
            "Filtypen är inte tillåten. Ladda upp PDF, Word, Excel, PowerPoint, "
            "OpenDocument eller en bild (PNG, JPEG, GIF)."
        )
    )


def _ooxml_type(data: bytes) -> str | None:
    """Word, Excel or PowerPoint by the folder inside the zip that the format requires;
    an OpenDocument text, spreadsheet or presentation by its "mimetype" entry."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if names[:1] == ["mimetype"] and archive.getinfo("mimetype").file_size < 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in ODF else None
    except (zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise DocumentError(_l("Filen är skadad.")) from exc
    if "[Content_Types].xml" not in names:
        return None
    for folder, content_type in OOXML.items():
        if any(name.startswith(folder) for name in names):
            return content_type
    return None


def safe_filename(filename: str, content_type: str) -> str:
    """The last part of the name, without characters file systems dislike, ending as its
    type does (a PDF named plan.html is saved as plan.pdf, never opened as a page)."""
    name = PurePath(filename.replace("\\", "/")).name.strip()
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?')[:200]
    path = PurePath(name or "dokument")
    allowed = SUFFIXES[content_type]
    if path.suffix.lower() not in allowed:
        path = path.with_suffix(allowed[0]) if path.suffix else PurePath(path.name + allowed[0])
    return str(path)


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
        raise DocumentError(_l("Filen är för stor. Högst %(limit)s MB.", limit=limit))
    content_type = detect_type(data, filename)
    if document is None:
        document = Document(
            project=project,
            meeting_id=meeting.id if meeting else None,
            title=title.strip() or safe_filename(filename, content_type),
            created_at=now,
        )
        db.session.add(document)
    key = storage().save(data)
    document.versions.append(
        DocumentVersion(
            filename=safe_filename(filename, content_type),
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
