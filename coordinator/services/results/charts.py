"""Horizontal bar charts drawn as inline SVG on the server: no JavaScript, no inline
styles (the CSP forbids them; presentation attributes only), black text on white and a
dark fill that prints. The same numbers stand in a table beside the chart."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from coordinator.services.surveys.kinds.summaries import QuestionSummary, SummaryTable

WIDTH = 600
LABEL_WIDTH = 230
BAR_HEIGHT = 22
LINE_HEIGHT = 15
GAP = 8
VALUE_SPACE = 40
LABEL_CHARS = 29  # at 13 px, what fits in LABEL_WIDTH
TEXT = "#0b0c0c"
BAR = "#1d4f91"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


@dataclass(frozen=True)
class Layout:
    label_width: int
    label_chars: int
    bar_height: int
    gap: int


SCREEN = Layout(LABEL_WIDTH, LABEL_CHARS, BAR_HEIGHT, GAP)
# On paper every label is written whole, wrapped in a wider column, with tighter rows so
# that the 22 sectors of SNI 2007 fit on one A4 page with their question above.
PAPER = Layout(330, 46, 18, 6)


def _label_lines(label: str, layout: Layout, wrap: bool) -> list[str]:
    if not wrap:
        return [_short(label)]
    return textwrap.wrap(label, layout.label_chars) or [""]


def bar_chart(
    chart_id: str, title: str, counts: list[tuple[str, int]], *, wrap: bool = False
) -> Markup:
    """An <svg role="img"> labelled by its <title>; every bar carries its number. With
    `wrap` (for paper), labels are written whole over as many lines as they need."""
    layout = PAPER if wrap else SCREEN
    top = max((count for _label, count in counts), default=0) or 1
    labels = [_label_lines(label, layout, wrap) for label, _count in counts]
    rows = [max(layout.bar_height, len(lines) * LINE_HEIGHT + 4) for lines in labels]
    height = sum(rows) + layout.gap * (len(rows) + 1)
    scale = (WIDTH - layout.label_width - VALUE_SPACE) / top
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    y = layout.gap
    for (_label, count), lines, row in zip(counts, labels, rows, strict=True):
        length = round(scale * count, 1)
        bar_y = y + (row - layout.bar_height) // 2
        text_y = y + (row - len(lines) * LINE_HEIGHT) // 2 + 12
        for n, line in enumerate(lines):
            parts.append(
                f'<text x="{layout.label_width - 8}" y="{text_y + n * LINE_HEIGHT}" '
                f'text-anchor="end" font-size="13" fill="{TEXT}">{escape(line)}</text>'
            )
        parts += [
            f'<rect class="chart-bar" x="{layout.label_width}" y="{bar_y}" width="{length}" '
            f'height="{layout.bar_height}" fill="{BAR}"></rect>',
            f'<text class="chart-value" x="{layout.label_width + length + 6}" '
            f'y="{bar_y + layout.bar_height // 2 + 5}" font-size="13" fill="{TEXT}">{count}</text>',
        ]
        y += row + layout.gap
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


# Options: colours that differ in lightness as well as hue. Points of a scale: light to
# dark blue in order, and grey for what lies outside the scale ("Vet ej"). The number on a
# segment is white on the dark colours, black on the light ones.
SEGMENTS = ("#1d4f91", "#00703c", "#f47738", "#6f72af", "#b1b4b6", "#912b88", "#85994b")
SCALE = ("#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c")
OUTSIDE = "#b1b4b6"
LIGHT = {"#f47738", "#b1b4b6", "#85994b", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6"}
LEGEND_ROW = 22


def segment_colours(table: SummaryTable) -> list[str]:
    if not table.ordinal:
        return [SEGMENTS[n % len(SEGMENTS)] for n in range(table.counted)]
    points = table.counted - table.outside
    steps = [SCALE[round(i * (len(SCALE) - 1) / max(points - 1, 1))] for i in range(points)]
    return steps + [OUTSIDE] * table.outside


def stacked_chart(chart_id: str, title: str, table: SummaryTable) -> Markup:
    """One bar per row of `table`, split into its counts; a legend names the segments."""
    names = table.headers[1 : 1 + table.counted]
    colours = segment_colours(table)
    rows = [
        (str(line[0]), [int(n or 0) for n in line[1 : 1 + table.counted]]) for line in table.rows
    ]
    top = max((sum(counts) for _, counts in rows), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_SPACE) / top
    bars = len(rows) * (BAR_HEIGHT + GAP) + GAP
    height = bars + GAP + len(names) * LEGEND_ROW
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for index, (label, counts) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(_short(label))}</text>'
        )
        x = float(LABEL_WIDTH)
        for n, count in enumerate(counts):
            width = round(scale * count, 1)
            colour = colours[n]
            parts.append(
                f'<rect class="chart-segment" x="{x}" y="{y}" width="{width}" '
                f'height="{BAR_HEIGHT}" fill="{colour}" stroke="#fff"></rect>'
            )
            if count and width >= 18:
                ink = TEXT if colour in LIGHT else "#fff"
                parts.append(
                    f'<text class="chart-value" x="{x + width / 2}" y="{y + 16}" '
                    f'text-anchor="middle" font-size="12" fill="{ink}">{count}</text>'
                )
            x += width
    for n, name in enumerate(names):
        y = bars + GAP + n * LEGEND_ROW
        parts += [
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="14" height="14" '
            f'fill="{colours[n]}" stroke="{TEXT}" stroke-width="0.5"></rect>',
            f'<text x="{LABEL_WIDTH + 20}" y="{y + 12}" font-size="13" fill="{TEXT}">'
            f"{escape(_short(str(name)))}</text>",
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def summary_charts(questions: list[QuestionSummary], *, wrap: bool = False) -> dict[int, Markup]:
    """The chart of each question that has counts (bars) or a table of counts (stacked),
    by question id: what the results page, the shared results and the handout show;
    `wrap` (for paper) writes bar labels whole."""
    charts = {}
    for result in questions:
        chart_id = f"chart-{result.question.id}"
        if result.counts:
            title = _(
                "Fråga %(n)s: antal svar per %(by)s",
                n=result.question.number,
                by=str(result.counted_by).lower(),
            )
            charts[result.question.id] = bar_chart(chart_id, title, result.counts, wrap=wrap)
        elif result.table and result.table.counted:
            title = _("Fråga %(n)s: antal svar per rad", n=result.question.number)
            charts[result.question.id] = stacked_chart(chart_id, title, result.table)
    return charts
