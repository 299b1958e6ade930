"""Cells that are always what they look like: text stays text in Excel and in CSV.

A value that begins with =, +, -, @, tab, CR or LF would become a formula in a
spreadsheet; characters that Excel forbids would break the file; text longer than a
cell can hold would be cut silently. Every user-supplied value passes through here.
"""

from __future__ import annotations

import re

# The control characters an XML 1.0 file cannot hold (tab, LF and CR it can).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_CELL_LIMIT = 32_767
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
REPLACEMENT = "\ufffd"
# A separator (as any tool might read the file, quotes honoured or not), then perhaps
# spaces and quotes, then a character that starts a formula in the cell that follows.
FORMULA_AFTER_SEPARATOR = re.compile(r'([,;\t\r\n][\s"]*)(?=[=+\-@])')


def excel_text(value: str) -> str:
    """Forbidden control characters replaced, and over-long text cut with a visible marker."""
    if len(value) <= EXCEL_CELL_LIMIT and not ILLEGAL_CHARACTERS_RE.search(value):
        return value  # the common case, without building a new string
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
