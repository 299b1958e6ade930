"""Factories: build exactly the objects a test needs, flushed and ready to use."""

from __future__ import annotations

import itertools
from typing import Any

from coordinator.extensions import db
from coordinator.models import Contact, Network, Organisation, User
from coordinator.services.users import create_user

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


def make_user(role: str = "coordinator", email: str | None = None, **kwargs: Any) -> User:
    n = next(_counter)
    user = create_user(email or f"user{n}@example.org", kwargs.pop("name", f"User {n}"), role, PASSWORD)
    for key, value in kwargs.items():
        setattr(user, key, value)
    db.session.flush()
    return user


def make_organisation(name: str | None = None, county_code: str | None = None, **kwargs: Any) -> Organisation:
    n = next(_counter)
    org = Organisation(
        name=name or f"Organisation {n}",
        county_code=county_code,
        kind=kwargs.pop("kind", "county_board" if county_code else "other"),
        **kwargs,
    )
    db.session.add(org)
    db.session.flush()
    return org


def make_contact(organisation: Organisation | None = None, **kwargs: Any) -> Contact:
    n = next(_counter)
    contact = Contact(
        organisation=organisation or make_organisation(),
        name=kwargs.pop("name", f"Kontakt {n}"),
        email=kwargs.pop("email", f"kontakt{n}@example.org"),
        title=kwargs.pop("title", "Miljömålssamordnare"),
        **kwargs,
    )
    db.session.add(contact)
    db.session.flush()
    return contact


def make_network(name: str | None = None, members: list[Contact] | None = None) -> Network:
    n = next(_counter)
    network = Network(name=name or f"Nätverk {n}", description="")
    network.members = members or []
    db.session.add(network)
    db.session.flush()
    return network
