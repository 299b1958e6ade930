"""The workshop's notes, started from the results: per question the counts and what each
board wrote, with room for the discussion, decisions and actions."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Meeting, NoteRevision, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.projects.notes import save_notes
from coordinator.services.results.summary import QuestionSummary, SurveySummary
from coordinator.services.surveys.kinds.summaries import figure_text


def workshop_notes_markdown(survey: Survey, summary: SurveySummary) -> str:
    lines = [f"# Workshop: {survey.title}", "", f"Underlag: {summary.responses} svar.", ""]
    for result in summary.questions:
        question = result.question
        lines += [f"## {question.number}. {question.text}", ""]
        lines += _figures(result)
        for label, count in result.counts:
            lines.append(f"- {label}: {count}")
        if result.counts:
            lines += [f"- Obesvarade: {result.unanswered}", ""]
        lines += _table(result)
        if result.not_applicable:
            lines += [f"- Ej aktuell: {result.not_applicable}", ""]
        for item in result.files:
            lines.append(f"- **{item.organisation}:** {item.file.filename}")
        for answer in result.texts:
            first, *rest = answer.text.strip().splitlines() or [""]
            lines.append(f"- **{answer.organisation}:** {first}")
            lines += [f"  {line}" for line in rest]
        lines += ["", "Diskussion:", "", "Beslut:", "", "Åtgärd:", ""]
    return "\n".join(lines).rstrip() + "\n"


def _figures(result: QuestionSummary) -> list[str]:
    with force_locale("sv"):
        figures = [f"- {figure.label}: {figure_text(figure.value)}" for figure in result.figures]
    return [*figures, ""] if figures else []


def _table(result: QuestionSummary) -> list[str]:
    """One line per row of a grid: its counts by column, then its figures."""
    table = result.table
    if table is None:
        return []
    lines = []
    for label, *values in table.rows:
        parts = [
            f"{header} {figure_text(v)}"
            for header, v in zip(table.headers[1:], values, strict=True)
        ]
        lines.append(f"- {label}: " + ", ".join(parts))
    return [*lines, ""]


def meetings_for_notes(survey: Survey) -> list[Meeting]:
    """The meetings of the survey's project that notes can be written for."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.project_id == survey.project_id, Meeting.cancelled_at.is_(None))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def create_meeting_notes(
    meeting: Meeting, survey: Survey, text: str, *, actor: User, now: datetime
) -> NoteRevision:
    """A new revision of the meeting's notes holding the summary. Notes already written
    stay first, with the summary after them: nothing is replaced."""
    latest = meeting.latest_revision
    body = f"{latest.text.rstrip()}\n\n{text}" if latest and latest.text.strip() else text
    revision = save_notes(
        meeting,
        body,
        published=bool(latest and latest.published),
        based_on=latest.id if latest else None,
        actor=actor,
        now=now,
    )
    record_event(
        actor,
        "results.workshop_notes",
        "meeting",
        meeting.id,
        meeting.title,
        {"survey": survey.id, "revision": revision.id},
        now=now,
    )
    return revision
