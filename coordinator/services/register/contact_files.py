"""Reading a contact file (.xlsx or .csv) as users have them, within bounds.

Files come from registry exports and hand-kept lists: a title row or two above the
header, Windows-1252 CSV with semicolons, line breaks inside cells (Alt+Enter in Excel).
The header is looked for among the first rows, and every cell is folded to one line.

An upload is untrusted, and reading it must not tie up the server: the size, the rows and
the cells of every sheet and the shared strings of a workbook are counted in the raw,
streamed XML before openpyxl parses anything (a 0.14 MB file can hold 19 million shared
strings), openpyxl parses through defusedxml (no entity expansion), and the whole read has
a time budget. Reading needs no database, so callers do it outside any transaction.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from defusedxml import DefusedXmlException
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.services.errors import ContactImportError

COLUMNS = ("email", "name", "title", "organisation", "networks", "phone")
HEADER_NAMES = {
    "email": {"epost", "epostadress", "email", "emailadress", "emailaddress", "mail"},
    "name": {"namn", "name", "fullständigtnamn", "fullname"},
    "title": {"titel", "befattning", "title", "jobtitle", "roll", "funktion"},
    "organisation": {"organisation", "organization", "org", "myndighet", "län", "lan"},
    "networks": {"nätverk", "natverk", "networks", "network"},
    "phone": {"telefon", "telefonnummer", "phone", "tel", "mobil"},
}
HEADER_SEARCH_ROWS = 10  # the header is one of the first rows; titles and notes may come first
MAX_COLUMNS = 50  # columns read per row; the rest of a very wide sheet is ignored
MAX_CELL = 500  # characters kept from a cell; longer values are refused anyway
UNZIP_FACTOR = 20  # an .xlsx may unpack to this many times IMPORT_MAX_BYTES, no more
CHUNK = 1 << 20


@dataclass
class RawRow:
    line: int
    values: dict[str, str]


@dataclass
class ContactFile:
    """The data rows, the columns recognised and ignored, and the line of the header."""

    rows: list[RawRow]
    columns: list[str]
    ignored: list[str]
    header_line: int


@dataclass
class Limits:
    """How much of a file may be read, and for how long."""

    max_bytes: int
    max_rows: int
    max_seconds: float = 30.0
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.max_seconds

    @property
    def max_lines(self) -> int:
        """Rows in the file: the contacts, and the header with any title rows above it."""
        return self.max_rows + HEADER_SEARCH_ROWS

    @property
    def max_cells(self) -> int:
        return self.max_lines * MAX_COLUMNS

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ContactImportError(
                _l(
                    "Filen tog för lång tid att läsa (mer än %(n)s sekunder). "
                    "Dela upp den i mindre filer.",
                    n=int(self.max_seconds),
                )
            )


def _header_key(text: str) -> str | None:
    compact = re.sub(r"[\s_\-.:*()]+", "", text.strip().lower())
    for key, names in HEADER_NAMES.items():
        if compact in names:
            return key
    return None


def cell_text(value: Any) -> str:
    """A cell as one line of text: line breaks (Alt+Enter), tabs and control characters
    become single spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date().isoformat()
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", str(value))
    return " ".join(text.split())[:MAX_CELL]


def _too_many_rows(max_rows: int) -> ContactImportError:
    return ContactImportError(
        _(
            "Filen har för många rader. Högst %(n)s kontaktpersoner kan importeras på en gång.",
            n=max_rows,
        )
    )


def _too_much() -> ContactImportError:
    return ContactImportError(_l("Excel-arket är för stort för att importeras."))


def _not_xlsx_message() -> str:
    return _(
        "Filen kunde inte läsas som ett Excel-ark. Spara den som .xlsx eller .csv och försök igen."
    )


ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")
CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c[\s>/]")
SHARED_STRING_TAG = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")
DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s+ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")


@dataclass
class _Tally:
    """A tag counted in the raw XML of a part, and what refuses the file past `limit`."""

    tag: re.Pattern[bytes]
    limit: int
    refuse: Callable[[], ContactImportError]
    count: int = 0

    def add(self, buffer: bytes, end: int | None = None) -> None:
        self.count += len(self.tag.findall(buffer, 0, len(buffer) if end is None else end))
        if self.count > self.limit:
            raise self.refuse()


def _count(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, tallies: list[_Tally], limits: Limits
) -> None:
    """Count the tallies' tags in a part, reading it in chunks; a sheet's declared size
    is checked first."""
    carry = b""
    with archive.open(info) as stream:
        first = True
        while chunk := stream.read(CHUNK):
            limits.check_time()
            buffer = carry + chunk
            if first:
                declared = DIMENSION.search(buffer.split(b"sheetData", 1)[0])
                if declared and declared.group(1) and int(declared.group(1)) > limits.max_lines:
                    raise _too_many_rows(limits.max_rows)
                first = False
            cut = buffer.rfind(b"<")
            cut = cut if cut >= 0 else len(buffer)
            for tally in tallies:
                tally.add(buffer, cut)
            carry = buffer[cut:]
    for tally in tallies:
        tally.add(carry)


def _scan_parts(data: bytes, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Count the rows and cells of every sheet and the workbook's shared strings before
    openpyxl reads it, which it does in full whatever is later asked of it."""
    cells = _Tally(CELL_TAG, limits.max_cells, _too_much)
    shared = _Tally(SHARED_STRING_TAG, limits.max_cells, _too_much)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in infos:
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                rows = _Tally(ROW_TAG, limits.max_lines, lambda: _too_many_rows(limits.max_rows))
                _count(archive, info, [rows, cells], limits)
            elif name == "xl/sharedStrings.xml":
                _count(archive, info, [shared], limits)
    # Every shared string is the text of a cell somewhere; a workbook with many more
    # strings than cells was made to cost time, not to hold contacts.
    if shared.count > cells.count + 1000:
        raise _too_much()


def _caused_by_entities(exc: BaseException) -> bool:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _open_workbook(data: bytes, limits: Limits) -> Any:
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
    if sum(info.file_size for info in infos) > limits.max_bytes * UNZIP_FACTOR:
        raise _too_much()
    try:
        _scan_parts(data, infos, limits)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise not_xlsx from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise _unreadable(exc) from exc


def _unreadable(exc: BaseException) -> ContactImportError:
    if _caused_by_entities(exc):
        return ContactImportError(
            _l(
                "Excel-arket innehåller XML-entiteter, som ett Excel-ark aldrig har. "
                "Filen importeras inte."
            )
        )
    return ContactImportError(_not_xlsx_message())


def _xlsx_rows(data: bytes, limits: Limits) -> Iterator[list[str]]:
    """Rows of the first sheet, refusing early what would take too long or too much memory."""
    workbook = _open_workbook(data, limits)
    try:
        sheet = workbook.worksheets[0]
        try:
            for count, row in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)  # type: ignore[union-attr]
            ):
                if count >= limits.max_lines:
                    raise _too_many_rows(limits.max_rows)
                if count % 200 == 0:
                    limits.check_time()
                yield [cell_text(value) for value in row]
        except ContactImportError:
            raise
        except Exception as exc:
            raise _unreadable(exc) from exc
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


def _csv_rows(data: bytes, limits: Limits) -> Iterator[list[str]]:
    text = _decode_text(data)
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    # The separator is the one the header row uses most; title rows above it may use none.
    delimiter = max(
        (";", ",", "\t"), key=lambda d: max((line.count(d) for line in lines), default=0)
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for count, row in enumerate(reader):
            if count >= limits.max_lines:
                raise _too_many_rows(limits.max_rows)
            if count % 500 == 0:
                limits.check_time()
            yield [cell_text(value) for value in row[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise ContactImportError(
            _l("CSV-filen är felaktig på rad %(n)s.", n=reader.line_num)
        ) from exc


def _missing_email_column() -> ContactImportError:
    return ContactImportError(
        _l(
            "Filen saknar en kolumn för e-postadress. Rubrikerna ska stå på en av de första "
            "%(n)s raderna, till exempel E-post, Namn, Titel, Organisation, Nätverk.",
            n=HEADER_SEARCH_ROWS,
        )
    )


def _header(cells: list[str]) -> tuple[dict[int, str], list[str], list[str]]:
    """The recognised columns by position, their keys in order, and the other headings."""
    header: dict[int, str] = {}
    columns: list[str] = []
    ignored: list[str] = []
    for index, text in enumerate(cells):
        key = _header_key(text)
        if key and key not in columns:
            header[index] = key
            columns.append(key)
        elif text:
            ignored.append(text)
    return header, columns, ignored


def _rows_under_header(lines: Iterable[list[str]], max_rows: int) -> ContactFile:
    header: dict[int, str] = {}
    found: ContactFile | None = None
    seen_anything = False
    for line, cells in enumerate(lines, start=1):
        if not any(cells):
            continue
        seen_anything = True
        if found is None:
            header, columns, ignored = _header(cells)
            if "email" in columns:
                found = ContactFile([], columns, ignored, line)
            elif line >= HEADER_SEARCH_ROWS:
                raise _missing_email_column()
            continue
        if len(found.rows) >= max_rows:
            raise _too_many_rows(max_rows)
        values = {key: cells[index] for index, key in header.items() if index < len(cells)}
        found.rows.append(RawRow(line, {key: values.get(key, "") for key in found.columns}))
    if not seen_anything:
        raise ContactImportError(_l("Filen är tom."))
    if found is None:
        raise _missing_email_column()
    if not found.rows:
        raise ContactImportError(_l("Filen har rubriker men inga kontaktpersoner under dem."))
    return found


def read_contact_file(
    filename: str, data: bytes, *, max_bytes: int, max_rows: int, max_seconds: float = 30.0
) -> ContactFile:
    """The contact rows of an .xlsx or .csv under the header found among its first rows.

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
    limits = Limits(max_bytes, max_rows, max_seconds)
    if data.startswith(b"PK"):
        return _rows_under_header(_xlsx_rows(data, limits), max_rows)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ContactImportError(_not_xlsx_message())
    return _rows_under_header(_csv_rows(data, limits), max_rows)
