"""Names and titles are one line (issue 11 point 1): line breaks and control characters
that arrive through a form, the contact import or the pass-on page become a space, so
no name can break a mail header later."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import Workbook
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Contact, Invitation
from coordinator.services.register.contact_import import apply_import, preview_import
from coordinator.text import single_line
from tests.factories import make_invitation, make_organisation, make_survey, make_user
from tests.support import login

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_line_breaks_and_control_characters_become_one_space():
    assert single_line("Anna\r\nSvensson") == "Anna Svensson"
    assert single_line(" Anna \n\n Svensson\t(Miljö)\x00\x1b\u2028 ") == "Anna Svensson (Miljö)"
    assert single_line("Karin  Berg") == "Karin  Berg"  # ordinary spaces are the user's own
    assert single_line("\u2068Ö\u2069") == "\u2068Ö\u2069"  # bidi isolates are not controls


def test_the_model_keeps_names_and_titles_on_one_line(app):
    contact = Contact(organisation=make_organisation(), name="Anna\nSvensson", title="A\rB")
    db.session.add(contact)
    assert (contact.name, contact.title) == ("Anna Svensson", "A B")
    survey = make_survey()
    survey.title = "Höst\r\nenkät"
    assert survey.title == "Höst enkät"


def test_contact_form(app, client_request):
    login(client_request.client, make_user("admin"))
    org = make_organisation()
    data = {"name": "Olle\r\nEk", "email": "olle@example.org", "title": "Energi\nstrateg"}
    client_request.post("/contacts/new", {**data, "organisation": str(org.id)})
    olle = db.session.scalar(select(Contact).where(Contact.email == "olle@example.org"))
    assert (olle.name, olle.title) == ("Olle Ek", "Energi strateg")


def test_contact_import(app):
    org = make_organisation("Länsstyrelsen Gotland", "09")
    workbook = Workbook()
    workbook.active.append(["E-post", "Namn", "Titel", "Organisation"])
    # What Alt+Enter in an Excel cell gives.
    workbook.active.append(["anna@example.org", "Anna\nSvensson", "Miljö-\r\nsamordnare", org.name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = preview_import("k.xlsx", buffer.getvalue(), max_bytes=10**7, max_rows=100)
    apply_import(preview, make_user("admin"), NOW)
    anna = db.session.scalar(select(Contact).where(Contact.email == "anna@example.org"))
    assert (anna.name, anna.title) == ("Anna Svensson", "Miljö- samordnare")


def test_pass_on_page(app, client_request):
    invitation, token = make_invitation(make_survey())
    invitation.organisation.mail_domains = "example.org"
    db.session.commit()
    data = {"name": "Olle\r\nEk", "email": "olle.ek@example.org"}
    assert client_request.post(f"/r/{token}/pass-on", data) == f"/r/{token}"
    colleague = db.session.scalar(
        select(Invitation).where(Invitation.forwarded_from_id == invitation.id)
    )
    assert colleague.contact.name == "Olle Ek"
