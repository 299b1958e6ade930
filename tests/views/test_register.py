import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import AuditEvent, Contact, Network, Organisation
from tests.factories import make_contact, make_network, make_organisation, make_user
from tests.support import csrf_token, login

READ_PAGES = [
    "/organisations",
    "/organisations/{org}",
    "/contacts",
    "/contacts?q=karin&organisation={org}&network={net}",
    "/contacts/{contact}",
    "/networks",
    "/networks/{net}",
]
EDIT_PAGES = [
    "/organisations/new",
    "/organisations/{org}/edit",
    "/organisations/{org}/delete",
    "/contacts/new",
    "/contacts/{contact}/edit",
    "/contacts/{contact}/delete",
    "/contacts/{contact}/erase",
    "/contacts/import",
    "/networks/new",
    "/networks/{net}/edit",
    "/networks/{net}/delete",
]
POSTS = [
    "/organisations/new",
    "/organisations/{org}/edit",
    "/organisations/{org}/delete",
    "/contacts/new",
    "/contacts/{contact}/edit",
    "/contacts/{contact}/delete",
    "/contacts/{contact}/erase",
    "/contacts/import",
    "/contacts/import/confirm",
    "/networks/new",
    "/networks/{net}/edit",
    "/networks/{net}/members",
    "/networks/{net}/members/{contact}/remove",
    "/networks/{net}/delete",
]


@pytest.fixture
def world(app):
    org = make_organisation("Länsstyrelsen Skåne", "12")
    contact = make_contact(org, name="Karin Berg", email="karin.berg@example.org")
    network = make_network("Miljömålssamordnare", [contact])
    db.session.commit()
    return {"org": org.id, "contact": contact.id, "net": network.id}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("url", [*READ_PAGES, "/contacts/export", *EDIT_PAGES])
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url.format(**world))
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("url", POSTS)
def test_anonymous_posts_are_sent_to_login(app, client, world, url):
    response = client.post(url.format(**world), data={"csrf_token": csrf_token(client, app)})
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("role", ["viewer", "coordinator", "admin"])
@pytest.mark.parametrize("url", READ_PAGES)
def test_all_staff_read(client_request, world, role, url):
    login(client_request.client, make_user(role))
    client_request.get(url.format(**world))


@pytest.mark.parametrize("url", EDIT_PAGES)
def test_viewer_may_not_open_forms(client_request, world, url):
    login(client_request.client, make_user("viewer"))
    client_request.get(url.format(**world), status=403)


@pytest.mark.parametrize("url", POSTS)
def test_viewer_may_not_change_anything(client_request, world, url):
    login(client_request.client, make_user("viewer"))
    before = (count(Organisation), count(Contact), count(Network), count(AuditEvent))
    client_request.post(url.format(**world), {"confirm": "y", "name": "X"}, status=403)
    assert (count(Organisation), count(Contact), count(Network), count(AuditEvent)) == before


@pytest.mark.parametrize("url", EDIT_PAGES)
def test_coordinator_opens_forms(client_request, world, url):
    login(client_request.client, make_user("coordinator"))
    client_request.get(url.format(**world))


def test_viewer_sees_no_edit_buttons(client_request, world):
    login(client_request.client, make_user("viewer"))
    for url in [
        "/organisations",
        "/organisations/{org}",
        "/contacts",
        "/contacts/{contact}",
        "/networks",
        "/networks/{net}",
    ]:
        page = client_request.get(url.format(**world))
        links = [a["href"] for a in page.select("main a")]
        assert not [
            h for h in links if h.endswith(("/new", "/edit", "/delete", "/erase", "/import"))
        ], url
        assert not page.select("main form[method=post]"), url


@pytest.mark.parametrize("url", ["/contacts/new", "/organisations/new", "/networks/new"])
def test_post_without_csrf_token_is_refused(app, client, url):
    login(client, make_user("admin"))
    response = client.post(url, data={"name": "X", "email": "x@example.org"})
    assert response.status_code == 400
    assert count(Contact) == count(Organisation) == count(Network) == 0


def test_contact_form_errors_keep_what_was_typed(client_request, world):
    login(client_request.client, make_user("coordinator"))
    data = {
        "name": "Olle Ek",
        "email": "olle.ek@",
        "title": "Energistrateg",
        "phone": "010-22 33 44",
        "organisation": "",
        "networks": [str(world["net"])],
    }
    page = client_request.post("/contacts/new", data, status=200)
    assert page.title.string.startswith("Fel: ")
    assert [a["href"] for a in page.select(".error-summary a")] == ["#email", "#organisation"]
    assert page.find("input", id="name")["value"] == "Olle Ek"
    assert page.find("input", id="email")["value"] == "olle.ek@"
    assert page.find("input", id="email")["aria-invalid"] == "true"
    assert page.find("input", id="phone")["value"] == "010-22 33 44"
    assert page.find("input", attrs={"name": "networks", "value": str(world["net"])}).has_attr(
        "checked"
    )
    # A duplicate is found by the service; its message lands on the e-mail field.
    data.update(email="KARIN.BERG@example.org", organisation=str(world["org"]))
    page = client_request.post("/contacts/new", data, status=200)
    assert page.select_one(".error-summary a")["href"] == "#email"
    assert "redan en kontaktperson" in page.select_one("#email-error").get_text()
    data.update(email="olle.ek@example.org")
    path = client_request.post("/contacts/new", data)
    olle = db.session.scalar(select(Contact).where(Contact.email == "olle.ek@example.org"))
    assert path == f"/contacts/{olle.id}"
    assert [n.id for n in olle.networks] == [world["net"]]
    assert (
        "Olle Ek" in client_request.get("/contacts?q=energistrateg").select_one("tbody").get_text()
    )


def test_edit_erase_and_delete_contact(client_request, world):
    login(client_request.client, make_user("coordinator"))
    contact_id = world["contact"]
    url = f"/contacts/{contact_id}"
    client_request.post(
        f"{url}/edit",
        {
            "name": "Karin Berg",
            "email": "karin.berg@example.org",
            "organisation": world["org"],
            "title": "Samordnare",
            "opted_out": "y",
        },
    )
    contact = db.session.get(Contact, contact_id)
    assert contact.title == "Samordnare" and contact.opted_out and contact.networks == []
    page = client_request.post(f"{url}/erase", {}, status=200)
    assert [a["href"] for a in page.select(".error-summary a")] == ["#confirm"]
    assert client_request.post(f"{url}/erase", {"confirm": "y"}) == url
    db.session.expire_all()
    assert db.session.get(Contact, contact_id).email is None
    assert "karin" not in client_request.get("/contacts").get_text().lower()
    client_request.get(f"{url}/edit", status=404)
    # The confirmation page's button must be pressed: a bare POST only shows it again.
    client_request.post(f"{url}/delete", {}, status=200)
    assert client_request.post(f"{url}/delete", {"confirm": "yes"}) == "/contacts"
    assert db.session.get(Contact, contact_id) is None
    actions = list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "contact", AuditEvent.object_id == contact_id)
            .order_by(AuditEvent.id)
        )
    )
    assert actions == ["contact.update", "contact.erase", "contact.delete"]


def test_organisations_create_show_edit_delete(client_request, world):
    login(client_request.client, make_user("admin"))
    page = client_request.post(
        "/organisations/new", {"name": "länsstyrelsen skåne", "kind": "other"}, status=200
    )
    assert "redan en organisation" in page.select_one("#name-error").get_text()
    page = client_request.post(
        "/organisations/new",
        {"name": "Skogsstyrelsen", "kind": "agency", "county_code": "1"},
        status=200,
    )
    assert page.select_one(".error-summary a")["href"] == "#county_code"
    path = client_request.post("/organisations/new", {"name": "Skogsstyrelsen", "kind": "agency"})
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Skogsstyrelsen"))
    assert path == f"/organisations/{org.id}"
    page = client_request.get(f"/organisations/{world['org']}")
    assert "Karin Berg" in page.select_one("main table").get_text()
    listing = client_request.get("/organisations?q=skog").select_one("tbody").get_text()
    assert "Skogsstyrelsen" in listing and "Skåne" not in listing
    client_request.post(
        f"/organisations/{org.id}/edit",
        {"name": "Skogsstyrelsen", "kind": "agency", "county_code": ""},
    )
    # An organisation with contacts stays.
    client_request.post(f"/organisations/{world['org']}/delete", {"confirm": "yes"})
    assert db.session.get(Organisation, world["org"]) is not None
    assert (
        client_request.post(f"/organisations/{org.id}/delete", {"confirm": "yes"})
        == "/organisations"
    )
    assert db.session.get(Organisation, org.id) is None


def test_networks_create_edit_members_delete(client_request, world):
    login(client_request.client, make_user("coordinator"))
    other = make_contact(db.session.get(Organisation, world["org"]), name="Olle Ek")
    db.session.commit()
    path = client_request.post("/networks/new", {"name": "NHT 21", "description": "Chefer"})
    network = db.session.scalar(select(Network).where(Network.name == "NHT 21"))
    assert path == f"/networks/{network.id}/edit"
    page = client_request.post(f"/networks/{network.id}/members", {"contact": ""}, status=200)
    assert page.select_one(".error-summary a")["href"] == "#contact"
    client_request.post(f"/networks/{network.id}/members", {"contact": other.id})
    client_request.post(f"/networks/{network.id}/members", {"contact": world["contact"]})
    page = client_request.get(f"/networks/{network.id}")
    assert "Olle Ek" in page.get_text() and "Karin Berg" in page.get_text()
    client_request.post(f"/networks/{network.id}/members/{other.id}/remove")
    assert [c.name for c in db.session.get(Network, network.id).members] == ["Karin Berg"]
    filtered = client_request.get(f"/contacts?network={network.id}").select_one("tbody").get_text()
    assert "Karin Berg" in filtered and "Olle Ek" not in filtered
    client_request.post(f"/networks/{network.id}/edit", {"name": "NHT 21", "description": "Ny"})
    assert db.session.get(Network, network.id).description == "Ny"
    assert client_request.post(f"/networks/{network.id}/delete", {"confirm": "yes"}) == "/networks"
    assert db.session.get(Network, network.id) is None


def test_export_follows_the_filters(client_request, world):
    make_contact(make_organisation("Skogsstyrelsen"), name="Olle Ek")
    db.session.commit()
    login(client_request.client, make_user("viewer"))
    response = client_request.client.get(f"/contacts/export?organisation={world['org']}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Karin Berg"]


def upload(client_request, data: bytes, name: str, status=200):
    return client_request.post(
        "/contacts/import",
        {"file": (io.BytesIO(data), name)},
        status=status,
        content_type="multipart/form-data",
    )


def test_import_preview_then_confirm(client_request, world):
    login(client_request.client, make_user("coordinator"))
    data = (
        "E-post;Namn;Organisation;Nätverk\n"
        "olle@example.org;Olle Ek;12;Miljömålssamordnare\n"
        "trasig;Fel;12;\n"
        "karin.berg@example.org;Karin Berg;12;\n"
    ).encode("cp1252")
    before = count(Contact)
    page = upload(client_request, data, "kontakter.csv")
    text = page.select_one("main").get_text()
    assert "Ogiltig e-postadress: trasig" in text
    assert count(Contact) == before  # the preview saves nothing
    payload = page.find("input", attrs={"name": "payload"})["value"]
    assert client_request.post("/contacts/import/confirm", {"payload": payload}) == "/contacts"
    assert count(Contact) == before + 1
    events = list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contact.import"))
    )
    assert len(events) == 1 and events[0].details["new"] == 1
    # The same signed preview again: the register has changed, so it is shown once more.
    page = client_request.post("/contacts/import/confirm", {"payload": payload}, status=200)
    assert "har ändrats" in page.get_text()
    assert count(Contact) == before + 1
    # A forged payload is refused.
    path = client_request.post("/contacts/import/confirm", {"payload": payload[:-3] + "abc"})
    assert path == "/contacts/import"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.xlsx", "kunde inte läsas som ett Excel-ark"),
        (b"", "tom.csv", "Filen är tom"),
        (b"Namn;Titel\nAnna;Chef\n", "utan.csv", "saknar en kolumn"),
    ],
)
def test_import_junk_shows_the_message_on_the_field(client_request, world, data, name, message):
    login(client_request.client, make_user("coordinator"))
    before = count(Contact)
    page = upload(client_request, data, name)
    assert page.select_one(".error-summary a")["href"] == "#file"
    assert message in page.select_one("#file-error").get_text()
    assert count(Contact) == before


def test_import_refuses_a_file_over_the_limit(app, client_request, world, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 100)
    login(client_request.client, make_user("coordinator"))
    page = upload(client_request, b"E-post\n" + b"a@example.org\n" * 20, "stor.csv")
    assert "för stor" in page.select_one("#file-error").get_text()


def test_start_page_links_to_the_register(client_request, world):
    login(client_request.client, make_user("viewer"))
    page = client_request.get("/")
    hrefs = [a["href"] for a in page.select("main a")]
    assert hrefs[:3] == ["/organisations", "/contacts", "/networks"]
    nav = [a.get_text() for a in page.select("nav.site-nav a")]
    assert {"Organisationer", "Kontakter", "Nätverk"} <= set(nav)


def test_import_preview_shows_the_header_row_and_offers_choices(client_request, world):
    from tests.services.test_contact_import import registry_export

    orebro = make_organisation("Länsstyrelsen i Örebro län", "18")
    db.session.commit()
    login(client_request.client, make_user("coordinator"))
    page = upload(client_request, registry_export(), "export.xlsx")
    assert page.find(id="header-line").get_text().startswith("Rad 4 i filen.")
    swap = page.find("label", attrs={"for": "swap_names"}).get_text()
    assert swap == 'Vänd på namnen i alla 2 rader, så att "Jönsson, Göran" blir "Göran Jönsson"'
    choice = page.find("select", id="org-1")
    assert page.find("label", attrs={"for": "org-1"}).get_text() == (
        'Okänd organisation "Länsstyrelsen Örbro": vilken menas?'
    )
    assert [o.get_text() for o in choice.find_all("option")][1] == "18 Länsstyrelsen i Örebro län"
    assert "Importera 6 kontaktpersoner" in page.get_text()
    payload = page.find("input", attrs={"name": "payload"})["value"]
    choices = {
        "payload": payload,
        "swap_names": "y",
        "org_text-1": "Länsstyrelsen Örbro",
        "org-1": str(orebro.id),
    }
    # Choosing and importing at once shows the choices first: nothing is imported unseen.
    page = client_request.post(
        "/contacts/import/confirm", {**choices, "action": "import"}, status=200
    )
    assert "visar nu dina val" in page.select_one(".flash-warning").get_text()
    assert count(Contact) == 1
    assert "Importera 7 kontaktpersoner" in page.get_text()
    assert page.find("input", id="swap_names").has_attr("checked")
    assert page.find("option", value=str(orebro.id)).has_attr("selected")
    payload = page.find("input", attrs={"name": "payload"})["value"]
    path = client_request.post(
        "/contacts/import/confirm", {**choices, "payload": payload, "action": "import"}
    )
    assert path == "/contacts" and count(Contact) == 8
    kim = db.session.scalar(select(Contact).where(Contact.email == "kim.ost@example.org"))
    goran = db.session.scalar(select(Contact).where(Contact.email == "goran.jonsson@example.org"))
    assert kim.organisation == orebro and goran.name == "Göran Jönsson"
