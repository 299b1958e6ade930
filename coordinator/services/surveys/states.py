"""Survey states and deadlines: draft → open → closed, lateness, closing times, extensions."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from coordinator.models import DeadlineExtension, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.errors import PastDeadlineError, SurveyError
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.revisions import per_revision


@per_revision
def _extended_deadlines(survey: Survey) -> dict[int, datetime]:
    return {e.organisation_id: e.deadline_at for e in survey.deadline_extensions}


def effective_deadline(survey: Survey, organisation_id: int | None) -> datetime:
    """The survey's deadline, or a later one granted to this organisation."""
    extended = _extended_deadlines(survey).get(organisation_id)  # type: ignore[arg-type]
    return max(extended, survey.deadline_at) if extended else survey.deadline_at


def is_late(survey: Survey, organisation_id: int | None, at: datetime) -> bool:
    """Answers are late strictly after the deadline; at the deadline second they are on time."""
    return at > effective_deadline(survey, organisation_id)


def is_closed(survey: Survey, at: datetime) -> bool:
    return survey.state == "closed" or (survey.closes_at is not None and at >= survey.closes_at)


def can_submit(survey: Survey, at: datetime) -> bool:
    """Answers can be saved and submitted: the survey is open and not past its closing time."""
    return survey.state == "open" and not is_closed(survey, at)


def open_survey(
    survey: Survey, actor: User | None, now: datetime, past_deadline_confirmed: bool = False
) -> None:
    """Draft → open: needs at least one question to answer and a deadline. A deadline that
    has passed needs `past_deadline_confirmed` (PastDeadlineError otherwise)."""
    if survey.state != "draft":
        raise SurveyError(_l("Bara ett utkast kan öppnas. En stängd enkät öppnas igen."))
    if not answerable_questions(survey):
        raise SurveyError(_l("Enkäten behöver minst en fråga innan den kan öppnas."))
    if survey.deadline_at is None:
        raise SurveyError(_l("Enkäten behöver en sista svarsdag innan den kan öppnas."))
    _check_closing_time(survey, now)
    if survey.deadline_at <= now and not past_deadline_confirmed:
        raise PastDeadlineError(survey.deadline_at)
    survey.state = "open"
    survey.opened_at = now
    record_event(actor, "survey.open", "survey", survey.id, survey.title, now=now)


def reopen_survey(survey: Survey, actor: User | None, now: datetime) -> None:
    """Closed → open, e.g. to let a late board answer after all."""
    if survey.state != "closed":
        raise SurveyError(_l("Bara en stängd enkät kan öppnas igen."))
    _check_closing_time(survey, now)
    survey.state = "open"
    survey.closed_at = None
    record_event(actor, "survey.reopen", "survey", survey.id, survey.title, now=now)


def _check_closing_time(survey: Survey, now: datetime) -> None:
    if survey.closes_at is not None and survey.closes_at <= now:
        raise SurveyError(_l("Stängningstiden har redan passerats. Ändra den först."))


def close_survey(survey: Survey, actor: User | None, now: datetime) -> None:
    """Open → closed: nothing more can be saved or submitted."""
    if survey.state != "open":
        raise SurveyError(_l("Bara en öppen enkät kan stängas."))
    survey.state = "closed"
    survey.closed_at = now
    record_event(actor, "survey.close", "survey", survey.id, survey.title, now=now)


def extend_deadline(
    survey: Survey, organisation_id: int, deadline_at: datetime, actor: User, now: datetime
) -> DeadlineExtension:
    if deadline_at <= survey.deadline_at:
        raise SurveyError(_l("Den nya svarstiden måste vara senare än enkätens."))
    extension = next(
        (e for e in survey.deadline_extensions if e.organisation_id == organisation_id), None
    )
    if extension is None:
        extension = DeadlineExtension(organisation_id=organisation_id, deadline_at=deadline_at)
        survey.deadline_extensions.append(extension)
    else:
        extension.deadline_at = deadline_at
    record_event(
        actor,
        "survey.extend_deadline",
        "survey",
        survey.id,
        survey.title,
        {"organisation_id": organisation_id, "deadline": deadline_at.isoformat()},
        now=now,
    )
    return extension
