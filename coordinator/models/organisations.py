"""The register: organisations, their contacts, and networks of contacts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from coordinator.extensions import db
from coordinator.models.types import UTCDateTime, one_line, utcnow

ORGANISATION_KINDS = ("county_board", "agency", "region", "municipality", "other")

network_members = Table(
    "network_members",
    db.metadata,
    Column("network_id", ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('county_board', 'agency', 'region', 'municipality', 'other')", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    _one_line = one_line("name")
    name: Mapped[str] = mapped_column(String(200), unique=True)
    county_code: Mapped[str | None] = mapped_column(String(2), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="other")
    # The domains of its staff's addresses, space-separated ("lansstyrelsen.se"): a survey
    # is passed on only to addresses in them (or their subdomains).
    mail_domains: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="organisation", order_by="Contact.name", passive_deletes=True
    )

    @property
    def is_county_board(self) -> bool:
        return self.kind == "county_board"

    @property
    def domains(self) -> list[str]:
        return self.mail_domains.split()

    def owns_address(self, address: str) -> bool:
        """Whether `address` is in one of the organisation's mail domains."""
        domain = address.rpartition("@")[2].lower()
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    @property
    def display_name(self) -> str:
        return f"{self.county_code} {self.name}" if self.county_code else self.name

    def __repr__(self) -> str:
        return f"<Organisation {self.display_name}>"


class Contact(db.Model):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    _one_line = one_line("name", "title")
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # NULL once the contact is erased; unique among the others (lower-case).
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    language: Mapped[str] = mapped_column(String(5), default="sv")
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A hard bounce came back for this address; cleared when the address changes.
    bouncing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bounce_reason: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # "staff" (the register, an import) or "pass_on": added by a respondent passing a
    # survey on, and left out of whole-organisation invitations until staff confirm it.
    source: Mapped[str] = mapped_column(String(20), default="staff", server_default="staff")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")

    @property
    def from_pass_on(self) -> bool:
        return self.source == "pass_on"

    @property
    def greeting_name(self) -> str:
        """The name to greet in mail: none for a name a respondent typed, which could say
        anything to the person it is sent to."""
        return "" if self.from_pass_on else self.name

    networks: Mapped[list[Network]] = relationship(
        secondary=network_members, back_populates="members", order_by="Network.name"
    )

    @property
    def opted_out(self) -> bool:
        return self.opted_out_at is not None

    @property
    def erased(self) -> bool:
        return self.erased_at is not None

    @validates("email")
    def _new_address(self, _key: str, value: str | None) -> str | None:
        """A new address has not bounced (yet): the mark goes with the old one."""
        if value != self.email:
            self.bouncing_at, self.bounce_reason = None, ""
        return value

    @property
    def bouncing(self) -> bool:
        return self.bouncing_at is not None

    @property
    def can_receive_email(self) -> bool:
        return self.email is not None and not self.opted_out and not self.erased

    def __repr__(self) -> str:
        return f"<Contact {self.id} {self.email}>"


class Network(db.Model):
    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    _one_line = one_line("name")
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[Contact]] = relationship(
        secondary=network_members, back_populates="networks", order_by="Contact.name"
    )

    def __repr__(self) -> str:
        return f"<Network {self.name}>"
