"""The participant list of a meeting as a workbook: who comes, who may, who does not,
and who has not answered, with organisation and networks (cells are always text)."""

from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from coordinator.localtime import STOCKHOLM
from coordinator.models import Meeting
from coordinator.services.projects.attendance import ANSWER_LABELS, attendance_overview
from coordinator.services.register.contact_export import set_text
from coordinator.services.results.cells import excel_text

ORDER = {"accepted": 0, "tentative": 1, "declined": 2, None: 3}


def participants_workbook(meeting: Meeting) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Deltagare")
    sheet.append([excel_text(meeting.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    when = meeting.starts_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    set_text(sheet.cell(row=2, column=1), excel_text(f"{when} {meeting.place}".strip()))
    headers = [
        _("Svar"),
        _("Namn"),
        _("Organisation"),
        _("Titel"),
        _("E-post"),
        _("Nätverk"),
        _("Svarade"),
    ]
    for column, header in enumerate(headers, start=1):
        sheet.cell(row=4, column=column, value=header).font = Font(bold=True)
    rows = sorted(
        attendance_overview(meeting).rows, key=lambda r: (ORDER[r.answer], r.contact.name)
    )
    for number, row in enumerate(rows, start=5):
        contact = row.contact
        values = [
            str(ANSWER_LABELS[row.answer]),
            contact.name,
            contact.organisation.display_name,
            contact.title,
            contact.email or "",
            "; ".join(n.name for n in contact.networks),
            row.answered_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
            if row.answered_at
            else "",
        ]
        for column, value in enumerate(values, start=1):
            set_text(sheet.cell(row=number, column=column), excel_text(value))
    for letter, width in zip("ABCDEFG", (16, 28, 34, 28, 34, 40, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
