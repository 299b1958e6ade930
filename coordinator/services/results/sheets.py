"""Sheets written through XlsxWriter's public API, set up to read on screen and on paper.

The workbook is written in `constant_memory` mode: each row goes to a temporary file as
soon as the next one starts, so only one row is in memory at a time and rows are
written top to bottom. Every text goes through `write_string` (and the workbook's
automatic conversions are off), so nothing a user typed becomes a formula, a number or
a link; text cells also carry Excel's quote prefix, as typed text does.

Every sheet prints on A4 with margins, the survey's title in the header and "Sida N av
M", the sheet's name and the export date in the footer; its header rows repeat on every
page; each row is as tall as its wrapped text (see layout.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from coordinator.services.results.cells import excel_text
from coordinator.services.results.layout import row_points
from coordinator.services.surveys.kinds.base import Link

DATE_FORMAT = "yyyy-mm-dd hh:mm"
DAY_FORMAT = "yyyy-mm-dd"
A4 = 9
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.8, "bottom": 0.8}  # inches
HEADER_MARGIN = 0.3
TITLE_IN_HEADER = 120  # characters: Excel allows 255 for a header, codes included


def header_text(text: str) -> str:
    """Text for a page header: "&" starts a code there, so it is doubled."""
    if len(text) > TITLE_IN_HEADER:
        text = text[: TITLE_IN_HEADER - 1] + "…"
    return text.replace("&", "&&")


class Book:
    """The workbook, its shared cell formats and the page set-up of every sheet."""

    def __init__(self, target: IO[bytes], title: str, exported: datetime) -> None:
        self.workbook = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.header = f"&L&B{header_text(title)}"
        self.footer = f"&L&A&CSida &P av &N&RExporterad {exported:%Y-%m-%d %H:%M}"
        base = {"text_wrap": True, "valign": "top"}
        add = self.workbook.add_format
        self.text = add({**base, "quote_prefix": True})
        self.bold = add({**base, "quote_prefix": True, "bold": True})
        self.date = add({**base, "num_format": DATE_FORMAT})
        self.day = add({**base, "num_format": DAY_FORMAT})
        self.number = add(base)
        self.link = add({**base, "quote_prefix": True, "font_color": "#0563C1", "underline": 1})

    def set_up_page(self, sheet: Worksheet, note: str = "") -> None:
        sheet.set_paper(A4)
        sheet.set_landscape()
        sheet.set_margins(**MARGINS)
        header = self.header + (f"&C{header_text(note)}" if note else "")
        sheet.set_header(header, {"margin": HEADER_MARGIN})
        sheet.set_footer(self.footer, {"margin": HEADER_MARGIN})
        sheet.hide_gridlines(0)  # shown on screen and printed: the cells are a table
        sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes

    def close(self) -> None:
        self.workbook.close()


class Sheet:
    """Rows into one sheet, top to bottom, each as tall as its wrapped text."""

    def __init__(
        self,
        book: Book,
        title: str,
        widths: Sequence[int],
        *,
        header_row: int = 1,
        title_rows: int = 1,
        frozen_columns: int = 1,
        printed_columns: int | None = None,
        note: str = "",
    ) -> None:
        """`printed_columns`: print only the first so many columns (and size the rows for
        them alone); `note`: a word in the middle of the printed pages' header."""
        self.book = book
        self.name = title
        self.sheet = book.workbook.add_worksheet(title)
        self.widths = list(widths)
        self.header_row = header_row
        self.row = 0  # the next row to write, counted from 0
        self.printed_columns = printed_columns or len(self.widths)
        self.breaks: list[int] = []  # rows that start a printed page
        for index, width in enumerate(self.widths):
            self.sheet.set_column(index, index, width)
        self.sheet.freeze_panes(header_row, frozen_columns)
        self.sheet.repeat_rows(header_row - title_rows, header_row - 1)
        book.set_up_page(self.sheet, note)

    def append(self, values: Iterable[Any], bold: bool = False) -> float:
        """Write a row; returns its height in points."""
        values = list(values)
        widths = self.widths
        # Only text that may not fit on one line is measured (most cells are short).
        texts = [
            (text, widths[column])
            for column, value in enumerate(values[: self.printed_columns])
            if (text := _shown(value)) and (len(text) >= widths[column] - 1 or "\n" in text)
        ]
        height = row_points(texts) if texts else None
        if height:
            self.sheet.set_row(self.row, height)
        for column, value in enumerate(values):
            if value is not None and value != "":
                self._write(column, value, bold)
        self.row += 1
        return height or 15.0

    def merged(self, text: str, bold: bool = False) -> float:
        """A text across all the columns (a title, a question), as tall as it needs."""
        cell_format = self.book.bold if bold else self.book.text
        height = row_points([(text, sum(self.widths))])
        if height:
            self.sheet.set_row(self.row, height)
        self.sheet.merge_range(self.row, 0, self.row, len(self.widths) - 1, "", cell_format)
        self.sheet.write_string(self.row, 0, excel_text(text), cell_format)
        self.row += 1
        return height or 15.0

    def _write(self, column: int, value: Any, bold: bool) -> None:
        book, row = self.book, self.row
        if isinstance(value, str):
            self.sheet.write_string(
                row, column, excel_text(value), book.bold if bold else book.text
            )
        elif isinstance(value, Link):
            text = excel_text(value.text)
            if self.sheet.write_url(row, column, value.url, book.link, text) < 0:
                self.sheet.write_string(row, column, text, book.text)
        elif isinstance(value, Decimal):
            # Excel numbers are doubles; an accepted number has at most 15 digits.
            number = int(value) if value == value.to_integral_value() else float(value)
            self.sheet.write_number(row, column, number, book.number)
        elif isinstance(value, datetime):
            self.sheet.write_datetime(row, column, value, book.date)
        elif isinstance(value, date):
            self.sheet.write_datetime(row, column, value, book.day)
        elif isinstance(value, bool):
            self.sheet.write_boolean(row, column, value, book.number)
        else:
            self.sheet.write_number(row, column, value, book.number)

    def finish(self) -> None:
        """The autofilter over the header row and every row below it; the print area."""
        last = max(self.row - 1, self.header_row - 1)
        self.sheet.autofilter(self.header_row - 1, 0, last, len(self.widths) - 1)
        if self.breaks:
            self.sheet.set_h_pagebreaks(self.breaks[:1023])  # Excel's limit
        if self.printed_columns < len(self.widths):
            self.sheet.print_area(0, 0, last, self.printed_columns - 1)


def _shown(value: Any) -> str:
    """The text a cell shows, or "" for a value that is not text."""
    if isinstance(value, str):
        return value
    return value.text if isinstance(value, Link) else ""
