"""Building a survey's questions: add, change, reorder and delete, with the rules that keep
answers meaningful (nothing is deleted or changes kind once answered)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Answer, Question, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.errors import SurveyError
from coordinator.services.surveys.conditions import (
    check_condition,
    check_order,
    dependants,
    parse_condition,
)
from coordinator.services.surveys.kinds import kind_named, kind_of
from coordinator.services.surveys.prefill import drop_stale_prefill
from coordinator.services.surveys.revisions import per_revision


def has_answers(question: Question) -> bool:
    return (
        db.session.scalar(
            select(Answer.id)
            .where(Answer.question_id == question.id, Answer.prefilled.is_(False))
            .limit(1)
        )
        is not None
    )


def build_options(
    kind: str,
    lines: str,
    use_sni: bool,
    current: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> list[dict[str, Any]]:
    """Options from one label per line (a label kept from `current` keeps its value), or
    the SNI 2007 list. Only kinds with options have any."""
    return kind_named(kind).build_options(lines, use_sni, current)


def _parent(survey: Survey, parent_id: int | None, question: Question | None) -> Question | None:
    if parent_id is None:
        return None
    parent = next((q for q in survey.questions if q.id == parent_id and is_heading(q)), None)
    if parent is None or parent is question:
        raise SurveyError(_l("Välj en rubrikfråga i den här enkäten"), field="parent_id")
    return parent


def add_question(
    survey: Survey,
    *,
    number: str,
    text: str,
    help_text: str,
    kind: str,
    required: bool,
    options: list[dict[str, Any]],
    allow_other: bool,
    parent_id: int | None,
    actor: User,
    now: datetime,
    settings: Mapping[str, Any] | None = None,
    condition: Sequence[str] = (),
) -> Question:
    """A new question last in the survey. `settings` are the builder's fields for the kind
    (unit, scale, rows …) and `condition` its "<question id>:<value>" choices."""
    if survey.state != "draft":
        raise SurveyError(_l("Frågor kan bara läggas till medan enkäten är ett utkast."))
    question_kind = kind_named(kind)
    other = allow_other and question_kind.offers_other()
    source_id, values = parse_condition(condition)
    source = check_condition(survey, None, source_id, values)
    question = Question(
        number=number.strip(),
        text=text.strip(),
        help_text=help_text.strip(),
        kind=kind,
        required=required and question_kind.answerable,
        options=options,
        allow_other=other,
        other_label=_("Annat, nämligen") if other else "",
        parent=_parent(survey, parent_id, None),
        position=max((q.position for q in survey.questions), default=-1) + 1,
        settings=question_kind.clean_settings(settings or {}),
        condition_question=source,
        condition_values=values if source else [],
    )
    survey.questions.append(question)
    db.session.flush()
    record_event(
        actor,
        "question.create",
        "survey",
        survey.id,
        question.number,
        {"question_id": question.id, "text": question.text, "kind": kind},
        now=now,
    )
    return question


def update_question(
    question: Question,
    *,
    number: str,
    text: str,
    help_text: str,
    kind: str,
    required: bool,
    options: list[dict[str, Any]] | None,
    allow_other: bool,
    parent_id: int | None,
    actor: User,
    now: datetime,
    settings: Mapping[str, Any] | None = None,
    condition: Sequence[str] | None = None,
) -> None:
    """Change a question. Once answers exist, or the survey has opened, its kind, options
    and the settings that decide what an answer means are fixed; every change is kept in the
    audit trail with the old and new value. `settings` or `condition` None: unchanged."""
    survey = question.survey
    question_kind = kind_named(kind)
    other = allow_other and question_kind.offers_other()
    new_settings = (
        question.settings
        if settings is None
        else question_kind.clean_settings(settings, question.settings)
    )
    fixed = has_answers(question) or survey.state != "draft"
    if fixed and kind != question.kind:
        raise SurveyError(
            _l("Frågan har svar eller enkäten är öppnad, så typen kan inte ändras."), field="kind"
        )
    if fixed and (
        (options is not None and options != question.options)
        or other != question.allow_other
        or question_kind.fixed_settings(new_settings)
        != question_kind.fixed_settings(question.settings or {})
    ):
        raise SurveyError(
            _l("Frågan har svar eller enkäten är öppnad, så svarsalternativen kan inte ändras."),
            field="options",
        )
    new_values: dict[str, Any] = {
        "number": number.strip(),
        "text": text.strip(),
        "help_text": help_text.strip(),
        "kind": kind,
        "required": required and question_kind.answerable,
        "parent_id": parent.id
        if parent_id and (parent := _parent(survey, parent_id, question))
        else None,
        "settings": new_settings,
        **_condition_values(question, condition),
    }
    if not fixed:
        new_values["options"] = options if options is not None else question.options
        new_values["allow_other"] = other
        new_values["other_label"] = _("Annat, nämligen") if other else ""
    changes = {}
    for name, value in new_values.items():
        if getattr(question, name) != value:
            changes[name] = [getattr(question, name), value]
            setattr(question, name, value)
    if changes:
        drop_stale_prefill(question)
        record_event(
            actor,
            "question.update",
            "survey",
            survey.id,
            question.number,
            {"question_id": question.id, "changes": changes, "after_opening": fixed},
            now=now,
        )


def _condition_values(question: Question, condition: Sequence[str] | None) -> dict[str, Any]:
    if condition is None:
        return {}
    source_id, values = parse_condition(condition)
    source = check_condition(question.survey, question, source_id, values)
    return {
        "condition_question_id": source.id if source else None,
        "condition_values": values if source else [],
    }


def move_question(question: Question, direction: str, actor: User, now: datetime) -> None:
    """Swap with the neighbour above ("up") or below, while the survey is a draft."""
    survey = question.survey
    if survey.state != "draft":
        raise SurveyError(_l("Frågornas ordning kan bara ändras medan enkäten är ett utkast."))
    questions = list(survey.questions)
    index = questions.index(question)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    check_order(questions)
    for position, item in enumerate(questions):
        item.position = position
    survey.questions.sort(key=lambda q: q.position)  # as the next load will order them
    record_event(
        actor,
        "question.move",
        "survey",
        survey.id,
        question.number,
        {"question_id": question.id, "direction": direction},
        now=now,
    )


def delete_question(question: Question, actor: User, now: datetime) -> None:
    survey = question.survey
    if survey.state != "draft" or has_answers(question):
        raise SurveyError(_l("Frågan har svar eller enkäten är öppnad, så den kan inte tas bort."))
    if any(q.parent_id == question.id for q in survey.questions):
        raise SurveyError(_l("Ta bort eller flytta rubrikens delfrågor först."))
    if followers := dependants(question):
        raise SurveyError(
            _l(
                "Fråga %(number)s är en följdfråga till den här frågan. Ta bort villkoret först.",
                number=followers[0].number,
            )
        )
    record_event(
        actor,
        "question.delete",
        "survey",
        survey.id,
        question.number,
        {"question_id": question.id, "text": question.text},
        now=now,
    )
    survey.questions.remove(question)
    db.session.flush()


def is_heading(question: Question) -> bool:
    return not kind_of(question).answerable


def answerable_questions(survey: Survey) -> list[Question]:
    return [q for q in survey.questions if kind_of(q).answerable]


@per_revision
def takes_files(survey: Survey) -> bool:
    """Whether any of the survey's questions takes attachments."""
    return any(kind_of(q).stores_files for q in survey.questions)


@dataclass
class QuestionGroup:
    """A top-level question, or a heading with the sub-questions under it."""

    question: Question
    children: list[Question] = field(default_factory=list)

    @property
    def is_heading(self) -> bool:
        return is_heading(self.question)


def question_tree(survey: Survey) -> list[QuestionGroup]:
    groups: list[QuestionGroup] = []
    by_id: dict[int, QuestionGroup] = {}
    for question in survey.questions:
        if question.parent_id is not None and question.parent_id in by_id:
            by_id[question.parent_id].children.append(question)
            continue
        group = QuestionGroup(question)
        groups.append(group)
        by_id[question.id] = group
    return groups
