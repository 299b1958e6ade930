"""Survey rules: deadlines and lateness, closing, states, and the RUS 2018 template."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from coordinator.data import rus2018
from coordinator.extensions import db
from coordinator.models import DeadlineExtension, OptionList, Project, Question, Survey, User
from coordinator.services.audit import record_event

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class SurveyError(ValueError):
    """A rule about surveys was broken; the message is fit to show, next to `field` (the
    form field it concerns) when one is named."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def local_datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in Stockholm as an aware datetime (DST handled by zoneinfo)."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def effective_deadline(survey: Survey, organisation_id: int | None) -> datetime:
    """The survey's deadline, or a later one granted to this organisation."""
    for extension in survey.deadline_extensions:
        if extension.organisation_id == organisation_id:
            return max(extension.deadline_at, survey.deadline_at)
    return survey.deadline_at


def is_late(survey: Survey, organisation_id: int | None, at: datetime) -> bool:
    """Answers are late strictly after the deadline; at the deadline second they are on time."""
    return at > effective_deadline(survey, organisation_id)


def is_closed(survey: Survey, at: datetime) -> bool:
    return survey.state == "closed" or (survey.closes_at is not None and at >= survey.closes_at)


def can_submit(survey: Survey, at: datetime) -> bool:
    """Answers can be saved and submitted: the survey is open and not past its closing time."""
    return survey.state == "open" and not is_closed(survey, at)


def open_survey(survey: Survey, actor: User | None, now: datetime) -> None:
    """Draft → open: needs at least one question to answer and a deadline."""
    if survey.state != "draft":
        raise SurveyError(_("Bara ett utkast kan öppnas. En stängd enkät öppnas igen."))
    if not answerable_questions(survey):
        raise SurveyError(_("Enkäten behöver minst en fråga innan den kan öppnas."))
    if survey.deadline_at is None:
        raise SurveyError(_("Enkäten behöver en sista svarsdag innan den kan öppnas."))
    _check_closing_time(survey, now)
    survey.state = "open"
    survey.opened_at = now
    record_event(actor, "survey.open", "survey", survey.id, survey.title, now=now)


def reopen_survey(survey: Survey, actor: User | None, now: datetime) -> None:
    """Closed → open, e.g. to let a late board answer after all."""
    if survey.state != "closed":
        raise SurveyError(_("Bara en stängd enkät kan öppnas igen."))
    _check_closing_time(survey, now)
    survey.state = "open"
    survey.closed_at = None
    record_event(actor, "survey.reopen", "survey", survey.id, survey.title, now=now)


def _check_closing_time(survey: Survey, now: datetime) -> None:
    if survey.closes_at is not None and survey.closes_at <= now:
        raise SurveyError(_("Stängningstiden har redan passerats. Ändra den först."))


def close_survey(survey: Survey, actor: User | None, now: datetime) -> None:
    """Open → closed: nothing more can be saved or submitted."""
    if survey.state != "open":
        raise SurveyError(_("Bara en öppen enkät kan stängas."))
    survey.state = "closed"
    survey.closed_at = now
    record_event(actor, "survey.close", "survey", survey.id, survey.title, now=now)


def extend_deadline(
    survey: Survey, organisation_id: int, deadline_at: datetime, actor: User, now: datetime
) -> DeadlineExtension:
    if deadline_at <= survey.deadline_at:
        raise SurveyError(_("Den nya svarstiden måste vara senare än enkätens."))
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


def answerable_questions(survey: Survey) -> list[Question]:
    return [q for q in survey.questions if not q.is_heading]


@dataclass
class QuestionGroup:
    """A top-level question, or a heading with the sub-questions under it."""

    question: Question
    children: list[Question] = field(default_factory=list)


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


def option_items(key: str) -> list[dict[str, str]]:
    option_list = db.session.scalar(select(OptionList).where(OptionList.key == key))
    if option_list is None:
        raise SurveyError(_("Alternativlistan %(key)s finns inte. Kör flask seed.", key=key))
    return [{"value": i.code, "label": f"{i.code} {i.label}"} for i in option_list.items]


def create_survey_from_rus2018(
    project: Project, actor: User | None, now: datetime, deadline_at: datetime | None = None
) -> Survey:
    """The RUS 2018 questionnaire, word for word, as a draft survey in `project`."""
    survey = Survey(
        project=project,
        title=rus2018.TITLE,
        introduction=rus2018.INTRODUCTION,
        deadline_note=rus2018.DEADLINE_NOTE,
        deadline_at=deadline_at or local_datetime(*rus2018.DEADLINE_LOCAL),
        reply_to_user_id=actor.id if actor else None,
        reminder_days=[-7, -2],
        created_at=now,
    )
    db.session.add(survey)
    by_number: dict[str, Question] = {}
    for position, spec in enumerate(rus2018.QUESTIONS):
        question = Question(
            position=position,
            number=spec["number"],
            text=spec["text"],
            help_text=spec["help"],
            kind=spec["kind"],
            required=spec["required"],
            options=option_items(spec["option_list"]) if spec["option_list"] else [],
            allow_other=spec["allow_other"],
            other_label=spec["other_label"],
            parent=by_number.get(spec["parent"]) if spec["parent"] else None,
        )
        survey.questions.append(question)
        by_number[spec["number"]] = question
    db.session.flush()
    record_event(
        actor, "survey.create", "survey", survey.id, survey.title, {"template": "rus2018"}, now=now
    )
    return survey


def copy_survey(survey: Survey, actor: User, now: datetime) -> Survey:
    """A draft with the same questions and recipients (new, unsent invitations), no answers."""
    from coordinator.services.invitations import create_invitation

    copy = Survey(
        project=survey.project,
        title=_("%(title)s (kopia)", title=survey.title),
        introduction=survey.introduction,
        deadline_note=survey.deadline_note,
        deadline_at=survey.deadline_at,
        closes_at=survey.closes_at,
        reply_to_user_id=survey.reply_to_user_id,
        reminder_days=list(survey.reminder_days or []),
        copied_from_id=survey.id,
        created_at=now,
    )
    db.session.add(copy)
    mapping: dict[int, Question] = {}
    for question in survey.questions:
        new = Question(
            position=question.position,
            number=question.number,
            text=question.text,
            help_text=question.help_text,
            kind=question.kind,
            required=question.required,
            options=list(question.options or []),
            allow_other=question.allow_other,
            other_label=question.other_label,
            comment_label=question.comment_label,
            parent=mapping.get(question.parent_id) if question.parent_id else None,
        )
        copy.questions.append(new)
        mapping[question.id] = new
    db.session.flush()
    from coordinator.models import Invitation

    for invitation in db.session.scalars(
        select(Invitation).where(Invitation.survey_id == survey.id)
    ):
        if invitation.contact is not None and not invitation.revoked:
            create_invitation(copy, invitation.contact, actor, now)
    record_event(actor, "survey.copy", "survey", copy.id, copy.title, {"from": survey.id}, now=now)
    return copy


def find_or_create_project(title: str) -> Project:
    """The project with this title (any case), or a new one with a free slug."""
    title = title.strip()
    project = db.session.scalar(select(Project).where(func.lower(Project.title) == title.lower()))
    if project is not None:
        return project
    base = _slug(title)
    slug, n = base, 1
    while db.session.scalar(select(Project.id).where(Project.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    project = Project(title=title, slug=slug)
    db.session.add(project)
    db.session.flush()
    return project


def _slug(text: str) -> str:
    table = str.maketrans("åäöéü", "aaoeu")
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")[:60] or "projekt"


def create_survey(
    project: Project, title: str, deadline_at: datetime, actor: User, now: datetime
) -> Survey:
    """An empty draft survey; its questions are added one by one."""
    survey = Survey(
        project=project,
        title=title.strip(),
        deadline_at=deadline_at,
        reply_to_user_id=actor.id,
        created_at=now,
    )
    db.session.add(survey)
    db.session.flush()
    record_event(actor, "survey.create", "survey", survey.id, survey.title, now=now)
    return survey


def parse_reminder_days(text: str) -> list[int]:
    """ "-7, -2, 1" → [-7, -2, 1]: days before (negative) or after the deadline."""
    days: set[int] = set()
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        try:
            day = int(part.replace("−", "-"))
        except ValueError:
            raise SurveyError(
                _("Skriv dagarna som heltal med kommatecken emellan, till exempel -7, -2, 1")
            ) from None
        if not -60 <= day <= 60:
            raise SurveyError(_("En påminnelsedag ska ligga högst 60 dagar från svarsdagen"))
        days.add(day)
    return sorted(days)


def update_survey_settings(
    survey: Survey,
    *,
    title: str,
    introduction: str,
    deadline_note: str,
    deadline_at: datetime,
    closes_at: datetime | None,
    reply_to_user_id: int | None,
    reminder_days: list[int],
    actor: User,
    now: datetime,
) -> None:
    """Change title, texts and times; each change is kept in the audit trail."""
    if closes_at is not None and closes_at < deadline_at:
        raise SurveyError(_("Stängningstiden kan inte vara före sista svarsdagen"))
    new_values: dict[str, object] = {
        "title": title.strip(),
        "introduction": introduction.strip(),
        "deadline_note": deadline_note.strip(),
        "deadline_at": deadline_at,
        "closes_at": closes_at,
        "reply_to_user_id": reply_to_user_id,
        "reminder_days": reminder_days,
    }
    changes = {}
    for name, value in new_values.items():
        old = getattr(survey, name)
        if old != value:
            changes[name] = [
                old.isoformat() if isinstance(old, datetime) else old,
                value.isoformat() if isinstance(value, datetime) else value,
            ]
            setattr(survey, name, value)
    if changes:
        record_event(
            actor,
            "survey.update",
            "survey",
            survey.id,
            survey.title,
            {"changes": changes, "after_opening": survey.state != "draft"},
            now=now,
        )
