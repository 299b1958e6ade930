"""What the answers to one question add up to, fed one answer at a time: the results
page, the workbook's "Sammanställning" and the workshop notes read these summaries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coordinator.services.surveys.kinds.answers import AnswerInput

if TYPE_CHECKING:
    from coordinator.models import Question

OTHER = "__other__"


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


class Tally:
    """The default: answered or not, and the text of each answer."""

    def __init__(self, question: Question, collect_texts: bool) -> None:
        self.question = question
        self.collect_texts = collect_texts
        self.unanswered = 0
        self.texts: list[TextAnswer] = []

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
        return QuestionSummary(self.question, self.counts(), self.unanswered, self.texts)


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
