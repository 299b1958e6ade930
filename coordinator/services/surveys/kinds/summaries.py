"""What the answers to one question add up to, fed one answer at a time: the results
page, the workbook's "Sammanställning" and the workshop notes read these summaries.

A summary has parts that a kind fills as it needs: counts per value (a bar chart and a
table), figures (count, mean …), a table (one row per grid row), free text and files. The
readers show whichever parts are there, without asking the kind.

Labels are lazy texts in Swedish: the results page shows them in the reader's language,
the workbook (written in Swedish) as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.answers import AnswerInput, StoredFile
from coordinator.services.surveys.kinds.numbers import format_number

if TYPE_CHECKING:
    from coordinator.models import Question

OTHER = "__other__"
FigureValue = int | Decimal | date | None


def figure_text(value: object) -> str:
    """A figure as people read it: 1 200,5 · 2025-03-01 · 14 · – for none."""
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return "–" if value is None else str(value)


@dataclass
class Figure:
    label: Any  # a lazy text
    value: FigureValue


@dataclass
class SummaryTable:
    """Rows of counts, e.g. one per grid row: a label, a count per column, then extras."""

    headers: list[str]
    rows: list[list[Any]]
    # How many of the columns after the label are counts of answers (the rest: figures).
    counted: int = 0
    # Whether the counted columns are points of a scale, in order; of those, how many at
    # the end are outside the scale ("Vet ej").
    ordinal: bool = False
    outside: int = 0


@dataclass
class FileAnswer:
    organisation: str
    respondent: str
    file: StoredFile


@dataclass
class TextAnswer:
    organisation: str
    respondent: str
    text: str


@dataclass
class QuestionSummary:
    question: Question
    counts: list[tuple[str, int]]  # (label, count) in the question's order; empty for text
    unanswered: int
    texts: list[TextAnswer] = field(default_factory=list)  # by county code
    figures: list[Figure] = field(default_factory=list)
    table: SummaryTable | None = None
    files: list[FileAnswer] = field(default_factory=list)
    # Responses in which the question's condition was not met ("Ej aktuell").
    not_applicable: int = 0
    # What the counts are counted by, for the chart's title and the table's header.
    counted_by: Any = _l("Alternativ")
    # A word on how to read the counts (e.g. what an interval holds), or None.
    note: Any = None


class Tally:
    """The default: answered or not, and the text of each answer."""

    def __init__(self, question: Question, collect_texts: bool) -> None:
        self.question = question
        self.collect_texts = collect_texts
        self.unanswered = 0
        self.not_applicable = 0
        self.texts: list[TextAnswer] = []

    def skip(self) -> None:
        """A response in which the question's condition was not met."""
        self.not_applicable += 1

    def add(self, organisation: str, respondent: str, answer: AnswerInput | None) -> None:
        if answer is None or answer.empty:
            self.unanswered += 1
            return
        self.count(answer)
        if self.collect_texts:
            for text in self.texts_of(answer):
                if text.strip():
                    self.texts.append(TextAnswer(organisation, respondent, text))

    def count(self, answer: AnswerInput) -> None:
        """Count an answer that is not empty."""

    def texts_of(self, answer: AnswerInput) -> list[str]:
        return [answer.text, answer.other]

    def counts(self) -> list[tuple[str, int]]:
        return []

    def summary(self) -> QuestionSummary:
        return QuestionSummary(
            self.question,
            self.counts(),
            self.unanswered,
            self.texts,
            not_applicable=self.not_applicable,
        )


class ChoiceTally(Tally):
    """One value per answer (yes/no, one option); "other" text counted as its own value."""

    def __init__(
        self,
        question: Question,
        collect_texts: bool,
        labels: Sequence[tuple[str, str]],
        other_label: str | None = None,
    ) -> None:
        super().__init__(question, collect_texts)
        self.labels = labels
        self.other_label = other_label
        self.counter: Counter[str] = Counter()

    def count(self, answer: AnswerInput) -> None:
        if answer.choice:
            self.counter[answer.choice] += 1
        elif not answer.other.strip():
            self.unanswered += 1
        if self.other_label is not None and answer.other.strip():
            self.counter[OTHER] += 1

    def counts(self) -> list[tuple[str, int]]:
        counts = [(label, self.counter[value]) for value, label in self.labels]
        if self.other_label is not None:
            counts.append((self.other_label, self.counter[OTHER]))
        return counts


class OptionsTally(ChoiceTally):
    """Any number of values per answer."""

    def count(self, answer: AnswerInput) -> None:
        self.counter.update(set(answer.options))
        if self.other_label is not None and answer.other.strip():
            self.counter[OTHER] += 1


class FilesTally(Tally):
    """Attachments: how many answers have files, and every file by organisation."""

    def __init__(self, question: Question, collect_texts: bool) -> None:
        super().__init__(question, collect_texts)
        self.answered = 0
        self.files: list[FileAnswer] = []

    def add(self, organisation: str, respondent: str, answer: AnswerInput | None) -> None:
        super().add(organisation, respondent, answer)
        if answer is not None and answer.files:
            self.answered += 1
            self.files += [FileAnswer(organisation, respondent, f) for f in answer.files]

    def texts_of(self, answer: AnswerInput) -> list[str]:
        return []

    def summary(self) -> QuestionSummary:
        summary = super().summary()
        summary.figures = [
            Figure(_l("Svar med bilagor"), self.answered),
            Figure(_l("Filer"), len(self.files)),
        ]
        summary.files = self.files
        return summary
