"""The seed's project page as demo data: purpose, origin, plan document, notes of the three
meetings, the 2018-07-02 news item and the September online meeting."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select

from coordinator.data import rus2018
from coordinator.demo.surveys import rus_project
from coordinator.extensions import db
from coordinator.localtime import local_datetime
from coordinator.models import Meeting, Network, NewsItem, NoteRevision, Survey, User
from coordinator.services.projects.documents import add_version


def _local(text: str) -> datetime:
    date, _, time = text.partition(" ")
    year, month, day = (int(x) for x in date.split("-"))
    hour, minute = (int(x) for x in (time or "12:00").split(":"))
    return local_datetime(year, month, day, hour, minute)


def plan_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF, so that the demo plan is a real document."""
    text = "\n".join(
        f"BT /F1 {16 if i == 0 else 11} Tf 56 {780 - i * 22} Td ({_pdf_text(line)}) Tj ET"
        for i, line in enumerate([title, *lines])
    ).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def load_project_page(leader: User | None, now: datetime) -> None:
    spec = rus2018.PROJECT
    project = rus_project()
    if project.purpose:
        return  # already filled in
    project.summary = spec["intro"]
    project.origin = spec["origin"]
    project.purpose = "\n".join(f"- {bullet}" for bullet in spec["purpose_bullets"])
    project.plan = "Projektplanen beskriver mål, aktiviteter och tidplan för 2018."
    project.visibility = "public"
    if leader is not None:
        project.leader_id = leader.id
        project.members = [leader]
    db.session.flush()
    if leader is not None:
        add_version(
            None,
            project=project,
            meeting=None,
            title="Projektplan 2018",
            filename="projektplan-2018.pdf",
            data=plan_pdf(
                "Projektplan: Naringsliv och miljomal",
                ["Syfte, mal och aktiviteter 2018", "Workshop 29 augusti 2018"],
            ),
            actor=leader,
            now=now,
        )
    for entry in spec["meetings"]:
        meeting = Meeting(
            project=project,
            title=entry["title"],
            starts_at=_local(entry["start"]),
            ends_at=_local(entry["end"]),
            place=entry.get("place", ""),
            uid=f"{secrets.token_hex(12)}@coordinator",
            created_at=now,
        )
        meeting.revisions = [
            NoteRevision(
                text=entry["notes"],
                published=True,
                author_id=leader.id if leader else None,
                created_at=now,
            )
        ]
        db.session.add(meeting)
    online = spec["online_meeting"]
    meeting = Meeting(
        project=project,
        title=online["title"],
        starts_at=_local(online["start"]),
        ends_at=_local(online["end"]),
        online_url="https://meet.example.org/rus-naringsliv",
        agenda=online["agenda"],
        uid=f"{secrets.token_hex(12)}@coordinator",
        created_at=now,
    )
    meeting.networks = list(
        db.session.scalars(select(Network).where(Network.name.in_(online["networks"])))
    )
    db.session.add(meeting)
    survey = db.session.scalar(select(Survey).where(Survey.title == rus2018.TITLE))
    for entry in spec["news"]:
        db.session.add(
            NewsItem(
                project=project,
                title=entry["title"],
                body=entry["body"],
                published_on=_local(entry["date"]),
                published=True,
                survey=survey,
                author_id=leader.id if leader else None,
            )
        )
    db.session.flush()
