"""Keeping user text from reordering the text around it.

A name with right-to-left letters, or with a stray override such as U+202E RIGHT-TO-LEFT
OVERRIDE, changes the direction of whatever follows it on the same line: "<elpmaxe…>,
näl sdnaltoG" instead of "Gotlands län, <…@example>". Text that users wrote (names,
titles, addresses, organisation and file names) is therefore isolated wherever it is shown
inline: in `<bdi>` in HTML, between FSI and PDI (U+2068, U+2069) in plain text. The Jinja
filter `isolate` picks the form from the template (HTML or plain-text mail).

Text that holds nothing that could change direction is left as it is, so that plain
names, addresses and file names stay exactly what they are when copied.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

FSI, PDI = "\u2068", "\u2069"
# Right-to-left letters, and the explicit embeddings, overrides and isolates.
_DIRECTIONAL = frozenset({"R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"})


def needs_isolation(text: str) -> bool:
    """Whether `text` could change the direction of the text around it."""
    return any(unicodedata.bidirectional(c) in _DIRECTIONAL for c in text)


def isolate_text(value: Any) -> str:
    """`value` between FSI and PDI, for plain text, when it needs isolating."""
    text = "" if value is None else str(value)
    return f"{FSI}{text}{PDI}" if needs_isolation(text) else text


def isolate_html(value: Any) -> Markup:
    """`value` escaped and, when it needs isolating, in `<bdi>`."""
    text = "" if value is None else str(value)
    if needs_isolation(text):
        return Markup("<bdi>{}</bdi>").format(text)
    return escape(text)


def isolate_format(pattern: str, *values: Any) -> Markup:
    """HTML for `pattern` (plain text with `{}` places) with each value isolated, e.g.
    isolate_format("{} <{}>, {}", name, email, organisation) for a checkbox label."""
    return escape(pattern).format(*(isolate_html(v) for v in values))


def isolate_message(message: str, **values: Any) -> Markup:
    """A translated message with %(name)s places, as HTML with each value isolated, e.g.
    flash(isolate_message(_("Kontaktpersonen %(name)s är sparad."), name=contact.name))."""
    return escape(message) % {key: isolate_html(value) for key, value in values.items()}


@pass_eval_context
def isolate_filter(eval_ctx: EvalContext, value: Any) -> str:
    """Jinja's `isolate`: `<bdi>` in HTML templates, FSI/PDI in plain-text ones."""
    return isolate_html(value) if eval_ctx.autoescape else isolate_text(value)
