"""How answers read to people: Ja/Nej, option labels, question kinds."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from coordinator.models import Question
from coordinator.services.surveys.responses import MAX_ANSWER_LENGTH

KIND_LABELS = {
    "heading": _l("Rubrik med delfrågor"),
    "yes_no_comment": _l("Ja/nej med kommentar"),
    "short_text": _l("Kort text"),
    "long_text": _l("Lång text"),
    "single_choice": _l("Ett alternativ"),
    "multiple_choice": _l("Flera alternativ"),
}


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
    if question.kind == "yes_no_comment":
        return str({"yes": _l("Ja"), "no": _l("Nej")}.get(value, value))
    return next((o["label"] for o in question.options if o["value"] == value), value)


def option_labels(question: Question, values: list[str]) -> list[str]:
    labels = {o["value"]: o["label"] for o in question.options}
    return [labels.get(v, v) for v in values]


def init_labels(app: Flask) -> None:
    app.jinja_env.globals.update(
        choice_label=choice_label,
        option_labels=option_labels,
        kind_label=lambda kind: KIND_LABELS.get(kind, kind),
        survey_state_label=lambda state: SURVEY_STATE_LABELS.get(state, state),
        response_status_label=lambda status: RESPONSE_STATUS_LABELS.get(status, status),
        response_status_tag=lambda status: RESPONSE_STATUS_TAGS.get(status, ""),
        max_answer_length=MAX_ANSWER_LENGTH,
        answer_limit=lambda: format_decimal(MAX_ANSWER_LENGTH),
    )
