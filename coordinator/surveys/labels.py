"""How surveys and answers read to people: states, statuses, option labels, the kind of a
question and the partial that shows its answer."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.models import Question
from coordinator.services.surveys.kinds import KINDS, kind_of
from coordinator.services.surveys.kinds.answers import field_name

SURVEY_STATE_LABELS = {"draft": _l("Utkast"), "open": _l("Öppen"), "closed": _l("Stängd")}
RESPONSE_STATUS_LABELS = {
    "on_time": _l("Svarat i tid"),
    "late": _l("Svarat sent"),
    "draft": _l("Utkast"),
    "opened": _l("Öppnat"),
    "invited": _l("Inbjuden"),
    "none": _l("Ej inbjuden"),
}
RESPONSE_STATUS_TAGS = {
    "on_time": "tag-green",
    "late": "tag-yellow",
    "draft": "tag-grey",
    "none": "tag-red",
}


def choice_label(question: Question, value: str) -> str:
    return kind_of(question).choice_label(question, value)


def option_labels(question: Question, values: list[str]) -> list[str]:
    labels = {o["value"]: o["label"] for o in question.options}
    return [labels.get(v, v) for v in values]


def kind_label(name: str) -> str:
    kind = KINDS.get(name)
    return str(kind.label) if kind else name


def question_has_error(errors: Mapping[str, str], question: Question) -> bool:
    prefix = field_name(question, "")
    return any(name.startswith(prefix) for name in errors)


def init_labels(app: Flask) -> None:
    app.jinja_env.globals.update(
        choice_label=choice_label,
        option_labels=option_labels,
        kind_label=kind_label,
        question_kind=kind_of,
        question_has_error=question_has_error,
        survey_state_label=lambda state: SURVEY_STATE_LABELS.get(state, state),
        response_status_label=lambda status: RESPONSE_STATUS_LABELS.get(status, status),
        response_status_tag=lambda status: RESPONSE_STATUS_TAGS.get(status, ""),
    )
