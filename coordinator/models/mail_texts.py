"""A survey's own wording of the e-mails it sends (invitation, reminder, receipt, …)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.extensions import db
from coordinator.models.types import UTCDateTime, utcnow

MAIL_TEXT_KINDS = ("invitation", "reminder", "receipt", "results_shared")


class SurveyMailText(db.Model):
    """The subject and body a coordinator wrote for one kind of mail of one survey, with
    placeholders such as {namn} and {länk} (services/surveys/mail_texts.py). Without a
    row the survey sends the built-in text (templates/emails/)."""

    __tablename__ = "survey_mail_texts"
    __table_args__ = (
        UniqueConstraint("survey_id", "kind"),
        CheckConstraint(
            "kind IN ('invitation', 'reminder', 'receipt', 'results_shared')", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
