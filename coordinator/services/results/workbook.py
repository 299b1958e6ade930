"""The workbook for the workshop, and the "Alla svar" table as CSV.

The workbook is written in openpyxl's write-only mode: rows stream to temporary files
and only one response's answers are in memory at a time. All sheets are created first
(that fixes their order: Översikt, Alla svar, one per question, Sammanställning, Frågor);
one pass over the responses then writes "Alla svar" and every question sheet together
and counts the answers for Sammanställning through `summarise_survey`, the function the
results page uses too.

Every sheet has a frozen header row and organisation column, an autofilter, wrapped
text, column widths that fit, dates as Excel datetimes in Stockholm time, and a
landscape print set-up one page wide with the header rows repeated on every page. The
workbook's words are Swedish whatever the interface language: it is the workshop's paper.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from copy import copy
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from coordinator.bidi import isolate_text
from coordinator.localtime import STOCKHOLM
from coordinator.models import Question, Survey
from coordinator.services.results.cells import csv_text, excel_text
from coordinator.services.results.summary import (
    ResponseRow,
    Selection,
    SurveySummary,
    iter_response_rows,
    response_heads,
    summarise_survey,
)
from coordinator.services.surveys.conditions import NOT_APPLICABLE
from coordinator.services.surveys.followup import (
    STATUS_DRAFT,
    STATUS_INVITED,
    STATUS_LATE,
    STATUS_NONE,
    STATUS_ON_TIME,
    STATUS_OPENED,
    build_dashboard,
)
from coordinator.services.surveys.kinds import kind_of
from coordinator.services.surveys.kinds.base import ExportValue, Link
from coordinator.services.surveys.kinds.numbers import format_number
from coordinator.services.surveys.kinds.summaries import QuestionSummary
from coordinator.services.surveys.questions import answerable_questions

DATE_FORMAT = "yyyy-mm-dd hh:mm"
DAY_FORMAT = "yyyy-mm-dd"
# The follow-up dashboard's statuses, in the workbook's Swedish.
STATUS = {
    STATUS_ON_TIME: "Svarat i tid",
    STATUS_LATE: "Svarat sent",
    STATUS_DRAFT: "Utkast",
    STATUS_OPENED: "Öppnat",
    STATUS_INVITED: "Inbjuden",
    STATUS_NONE: "Ej inbjuden",
}
MAIL_STATES = {
    "queued": "I kö",
    "sending": "Skickas",
    "sent": "Skickat",
    "failed": "Misslyckades",
    "skipped": "Skickas inte",
}
FIXED_SHEETS = ("Översikt", "Alla svar", "Sammanställning", "Frågor")
MIN_WIDTH, MAX_WIDTH = 8, 60


def local_time(value: datetime | None) -> datetime | None:
    """Excel has no time zones: naive Stockholm time."""
    return value.astimezone(STOCKHOLM).replace(tzinfo=None) if value else None


def fit(texts: Iterable[str], least: int = MIN_WIDTH, most: int = MAX_WIDTH) -> int:
    """A column width for the longest line among `texts`, within bounds (text wraps)."""
    longest = max((len(line) for t in texts for line in t.splitlines()), default=0)
    return max(least, min(most, longest + 2))


class SheetWriter:
    """Rows into one write-only sheet, with the set-up every sheet shares.

    Cell styles are made once per sheet and shared by its cells: text cells are always
    type "s" with quotePrefix, so a value that begins with "=" stays the text typed."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        widths: Sequence[int],
        *,
        header_row: int = 1,
        title_rows: int = 1,
        frozen_columns: int = 1,
    ) -> None:
        self.sheet: WriteOnlyWorksheet = workbook.create_sheet(title)
        self.header_row = header_row
        self.columns = len(widths)
        self.rows = 0
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_row + 1}"
        first_title = header_row - title_rows + 1
        self.sheet.print_title_rows = f"{first_title}:{header_row}"
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.sheet.print_options.gridLines = True
        wrap = Alignment(wrap_text=True, vertical="top")
        self.text_style = self._style(alignment=wrap, quotePrefix=True)
        self.bold_style = self._style(alignment=wrap, quotePrefix=True, font=Font(bold=True))
        self.date_style = self._style(alignment=wrap, number_format=DATE_FORMAT)
        self.day_style = self._style(alignment=wrap, number_format=DAY_FORMAT)
        self.number_style = self._style(alignment=wrap)
        link_font = Font(color="0563C1", underline="single")
        self.link_style = self._style(alignment=wrap, quotePrefix=True, font=link_font)

    def _style(self, **attributes: Any) -> Any:
        template = WriteOnlyCell(self.sheet)
        for name, value in attributes.items():
            setattr(template, name, value)
        return copy(template._style)  # the registered style, reused by every cell below

    def cell(self, value: Any, bold: bool = False) -> WriteOnlyCell | None:
        """A cell of the value's own type: text (never a formula), a number, a date and
        time, a date, or text with a link."""
        if value is None or value == "":
            return None
        if isinstance(value, str | Link):
            cell = WriteOnlyCell(self.sheet)
            # Set directly, not through `value`, which would make "=…" a formula.
            cell._value = excel_text(value.text if isinstance(value, Link) else value)
            cell.data_type = "s"
            cell._style = self.bold_style if bold else self.text_style
            if isinstance(value, Link):
                cell.hyperlink = value.url
                cell._style = self.link_style
        elif isinstance(value, Decimal):
            # Excel numbers are doubles; an accepted number has at most 15 digits.
            number = int(value) if value == value.to_integral_value() else float(value)
            cell = WriteOnlyCell(self.sheet, value=number)
            cell._style = self.number_style
        else:
            cell = WriteOnlyCell(self.sheet, value=value)
            if isinstance(value, datetime):
                cell._style = self.date_style
            elif isinstance(value, date):
                cell._style = self.day_style
            else:
                cell._style = self.number_style
        return cell

    def append(self, values: Iterable[Any], bold: bool = False) -> None:
        self.sheet.append([self.cell(v, bold) for v in values])
        self.rows += 1

    def finish(self) -> None:
        last = get_column_letter(self.columns)
        self.sheet.auto_filter.ref = f"A{self.header_row}:{last}{max(self.rows, self.header_row)}"


def sheet_name(number: str, used: set[str]) -> str:
    """A valid sheet name from a question number: at most 31 characters, none of
    []:*?/\\, not starting or ending with an apostrophe, unique (Excel ignores case)."""
    name = re.sub(r"[\[\]:*?/\\]", "-", number).strip("'").strip()[:31] or "Fråga"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def all_answers_header(questions: Sequence[Question]) -> list[str]:
    header = ["Organisation", "Länskod", "Svarande", "Status", "Samordnat svar", "Inskickat"]
    return header + [c.header for q in questions for c in kind_of(q).columns(q)]


def all_answers_row(questions: Sequence[Question], row: ResponseRow) -> list[Any]:
    cells: list[Any] = [
        row.organisation,
        row.county_code,
        row.respondent,
        STATUS[row.status],
        "Ja" if row.coordinated else "Nej",
        local_time(row.submitted_at),
    ]
    for q in questions:
        kind = kind_of(q)
        if q.id in row.not_applicable:
            cells += [NOT_APPLICABLE] + [None] * (len(kind.columns(q)) - 1)
        else:
            cells += kind.cells(q, row.answers.get(q.id))
    return cells


def question_rows(q: Question, row: ResponseRow) -> list[tuple[ExportValue, ExportValue]]:
    """The rows of one response on the question's own sheet."""
    if q.id in row.not_applicable:
        return [(NOT_APPLICABLE, None)]
    return kind_of(q).sheet_rows(q, row.answers.get(q.id))


def write_workbook(
    survey: Survey,
    target: IO[bytes],
    *,
    include_drafts: bool = False,
    coordinated_only: bool = False,
    now: datetime,
) -> None:
    with force_locale("sv"):  # the workshop's paper, whatever the reader's language
        _write_workbook(survey, target, include_drafts, coordinated_only, now)


def _write_workbook(
    survey: Survey, target: IO[bytes], include_drafts: bool, coordinated_only: bool, now: datetime
) -> None:
    selection = Selection(include_drafts=include_drafts, coordinated_only=coordinated_only)
    questions = answerable_questions(survey)
    heads = response_heads(survey, selection)
    organisation_width = fit((h.organisation for h in heads), least=24, most=40)
    workbook = Workbook(write_only=True)

    _overview(workbook, survey, heads, now, organisation_width)

    header = all_answers_header(questions)
    answers_sheet = SheetWriter(
        workbook,
        "Alla svar",
        [organisation_width, 8, 22, 13, 10, 16]
        + [c.width for q in questions for c in kind_of(q).columns(q)],
    )
    answers_sheet.append(header, bold=True)

    used = {name.lower() for name in FIXED_SHEETS}
    question_sheets = []
    for q in questions:
        kind = kind_of(q)
        sheet = SheetWriter(
            workbook,
            sheet_name(q.number, used),
            [organisation_width, *kind.sheet_widths, 24],
            header_row=3,
            title_rows=3,
        )
        sheet.append([f"Fråga {q.number}"], bold=True)
        sheet.append([q.text])
        sheet.append(["Organisation", *kind.sheet_headers, "Svarande"], bold=True)
        question_sheets.append((q, sheet))

    summary_sheet = SheetWriter(workbook, "Sammanställning", [50, 10, 12, 12])
    key_sheet = SheetWriter(workbook, "Frågor", [10, 80, 22, 13])

    def write_rows(row: ResponseRow) -> None:
        answers_sheet.append(all_answers_row(questions, row))
        for q, sheet in question_sheets:
            for main, comment in question_rows(q, row):
                sheet.append([row.organisation, main, comment, row.respondent])

    summary = summarise_survey(survey, selection, heads=heads, collect_texts=False, each=write_rows)
    answers_sheet.finish()
    for _, sheet in question_sheets:
        sheet.finish()
    _summary(summary_sheet, summary)
    _key(key_sheet, survey)
    workbook.save(target)


def _overview(
    workbook: Workbook,
    survey: Survey,
    heads: list[ResponseRow],
    now: datetime,
    organisation_width: int,
) -> None:
    """Counts for the county boards, then one row per organisation in county-code order."""
    dashboard = build_dashboard(survey)
    boards = dashboard.boards
    by_organisation: dict[int, list[ResponseRow]] = {}
    for head in heads:
        by_organisation.setdefault(head.organisation_id, []).append(head)
    sheet = SheetWriter(
        workbook,
        "Översikt",
        [fit([survey.title], least=24, most=40), organisation_width, 14, 16, 30, 10, 16],
        header_row=10,
        frozen_columns=2,  # code and organisation
    )
    sheet.append([survey.title], bold=True)
    sheet.append(["Svara senast", local_time(survey.deadline_at)])
    sheet.append(["Exporterad", local_time(now)])
    sheet.append(["Inbjudna länsstyrelser", sum(1 for b in boards if b.invited)])
    sheet.append(["Svarat i tid", sum(1 for b in boards if b.status == "on_time")])
    sheet.append(["Svarat sent", sum(1 for b in boards if b.status == "late")])
    sheet.append(["Utkast", sum(1 for b in boards if b.status == "draft")])
    sheet.append(
        [
            "Ej svarat",
            sum(1 for b in boards if b.invited and not b.answered and b.status != "draft"),
        ]
    )
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
    for entry in dashboard.rows:
        rows = by_organisation.get(entry.organisation.id, [])
        submitted = [r.submitted_at for r in rows if r.submitted_at]
        sheet.append(
            [
                entry.organisation.county_code or "",
                entry.organisation.name,
                STATUS[entry.status],
                local_time(max(submitted)) if submitted else None,
                # Several names in one cell: each isolated, so none reorders the next.
                ", ".join(dict.fromkeys(isolate_text(r.respondent) for r in rows if r.respondent)),
                "Ja" if entry.coordinated else "Nej",
                MAIL_STATES.get(entry.mail_state or "", ""),
            ]
        )
    sheet.finish()


def _summary(sheet: SheetWriter, summary: SurveySummary) -> None:
    """Per question what its kind sums up: counts with a native bar chart, figures (count,
    mean …), and a table (one row per grid row) with a stacked bar chart."""
    sheet.append(["Fråga och svar", "Antal", "Obesvarade", "Ej aktuella"], bold=True)
    for result in summary.questions:
        if not (result.counts or result.figures or result.table):
            continue
        sheet.append(
            [
                f"{result.question.number}: {result.question.text}",
                None,
                result.unanswered,
                result.not_applicable or None,
            ],
            bold=True,
        )
        start = sheet.rows
        room = _counts(sheet, result) if result.counts else 0
        if result.note:
            sheet.append([str(result.note)])
        for figure in result.figures:
            sheet.append([str(figure.label), figure.value])
        if result.table:
            room = max(room, _table(sheet, result))
        # Leave room for a chart below its rows before the next question starts.
        for _ in range(max(1, room - (sheet.rows - start))):
            sheet.append([])
    sheet.finish()


def _counts(sheet: SheetWriter, result: QuestionSummary) -> int:
    """The counts and their bar chart beside them; the rows the chart needs."""
    first = sheet.rows + 1
    for label, count in result.counts:
        sheet.append([label, count])
    last = sheet.rows
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = f"Fråga {result.question.number}"
    chart.legend = None
    chart.y_axis.title = "Antal svar"
    chart.y_axis.majorUnit = 1 if max(c for _, c in result.counts) <= 10 else None
    chart.x_axis.scaling.orientation = "maxMin"  # options top to bottom, as listed
    chart.add_data(
        Reference(sheet.sheet, min_col=2, min_row=first, max_row=last), titles_from_data=False
    )
    chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=first, max_row=last))
    chart.height = max(5.0, 0.7 * (last - first + 1) + 2.5)
    chart.width = 18
    sheet.sheet.add_chart(chart, f"E{first - 1}")
    return round(chart.height / 0.5)


def _table(sheet: SheetWriter, result: QuestionSummary) -> int:
    """A table of counts (one row per grid row) and a stacked bar chart to its right; the
    rows the chart needs."""
    table = result.table
    assert table is not None
    sheet.append(table.headers, bold=True)
    header = sheet.rows
    for line in table.rows:
        sheet.append(line)
    if not table.rows or not table.counted:
        return 0
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.style = 10
    chart.title = f"Fråga {result.question.number}"
    chart.y_axis.title = "Antal svar"
    chart.x_axis.scaling.orientation = "maxMin"  # rows top to bottom, as listed
    chart.add_data(
        Reference(
            sheet.sheet, min_col=2, max_col=1 + table.counted, min_row=header, max_row=sheet.rows
        ),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=header + 1, max_row=sheet.rows))
    chart.height = max(6.0, 0.8 * len(table.rows) + 3)
    chart.width = 20
    sheet.sheet.add_chart(chart, f"{get_column_letter(len(table.headers) + 2)}{header}")
    return round(chart.height / 0.5)


def _key(sheet: SheetWriter, survey: Survey) -> None:
    sheet.append(["Nummer", "Fråga", "Typ", "Obligatorisk"], bold=True)
    for q in survey.questions:
        sheet.append([q.number, q.text, kind_of(q).export_label, "Ja" if q.required else "Nej"])
    sheet.finish()


def write_csv(
    survey: Survey,
    target: IO[bytes],
    *,
    include_drafts: bool = False,
    coordinated_only: bool = False,
) -> None:
    """ "Alla svar" for Swedish Excel: UTF-8 with BOM, semicolons, CRLF, every field in
    quotes. A value, or a part of one after a separator, that could be read as a formula
    gets an apostrophe before it (see cells.csv_text)."""
    selection = Selection(include_drafts=include_drafts, coordinated_only=coordinated_only)
    questions = answerable_questions(survey)
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    with force_locale("sv"):
        writer.writerow([csv_text(h) for h in all_answers_header(questions)])
        for row in iter_response_rows(survey, selection):
            writer.writerow([csv_value(v) for v in all_answers_row(questions, row)])
    text.flush()
    text.detach()


def csv_value(value: Any) -> str:
    """A value as Swedish Excel reads it: dates as ÅÅÅÅ-MM-DD, numbers with a decimal
    comma, text that cannot run as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_number(value, group=False)
    if isinstance(value, Link):
        return csv_text(value.text)
    return csv_text(str(value))
