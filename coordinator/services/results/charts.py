"""Horizontal bar charts drawn as inline SVG on the server: no JavaScript, no inline
styles (the CSP forbids them; presentation attributes only), black text on white and a
dark fill that prints. The same numbers stand in a table beside the chart."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 600
LABEL_WIDTH = 230
BAR_HEIGHT = 22
GAP = 8
VALUE_SPACE = 40
LABEL_CHARS = 32
TEXT = "#0b0c0c"
BAR = "#1d4f91"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(chart_id: str, title: str, counts: list[tuple[str, int]]) -> Markup:
    """An <svg role="img"> labelled by its <title>; every bar carries its number."""
    top = max((count for _, count in counts), default=0) or 1
    height = len(counts) * (BAR_HEIGHT + GAP) + GAP
    scale = (WIDTH - LABEL_WIDTH - VALUE_SPACE) / top
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for index, (label, count) in enumerate(counts):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(scale * count, 1)
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(_short(label))}</text>',
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{length}" '
            f'height="{BAR_HEIGHT}" fill="{BAR}"></rect>',
            f'<text class="chart-value" x="{LABEL_WIDTH + length + 6}" y="{y + 16}" '
            f'font-size="13" fill="{TEXT}">{count}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
