"""Demo surveys: the RUS 2018 questionnaire as it was answered, and large synthetic ones
for benchmarks."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from coordinator.data import rus2018
from coordinator.data.networks import MILJOMALSSAMORDNARE
from coordinator.demo import rus2025
from coordinator.demo.answers import demo_answers
from coordinator.extensions import db
from coordinator.localtime import local_datetime
from coordinator.models import (
    Answer,
    Contact,
    Invitation,
    Network,
    Organisation,
    Project,
    Question,
    ReminderDelivery,
    Response,
    Survey,
)
from coordinator.services.surveys.building import create_survey_from_rus2018
from coordinator.services.surveys.invitations import create_invitation
from coordinator.services.surveys.kinds.answers import Upload
from coordinator.services.surveys.option_lists import option_items
from coordinator.services.surveys.questions import answerable_questions
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
)


def rus_project() -> Project:
    spec = rus2018.PROJECT
    project = db.session.scalar(select(Project).where(Project.slug == spec["slug"]))
    if project is None:
        project = Project(
            title=spec["title"], slug=spec["slug"], state="running", visibility="public"
        )
        db.session.add(project)
    return project


def load_rus_survey(now: datetime) -> tuple[Survey, str | None]:
    """The RUS 2018 survey, open, with invitations to every board's miljömålssamordnare and
    the demo answers (on time, late and drafts). Returns the survey and one respondent
    link token of a board that has not answered, for trying it out."""
    existing = db.session.scalar(select(Survey).where(Survey.title == rus2018.TITLE))
    if existing is not None:
        return existing, None
    survey = create_survey_from_rus2018(rus_project(), None, now, note=rus2018.DEADLINE_NOTE)
    survey.state = "open"
    survey.opened_at = local_datetime(2018, 7, 2, 9, 0)
    network = db.session.scalar(select(Network).where(Network.name == MILJOMALSSAMORDNARE))
    invited_at = local_datetime(2018, 7, 2, 9, 0)
    invitations = {}
    tokens = {}
    for contact in sorted(
        network.members if network else [], key=lambda c: c.organisation.county_code or ""
    ):
        invitation, token = create_invitation(survey, contact, None, invited_at)
        invitation.sent_at = invited_at
        invitations[contact.organisation.county_code] = invitation
        tokens[contact.organisation.county_code] = token
    questions = {q.number: q for q in survey.questions}
    boards = {o.county_code: o for o in db.session.scalars(select(Organisation))}
    answered = set()
    for entry in demo_answers():
        code = entry["county_code"]
        at = (
            local_datetime(*_parse(entry["submitted_local"]))
            if entry["submitted_local"]
            else invited_at + timedelta(days=20)
        )
        answering = invitations.get(code) if code not in answered else None
        contact = _contact(boards[code], entry["respondent_title"])
        response = Response(
            survey=survey,
            organisation=boards[code],
            invitation=answering,
            respondent_name=contact.name if contact else entry["respondent_title"],
            respondent_email=contact.email if contact else None,
            created_at=at,
            updated_at=at,
        )
        db.session.add(response)
        db.session.flush()
        save_answers(response, _inputs(questions, entry["answers"]), None, at, check_open=False)
        if entry["status"] != "draft":
            response.state = "submitted"
            response.submitted_at = response.first_submitted_at = at
            response.late = entry["status"] == "late"
            response.is_coordinated = code not in answered
        if answering is not None:
            answering.opened_at = at
        answered.add(code)
    db.session.flush()
    remind_as_it_was(survey, list(invitations.values()), now)
    unanswered = sorted(set(tokens) - answered)
    return survey, tokens[unanswered[0]] if unanswered else None


def remind_as_it_was(survey: Survey, invitations: list[Invitation], now: datetime) -> None:
    """The scheduled reminders of days gone by, recorded as sent then to the boards that
    had not submitted by that day: the demo's history is history, so a first `tick` after
    `demo-data` has no reminders for 2018 to send."""
    submitted = {
        organisation_id: at
        for organisation_id, at in db.session.execute(
            select(Response.organisation_id, func.min(Response.submitted_at))
            .where(Response.survey_id == survey.id, Response.state == "submitted")
            .group_by(Response.organisation_id)
        )
    }
    for day in sorted(survey.reminder_days or []):
        moment = survey.deadline_at + timedelta(days=day)
        if moment > now:
            continue
        for invitation in invitations:
            answered_at = submitted.get(invitation.organisation_id)
            if moment < invitation.created_at or (answered_at and answered_at <= moment):
                continue
            db.session.add(
                ReminderDelivery(invitation_id=invitation.id, reminder_day=day, sent_at=moment)
            )
            invitation.reminded_count += 1
            invitation.last_reminded_at = moment
    db.session.flush()


def _parse(text: str) -> tuple[int, int, int, int, int]:
    date, time = text.split(" ")
    year, month, day = (int(x) for x in date.split("-"))
    hour, minute = (int(x) for x in time.split(":"))
    return year, month, day, hour, minute


def _contact(organisation: Organisation, title: str) -> Contact | None:
    return next((c for c in organisation.contacts if c.title == title), None)


def _inputs(questions: dict, answers: dict) -> dict[int, AnswerInput]:
    return {
        questions[number].id: AnswerInput(
            choice=value.get("choice", ""),
            text=value.get("text", ""),
            options=value.get("options", []),
            other=value.get("other", ""),
        )
        for number, value in answers.items()
    }


def load_rus2025_survey(now: datetime) -> tuple[Survey, str | None]:
    """The 2025 round: a survey of its own in the RUS project with a question of every
    kind, open (late answers welcome), answered by twelve boards, attachments included.
    Returns the survey and a link token of a board that has not answered."""
    existing = db.session.scalar(select(Survey).where(Survey.title == rus2025.TITLE))
    if existing is not None:
        return existing, None
    opened_at = local_datetime(*rus2025.OPENED_LOCAL)
    survey = Survey(
        project=rus_project(),
        title=rus2025.TITLE,
        introduction=rus2025.INTRODUCTION,
        deadline_note=rus2025.DEADLINE_NOTE,
        deadline_at=local_datetime(*rus2025.DEADLINE_LOCAL),
        state="open",
        opened_at=opened_at,
        reminder_days=[],
        created_at=opened_at - timedelta(days=7),
    )
    db.session.add(survey)
    by_number: dict[str, Question] = {}
    for position, spec in enumerate(rus2025.QUESTIONS):
        source, values = spec["condition"] or (None, [])
        question = Question(
            position=position,
            number=spec["number"],
            text=spec["text"],
            help_text=spec["help"],
            kind=spec["kind"],
            required=spec["required"],
            options=option_items(spec["option_list"]) if spec["option_list"] else spec["options"],
            allow_other=spec["allow_other"],
            other_label="Annat, nämligen" if spec["allow_other"] else "",
            settings=spec["settings"],
            parent=by_number.get(spec["parent"]) if spec["parent"] else None,
            condition_question=by_number.get(source) if source else None,
            condition_values=values,
        )
        survey.questions.append(question)
        by_number[spec["number"]] = question
    db.session.flush()
    invitations, tokens = _invite_coordinators(survey, opened_at)
    for entry in rus2025.demo_answers_2025():
        invitation = invitations[entry["county_code"]]
        at = (
            local_datetime(*_parse(entry["submitted_local"]))
            if entry["submitted_local"]
            else opened_at + timedelta(days=21)
        )
        response = get_or_create_response(invitation, at)
        answers = _inputs_2025(by_number, entry["answers"], invitation.organisation.name)
        save_answers(response, answers, None, at, check_open=False)
        if entry["status"] != "draft":
            response.state = "submitted"
            response.submitted_at = response.first_submitted_at = at
            response.late = entry["status"] == "late"
            response.is_coordinated = True
    db.session.flush()
    unanswered = sorted(set(tokens) - {e["county_code"] for e in rus2025.demo_answers_2025()})
    return survey, tokens[unanswered[0]] if unanswered else None


def _invite_coordinators(
    survey: Survey, at: datetime
) -> tuple[dict[str, Invitation], dict[str, str]]:
    """An invitation, sent at `at`, to each board's miljömålssamordnare, by county code."""
    network = db.session.scalar(select(Network).where(Network.name == MILJOMALSSAMORDNARE))
    invitations, tokens = {}, {}
    for contact in sorted(
        network.members if network else [], key=lambda c: c.organisation.county_code or ""
    ):
        invitation, token = create_invitation(survey, contact, None, at)
        invitation.sent_at = at
        invitations[contact.organisation.county_code] = invitation
        tokens[contact.organisation.county_code] = token
    return invitations, tokens


def _inputs_2025(
    questions: dict[str, Question], answers: dict[str, Any], organisation: str
) -> dict[int, AnswerInput]:
    inputs = {}
    for number, value in answers.items():
        uploads = [
            Upload(f"{title}.pdf", rus2025.demo_pdf(title, organisation))
            for title in value.get("files", [])
        ]
        inputs[questions[number].id] = AnswerInput(
            choice=value.get("choice", ""),
            text=value.get("text", ""),
            options=value.get("options", []),
            rows=value.get("rows", {}),
            uploads=uploads,
        )
    return inputs


def load_synthetic_survey(responses: int, now: datetime, seed: int = 2018) -> Survey:
    """A copy of the RUS survey with `responses` answers spread over county boards and
    municipalities, written in bulk, for benchmarks."""
    rng = random.Random(seed)
    survey = create_survey_from_rus2018(
        rus_project(), None, now, deadline_at=now + timedelta(days=14)
    )
    survey.title = f"Syntetisk enkät med {responses} svar"
    survey.state = "open"
    organisations = list(
        db.session.scalars(select(Organisation).where(Organisation.county_code.is_not(None)))
    )
    for n in range(1, 291):
        name = f"Exempelkommun {n:03d}"
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, kind="municipality")
            db.session.add(org)
        organisations.append(org)
    db.session.flush()
    answerable = answerable_questions(survey)
    sectors = [o["value"] for o in next(q for q in answerable if q.number == "2d").options]
    response_rows = []
    for i in range(responses):
        org = organisations[i % len(organisations)]
        at = now - timedelta(minutes=rng.randint(0, 60 * 24 * 20))
        submitted = rng.random() < 0.8
        response_rows.append(
            {
                "survey_id": survey.id,
                "organisation_id": org.id,
                "respondent_name": f"Svarande {i}",
                "respondent_email": f"svarande{i}@example.org",
                "state": "submitted" if submitted else "draft",
                "submitted_at": at if submitted else None,
                "first_submitted_at": at if submitted else None,
                "late": False,
                "is_coordinated": False,
                "created_at": at,
                "updated_at": at,
                "version": 1,
            }
        )
    db.session.execute(Response.__table__.insert(), response_rows)
    ids = list(db.session.scalars(select(Response.id).where(Response.survey_id == survey.id)))
    answer_rows = []
    for response_id in ids:
        for question in answerable:
            row: dict[str, object] = {
                "response_id": response_id,
                "question_id": question.id,
                "choice": None,
                "text": "",
                "options": [],
                "other_text": "",
            }
            # The RUS 2018 questions: yes/no with a comment, the sectors, and free text.
            if question.number in ("1", "2a", "2b"):
                row.update(
                    choice=rng.choice(["yes", "no"]), text="Vi samverkar med näringslivet i länet."
                )
            elif question.number == "2d":
                row.update(options=rng.sample(sectors, 3))
            else:
                row.update(text="- Klimatråd\n- Energikartläggning i små och medelstora företag")
            answer_rows.append(row)
        if len(answer_rows) > 5000:
            db.session.execute(Answer.__table__.insert(), answer_rows)
            answer_rows = []
    if answer_rows:
        db.session.execute(Answer.__table__.insert(), answer_rows)
    db.session.flush()
    return survey
