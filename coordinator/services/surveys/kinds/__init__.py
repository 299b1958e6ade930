"""Question kinds: one class per kind, each in a module of its own, and the registry that
finds the kind of a question. See `base.py` for what a kind answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from coordinator.services.errors import SurveyError
from coordinator.services.surveys.kinds.base import QuestionKind
from coordinator.services.surveys.kinds.calendar_date import CalendarDate
from coordinator.services.surveys.kinds.choice_grid import ChoiceGrid
from coordinator.services.surveys.kinds.file_upload import FileUpload
from coordinator.services.surveys.kinds.heading import Heading
from coordinator.services.surveys.kinds.long_text import LongText
from coordinator.services.surveys.kinds.multiple_choice import MultipleChoice
from coordinator.services.surveys.kinds.numeric import Numeric
from coordinator.services.surveys.kinds.rating_scale import RatingScale
from coordinator.services.surveys.kinds.short_text import ShortText
from coordinator.services.surveys.kinds.single_choice import SingleChoice
from coordinator.services.surveys.kinds.yes_no_comment import YesNoComment

if TYPE_CHECKING:
    from coordinator.models import Question

# In the order the builder offers them.
KINDS: dict[str, QuestionKind] = {
    kind.name: kind
    for kind in (
        Heading(),
        YesNoComment(),
        ShortText(),
        LongText(),
        SingleChoice(),
        MultipleChoice(),
        Numeric(),
        CalendarDate(),
        RatingScale(),
        ChoiceGrid(),
        FileUpload(),
    )
}


def kind_of(question: Question) -> QuestionKind:
    return KINDS[question.kind]


def kind_named(name: str) -> QuestionKind:
    try:
        return KINDS[name]
    except KeyError:
        raise SurveyError(_l("Välj en typ av svar i listan."), field="kind") from None


def kind_names() -> tuple[str, ...]:
    return tuple(KINDS)


def all_kinds() -> list[QuestionKind]:
    return list(KINDS.values())


def settings_fields() -> list[str]:
    """Every field of the question form that sets a kind up, in the order kinds name them."""
    return list(dict.fromkeys(name for kind in all_kinds() for name in kind.settings_fields))
