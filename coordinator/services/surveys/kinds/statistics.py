"""Summaries of numbers, dates and scales: count, extremes, median and mean, and the
answers counted in intervals (a histogram), by year or month, or by scale point."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.answers import AnswerInput
from coordinator.services.surveys.kinds.numbers import format_number
from coordinator.services.surveys.kinds.summaries import (
    Figure,
    QuestionSummary,
    SummaryTable,
    Tally,
)

if TYPE_CHECKING:
    from coordinator.models import Question

HISTOGRAM_BINS = 6
# Up to this many different values, each value is counted on its own.
DISTINCT_VALUES = 8
CENT = Decimal("0.01")


def mean(values: Sequence[Decimal]) -> Decimal:
    """The mean, to two decimals at most."""
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, ROUND_HALF_UP).normalize()


def nice_width(rough: Decimal) -> Decimal:
    """1, 2 or 5 times a power of ten, the first not smaller than `rough`."""
    power = Decimal(1).scaleb(rough.adjusted())
    return next(step * power for step in (1, 2, 5, 10) if rough <= step * power)


def histogram(values: Sequence[Decimal]) -> list[tuple[str, int]]:
    """Counts per value when there are few values, else per interval of a round width
    (each interval holds its lower bound, not its upper)."""
    counts = Counter(values)
    if len(counts) <= DISTINCT_VALUES:
        return [(format_number(v), counts[v]) for v in sorted(counts)]
    low, high = min(values), max(values)
    width = nice_width((high - low) / HISTOGRAM_BINS)
    start = (low / width).to_integral_value(ROUND_FLOOR) * width
    whole = all(v == v.to_integral_value() for v in values) and width >= 1
    bins: list[tuple[str, int]] = []
    edge = start
    while edge <= high:
        upper = edge + width
        inside = sum(n for v, n in counts.items() if edge <= v < upper)
        label = (
            f"{format_number(edge)}–{format_number(upper - 1)}"
            if whole
            else f"{format_number(edge)}–{format_number(upper)}"
        )
        bins.append((label, inside))
        edge = upper
    return bins


class NumberTally(Tally):
    def __init__(self, question: Question, collect_texts: bool) -> None:
        super().__init__(question, collect_texts)
        self.values: list[Decimal] = []

    def count(self, answer: AnswerInput) -> None:
        if isinstance(answer.value, Decimal):
            self.values.append(answer.value)
        else:
            self.unanswered += 1

    def texts_of(self, answer: AnswerInput) -> list[str]:
        return []

    def counts(self) -> list[tuple[str, int]]:
        return histogram(self.values) if self.values else []

    def summary(self) -> QuestionSummary:
        summary = super().summary()
        summary.counted_by = _l("Intervall")
        if len(set(self.values)) > DISTINCT_VALUES:
            summary.note = _l("Ett intervall räknar med sitt lägre tal men inte med det högre.")
        values = self.values
        summary.figures = [Figure(_l("Antal svar"), len(values))]
        if values:
            summary.figures += [
                Figure(_l("Minsta"), min(values)),
                Figure(_l("Median"), Decimal(statistics.median(values)).normalize()),
                Figure(_l("Medelvärde"), mean(values)),
                Figure(_l("Största"), max(values)),
            ]
        return summary


class DateTally(Tally):
    def __init__(self, question: Question, collect_texts: bool) -> None:
        super().__init__(question, collect_texts)
        self.values: list[date] = []

    def count(self, answer: AnswerInput) -> None:
        if isinstance(answer.value, date):
            self.values.append(answer.value)
        else:
            self.unanswered += 1

    def texts_of(self, answer: AnswerInput) -> list[str]:
        return []

    def counts(self) -> list[tuple[str, int]]:
        """By year, or by month when every date is in the same year."""
        if not self.values:
            return []
        by_month = len({d.year for d in self.values}) == 1
        keys = Counter(d.strftime("%Y-%m") if by_month else str(d.year) for d in self.values)
        return sorted(keys.items())

    def summary(self) -> QuestionSummary:
        summary = super().summary()
        by_month = len({d.year for d in self.values}) == 1
        summary.counted_by = _l("Månad") if by_month else _l("År")
        summary.figures = [Figure(_l("Antal svar"), len(self.values))]
        if self.values:
            summary.figures += [
                Figure(_l("Tidigast"), min(self.values)),
                Figure(_l("Senast"), max(self.values)),
            ]
        return summary


class ScaleTally(Tally):
    """Answers on a scale 1–n (and "Vet ej" outside it): the distribution and the mean of
    the answers on the scale."""

    def __init__(
        self, question: Question, collect_texts: bool, labels: Sequence[tuple[str, str]]
    ) -> None:
        super().__init__(question, collect_texts)
        self.labels = labels
        self.counter: Counter[str] = Counter()

    def count(self, answer: AnswerInput) -> None:
        if answer.choice:
            self.counter[answer.choice] += 1
        else:
            self.unanswered += 1

    def texts_of(self, answer: AnswerInput) -> list[str]:
        return []

    def counts(self) -> list[tuple[str, int]]:
        return [(label, self.counter[value]) for value, label in self.labels]

    def summary(self) -> QuestionSummary:
        summary = super().summary()
        summary.counted_by = _l("Värde")
        points = [Decimal(v) for v, n in self.counter.items() if v.isdigit() for _ in range(n)]
        summary.figures = [Figure(_l("Svar på skalan"), len(points))]
        if points:
            summary.figures.append(Figure(_l("Medelvärde"), mean(points)))
        return summary


class GridTally(Tally):
    """A grid: per row, the answers counted by column (and the mean on a scale)."""

    def __init__(
        self,
        question: Question,
        collect_texts: bool,
        rows: Sequence[tuple[str, str]],
        columns: Sequence[tuple[str, str]],
        scale: bool,
    ) -> None:
        super().__init__(question, collect_texts)
        self.rows = rows
        self.columns = columns
        self.scale = scale
        self.counters: dict[str, Counter[str]] = {value: Counter() for value, _ in rows}
        self.seen = 0  # responses in which the question applied

    def add(self, organisation: str, respondent: str, answer: AnswerInput | None) -> None:
        self.seen += 1
        super().add(organisation, respondent, answer)

    def count(self, answer: AnswerInput) -> None:
        for row, chosen in answer.rows.items():
            if row in self.counters and chosen:
                self.counters[row][chosen] += 1

    def texts_of(self, answer: AnswerInput) -> list[str]:
        return []

    def summary(self) -> QuestionSummary:
        summary = super().summary()
        headers = ["Rad", *(label for _, label in self.columns), "Obesvarade"]
        if self.scale:
            headers.append("Medelvärde")
        table_rows = []
        for value, label in self.rows:
            counter = self.counters[value]
            line: list[object] = [label, *(counter[v] for v, _ in self.columns)]
            line.append(self.seen - sum(counter.values()))
            if self.scale:
                points = [Decimal(v) for v, n in counter.items() if v.isdigit() for _ in range(n)]
                line.append(mean(points) if points else None)
            table_rows.append(line)
        outside = sum(1 for value, _ in self.columns if not value.isdigit())
        summary.table = SummaryTable(
            headers, table_rows, counted=len(self.columns), ordinal=self.scale, outside=outside
        )
        return summary
