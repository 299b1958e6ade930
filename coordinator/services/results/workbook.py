"""The workbook for the workshop, and the "Alla svar" table as CSV.

The workbook is written with XlsxWriter (see sheets.py): rows stream to temporary files
and only one response's answers are in memory at a time. All sheets are created first
(that fixes their order: Översikt, Alla svar, one per question, Sammanställning, Frågor);
one pass over the responses then writes "Alla svar" and every question sheet together
and counts the answers for Sammanställning through `summarise_survey`, the function the
results page uses too.

On screen every sheet has a frozen header row and organisation column, an autofilter,
wrapped text and dates as Excel datetimes in Stockholm time. On paper the question
sheets are what is printed for the workshop: one question per sheet, its text above the
boards' answers, one A4 page wide at (close to) full size. "Alla svar", the wide table
for filtering, would shrink to an unreadable page: it prints only who answered, when,
and in what status (its first six columns), and its rows are sized for those.
Sammanställning prints one question per page, its counts beside its bar chart, so that
no chart is split. The workbook's
words are Swedish whatever the interface language: it is the workshop's paper.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from flask_babel import force_locale

from coordinator.bidi import isolate_text
from coordinator.localtime import STOCKHOLM
from coordinator.models import Question, Survey
from coordinator.services.results.cells import csv_text
from coordinator.services.results.charts import BAR, segment_colours
from coordinator.services.results.layout import fit_widths
from coordinator.services.results.sheets import Book, Sheet
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
    book = Book(target, survey.title, local_time(now) or now)

    _overview(book, survey, heads, now, organisation_width)

    header = all_answers_header(questions)
    answers_sheet = Sheet(
        book,
        "Alla svar",
        [organisation_width, 8, 22, 13, 10, 16]
        + [c.width for q in questions for c in kind_of(q).columns(q)],
        # On paper, who answered; the answers print on the question sheets.
        printed_columns=6,
        note="Svaren skrivs ut på frågornas blad",
    )
    answers_sheet.append(header, bold=True)

    used = {name.lower() for name in FIXED_SHEETS}
    question_sheets = [
        (q, _question_sheet(book, q, sheet_name(q.number, used), organisation_width))
        for q in questions
    ]
    summary_sheet = Sheet(book, "Sammanställning", [45, 10, 12, 12])
    key_sheet = Sheet(book, "Frågor", [10, 80, 22, 13])

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
    book.close()


def _question_sheet(book: Book, q: Question, name: str, organisation_width: int) -> Sheet:
    """The question's number, its text across the page, then the boards' answers; the
    columns fit across A4 landscape so that it prints at (close to) full size."""
    kind = kind_of(q)
    sheet = Sheet(
        book,
        name,
        fit_widths([organisation_width, *kind.sheet_widths, 24]),
        header_row=3,
        title_rows=3,
    )
    sheet.append([f"Fråga {q.number}"], bold=True)
    sheet.merged(q.text)
    sheet.append(["Organisation", *kind.sheet_headers, "Svarande"], bold=True)
    return sheet


def _overview(
    book: Book,
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
    sheet = Sheet(
        book,
        "Översikt",
        fit_widths([24, organisation_width, 14, 16, 30, 10, 16]),
        header_row=10,
        frozen_columns=2,  # code and organisation
    )
    sheet.merged(survey.title, bold=True)
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


# Chart sizes in pixels: a bar per category with room for its label on one line.
CHART_WIDTH = 500
WIDE_CHART = 1000  # across the page, on a page of its own: long labels stay on one line
BAR_PIXELS = 24
CHART_FRAME = 80
LEGEND_PIXELS = 22
PIXELS_PER_POINT = 4 / 3
SHORT_LABEL = 28  # characters that fit beside the bars of a chart of CHART_WIDTH
MANY_BARS = 12


def _summary(sheet: Sheet, summary: SurveySummary) -> None:
    """Per question what its kind sums up: counts with a native bar chart, figures (count,
    mean …), and a table (one row per grid row) with a stacked bar chart. Each question
    starts a page when printed, and a chart that would not fit beside its counts gets a
    page of its own, so that a chart is never split over two."""
    sheet.append(["Fråga och svar", "Antal", "Obesvarade", "Ej aktuella"], bold=True)
    for result in summary.questions:
        if not (result.counts or result.figures or result.table):
            continue
        if sheet.row > 1:
            sheet.breaks.append(sheet.row)
        used = sheet.append(
            [
                f"{result.question.number}: {result.question.text}",
                None,
                result.unanswered,
                result.not_applicable or None,
            ],
            bold=True,
        )
        room = 0.0
        if result.counts:
            used, room = _counts(sheet, result, used)
        if result.note:
            used += sheet.append([str(result.note)])
        for figure in result.figures:
            used += sheet.append([str(figure.label), figure.value])
        if result.table:
            used += _table(sheet, result)
        # Leave room for a chart beside its rows before the next question starts.
        while used < room:
            used += sheet.append([])
    sheet.finish()


def _bar_chart(sheet: Sheet, title: str, subtype: str | None = None) -> Any:
    options = {"type": "bar"} | ({"subtype": subtype} if subtype else {})
    chart = sheet.book.workbook.add_chart(options)
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    font = {"size": 10}
    # In a bar chart the y axis is the categories': every one labelled, top to bottom as
    # listed, with the value axis kept below them.
    chart.set_y_axis({"reverse": True, "crossing": "max", "interval_unit": 1, "num_font": font})
    return chart


def _counts(sheet: Sheet, result: QuestionSummary, used: float) -> tuple[float, float]:
    """The counts and their bar chart: beside them if its labels are short and few, else
    below them across a page of its own. Returns the points used and those the chart
    needs from there."""
    first = sheet.row
    for label, count in result.counts:
        used += sheet.append([label, count])
    last = sheet.row - 1
    chart = _bar_chart(sheet, f"Fråga {result.question.number}")
    chart.add_series(
        {
            "categories": [sheet.name, first, 0, last, 0],
            "values": [sheet.name, first, 1, last, 1],
            "fill": {"color": BAR},
            "gap": 50,
            "data_labels": {"value": True, "font": {"size": 10}},
        }
    )
    chart.set_legend({"none": True})
    top = max((c for _, c in result.counts), default=0)
    axis: dict[str, Any] = {"name": "Antal svar", "min": 0, "num_font": {"size": 10}}
    if top <= 12:
        axis["major_unit"] = 1
    chart.set_x_axis(axis)
    height = CHART_FRAME + BAR_PIXELS * len(result.counts)
    longest = max(len(label) for label, _ in result.counts)
    if longest <= SHORT_LABEL and len(result.counts) <= MANY_BARS:
        chart.set_size({"width": CHART_WIDTH, "height": height})
        sheet.sheet.insert_chart(first - 1, len(sheet.widths), chart, {"x_offset": 10})
        return used, height / PIXELS_PER_POINT
    sheet.breaks.append(sheet.row)
    chart.set_size({"width": WIDE_CHART, "height": height})
    sheet.sheet.insert_chart(sheet.row, 0, chart, {"y_offset": 4})
    return 0.0, height / PIXELS_PER_POINT + 6


def _table(sheet: Sheet, result: QuestionSummary) -> float:
    """A table of counts (one row per grid row) and a stacked bar chart below it; the
    points used."""
    table = result.table
    assert table is not None
    used = sheet.append(table.headers, bold=True)
    header = sheet.row - 1
    for line in table.rows:
        used += sheet.append(line)
    if not table.rows or not table.counted:
        return used
    chart = _bar_chart(sheet, f"Fråga {result.question.number}", "stacked")
    for n, colour in enumerate(segment_colours(table), start=1):
        chart.add_series(
            {
                "name": [sheet.name, header, n],
                "categories": [sheet.name, header + 1, 0, sheet.row - 1, 0],
                "values": [sheet.name, header + 1, n, sheet.row - 1, n],
                "fill": {"color": colour},
                "border": {"color": "#FFFFFF"},
                "gap": 60,
            }
        )
    chart.set_legend({"position": "bottom", "font": {"size": 10}})
    chart.set_x_axis({"name": "Antal svar", "min": 0, "num_font": {"size": 10}})
    height = CHART_FRAME + BAR_PIXELS * len(table.rows) + LEGEND_PIXELS * 2
    chart.set_size({"width": CHART_WIDTH + 100, "height": height})
    sheet.sheet.insert_chart(sheet.row, 0, chart, {"y_offset": 6})
    return used + height / PIXELS_PER_POINT + 15


def _key(sheet: Sheet, survey: Survey) -> None:
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
