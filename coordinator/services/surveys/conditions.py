"""Follow-up questions: a question, or a heading with its sub-questions, shown only when
the answer to an earlier yes/no, one-option or scale question is one of chosen values.

A question whose condition is not met is "Ej aktuell": it is never required, the server
ignores what is posted for it, and results and exports say so instead of counting it as
unanswered. A question under a heading whose condition is not met, and one that depends
on a question that is itself not applicable, are not applicable either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.models import Question, Survey
from coordinator.services.errors import SurveyError
from coordinator.services.surveys.kinds import kind_of
from coordinator.services.surveys.kinds.answers import AnswerInput

NOT_APPLICABLE = "Ej aktuell"


def has_conditions(questions: Iterable[Question]) -> bool:
    return any(
        q.condition_question_id is not None
        or (q.parent is not None and q.parent.condition_question_id is not None)
        for q in questions
    )


def not_applicable(questions: Iterable[Question], answers: Mapping[int, AnswerInput]) -> set[int]:
    """The ids of `questions` whose condition is not met by `answers`."""
    known: dict[int, bool] = {}

    def applies(question: Question) -> bool:
        if question.id in known:
            return known[question.id]
        known[question.id] = False  # a cycle (which the builder refuses) applies nowhere
        result = True
        if question.parent is not None and not applies(question.parent):
            result = False
        elif question.condition_question_id is not None:
            source = question.condition_question
            result = (
                source is not None
                and applies(source)
                and kind_of(source).condition_value(answers.get(source.id))
                in question.condition_values
            )
        known[question.id] = result
        return result

    return {q.id for q in questions if not applies(q)}


def condition_text(question: Question) -> str:
    """ "Besvara om du svarat Ja på fråga 2" (for the form without JavaScript and the
    builder), or "" for a question without a condition."""
    source = question.condition_question
    if source is None:
        return ""
    labels = dict(kind_of(source).condition_choices(source))
    chosen = [labels.get(value, value) for value in question.condition_values]
    if len(chosen) > 1:
        answers = _("%(some)s eller %(last)s", some=", ".join(chosen[:-1]), last=chosen[-1])
    else:
        answers = chosen[0] if chosen else ""
    return _(
        "Besvara om du svarat %(answers)s på fråga %(number)s",
        answers=answers,
        number=source.number,
    )


def condition_sources(survey: Survey, question: Question | None) -> list[Question]:
    """The questions a condition on `question` (None: a new one, added last) can depend on:
    earlier questions whose kind has values to choose."""
    before = [
        q
        for q in survey.questions
        if q is not question and (question is None or q.position < question.position)
    ]
    return [q for q in before if kind_of(q).condition_choices(q)]


def parse_condition(choices: Sequence[str]) -> tuple[int | None, list[str]]:
    """The builder's checkboxes "<question id>:<value>" as a source id and values."""
    pairs = [choice.partition(":") for choice in choices]
    sources = {int(qid) for qid, _sep, _value in pairs if qid.isdigit()}
    if not sources:
        return None, []
    if len(sources) > 1:
        raise SurveyError(
            _l("Välj svar från en enda fråga som villkor för följdfrågan"), field="condition"
        )
    return sources.pop(), [value for _qid, _sep, value in pairs]


def check_condition(
    survey: Survey, question: Question | None, source_id: int | None, values: Sequence[str]
) -> Question | None:
    """The source question of a condition, after the builder's rules: an earlier question
    with values to choose, values it has, and no cycle."""
    if source_id is None:
        return None
    sources = {q.id: q for q in condition_sources(survey, question)}
    source = sources.get(source_id)
    if source is None:
        raise SurveyError(
            _l(
                "Villkoret kan bara bygga på en tidigare fråga med ja/nej, ett alternativ "
                "eller en skala"
            ),
            field="condition",
        )
    valid = {value for value, _label in kind_of(source).condition_choices(source)}
    if not values or not set(values) <= valid:
        raise SurveyError(_l("Välj vilka svar som ska visa följdfrågan"), field="condition")
    if question is not None and _depends_on(source, question):
        raise SurveyError(
            _l("Villkoret går i cirkel: frågan bygger själv på den här frågan"),
            field="condition",
        )
    return source


def _depends_on(question: Question, target: Question) -> bool:
    """Whether `question` is shown only through `target` (by conditions or headings)."""
    seen: set[int] = set()
    stack = [question]
    while stack:
        current = stack.pop()
        if current.id in seen:
            continue
        seen.add(current.id)
        if current.id == target.id:
            return True
        stack += [q for q in (current.parent, current.condition_question) if q is not None]
    return False


def check_order(questions: Sequence[Question]) -> None:
    """After a reordering: every condition still depends on an earlier question."""
    position = {q.id: index for index, q in enumerate(questions)}
    for question in questions:
        source = question.condition_question_id
        if source is not None and position.get(source, -1) > position[question.id]:
            raise SurveyError(
                _l(
                    "Fråga %(number)s är en följdfråga och måste komma efter frågan som "
                    "villkoret bygger på.",
                    number=question.number,
                )
            )


def dependants(question: Question) -> list[Question]:
    """Questions whose condition depends on `question`."""
    return [q for q in question.survey.questions if q.condition_question_id == question.id]
