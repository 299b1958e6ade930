"""Meetings with their invitees and notes, news items, and documents with versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.extensions import db
from coordinator.models.organisations import Contact, Network
from coordinator.models.projects import Project
from coordinator.models.surveys import Survey
from coordinator.models.types import UTCDateTime, one_line, utcnow
from coordinator.models.users import User

meeting_networks = Table(
    "meeting_networks",
    db.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True),
)
meeting_contacts = Table(
    "meeting_contacts",
    db.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
)


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    _one_line = one_line("title", "place")
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    # A stable calendar UID; SEQUENCE rises with every change sent to invitees.
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship()
    networks: Mapped[list[Network]] = relationship(
        secondary=meeting_networks, order_by="Network.name"
    )
    contacts: Mapped[list[Contact]] = relationship(
        secondary=meeting_contacts, order_by="Contact.name"
    )
    revisions: Mapped[list[NoteRevision]] = relationship(
        back_populates="meeting",
        order_by="NoteRevision.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def latest_revision(self) -> NoteRevision | None:
        return self.revisions[-1] if self.revisions else None

    @property
    def published_revision(self) -> NoteRevision | None:
        published = [r for r in self.revisions if r.published]
        return published[-1] if published else None


class NoteRevision(db.Model):
    """One saved version of a meeting's notes; every save adds one, none is ever changed."""

    __tablename__ = "note_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class NewsItem(db.Model):
    __tablename__ = "news_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    _one_line = one_line("title")
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[datetime] = mapped_column(UTCDateTime)
    published: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(8), default="sv", server_default="sv")
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship()
    survey: Mapped[Survey | None] = relationship()


class Document(db.Model):
    """A file attached to a project's plan or a meeting; replacing it keeps the old versions."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    _one_line = one_line("title")
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document",
        order_by="DocumentVersion.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def current(self) -> DocumentVersion | None:
        return self.versions[-1] if self.versions else None


class DocumentVersion(db.Model):
    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column()
    # Where the bytes are kept (services/projects/storage.py); never a path from the request.
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")


ATTENDANCE_ANSWERS = ("accepted", "declined", "tentative")


class Attendance(db.Model):
    """One invitee's answer to one meeting: from their calendar (an iTIP REPLY to the
    inbound mailbox) or through the personal link in the invitation. The link's token is
    derived from SECRET_KEY and the nonce, like a survey link; only its hash is kept."""

    __tablename__ = "meeting_attendances"
    __table_args__ = (
        UniqueConstraint("meeting_id", "contact_id"),
        CheckConstraint("answer IN ('accepted', 'declined', 'tentative')", name="answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    token_nonce: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # None until answered, and again after the meeting has moved.
    answer: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_via: Mapped[str] = mapped_column(String(10), default="")  # "calendar" | "link"
    auto_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    auto_reply_until: Mapped[str] = mapped_column(String(100), default="")
    auto_reply_subject: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    contact: Mapped[Contact] = relationship()
