"""Row heights and column widths for a printed workbook.

Excel and LibreOffice do not grow a row that a library wrote: its height is what the
file says. So the height of each row is computed here from its text and its columns'
widths, counting lines as a word-wrapping reader would, a little generously (the
font that prints may be wider than the one measured: Calibri, or Carlito in its place).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

LINE_POINTS = 15.0  # one line of 11 pt Calibri, Excel's default row
MAX_ROW_POINTS = 409.0  # the tallest row Excel allows
MAX_LINES = math.ceil(MAX_ROW_POINTS / LINE_POINTS)
# A column's width is counted in widths of "0"; running text is narrower per character
# (LibreOffice fits about 1.2 characters of Swedish text per width unit, measured on the
# rendered demo workbook), less what wrapping at word boundaries wastes.
CHARS_PER_WIDTH = 1.15
# What fits across A4 landscape at 100 % within the margins below, in column widths.
PRINTABLE_WIDTH = 140


def wrapped_lines(text: str, width: float, most: int = MAX_LINES) -> int:
    """How many lines `text` takes in a column `width` wide (counting stops at `most`)."""
    room = max(1, int(width * CHARS_PER_WIDTH) - 1)
    lines = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= room:
            lines += 1
        else:
            lines += _wrap(paragraph, room, most - lines)
        if lines >= most:
            return most
    return lines


def _wrap(paragraph: str, room: int, most: int) -> int:
    """Greedy word wrap; a word longer than a line is broken where the line ends."""
    lines, used = 1, 0
    for word in paragraph.split(" "):
        size = len(word)
        if used and used + 1 + size <= room:
            used += 1 + size
            continue
        if used:
            lines += 1
        lines += (size - 1) // room if size > room else 0
        used = size % room if size > room else size
        if lines >= most:
            return most
    return lines


def row_points(cells: Sequence[tuple[str, float]]) -> float | None:
    """The height of a row of (text, column width) pairs; None if one line is enough."""
    lines = max((wrapped_lines(text, width) for text, width in cells), default=1)
    if lines <= 1:
        return None
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + 2)


def fit_widths(widths: Sequence[int], room: int = PRINTABLE_WIDTH, least: int = 8) -> list[int]:
    """Widths shrunk in proportion (none below `least`) so that they fit in `room`."""
    total = sum(widths)
    if total <= room:
        return list(widths)
    scale = room / total
    return [max(least, math.floor(w * scale)) for w in widths]
