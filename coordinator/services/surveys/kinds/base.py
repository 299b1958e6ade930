"""What every question kind answers for the rest of the app.

A kind is one class in one module of this package, with one template under
`templates/kinds/`. The rest of the app asks the kind of a question (`kind_of(question)`)
and never compares kind strings:

- building: the settings of the question form that apply, and the options they give;
- answering: the posted fields read into an `AnswerInput`, what is refused (with a
  message at the field), what counts as empty or missing, what is stored;
- reading: the plain text of an answer (mails, printouts) and the partial template with
  the macros `form(q, a, errors, readonly)` and `read(q, a)`;
- results: a tally that sums the answers up for the results page and the workbook;
- export: the columns of "Alla svar" (and CSV) and the cells of one answer. Cells are
  plain values (text, numbers, dates); the writers give each type its cell type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from coordinator.services.surveys.kinds.answers import AnswerInput, write_answer
from coordinator.services.surveys.kinds.summaries import Tally

if TYPE_CHECKING:
    from flask_babel.speaklater import LazyString

    from coordinator.models import Answer, Question

# What an export cell holds. Text stays text (never a formula); numbers and dates become
# number and date cells.
ExportValue = str | int | Decimal | date | None


@dataclass(frozen=True)
class Column:
    """A column of "Alla svar" (and CSV): its header and its width in the workbook."""

    header: str
    width: int = 40


class QuestionKind:
    """The default behaviour; each kind overrides what it does differently."""

    name: ClassVar[str]
    label: ClassVar[LazyString]
    # The kind's name in the workbook's "Frågor" sheet (the workbook is always Swedish).
    export_label: ClassVar[str]
    # A heading holds sub-questions and has no answer of its own.
    answerable: ClassVar[bool] = True
    # Fields of the question form (surveys/forms.py) that set this kind up.
    settings_fields: ClassVar[tuple[str, ...]] = ()
    # Width of the "Svar" column on the question's own sheet.
    sheet_width: ClassVar[int] = 60

    @property
    def template(self) -> str:
        return f"kinds/{self.name}.html"

    # Building

    def build_options(
        self, lines: str, use_sni: bool, current: Sequence[Mapping[str, Any]] = ()
    ) -> list[dict[str, Any]]:
        """The answer options a question of this kind offers; none unless it has options."""
        return []

    def offers_other(self) -> bool:
        """Whether the builder's "Annat, nämligen" applies."""
        return False

    # Answering

    def parse(self, question: Question, form: Any) -> AnswerInput:
        """The posted fields of `question` (`form` is a MultiDict or a plain mapping)."""
        return AnswerInput()

    def normalise(self, question: Question, answer: AnswerInput) -> AnswerInput:
        """Exactly what storing `answer` keeps (values not offered dropped, NUL removed)."""
        return AnswerInput()

    def check(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        """Refused input: field name to a message. A refused answer is not stored; the rest
        of the survey is, and the form shows everything as typed."""
        return {}

    def is_empty(self, question: Question, answer: AnswerInput) -> bool:
        return self.normalise(question, answer).empty

    def missing(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        """For a required question without an answer: field name to a message."""
        return {}

    def same(
        self, question: Question, given: AnswerInput | None, stored: AnswerInput | None
    ) -> bool:
        """Whether storing `given` would leave the stored answer as it is."""
        if given is None:
            return True
        normalised = self.normalise(question, given)
        if stored is None:
            return normalised.empty
        return normalised == stored

    def store(self, question: Question, answer: AnswerInput, row: Answer, now: datetime) -> None:
        write_answer(row, self.normalise(question, answer))

    # Reading

    def choice_label(self, question: Question, value: str) -> str:
        """How a stored choice reads (the label of an option, Ja for yes)."""
        return value

    def plain_text(self, question: Question, answer: AnswerInput | None) -> str:
        """The answer as plain text for mails and printouts; "" when there is none."""
        return answer.text if answer else ""

    # Results and export

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return Tally(question, collect_texts)

    def columns(self, question: Question) -> list[Column]:
        return [Column(f"{question.number}: {question.text}")]

    def cells(self, question: Question, answer: AnswerInput | None) -> list[ExportValue]:
        """The cells of "Alla svar", one per column."""
        return [self.plain_text(question, answer)]

    def sheet_cells(
        self, question: Question, answer: AnswerInput | None
    ) -> tuple[ExportValue, ExportValue]:
        """The "Svar" and "Kommentar" cells of the question's own sheet."""
        return self.cells(question, answer)[0], ""
