from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import AuditEvent, Contact, Organisation
from coordinator.services.errors import RegisterError
from coordinator.services.register import entries as register
from tests.factories import make_contact, make_network, make_organisation, make_user

NOW = datetime(2018, 8, 23, 12, 0, tzinfo=UTC)


def actions(object_type: str, object_id: int | None = None) -> list[str]:
    query = select(AuditEvent.action).where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def test_save_organisation_creates_updates_and_refuses_duplicates(app):
    admin = make_user("admin")
    org = register.save_organisation(
        None, name=" Skogsstyrelsen ", kind="agency", county_code="", actor=admin
    )
    assert org.name == "Skogsstyrelsen" and org.county_code is None
    register.save_organisation(
        org, name="Skogsstyrelsen", kind="agency", county_code=None, actor=admin
    )
    assert actions("organisation", org.id) == ["organisation.create"]  # no change, no event
    register.save_organisation(
        org, name="Skogsstyrelsen", kind="other", county_code=None, actor=admin
    )
    assert actions("organisation", org.id) == ["organisation.create", "organisation.update"]
    with pytest.raises(RegisterError) as error:
        register.save_organisation(
            None, name="skogsstyrelsen", kind="agency", county_code=None, actor=admin
        )
    assert error.value.field == "name"
    make_organisation("Länsstyrelsen Skåne", "12")
    with pytest.raises(RegisterError) as error:
        register.save_organisation(
            org, name="Skogsstyrelsen", kind="agency", county_code="12", actor=admin
        )
    assert error.value.field == "county_code" and "Länsstyrelsen Skåne" in str(error.value)


def test_delete_organisation_only_without_contacts(app):
    admin = make_user("admin")
    org = make_organisation()
    contact = make_contact(org)
    with pytest.raises(RegisterError):
        register.delete_organisation(org, admin)
    register.delete_contact(contact, admin)
    db.session.refresh(org)
    register.delete_organisation(org, admin)
    assert db.session.get(Organisation, org.id) is None
    assert actions("organisation", org.id) == ["organisation.delete"]
    assert actions("contact", contact.id) == ["contact.delete"]


def test_save_contact_normalises_and_refuses_duplicates(app):
    admin = make_user("admin")
    org = make_organisation()
    network = make_network("Miljömålssamordnare")
    contact = register.save_contact(
        None,
        name="Karin Berg",
        email=" Karin.Berg@Example.ORG ",
        organisation_id=org.id,
        network_ids=[network.id],
        actor=admin,
        now=NOW,
    )
    assert contact.email == "karin.berg@example.org"
    assert [n.name for n in contact.networks] == ["Miljömålssamordnare"]
    with pytest.raises(RegisterError) as error:
        register.save_contact(
            None,
            name="Karin",
            email="KARIN.berg@example.org",
            organisation_id=org.id,
            actor=admin,
            now=NOW,
        )
    assert error.value.field == "email"
    with pytest.raises(RegisterError) as error:
        register.save_contact(
            None, name="X", email="not-an-address", organisation_id=org.id, actor=admin, now=NOW
        )
    assert error.value.field == "email"
    with pytest.raises(RegisterError) as error:
        register.save_contact(
            None, name="X", email="x@example.org", organisation_id=99999, actor=admin, now=NOW
        )
    assert error.value.field == "organisation"
    assert db.session.scalar(select(Contact).where(Contact.email == "x@example.org")) is None


def test_save_contact_update_records_the_changes(app):
    admin = make_user("admin")
    contact = make_contact(name="Karin Berg", title="Handläggare")
    register.save_contact(
        contact,
        name="Karin Berg",
        email=contact.email or "",
        organisation_id=contact.organisation_id,
        title="Miljömålssamordnare",
        opted_out=True,
        actor=admin,
        now=NOW,
    )
    assert contact.opted_out_at == NOW
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contact.update"))
    assert event.details["changes"] == {
        "title": ["Handläggare", "Miljömålssamordnare"],
        "opted_out": [False, True],
    }
    assert event.actor_id == admin.id and event.at == NOW


def test_erase_contact_keeps_the_row_without_personal_data(app):
    admin = make_user("admin")
    contact = make_contact(name="Karin Berg", email="karin@example.org", phone="010-123")
    network = make_network(members=[contact])
    register.erase_contact(contact, admin, now=NOW)
    db.session.commit()
    erased = db.session.get(Contact, contact.id)
    assert erased.email is None and erased.phone == "" and erased.name != "Karin Berg"
    assert erased.erased_at == NOW and erased.networks == []
    assert network.members == []
    assert actions("contact", contact.id) == ["contact.erase"]
    assert register.find_contact_by_email("karin@example.org") is None
    with pytest.raises(RegisterError):
        register.save_contact(
            erased,
            name="Karin",
            email="karin@example.org",
            organisation_id=erased.organisation_id,
            actor=admin,
            now=NOW,
        )


def test_contact_query_searches_and_filters(app):
    skane = make_organisation("Länsstyrelsen Skåne", "12")
    orebro = make_organisation("Länsstyrelsen Örebro", "18")
    karin = make_contact(skane, name="Karin Berg", email="karin@example.org", title="Energi")
    olle = make_contact(orebro, name="Olle Ek", email="olle@example.org", title="Klimat")
    gone = make_contact(skane, name="Gone", email="gone@example.org")
    register.erase_contact(gone, make_user("admin"), now=NOW)
    make_network("Energi- och klimatsamordnare", [olle])

    def names(**kwargs):
        return [c.name for c in db.session.scalars(register.contact_query(**kwargs))]

    assert names() == ["Karin Berg", "Olle Ek"]
    assert names(q="BERG") == ["Karin Berg"]
    assert names(q="olle@") == ["Olle Ek"]
    assert names(q="klimat") == ["Olle Ek"]
    assert names(organisation_id=skane.id) == ["Karin Berg"]
    network = olle.networks[0]
    assert names(network_id=network.id) == ["Olle Ek"]
    assert names(organisation_id=skane.id, network_id=network.id) == []
    counts = dict((o.name, n) for o, n in register.organisations_with_counts())
    assert counts == {"Länsstyrelsen Skåne": 1, "Länsstyrelsen Örebro": 1}
    assert [o.name for o, _ in register.organisations_with_counts("18")] == ["Länsstyrelsen Örebro"]
    assert karin.organisation.display_name == "12 Länsstyrelsen Skåne"


def test_networks_and_members(app):
    admin = make_user("admin")
    network = register.save_network(None, name="NHT 21", description=" Chefer ", actor=admin)
    assert network.description == "Chefer"
    with pytest.raises(RegisterError):
        register.save_network(None, name="nht 21", description="", actor=admin)
    a, b = make_contact(name="A"), make_contact(name="B")
    register.add_network_member(network, a, admin)
    register.add_network_member(network, b, admin)
    register.remove_network_member(network, a, admin)
    register.remove_network_member(network, a, admin)  # not a member any more: nothing happens
    assert [c.name for c in network.members] == ["B"]
    events = list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "network.members").order_by(AuditEvent.id)
        )
    )
    assert [(e.details["added"], e.details["removed"]) for e in events] == [
        ([a.id], []),
        ([b.id], []),
        ([], [a.id]),
    ]
    assert [n for n, _ in register.networks_with_counts()] == [network]
    assert register.networks_with_counts()[0][1] == 1
    register.delete_network(network, admin)
    assert actions("network") == [
        "network.create",
        "network.members",
        "network.members",
        "network.members",
        "network.delete",
    ]
    assert db.session.get(Contact, b.id) is not None
