"""A contact file made to tie up the server: 19 million empty shared strings in 0.14 MB.

It is refused within a second, and reading any upload holds no transaction (so no lock on
SQLite's one writer) while it is parsed and checked.
"""

from __future__ import annotations

import io
import sqlite3
import time
import zipfile

import pytest
from flask import request
from openpyxl import Workbook

from coordinator.extensions import db
from coordinator.register import views as register_views
from coordinator.services.errors import ContactImportError
from coordinator.services.register.contact_import import preview_import
from tests.factories import make_organisation, make_user
from tests.support import login

SHARED_STRINGS = 19_000_000


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def shared_string_bomb() -> bytes:
    """A real workbook whose cells are shared strings, and whose table of shared strings
    holds 19 million more, empty (95 MB of XML): streamed into the archive, so the test
    never holds it in memory."""
    workbook = Workbook()
    workbook.active.append(["E-post"])
    workbook.active.append(["a@example.org"])
    source = io.BytesIO()
    workbook.save(source)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            elif info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<c r="A1" t="inlineStr"><is><t>E-post</t></is></c>',
                    b'<c r="A1" t="s"><v>0</v></c>',
                ).replace(
                    b'<c r="A2" t="inlineStr"><is><t>a@example.org</t></is></c>',
                    b'<c r="A2" t="s"><v>1</v></c>',
                )
            target.writestr(info, data)
        with target.open("xl/sharedStrings.xml", "w") as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxml'
                b'formats.org/spreadsheetml/2006/main" count="19000002" uniqueCount="19000002">'
                b"<si><t>E-post</t></si><si><t>a@example.org</t></si>"
            )
            block = b"<si/>" * 100_000
            for _ in range(SHARED_STRINGS // 100_000):
                part.write(block)
            part.write(b"</sst>")
    return buffer.getvalue()


def test_the_bomb_is_a_workbook_whose_cells_are_shared_strings(app):
    """Without its 19 million extra strings the same file reads as one contact, so the
    bomb below is refused for its strings, not for being malformed."""
    small = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(shared_string_bomb())) as bomb,
        zipfile.ZipFile(small, "w") as target,
    ):
        for info in bomb.infolist():
            data = bomb.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                data = (
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b"<si><t>E-post</t></si><si><t>a@example.org</t></si></sst>"
                )
            target.writestr(info.filename, data)
    read = preview_import("liten.xlsx", small.getvalue(), max_bytes=5 << 20, max_rows=20_000)
    assert [row.values["email"] for row in read.rows] == ["a@example.org"]


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return shared_string_bomb()


def test_a_shared_string_bomb_is_refused_within_a_second(app, bomb):
    assert len(bomb) < 200_000
    started = time.process_time()
    with pytest.raises(ContactImportError, match="för stort"):
        preview_import("bomb.xlsx", bomb, max_bytes=5 * 1024 * 1024, max_rows=20_000)
    elapsed = time.process_time() - started
    print(f"shared-string bomb ({len(bomb)} bytes) refused in {elapsed:.2f} s of CPU")
    assert elapsed < 1


def test_a_slow_file_stops_at_the_time_budget(app):
    rows = "\r\n".join(["E-post;Namn"] + [f"p{i}@example.org;P {i}" for i in range(5000)])
    with pytest.raises(ContactImportError, match="tog för lång tid"):
        preview_import(
            "lang.csv", rows.encode(), max_bytes=5 * 1024 * 1024, max_rows=20_000, max_seconds=0
        )


def _writer_can_start() -> bool:
    """Whether another connection could take SQLite's write lock this moment."""
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_an_import_is_read_with_no_transaction_open(app, client_request, monkeypatch):
    make_organisation("Länsstyrelsen Skåne", "12")
    login(client_request.client, make_user("coordinator"))
    db.session.commit()
    sqlite = db.engine.dialect.name == "sqlite"
    seen: dict[str, bool] = {}

    def reading(original, name):
        def wrapper(*args, **kwargs):
            seen[f"{name}: no transaction"] = not db.session().in_transaction()
            if sqlite:
                seen[f"{name}: writer can start"] = _writer_can_start()
            return original(*args, **kwargs)

        return wrapper

    def classifying(*args, **kwargs):
        preview = original_build(*args, **kwargs)
        # The preview reads the register in a transaction still open here; the confirmation
        # classifies in the write transaction that imports, by design.
        if sqlite and request.endpoint == "register.import_contacts":
            seen["classify: writer can start"] = _writer_can_start()
        return preview

    original_build = register_views.build_preview
    monkeypatch.setattr(register_views, "read_import", reading(register_views.read_import, "read"))
    monkeypatch.setattr(register_views, "build_preview", classifying)
    monkeypatch.setattr(
        register_views,
        "read_signed_preview",
        reading(register_views.read_signed_preview, "confirm"),
    )
    page = client_request.post(
        "/contacts/import",
        {"file": (io.BytesIO(b"E-post;Namn;Organisation\na@example.org;A;12\n"), "a.csv")},
        status=200,
        content_type="multipart/form-data",
    )
    payload = page.find("input", attrs={"name": "payload"})["value"]
    assert client_request.post("/contacts/import/confirm", {"payload": payload}) == "/contacts"
    expected = {"read: no transaction": True, "confirm: no transaction": True}
    if sqlite:
        expected |= {
            "read: writer can start": True,
            "classify: writer can start": True,
            "confirm: writer can start": True,
        }
    assert seen == expected
