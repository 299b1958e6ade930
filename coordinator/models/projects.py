"""Projects: the space a project group works in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.extensions import db
from coordinator.models.types import UTCDateTime, one_line, utcnow
from coordinator.models.users import User

project_members = Table(
    "project_members",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Project(db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("state IN ('planned', 'running', 'finished')", name="state"),
        CheckConstraint("visibility IN ('public', 'staff')", name="visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    _one_line = one_line("title")
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default="running")
    visibility: Mapped[str] = mapped_column(String(10), default="staff")
    # The language its texts are written in (WCAG 3.1.2: marked where the page differs).
    language: Mapped[str] = mapped_column(String(8), default="sv", server_default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])
    members: Mapped[list[User]] = relationship(secondary=project_members, order_by="User.name")

    def is_member(self, user: User) -> bool:
        return user.is_admin or user.id == self.leader_id or user in self.members

    def __repr__(self) -> str:
        return f"<Project {self.slug}>"
