"""Surveys and their questions; ready-made option lists such as SNI 2007."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.extensions import db
from coordinator.models.organisations import Organisation
from coordinator.models.projects import Project
from coordinator.models.types import UTCDateTime, one_line, utcnow
from coordinator.models.users import User

SURVEY_STATES = ("draft", "open", "closed")


class OptionList(db.Model):
    """A named list of answer options offered when building a question (e.g. SNI 2007)."""

    __tablename__ = "option_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    items: Mapped[list[OptionListItem]] = relationship(
        back_populates="option_list",
        order_by="OptionListItem.position",
        cascade="all, delete-orphan",
    )


class OptionListItem(db.Model):
    __tablename__ = "option_list_items"
    __table_args__ = (UniqueConstraint("option_list_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    option_list_id: Mapped[int] = mapped_column(ForeignKey("option_lists.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(default=0)

    option_list: Mapped[OptionList] = relationship(back_populates="items")


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (CheckConstraint("state IN ('draft', 'open', 'closed')", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    _one_line = one_line("title")
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    introduction: Mapped[str] = mapped_column(Text, default="")
    deadline_note: Mapped[str] = mapped_column(Text, default="")
    # Soft: answers after it are accepted and marked late.
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Hard: nothing can be submitted after it.
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    # The language of its title, introduction, questions and options.
    language: Mapped[str] = mapped_column(String(8), default="sv", server_default="sv")
    reply_to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Days relative to the deadline on which reminders go out, e.g. [-7, -2, 1].
    reminder_days: Mapped[list[int]] = mapped_column(JSON, default=list)
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("surveys.id", ondelete="SET NULL")
    )
    # Set on a survey made by "Ny omgång": the round it follows (services/surveys/rounds.py).
    previous_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("surveys.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A new random value whenever the survey, its questions, deadline extensions or
    # sharing change (services/surveys/revisions.py), so that what is worked out from them
    # (the form's HTML among others) can be kept and found again. Random rather than
    # counted: a copy restored from a backup, or another database, never reuses one for
    # other content.
    revision: Mapped[str] = mapped_column(
        String(16), default=lambda: secrets.token_hex(8), server_default=""
    )

    project: Mapped[Project] = relationship()
    previous_round: Mapped[Survey | None] = relationship(
        remote_side=[id], foreign_keys=[previous_round_id]
    )
    reply_to_user: Mapped[User | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey",
        order_by="Question.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    deadline_extensions: Mapped[list[DeadlineExtension]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Survey {self.id} {self.state}>"


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    # A sub-question (2a) points at its heading question (2).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    number: Mapped[str] = mapped_column(String(10), default="")
    text: Mapped[str] = mapped_column(Text)
    help_text: Mapped[str] = mapped_column(Text, default="")
    # The name of its QuestionKind (services/surveys/kinds/), which decides everything else.
    kind: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(default=False)
    # For choice questions: [{"value": "C", "label": "Tillverkning"}, ...]
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    allow_other: Mapped[bool] = mapped_column(default=False)
    other_label: Mapped[str] = mapped_column(String(200), default="")
    comment_label: Mapped[str] = mapped_column(String(200), default="")
    # What the kind needs beyond options, e.g. {"unit": "st", "minimum": "0"} for a number.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A follow-up question: shown only when the answer to an earlier question (yes/no, one
    # option or a scale) is one of these values. A heading's condition holds for its
    # sub-questions too.
    condition_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL")
    )
    condition_values: Mapped[list[str]] = mapped_column(JSON, default=list)
    # In a later round: the question of the previous round it was copied from.
    previous_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL")
    )

    survey: Mapped[Survey] = relationship(back_populates="questions")
    parent: Mapped[Question | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    condition_question: Mapped[Question | None] = relationship(
        remote_side=[id], foreign_keys=[condition_question_id]
    )
    previous_question: Mapped[Question | None] = relationship(
        remote_side=[id], foreign_keys=[previous_question_id]
    )

    def __repr__(self) -> str:
        return f"<Question {self.number} {self.kind}>"


class DeadlineExtension(db.Model):
    """A later deadline for one organisation: its answers are on time until then."""

    __tablename__ = "deadline_extensions"
    __table_args__ = (UniqueConstraint("survey_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship(back_populates="deadline_extensions")
    organisation: Mapped[Organisation] = relationship()
