"""The workbook for the workshop, and the same answers as CSV.

The workbook is written in openpyxl's write-only mode (rows stream to disk, nothing is
held per cell), in this order: Översikt, Alla svar, one sheet per question,
Sammanställning and Frågor. Every sheet has a frozen header row and organisation
column, an autofilter, wrapped text, fitted column widths and a landscape print set-up
one page wide with the header row repeated.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from coordinator.models import Question, Survey
from coordinator.services.followup import build_dashboard
from coordinator.services.results import ResponseRow, response_rows, summarise
from coordinator.services.spreadsheet_cells import csv_text, excel_text
from coordinator.services.surveys import answerable_questions
from coordinator.surveys.labels import KIND_LABELS

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DATE_FORMAT = "yyyy-mm-dd hh:mm"
WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
STATUS = {
    "on_time": "Svarat i tid",
    "late": "Svarat sent",
    "draft": "Utkast",
}
MAIL_STATES = {
    "queued": "I kö",
    "sending": "Skickas",
    "sent": "Skickat",
    "failed": "Misslyckades",
    "skipped": "Skickas inte",
}


def _local(value: datetime | None) -> datetime | None:
    return value.astimezone(STOCKHOLM).replace(tzinfo=None) if value else None


def yes_no(value: str) -> str:
    return {"yes": "Ja", "no": "Nej"}.get(value, value)


class SheetWriter:
    """Rows into one write-only sheet, with the set-up every sheet shares."""

    def __init__(
        self, workbook: Workbook, title: str, widths: list[int], header_row: int = 1
    ) -> None:
        self.sheet: WriteOnlyWorksheet = workbook.create_sheet(title)
        self.header_row = header_row
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.columns = len(widths)
        self.rows = 0
        self.sheet.freeze_panes = f"B{header_row + 1}"
        self.sheet.print_title_rows = f"{header_row}:{header_row}"
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True

    def cell(self, value: Any, bold: bool = False) -> WriteOnlyCell:
        if isinstance(value, str):
            cell = WriteOnlyCell(self.sheet, value=excel_text(value))
            cell.data_type = "s"  # text is text, whatever it begins with
            cell.quotePrefix = True
        else:
            cell = WriteOnlyCell(self.sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = DATE_FORMAT
        cell.alignment = WRAP
        if bold:
            cell.font = BOLD
        return cell

    def append(self, values: Iterable[Any], bold: bool = False) -> None:
        self.sheet.append([self.cell(v, bold) if v is not None else None for v in values])
        self.rows += 1

    def finish(self) -> None:
        if self.rows > self.header_row:
            last = get_column_letter(self.columns)
            self.sheet.auto_filter.ref = f"A{self.header_row}:{last}{self.rows}"


def sheet_name(number: str, used: set[str]) -> str:
    """A valid, unique sheet name from a question number."""
    name = re.sub(r"[\[\]:*?/\\]", "-", number).strip("'")[:31] or "Fråga"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def answer_cells(question: Question, answer: Any) -> list[str]:
    """The cells of one question in "Alla svar": two for yes/no (Ja/Nej, Kommentar)."""
    if question.kind == "yes_no_comment":
        return [yes_no(answer.choice) if answer else "", answer.text if answer else ""]
    return [answer_text(question, answer)]


def answer_text(question: Question, answer: Any) -> str:
    if answer is None:
        return ""
    labels = {o["value"]: o["label"] for o in question.options}
    if question.kind == "multiple_choice":
        parts = [labels.get(v, v) for v in answer.options]
        if answer.other.strip():
            parts.append(f"{question.other_label or 'Annat'}: {answer.other}")
        return "; ".join(parts)
    if question.kind == "single_choice":
        text = labels.get(answer.choice, answer.choice)
        return f"{text}; {question.other_label}: {answer.other}" if answer.other.strip() else text
    return answer.text


def all_answers_header(questions: list[Question]) -> list[str]:
    header = ["Länskod", "Organisation", "Svarande", "Status", "Samordnat svar", "Inskickat"]
    for q in questions:
        if q.kind == "yes_no_comment":
            header += [f"{q.number} Ja/Nej: {q.text}", f"{q.number} Kommentar"]
        else:
            header.append(f"{q.number}: {q.text}")
    return header


def all_answers_rows(questions: list[Question], rows: list[ResponseRow]) -> Iterable[list[Any]]:
    for row in rows:
        cells: list[Any] = [
            row.organisation.county_code or "",
            row.organisation.name,
            row.respondent,
            STATUS[row.status],
            "Ja" if row.coordinated else "Nej",
            _local(row.submitted_at),
        ]
        for q in questions:
            cells += answer_cells(q, row.answers.get(q.id))
        yield cells


def write_workbook(
    survey: Survey,
    target: IO[bytes],
    *,
    include_drafts: bool = False,
    coordinated_only: bool = False,
    now: datetime,
) -> None:
    questions = answerable_questions(survey)
    rows = list(
        response_rows(survey, include_drafts=include_drafts, coordinated_only=coordinated_only)
    )
    workbook = Workbook(write_only=True)
    used: set[str] = {"översikt", "alla svar", "sammanställning", "frågor"}

    _overview(workbook, survey, rows, now)

    header = all_answers_header(questions)
    sheet = SheetWriter(workbook, "Alla svar", [8, 34, 22, 14, 10, 16] + [40] * (len(header) - 6))
    sheet.append(header, bold=True)
    for cells in all_answers_rows(questions, rows):
        sheet.append(cells)
    sheet.finish()

    for q in questions:
        sheet = SheetWriter(workbook, sheet_name(q.number, used), [34, 60, 60, 24], header_row=3)
        sheet.append([f"Fråga {q.number}"], bold=True)
        sheet.append([q.text])
        sheet.append(["Organisation", "Svar", "Kommentar", "Svarande"], bold=True)
        for row in rows:
            answer = row.answers.get(q.id)
            if q.kind == "yes_no_comment":
                main, comment = (yes_no(answer.choice), answer.text) if answer else ("", "")
            else:
                main, comment = answer_text(q, answer), ""
            sheet.append([row.organisation.name, main, comment, row.respondent])
        sheet.finish()

    _summary(workbook, survey, rows)

    sheet = SheetWriter(workbook, "Frågor", [10, 80, 24, 14])
    sheet.append(["Nummer", "Fråga", "Typ", "Obligatorisk"], bold=True)
    for q in survey.questions:
        sheet.append(
            [q.number, q.text, str(KIND_LABELS.get(q.kind, q.kind)), "Ja" if q.required else "Nej"]
        )
    sheet.finish()
    workbook.save(target)


def _overview(workbook: Workbook, survey: Survey, rows: list[ResponseRow], now: datetime) -> None:
    dashboard = build_dashboard(survey)
    boards = dashboard.boards
    sheet = SheetWriter(workbook, "Översikt", [8, 36, 16, 18, 36, 12, 16], header_row=10)
    sheet.append([survey.title], bold=True)
    sheet.append(["Svara senast", _local(survey.deadline_at)])
    sheet.append(["Exporterad", _local(now)])
    sheet.append(["Inbjudna länsstyrelser", sum(1 for b in boards if b.invited)])
    sheet.append(["Svarat i tid", sum(1 for b in boards if b.status == "on_time")])
    sheet.append(["Svarat sent", sum(1 for b in boards if b.status == "late")])
    sheet.append(["Utkast", sum(1 for b in boards if b.status == "draft")])
    sheet.append(["Ej svarat", sum(1 for b in boards if not b.answered and b.status != "draft")])
    sheet.append([])
    sheet.append(
        [
            "Länskod",
            "Organisation",
            "Status",
            "Inskickat",
            "Svarande",
            "Samordnat svar",
            "Senaste e-post",
        ],
        bold=True,
    )
    by_org: dict[int, list[ResponseRow]] = {}
    for row in rows:
        by_org.setdefault(row.organisation.id, []).append(row)
    for entry in dashboard.rows:
        org_rows = by_org.get(entry.organisation.id, [])
        submitted = [r.submitted_at for r in org_rows if r.submitted_at]
        status = STATUS.get(entry.status, "Ej svarat")
        sheet.append(
            [
                entry.organisation.county_code or "",
                entry.organisation.name,
                status,
                _local(min(submitted)) if submitted else None,
                ", ".join(r.respondent for r in org_rows if r.respondent),
                "Ja" if entry.coordinated else "Nej",
                MAIL_STATES.get(entry.mail_state or "", ""),
            ]
        )
    sheet.finish()


def _summary(workbook: Workbook, survey: Survey, rows: list[ResponseRow]) -> None:
    sheet = SheetWriter(workbook, "Sammanställning", [50, 12, 14], header_row=1)
    sheet.append(["Fråga och svar", "Antal", "Obesvarade"], bold=True)
    for summary in summarise(survey, rows):
        if not summary.counts:
            continue
        sheet.append(
            [f"{summary.question.number}: {summary.question.text}", None, summary.unanswered],
            bold=True,
        )
        first = sheet.rows + 1
        for label, count in summary.counts:
            sheet.append([label, count])
        last = sheet.rows
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"Fråga {summary.question.number}"
        chart.legend = None
        chart.add_data(
            Reference(sheet.sheet, min_col=2, min_row=first, max_row=last), titles_from_data=False
        )
        chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=first, max_row=last))
        chart.height = max(4, 0.6 * (last - first + 1) + 2)
        chart.width = 16
        sheet.sheet.add_chart(chart, f"E{first - 1}")
        sheet.append([])
    sheet.finish()


def write_csv(
    survey: Survey,
    target: IO[bytes],
    *,
    include_drafts: bool = False,
    coordinated_only: bool = False,
) -> None:
    """ "Alla svar" as CSV for Swedish Excel: UTF-8 with BOM, semicolons, CRLF."""
    questions = answerable_questions(survey)
    rows = list(
        response_rows(survey, include_drafts=include_drafts, coordinated_only=coordinated_only)
    )
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(all_answers_header(questions))
    for cells in all_answers_rows(questions, rows):
        writer.writerow(
            [
                v.strftime("%Y-%m-%d %H:%M")
                if isinstance(v, datetime)
                else csv_text(str(v))
                if v is not None
                else ""
                for v in cells
            ]
        )
    text.flush()
    text.detach()
