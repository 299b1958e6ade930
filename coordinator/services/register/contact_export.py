"""The contact list as an .xlsx that opens safely in Excel and can be imported again."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from coordinator.bidi import isolate_text
from coordinator.localtime import STOCKHOLM
from coordinator.models import Contact

# A cell whose text starts with one of these could be taken for a formula (CSV/DDE injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def set_text(cell: Cell, value: str) -> None:
    """Store `value` as plain text, never as a formula, whatever it begins with."""
    cell.value = value
    if value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True


def export_contacts(contacts: Iterable[Contact]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Kontaktpersoner")
    headers = [
        _("E-post"),
        _("Namn"),
        _("Titel"),
        _("Organisation"),
        _("Nätverk"),
        _("Telefon"),
        _("Avanmäld"),
    ]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
    for row, contact in enumerate(contacts, start=2):
        values = [
            contact.email or "",
            contact.name,
            contact.title,
            contact.organisation.display_name,
            "; ".join(isolate_text(n.name) for n in contact.networks),
            contact.phone,
            contact.opted_out_at.astimezone(STOCKHOLM).date().isoformat()
            if contact.opted_out_at
            else "",
        ]
        for column, value in enumerate(values, start=1):
            set_text(sheet.cell(row=row, column=column), value)
    for letter, width in zip("ABCDEFG", (34, 28, 30, 36, 40, 16, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
