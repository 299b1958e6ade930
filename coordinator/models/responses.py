"""Invitations, responses and answers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from coordinator.extensions import db
from coordinator.models.organisations import Contact, Organisation
from coordinator.models.surveys import Question, Survey
from coordinator.models.types import ExactDecimal, UTCDateTime, one_line, utcnow
from coordinator.models.users import User


class Invitation(db.Model):
    """One contact invited to one survey. Only the SHA-256 of the secret token is kept."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("survey_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Random per invitation; with SECRET_KEY it re-derives the link's token for reminders
    # (services/surveys/tokens.py), so the token itself is never stored. A new nonce = a new link.
    token_nonce: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when a respondent passed the survey on to a colleague.
    forwarded_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_count: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last automatic reply (out of office) to mail about this invitation.
    auto_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    auto_reply_until: Mapped[str] = mapped_column(String(100), default="")
    auto_reply_subject: Mapped[str] = mapped_column(String(300), default="")

    survey: Mapped[Survey] = relationship()
    contact: Mapped[Contact | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    response: Mapped[Response | None] = relationship(back_populates="invitation", uselist=False)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class Response(db.Model):
    """The answers of one respondent on behalf of one organisation to one survey.

    A submitted response keeps its submitted answers (`answers`): they are what the
    dashboard, results and workbook show. Changes the respondent saves after submitting
    are a draft of changes (`pending_answers`, saved at `changes_saved_at`) until they are
    submitted again; see services/surveys/responses.py.
    """

    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'submitted')", name="state"),
        # Covers the dashboard's counts per organisation (services/surveys/followup.py).
        Index(
            "ix_responses_survey_org_counts",
            "survey_id",
            "organisation_id",
            "state",
            "late",
            "is_coordinated",
            "is_board_answer",
            "updated_at",
        ),
        # One board answer per organisation and survey.
        Index(
            "uq_responses_board_answer",
            "survey_id",
            "organisation_id",
            unique=True,
            sqlite_where=sql_text("is_board_answer"),
            postgresql_where=sql_text("is_board_answer"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    _one_line = one_line("respondent_name")
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"), unique=True
    )
    respondent_name: Mapped[str] = mapped_column(String(200), default="")
    respondent_email: Mapped[str | None] = mapped_column(String(254))
    state: Mapped[str] = mapped_column(String(10), default="draft")
    first_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(default=False)
    is_coordinated: Mapped[bool] = mapped_column(default=False)
    # The board's answer that everyone invited from the organisation works on together
    # (no invitation of its own); see services/surveys/board_answers.py.
    is_board_answer: Mapped[bool] = mapped_column(default=False)
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the respondent last saved changes to the submitted answers that are not yet
    # submitted again; None when there is no such draft of changes.
    changes_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking: an UPDATE that finds another version raises StaleDataError.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    survey: Mapped[Survey] = relationship()
    organisation: Mapped[Organisation] = relationship()
    invitation: Mapped[Invitation | None] = relationship(back_populates="response")
    registered_by: Mapped[User | None] = relationship()
    # The answers that count (a draft's own answers, or the submitted ones).
    answers: Mapped[list[Answer]] = relationship(
        primaryjoin=lambda: and_(Response.id == foreign(Answer.response_id), ~Answer.pending),
        back_populates="response",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # The draft of changes to a submitted response: a whole set of answers, one row per
    # question answered, that replaces `answers` when it is submitted.
    pending_answers: Mapped[list[Answer]] = relationship(
        primaryjoin=lambda: and_(Response.id == foreign(Answer.response_id), Answer.pending),
        cascade="all, delete-orphan",
        passive_deletes=True,
        overlaps="answers,response",
    )

    @property
    def submitted(self) -> bool:
        return self.state == "submitted"

    @property
    def has_changes(self) -> bool:
        """Submitted, with changes saved since that are not submitted yet."""
        return self.changes_saved_at is not None


class Answer(db.Model):
    """One question's answer within a response."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id", "pending"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    # "yes"/"no" for yes_no_comment; the chosen value for single_choice.
    choice: Mapped[str | None] = mapped_column(String(100))
    # The comment of a yes/no question, or the text of a text question.
    text: Mapped[str] = mapped_column(Text, default="")
    # Chosen values of a multiple-choice question.
    options: Mapped[list[Any]] = mapped_column(JSON, default=list)
    other_text: Mapped[str] = mapped_column(Text, default="")
    # The answer to a number question, exactly as accepted.
    number_value: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    # The answer to a date question (a day, no time).
    date_value: Mapped[date | None] = mapped_column(Date)
    # A grid: the chosen value of each row, by the row's value.
    row_choices: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Part of the response's draft of changes (not submitted yet) rather than its answers.
    pending: Mapped[bool] = mapped_column(default=False)
    # Copied from the board's answer in the previous round and not yet saved by a
    # respondent ("Förifyllt från förra omgången – bekräfta eller ändra").
    prefilled: Mapped[bool] = mapped_column(default=False)
    # Who last wrote this answer of a board answer, and when: a respondent through their
    # link, or a staff user on the board's behalf (both None for a personal answer).
    written_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    written_by_invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    written_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    written_by_invitation: Mapped[Invitation | None] = relationship()
    written_by_user: Mapped[User | None] = relationship()
    # Deleted through the ORM (not only by the database's cascade), so that removing an
    # answer also removes its files' bytes from storage (services/surveys/kinds/file_upload.py).
    files: Mapped[list[AnswerFile]] = relationship(
        back_populates="answer", order_by="AnswerFile.id", cascade="all, delete-orphan"
    )


class AnswerFile(db.Model):
    """A file attached as (part of) an answer, checked by its content and kept in the same
    storage as project documents under a generated key."""

    __tablename__ = "answer_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column()
    # Where the bytes are kept (services/projects/storage.py); never a path from the request.
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answer: Mapped[Answer] = relationship(back_populates="files")


class ReminderDelivery(db.Model):
    """A scheduled reminder sent for one invitation: each day offset at most once."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (UniqueConstraint("invitation_id", "reminder_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"))
    # Days relative to the deadline, as in Survey.reminder_days (-7 = a week before).
    reminder_day: Mapped[int] = mapped_column()
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
