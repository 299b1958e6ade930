"""Importing contacts from a spreadsheet: read, preview row by row, then import at once.

The flow has two requests, a preview and a confirmation, and nothing is kept on the
server between them. The preview hands the rows it read back to the browser in one
hidden field, signed with the application's secret (itsdangerous), and the confirmation
checks the signature and classifies the rows again against the register as it is then.
We chose this over keeping the upload in the instance folder because:

- it works with several application processes on several machines (no shared disk);
- no personal data is left lying on disk when someone uploads and walks away, so there
  is nothing to clean up;
- the signature means that what is imported is exactly what was read and previewed.

The price is that the rows travel twice; IMPORT_MAX_BYTES and IMPORT_MAX_ROWS bound it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Contact, Network, Organisation, User
from coordinator.services.audit import record_event
from coordinator.services.errors import ContactImportError, RegisterError
from coordinator.services.register.entries import normalise_contact_email

COLUMNS = ("email", "name", "title", "organisation", "networks", "phone")
HEADER_NAMES = {
    "email": {"epost", "epostadress", "email", "emailadress", "emailaddress", "mail"},
    "name": {"namn", "name", "fullständigtnamn", "fullname"},
    "title": {"titel", "befattning", "title", "jobtitle", "roll", "funktion"},
    "organisation": {"organisation", "organization", "org", "myndighet"},
    "networks": {"nätverk", "natverk", "networks", "network"},
    "phone": {"telefon", "telefonnummer", "phone", "tel", "mobil"},
}
MAX_LENGTHS = {"name": 200, "title": 200, "phone": 50}
MAX_COLUMNS = 50  # columns read per row; the rest of a very wide sheet is ignored
MAX_CELL = 500  # characters kept from a cell; longer values are refused anyway
UNZIP_FACTOR = 20  # an .xlsx may unpack to this many times IMPORT_MAX_BYTES, no more
SIGNATURE_SALT = "contact-import"
SIGNATURE_MAX_AGE = 2 * 60 * 60

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"


@dataclass
class RawRow:
    line: int
    values: dict[str, str]


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    status: str = NEW
    errors: list[str] = field(default_factory=list)
    contact: Contact | None = None
    organisation: Organisation | None = None
    networks: list[Network] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def email(self) -> str:
        return self.values.get("email", "")


@dataclass
class ImportPreview:
    filename: str
    raw: list[RawRow]
    rows: list[ImportRow]
    columns: list[str]
    ignored_columns: list[str]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((NEW, UPDATE, UNCHANGED, ERROR), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == ERROR]

    @property
    def importable(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status in (NEW, UPDATE)]


# Reading ----------------------------------------------------------------------------


def _header_key(text: str) -> str | None:
    compact = re.sub(r"[\s_\-.:*()]+", "", text.strip().lower())
    for key, names in HEADER_NAMES.items():
        if compact in names:
            return key
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date().isoformat()
    return str(value).strip()[:MAX_CELL]


def _too_many_rows(max_rows: int) -> ContactImportError:
    return ContactImportError(
        _(
            "Filen har för många rader. Högst %(n)s kontaktpersoner kan importeras på en gång.",
            n=max_rows,
        )
    )


def _not_xlsx_message() -> str:
    return _(
        "Filen kunde inte läsas som ett Excel-ark. Spara den som .xlsx eller .csv och försök igen."
    )


ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")
DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s+ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")


def _check_row_counts(data: bytes, infos: list[zipfile.ZipInfo], max_rows: int) -> None:
    """Refuse a workbook with a sheet of more than `max_rows` rows before openpyxl reads it.

    openpyxl scans a whole sheet that declares no dimension, so counting its <row> tags
    in the raw, streamed XML first is what keeps a huge sheet from taking minutes. Every
    sheet counts, not only the first one that is imported.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            rows = 0
            carry = b""
            with archive.open(info) as stream:
                first = True
                while chunk := stream.read(1 << 20):
                    buffer = carry + chunk
                    if first:
                        head = buffer.split(b"sheetData", 1)[0]
                        declared = DIMENSION.search(head)
                        if declared and declared.group(1) and int(declared.group(1)) > max_rows + 1:
                            raise _too_many_rows(max_rows)
                        first = False
                    cut = buffer.rfind(b"<")
                    cut = cut if cut >= 0 else len(buffer)
                    rows += len(ROW_TAG.findall(buffer, 0, cut))
                    carry = buffer[cut:]
                    if rows > max_rows + 1:
                        raise _too_many_rows(max_rows)
            if rows + len(ROW_TAG.findall(carry)) > max_rows + 1:
                raise _too_many_rows(max_rows)


def _xlsx_rows(data: bytes, max_bytes: int, max_rows: int) -> Iterator[list[str]]:
    """Rows of the first sheet, refusing early what would take too long or too much memory."""
    from openpyxl import load_workbook

    not_xlsx = ContactImportError(_not_xlsx_message())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise not_xlsx from exc
    if not any(info.filename == "xl/workbook.xml" for info in infos):
        raise not_xlsx
    # The declared sizes bound what zipfile will ever unpack, so a zip bomb stops here.
    if sum(info.file_size for info in infos) > max_bytes * UNZIP_FACTOR:
        raise ContactImportError(_l("Excel-arket är för stort för att importeras."))
    try:
        _check_row_counts(data, infos, max_rows)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise not_xlsx from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise not_xlsx from exc
    try:
        sheet = workbook.worksheets[0]
        try:
            for count, row in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)  # type: ignore[union-attr]
            ):
                if count > max_rows:
                    raise _too_many_rows(max_rows)
                yield [_cell_text(value) for value in row]
        except ContactImportError:
            raise
        except Exception as exc:
            raise not_xlsx from exc
    finally:
        workbook.close()


def _decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ContactImportError(
                _l("Filen kunde inte läsas som text. Spara den som CSV (UTF-8) och försök igen.")
            ) from exc
    # Text files do not hold NUL or other control characters; images and programs do.
    if re.search(r"[\x00-\x08\x0e-\x1f]", text[:65536]):
        raise ContactImportError(_l("Filen är varken ett Excel-ark (.xlsx) eller en CSV-fil."))
    return text


def _csv_rows(data: bytes, max_rows: int) -> Iterator[list[str]]:
    text = _decode_text(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for count, row in enumerate(reader):
            if count > max_rows:
                raise _too_many_rows(max_rows)
            yield [_cell_text(value) for value in row[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise ContactImportError(
            _l("CSV-filen är felaktig på rad %(n)s.", n=reader.line_num)
        ) from exc


def read_contact_file(  # noqa: C901 - format, size, header and row checks in reading order
    filename: str, data: bytes, *, max_bytes: int, max_rows: int
) -> tuple[list[RawRow], list[str], list[str]]:
    """The data rows of an .xlsx or .csv, the columns recognised and the ones ignored.

    The content decides the format, not the file name: an .xlsx is a zip archive.
    """
    if not data:
        raise ContactImportError(_l("Filen är tom."))
    if len(data) > max_bytes:
        raise ContactImportError(
            _l("Filen är för stor. Den får vara högst %(n)s MB.", n=max(max_bytes // 2**20, 1))
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ContactImportError(
            _l("Filen är i det gamla Excel-formatet (.xls). Spara den som .xlsx och försök igen.")
        )
    if data.startswith(b"PK"):
        lines: Iterable[list[str]] = _xlsx_rows(data, max_bytes, max_rows)
    else:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            raise ContactImportError(_not_xlsx_message())
        lines = _csv_rows(data, max_rows)
    header: dict[int, str] = {}
    columns: list[str] = []
    ignored: list[str] = []
    rows: list[RawRow] = []
    for line, cells in enumerate(lines, start=1):
        if not any(cells):
            continue
        if not columns and not ignored:
            for index, text in enumerate(cells):
                key = _header_key(text)
                if key and key not in columns:
                    header[index] = key
                    columns.append(key)
                elif text:
                    ignored.append(text)
            if "email" not in columns:
                raise ContactImportError(
                    _l(
                        "Filen saknar en kolumn för e-postadress. Den första raden ska ha "
                        "rubriker, till exempel E-post, Namn, Titel, Organisation, Nätverk."
                    )
                )
            continue
        values = {key: cells[index] for index, key in header.items() if index < len(cells)}
        rows.append(RawRow(line, {key: values.get(key, "") for key in columns}))
    if not columns:
        raise ContactImportError(_l("Filen är tom."))
    if not rows:
        raise ContactImportError(_l("Filen har rubriker men inga kontaktpersoner under dem."))
    return rows, columns, ignored


# Classifying --------------------------------------------------------------------------


class _Register:
    """The parts of the register an import looks things up in, loaded once."""

    def __init__(self, emails: Iterable[str]) -> None:
        self.by_code: dict[str, Organisation] = {}
        self.by_name: dict[str, Organisation] = {}
        for org in db.session.scalars(select(Organisation)):
            self.by_name[org.name.lower()] = org
            if org.county_code:
                self.by_code[org.county_code] = org
                self.by_name[org.display_name.lower()] = org
        self.networks = {n.name.lower(): n for n in db.session.scalars(select(Network))}
        self.contacts: dict[str, Contact] = {}
        wanted = sorted(set(emails))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for contact in db.session.scalars(select(Contact).where(Contact.email.in_(chunk))):
                self.contacts[contact.email or ""] = contact

    def organisation(self, text: str) -> Organisation | None:
        found = self.by_name.get(text.lower())
        if found is None:
            code = re.match(r"^(\d{1,2})(?:\s|$)", text)
            if code:
                found = self.by_code.get(code.group(1).zfill(2))
        return found


def _email_or_none(raw: str) -> str | None:
    try:
        return normalise_contact_email(raw)
    except RegisterError:
        return None


def classify_rows(raw_rows: list[RawRow]) -> list[ImportRow]:
    """Decide for each row whether it adds, updates, changes nothing or cannot be imported."""
    emails = {row.line: _email_or_none(row.values.get("email", "")) for row in raw_rows}
    register = _Register(e for e in emails.values() if e)
    seen: dict[str, int] = {}
    result = []
    for raw in raw_rows:
        row = ImportRow(raw.line, dict(raw.values))
        email = emails[raw.line]
        if not row.email:
            row.errors.append(_("E-postadress saknas."))
        elif email is None:
            row.errors.append(_("Ogiltig e-postadress: %(value)s", value=row.email))
        elif email in seen:
            row.errors.append(_("Samma e-postadress som på rad %(n)s.", n=seen[email]))
        else:
            seen[email] = raw.line
            row.values["email"] = email
            row.contact = register.contacts.get(email)
        _check_values(row, register)
        if row.errors:
            row.status = ERROR
        elif row.contact is not None:
            row.changes = _changes(row)
            row.status = UPDATE if row.changes else UNCHANGED
        result.append(row)
    return result


def _check_values(row: ImportRow, register: _Register) -> None:
    values = row.values
    if not values.get("name") and row.contact is None:
        row.errors.append(_("Namn saknas."))
    for key, limit in MAX_LENGTHS.items():
        if len(values.get(key, "")) > limit:
            row.errors.append(
                _("%(field)s är för långt (högst %(n)s tecken).", field=_label(key), n=limit)
            )
    org_text = values.get("organisation", "")
    if org_text:
        row.organisation = register.organisation(org_text)
        if row.organisation is None:
            row.errors.append(_("Okänd organisation: %(value)s", value=org_text))
    elif row.contact is None:
        row.errors.append(_("Organisation saknas."))
    for name in filter(None, (n.strip() for n in re.split(r"[;,]", values.get("networks", "")))):
        network = register.networks.get(name.lower())
        if network is None:
            row.errors.append(_("Okänt nätverk: %(value)s", value=name))
        elif network not in row.networks:
            row.networks.append(network)


def _label(key: str) -> str:
    return {
        "email": _("E-postadress"),
        "name": _("Namn"),
        "title": _("Titel"),
        "organisation": _("Organisation"),
        "networks": _("Nätverk"),
        "phone": _("Telefon"),
    }[key]


def _changes(row: ImportRow) -> list[str]:
    """What importing the row would change in its contact; empty cells keep what is there."""
    contact = row.contact
    assert contact is not None
    changed = [
        _label(key)
        for key in ("name", "title", "phone")
        if row.values.get(key) and row.values[key] != getattr(contact, key)
    ]
    if row.organisation is not None and row.organisation.id != contact.organisation_id:
        changed.append(_label("organisation"))
    if any(network not in contact.networks for network in row.networks):
        changed.append(_label("networks"))
    return changed


def preview_import(filename: str, data: bytes, *, max_bytes: int, max_rows: int) -> ImportPreview:
    raw, columns, ignored = read_contact_file(
        filename, data, max_bytes=max_bytes, max_rows=max_rows
    )
    return ImportPreview(filename, raw, classify_rows(raw), columns, ignored)


# Importing ----------------------------------------------------------------------------


def apply_import(preview: ImportPreview, actor: User | None, now: datetime) -> dict[str, int]:
    """Add and update the valid rows, with one audit event; the caller commits once."""
    for row in preview.importable:
        values = row.values
        contact = row.contact
        if contact is None:
            assert row.organisation is not None
            contact = Contact(
                organisation=row.organisation,
                name=values["name"],
                email=values["email"],
                title=values.get("title", ""),
                phone=values.get("phone", ""),
                created_at=now,
                updated_at=now,
            )
            db.session.add(contact)
        else:
            for key in ("name", "title", "phone"):
                if values.get(key):
                    setattr(contact, key, values[key])
            if row.organisation is not None:
                contact.organisation = row.organisation
            contact.updated_at = now
        for network in row.networks:
            if network not in contact.networks:
                contact.networks.append(network)
    counts = preview.counts
    db.session.flush()
    record_event(
        actor,
        "contact.import",
        "contact",
        None,
        _(
            "Import från %(file)s: %(new)s nya, %(update)s uppdaterade, %(error)s rader med fel",
            file=preview.filename,
            **counts,
        ),
        {"file": preview.filename, **counts},
        now=now,
    )
    db.session.flush()
    return counts


# Between preview and confirmation -----------------------------------------------------


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SIGNATURE_SALT)


def sign_preview(preview: ImportPreview, secret_key: str) -> str:
    """The rows read and the counts shown, signed, for the confirmation to send back."""
    payload = {
        "file": preview.filename,
        "columns": preview.columns,
        "ignored": preview.ignored_columns,
        "rows": [
            [raw.line, *(raw.values.get(k, "") for k in preview.columns)] for raw in preview.raw
        ],
        "counts": preview.counts,
    }
    return str(_serializer(secret_key).dumps(payload))


def load_signed_preview(token: str, secret_key: str) -> tuple[ImportPreview, dict[str, int]]:
    """The preview classified again against today's register, and the counts shown before."""
    try:
        payload = _serializer(secret_key).loads(token, max_age=SIGNATURE_MAX_AGE)
    except BadSignature as exc:
        raise ContactImportError(
            _l("Förhandsvisningen har gått ut eller är ogiltig. Ladda upp filen igen.")
        ) from exc
    columns = payload["columns"]
    raw = [RawRow(row[0], dict(zip(columns, row[1:], strict=True))) for row in payload["rows"]]
    preview = ImportPreview(payload["file"], raw, classify_rows(raw), columns, payload["ignored"])
    return preview, payload["counts"]
