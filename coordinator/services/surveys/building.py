"""Building surveys: a new one, the RUS 2018 template, a copy, and changing the settings."""

from __future__ import annotations

import re
from datetime import datetime

from babel.dates import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordinator.data import rus2018
from coordinator.extensions import db
from coordinator.localtime import STOCKHOLM, local_datetime
from coordinator.models import Invitation, Project, Question, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.errors import SurveyError
from coordinator.services.surveys.invitations import create_invitation
from coordinator.services.surveys.mail_texts import copy_mail_texts
from coordinator.services.surveys.option_lists import option_items


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


def written_deadline_note(
    deadline_at: datetime, closes_at: datetime | None, reply_to: User | None
) -> str:
    """A survey's note under its deadline, written from its own deadline, closing time and
    reply-to person. It does not repeat the deadline: that is shown right above it, and
    extended for a board that was given more time. Survey texts are Swedish, whatever the
    language of the page that makes them."""
    parts = []
    if closes_at is None:
        parts.append("Hinner ni inte svara i tid tar vi gärna emot svar senare också.")
    elif closes_at > deadline_at:
        local = closes_at.astimezone(STOCKHOLM)
        when = format_datetime(local, "EEEE d MMMM y 'kl.' HH:mm", locale="sv")
        parts.append(f"Hinner ni inte svara i tid tar vi emot svar till och med {when}.")
    if reply_to is not None:
        parts.append(f"Frågor om enkäten besvaras av {reply_to.name} ({reply_to.email}).")
    return " ".join(parts)


def create_survey_from_rus2018(
    project: Project,
    actor: User | None,
    now: datetime,
    deadline_at: datetime | None = None,
    note: str | None = None,
) -> Survey:
    """The RUS 2018 questionnaire, word for word, as a draft survey in `project`.

    The 2018 deadline note ("helst till torsdagen den 23 augusti") belongs to the 2018
    survey only (the demo passes it as `note`); a new survey gets a note written from its
    own deadline and reply-to person.
    """
    deadline_at = deadline_at or local_datetime(*rus2018.DEADLINE_LOCAL)
    survey = Survey(
        project=project,
        title=rus2018.TITLE,
        introduction=rus2018.INTRODUCTION,
        deadline_note=written_deadline_note(deadline_at, None, actor) if note is None else note,
        deadline_at=deadline_at,
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
            settings=dict(question.settings or {}),
            condition_question=mapping.get(question.condition_question_id)
            if question.condition_question_id
            else None,
            condition_values=list(question.condition_values or []),
        )
        copy.questions.append(new)
        mapping[question.id] = new
    db.session.flush()

    for invitation in db.session.scalars(
        select(Invitation).where(Invitation.survey_id == survey.id)
    ):
        if invitation.contact is not None and not invitation.revoked:
            create_invitation(copy, invitation.contact, actor, now)
    copy_mail_texts(survey, copy)
    record_event(actor, "survey.copy", "survey", copy.id, copy.title, {"from": survey.id}, now=now)
    return copy


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
                _l("Skriv dagarna som heltal med kommatecken emellan, till exempel -7, -2, 1")
            ) from None
        if not -60 <= day <= 60:
            raise SurveyError(_l("En påminnelsedag ska ligga högst 60 dagar från svarsdagen"))
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
    language: str = "sv",
) -> None:
    """Change title, texts, language and times; each change is kept in the audit trail."""
    if closes_at is not None and closes_at < deadline_at:
        raise SurveyError(_l("Stängningstiden kan inte vara före sista svarsdagen"))
    written = written_deadline_note(survey.deadline_at, survey.closes_at, survey.reply_to_user)
    if written and deadline_note.strip() == written:
        # The note was written from the survey's settings: write it from the new ones.
        reply_to = db.session.get(User, reply_to_user_id) if reply_to_user_id else None
        deadline_note = written_deadline_note(deadline_at, closes_at, reply_to)
    new_values: dict[str, object] = {
        "title": title.strip(),
        "introduction": introduction.strip(),
        "deadline_note": deadline_note.strip(),
        "deadline_at": deadline_at,
        "closes_at": closes_at,
        "reply_to_user_id": reply_to_user_id,
        "reminder_days": reminder_days,
        "language": language,
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
