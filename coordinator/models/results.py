"""Results shared back with the boards (issue 15, part 2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.extensions import db
from coordinator.models.surveys import Survey
from coordinator.models.types import UTCDateTime
from coordinator.models.users import User


class ResultsShare(db.Model):
    """One time a coordinator shared a survey's compiled results with the invited boards,
    and what was included. Undoing keeps the row (undone_at), so the history stays."""

    __tablename__ = "results_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    include_free_text: Mapped[bool] = mapped_column(default=True)
    include_attachments: Mapped[bool] = mapped_column(default=False)
    on_public_page: Mapped[bool] = mapped_column(default=False)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    survey: Mapped[Survey] = relationship()
    shared_by: Mapped[User | None] = relationship(foreign_keys=[shared_by_id])
