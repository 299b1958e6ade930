"""Meetings and calendars, notes and revisions, documents, sanitising and search."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.localtime import local_datetime
from coordinator.models import Meeting, NewsItem, OutboxMessage
from coordinator.services.errors import DocumentError, NewsError, ProjectError
from coordinator.services.mail.sender import send_due_messages
from coordinator.services.markdown import render_markdown
from coordinator.services.projects.calendar import meeting_ics
from coordinator.services.projects.documents import OOXML, add_version, detect_type, safe_filename
from coordinator.services.projects.meetings import (
    contacts_by_email,
    invitees,
    notify_change,
    save_meeting,
    send_invitations,
)
from coordinator.services.projects.news import save_news
from coordinator.services.projects.notes import (
    NotesConflict,
    compare_texts,
    items,
    restore,
    save_notes,
)
from coordinator.services.projects.projects import save_project
from coordinator.services.projects.search import search
from tests.factories import (
    make_contact,
    make_network,
    make_organisation,
    make_project,
    make_survey,
    make_user,
)

NOW = datetime(2018, 7, 2, 8, 0, tzinfo=UTC)

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klicka](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<a href='javascript:alert(1)'>x</a>",
    "<iframe src=//evil.example.com></iframe>",
    '<p style="background:url(javascript:alert(1))">x',
    "<<script>script>alert(1)<</script>/script>",
]


def _meeting(start=None, networks=()):
    start = start or local_datetime(2018, 9, 18, 9, 0)
    meeting = save_meeting(
        None,
        project=make_project(),
        title="Skypemöte om projektet",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        place="",
        online_url="https://meet.example.org/rus",
        agenda="1. Projektet\n2. Frågor",
        network_ids=[n.id for n in networks],
        contact_ids=[],
        actor=make_user(),
        now=NOW,
    ).meeting
    return meeting


def _event(ics: bytes):
    calendar = Calendar.from_ical(ics)
    return calendar, next(c for c in calendar.walk("VEVENT"))


@pytest.mark.parametrize(
    "local,utc_hour",
    [((2018, 10, 27, 9, 0), 7), ((2018, 10, 29, 9, 0), 8), ((2019, 3, 31, 9, 0), 7)],
)
def test_calendar_times_across_the_daylight_saving_change(app, local, utc_hour):
    meeting = _meeting(local_datetime(*local))
    _, event = _event(meeting_ics(meeting, "REQUEST", None, NOW))
    start = event.decoded("dtstart")
    assert start.astimezone(UTC).hour == utc_hour
    assert str(event["dtstart"].params["TZID"]) == "Europe/Stockholm"


def test_update_keeps_uid_and_raises_sequence_cancel_says_cancel(app):
    network = make_network("NHT 21", [make_contact(make_organisation())])
    meeting = _meeting(networks=[network])
    send_invitations(meeting, make_user(), NOW)
    _, first = _event(meeting_ics(meeting, "REQUEST", None, NOW))
    change = save_meeting(
        meeting,
        project=meeting.project,
        title=meeting.title,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
        place="",
        online_url=meeting.online_url,
        agenda="",
        network_ids=[network.id],
        contact_ids=[],
        actor=make_user(),
        now=NOW,
    )
    assert change.moved and not change.dropped
    assert notify_change(change, make_user(), NOW) == (1, 0)
    _, second = _event(meeting_ics(meeting, "REQUEST", None, NOW))
    assert second["uid"] == first["uid"] and second["sequence"] > first["sequence"]
    send_invitations(meeting, make_user(), NOW, kind="cancel")
    calendar, cancelled = _event(meeting_ics(meeting, "CANCEL", None, NOW))
    assert calendar["method"] == "CANCEL" and cancelled["status"] == "CANCELLED"
    assert cancelled["uid"] == first["uid"] and cancelled["sequence"] > second["sequence"]


def test_invitation_arrives_once_per_person_with_the_ics(app, smtp_server):
    org = make_organisation()
    shared = make_contact(org, email="both@example.org")
    opted_out = make_contact(org, email="out@example.org")
    opted_out.opted_out_at = NOW
    one = make_network("Miljömålssamordnare", [shared, opted_out])
    two = make_network(
        "Energi- och klimatsamordnare", [shared, make_contact(org, email="other@example.org")]
    )
    meeting = _meeting(networks=[one, two])
    assert len(invitees(meeting)) == 3
    send_invitations(meeting, make_user(), NOW)
    db.session.commit()
    send_due_messages(NOW)
    assert sorted(str(m["To"]).split("<")[1].rstrip(">") for m in smtp_server.messages) == [
        "both@example.org",
        "other@example.org",
    ]
    attachment = next(smtp_server.messages[0].iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(attachment.get_content())
    event = calendar.walk("VEVENT")[0]
    assert calendar["method"] == "REQUEST" and calendar.walk("VTIMEZONE")
    assert str(event["organizer"]) == f"mailto:{app.config['MAIL_DEFAULT_SENDER']}"
    assert str(event["attendee"]).removeprefix("mailto:") in (
        "both@example.org",
        "other@example.org",
    )


def test_revisions_conflict_restore_and_difference(app):
    meeting = _meeting()
    anna, pia = make_user(name="Anna"), make_user(name="Pia")
    first = save_notes(
        meeting,
        "Närvarande: alla\nBeslut: Enkät skickas 2/7.",
        published=False,
        based_on=None,
        actor=anna,
        now=NOW,
    )
    second = save_notes(
        meeting,
        "Närvarande: alla\nBeslut: Enkät skickas 3/7.",
        published=True,
        based_on=first.id,
        actor=anna,
        now=NOW,
    )
    with pytest.raises(NotesConflict) as conflict:
        save_notes(meeting, "Pias text", published=False, based_on=first.id, actor=pia, now=NOW)
    assert conflict.value.latest is second
    assert [r.text for r in meeting.revisions][-1].endswith("3/7.")
    restored = restore(meeting, first, pia, NOW)
    assert restored.text == first.text and len(meeting.revisions) == 3
    diff = compare_texts(first.text, second.text)
    assert (diff.changed, diff.added, diff.removed) == (1, 0, 0)
    assert [p.kind for p in diff.rows[0].new or []] == ["same"]
    changed = diff.rows[1]
    assert [(p.kind, p.text) for p in changed.old or [] if p.kind != "same"] == [
        ("removed", "2/7.")
    ]
    assert [(p.kind, p.text) for p in changed.new or [] if p.kind != "same"] == [("added", "3/7.")]


def test_decisions_and_actions_are_picked_out(app):
    meeting = _meeting()
    save_notes(
        meeting,
        "Beslut: Workshop den 29 augusti.\n"
        "- Åtgärd: Skicka enkäten (ansvarig: Länsstyrelsen Skåne, senast 2018-07-02)\nÖvrigt",
        published=True,
        based_on=None,
        actor=make_user(),
        now=NOW,
    )
    found = items([meeting], published_only=True)
    assert [(i.kind, i.text, i.who, i.when) for i in found] == [
        ("Beslut", "Workshop den 29 augusti.", "", ""),
        ("Åtgärd", "Skicka enkäten", "Länsstyrelsen Skåne", "2018-07-02"),
    ]


@pytest.mark.parametrize("payload", XSS)
def test_markdown_renders_attacks_inert(payload):
    page = BeautifulSoup(str(render_markdown(payload)), "html.parser")
    for tag in page.find_all(True):
        assert tag.name not in ("script", "iframe", "svg", "style", "object", "embed"), tag
        for name, value in tag.attrs.items():
            assert not name.startswith("on") and name != "style", tag
            if name in ("href", "src"):
                assert str(value).startswith(("http://", "https://", "mailto:")), tag


def test_stored_text_stays_as_typed(app):
    project = make_project()
    item = NewsItem(project=project, title="x", body=XSS[0], published_on=NOW)
    db.session.add(item)
    db.session.flush()
    db.session.expire_all()
    assert item.body == XSS[0]


def test_uploads_are_checked_by_content(app):
    assert detect_type(b"%PDF-1.7\n...", "plan.pdf") == "application/pdf"
    assert detect_type(b"\x89PNG\r\n\x1a\nrest", "bild.png") == "image/png"
    for data, name in (
        (b"<html><script>x</script>", "plan.pdf"),
        (b"<svg onload=1>", "plan.pdf"),
        (b"MZ\x90\x00binary", "program.pdf"),
        (b"", "tom.pdf"),
    ):
        with pytest.raises(DocumentError):
            detect_type(data, name)
    project, user = make_project(), make_user()
    app.config["UPLOAD_MAX_BYTES"], limit = 100, app.config["UPLOAD_MAX_BYTES"]
    try:
        with pytest.raises(DocumentError, match="för stor"):
            add_version(
                None,
                project=project,
                meeting=None,
                title="",
                filename="stor.pdf",
                data=b"%PDF-" + b"x" * 200,
                actor=user,
                now=NOW,
            )
    finally:
        app.config["UPLOAD_MAX_BYTES"] = limit
    document = add_version(
        None,
        project=project,
        meeting=None,
        title="Plan",
        filename="../../etc/passwd.pdf",
        data=b"%PDF-1.4 a",
        actor=user,
        now=NOW,
    )
    add_version(
        document,
        project=project,
        meeting=None,
        title="",
        filename="plan-v2.pdf",
        data=b"%PDF-1.4 b",
        actor=user,
        now=NOW,
    )
    assert [v.filename for v in document.versions] == ["passwd.pdf", "plan-v2.pdf"]
    assert all(v.storage_key.isalnum() for v in document.versions)


def test_search_folds_swedish_letters(app):
    make_contact(make_organisation("Länsstyrelsen i Örebro län", "18"), name="Åsa Öberg")
    project = make_project("Näringsliv och miljömål")
    project.purpose = "Att stödja NÄRINGSLIVETS arbete för miljömålen"
    db.session.flush()
    assert [h.title for h in search("åsa ÖBERG")] == ["Åsa Öberg"]
    assert [h.kind for h in search("näringslivets")] == ["Projekt"]
    assert search("örebro")[0].kind == "Kontakt"
    assert search("   ") == []
    assert isinstance(Meeting, type)


def test_removed_invitees_get_a_cancel_and_the_rest_an_update(app):
    org = make_organisation()
    stays, goes = make_contact(org, email="stays@example.org"), make_contact(org)
    network = make_network("Miljönätverket", [stays])
    meeting = _meeting(networks=[network])
    meeting.contacts = [goes]
    send_invitations(meeting, make_user(), NOW)
    change = save_meeting(
        meeting,
        project=meeting.project,
        title=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place=" ",
        online_url=meeting.online_url,
        agenda="",
        network_ids=[network.id],
        contact_ids=[],
        actor=make_user(),
        now=NOW,
    )
    assert not change.moved and change.dropped == [goes]
    assert notify_change(change, make_user(), NOW) == (0, 1)
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    calendar, event = _event(message.attachments[0].data)
    assert message.recipient_email == goes.email and calendar["method"] == "CANCEL"
    assert event["sequence"] == 1 and meeting.cancelled_at is None


def test_contacts_by_email_reports_unknown_addresses(app):
    known = make_contact(make_organisation(), email="asa@example.org")
    found, unknown = contacts_by_email("ASA@example.org; okand@example.org,\nokand@example.org")
    assert found == [known] and unknown == ["okand@example.org"]


def test_news_links_only_to_the_projects_own_surveys(app):
    project, user = make_project(), make_user()
    own, foreign = make_survey(project=project), make_survey()
    with pytest.raises(NewsError):
        save_news(
            None,
            project=project,
            title="x",
            body="",
            published_on=NOW,
            published=True,
            survey_id=foreign.id,
            actor=user,
            now=NOW,
        )
    item = save_news(
        None,
        project=project,
        title=" Enkäten ",
        body="Svara",
        published_on=NOW,
        published=False,
        survey_id=own.id,
        actor=user,
        now=NOW,
    )
    assert item.title == "Enkäten" and item.survey is own and item.author_id == user.id


def test_projects_keep_leader_and_creator_as_members_and_unique_slugs(app):
    creator, leader = make_user(), make_user()
    values = {
        "title": "Näringsliv",
        "slug": "naringsliv",
        "state": "running",
        "visibility": "staff",
    }
    project = save_project(
        None, values=values, leader_id=leader.id, member_ids=[], actor=creator, now=NOW
    )
    assert set(project.members) == {creator, leader} and project.leader is leader
    with pytest.raises(ProjectError) as error:
        save_project(None, values=values, leader_id=None, member_ids=[], actor=creator, now=NOW)
    assert error.value.field == "slug"
    save_project(project, values=values, leader_id=None, member_ids=[], actor=leader, now=NOW)
    assert project.members == [] and project.leader is None


@pytest.mark.parametrize(
    "given,content_type,saved",
    [
        ("Projektplan 2018.pdf", "application/pdf", "Projektplan 2018.pdf"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\pia\\plan.html", "application/pdf", "plan.pdf"),
        ("bild.JPEG", "image/jpeg", "bild.JPEG"),
        ("karta.exe", "image/png", "karta.png"),
        ('a"<>|:*?.docx', OOXML["word/"], "a.docx"),
        ("", "application/msword", "dokument.doc"),
    ],
)
def test_stored_file_names_are_plain_and_end_as_their_type(given, content_type, saved):
    assert safe_filename(given, content_type) == saved
