"""Markdown written by staff, rendered to HTML that cannot run anything."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_parser = (
    MarkdownIt("commonmark", {"html": False, "linkify": False})
    .enable("table")
    .enable("strikethrough")
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}

# The longest text any form accepts (meeting notes); anything longer (only possible by
# writing to the database directly) is rendered up to here.
MAX_RENDERED_CHARS = 100_000


def render_markdown(text: str, top: int = 2) -> Markup:
    """Markdown to sanitised HTML: no scripts, no event handlers, no javascript: or data:
    links; links get rel="noopener noreferrer". Raw HTML in the text is shown as text.

    Headings fit the page they are shown on: the text's highest heading becomes an
    h`top` (the level below the heading the text sits under), the others follow it.

    Parsing costs up to ~30 µs a character for pathological input ("![" repeated), so
    each distinct text is rendered once per process and kept: a public page does not
    pay it on every request."""
    return Markup(_render((text or "")[:MAX_RENDERED_CHARS], top))  # noqa: S704 - nh3 below


@lru_cache(maxsize=256)
def _render(text: str, top: int) -> str:
    tokens = _parser.parse(text)
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    if headings:
        shift = top - min(int(t.tag[1]) for t in headings)
        for token in headings:
            token.tag = f"h{min(max(int(token.tag[1]) + shift, top), 6)}"
    html = _parser.renderer.render(tokens, _parser.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return str(clean)
