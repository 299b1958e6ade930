"""How surveys and answers read to people: states, statuses, option labels, the kind of a
question and the partial that shows its answer."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from babel.numbers import format_decimal
from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from coordinator.models import Question
from coordinator.services.surveys.conditions import condition_text, not_applicable
from coordinator.services.surveys.kinds import KINDS, kind_of
from coordinator.services.surveys.kinds.answers import MAX_ANSWER_LENGTH, field_name
from coordinator.services.surveys.kinds.file_upload import file_size
from coordinator.services.surveys.kinds.summaries import figure_text

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


def kind_label(name: str) -> str:
    kind = KINDS.get(name)
    return str(kind.label) if kind else name


def question_has_error(errors: Mapping[str, str], question: Question) -> bool:
    prefix = field_name(question, "")
    return any(name.startswith(prefix) for name in errors)


def attachment_url(file_id: int) -> str:
    """A file attached to an answer: through the respondent's own link on their pages,
    through the staff pages elsewhere."""
    token = (request.view_args or {}).get("token")
    if request.blueprint == "respond" and token:
        return url_for("respond.download_file", token=token, file_id=file_id)
    return url_for("results.download_attachment", file_id=file_id)


@lru_cache(maxsize=8)
def _answer_limit(locale: str) -> str:
    """The answer length limit as written in this language (shown under every long text
    field), formatted once per language."""
    return format_decimal(MAX_ANSWER_LENGTH, locale=locale)


def init_labels(app: Flask) -> None:
    app.jinja_env.filters["figure"] = figure_text
    app.jinja_env.globals.update(
        kind_label=kind_label,
        question_kind=kind_of,
        question_has_error=question_has_error,
        condition_text=condition_text,
        not_applicable=not_applicable,
        attachment_url=attachment_url,
        file_size=file_size,
        survey_state_label=lambda state: SURVEY_STATE_LABELS.get(state, state),
        response_status_label=lambda status: RESPONSE_STATUS_LABELS.get(status, status),
        response_status_tag=lambda status: RESPONSE_STATUS_TAGS.get(status, ""),
        max_answer_length=MAX_ANSWER_LENGTH,
        answer_limit=lambda: _answer_limit(str(get_locale())),
    )
