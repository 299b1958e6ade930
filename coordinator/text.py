"""Text typed or imported by people, made fit for one-line places.

A name or title ends up in mail headers (To:, Subject:), calendar files and table
cells. A line break in one (Alt+Enter in an Excel cell, CR/LF pasted into a form) would
break a header, so such characters are folded to a space where the text comes in.
"""

from __future__ import annotations

import re

# C0 and C1 control characters (line breaks and tabs among them), DEL, and the Unicode
# line and paragraph separators; a run of them, with the spaces around it, is one space.
_BREAKS = re.compile(r"\s*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\s*")


def single_line(value: str) -> str:
    """`value` with line breaks and control characters folded to a space, ends stripped."""
    return _BREAKS.sub(" ", value).strip()


def single_line_filter(value: object) -> object:
    """`single_line` as a WTForms filter: a name of control characters alone is then
    empty, and a required field says so, instead of storing an empty name."""
    return single_line(value) if isinstance(value, str) else value
