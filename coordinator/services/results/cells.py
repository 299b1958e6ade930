"""Cells that are always what they look like: text stays text in Excel and in CSV.

A value that begins with =, +, -, @, tab, CR or LF would become a formula in a
spreadsheet; characters that Excel forbids would break the file; text longer than a
cell can hold would be cut silently. Every user-supplied value passes through here.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

EXCEL_CELL_LIMIT = 32_767
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
REPLACEMENT = "\ufffd"
# A separator (as any tool might read the file, quotes honoured or not), then perhaps
# spaces and quotes, then a character that starts a formula in the cell that follows.
FORMULA_AFTER_SEPARATOR = re.compile(r'([,;\t\r\n][\s"]*)(?=[=+\-@])')


def excel_text(value: str) -> str:
    """Forbidden control characters replaced, and over-long text cut with a visible marker."""
    text = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
    if len(text) > EXCEL_CELL_LIMIT:
        marker = f" […avkortat, {len(text)} tecken totalt]"
        text = text[: EXCEL_CELL_LIMIT - len(marker)] + marker
    return text


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def csv_text(value: str) -> str:
    """For CSV, where no cell type exists: an apostrophe before a formula-looking start
    keeps it from running (Excel shows the value without it). That start may be the
    value's own or come after a separator inside it: read with another separator than
    ours, or by a tool that ignores quotes, the text after it is a cell of its own."""
    guarded = FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    return "'" + guarded if looks_like_formula(guarded) else guarded
