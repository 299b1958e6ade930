"""Numbers as Swedish people type and read them: "3,5", "1 200", "−4", "1 200,75".

A decimal comma or point; spaces (also no-break and thin spaces) between groups of three
digits; a plus, minus or the typographic minus sign first. At most 15 significant digits
and 6 decimals, so that every accepted number is also exactly a number in a spreadsheet.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_DIGITS = 15
MAX_DECIMALS = 6
GROUP_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space
NBSP = "\u00a0"

_NUMBER = re.compile(
    r"(?P<sign>[+\-\u2212]?)\s*"
    r"(?P<whole>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)"
    r"(?:[.,](?P<fraction>\d+))?"
)


class NotANumber(ValueError):
    """The text is not a number as written in Swedish."""


class TooPrecise(ValueError):
    """More digits than a spreadsheet keeps exactly."""


def parse_number(text: str) -> Decimal:
    """The number in `text`, or NotANumber / TooPrecise."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise NotANumber(text)
    whole = re.sub(f"[{GROUP_SPACES}]", "", match["whole"])
    fraction = match["fraction"] or ""
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    try:
        value = Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation as exc:  # the pattern admits digits only; kept for safety
        raise NotANumber(text) from exc
    digits = len(whole.lstrip("0")) + len(fraction)
    if len(fraction) > MAX_DECIMALS or digits > MAX_DIGITS:
        raise TooPrecise(text)
    return value if value else Decimal(0)  # no "-0"


def format_number(value: Decimal, group: bool = True) -> str:
    """ "1 200,5": a decimal comma, no trailing zeros, and (with `group`) no-break spaces
    between groups of three digits in numbers of five digits or more."""
    text = format(value.normalize(), "f") if value else "0"
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    if group and len(whole) > 4:
        head = len(whole) % 3 or 3
        whole = NBSP.join([whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)])
    return sign + whole + ("," + fraction if fraction else "")
