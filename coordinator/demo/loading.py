"""The demo as a whole: a fictitious register, staff, project and survey for trying it out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from coordinator.demo.register import demo_contacts, demo_staff
from coordinator.extensions import db
from coordinator.models import Contact, Network, Organisation, User
from coordinator.services.accounts.users import create_user, find_user_by_email, set_password
from coordinator.services.register.seed import seed_reference_data


def load_demo_staff(password: str) -> list[User]:
    users = []
    for entry in demo_staff():
        user = find_user_by_email(entry["email"])
        if user is None:
            user = create_user(entry["email"], entry["name"], entry["role"], password)
        else:
            set_password(user, password, actor=None)
        users.append(user)
    return users


def load_demo_register(now: datetime) -> int:
    """Add the fictitious contacts of all 21 boards and their network memberships."""
    boards = {
        o.county_code: o
        for o in db.session.scalars(
            select(Organisation).where(Organisation.county_code.is_not(None))
        )
    }
    networks = {n.name: n for n in db.session.scalars(select(Network))}
    existing = set(db.session.scalars(select(Contact.email)))
    added = 0
    for entry in demo_contacts():
        if entry["email"] in existing:
            continue
        contact = Contact(
            organisation=boards[entry["county_code"]],
            name=entry["name"],
            email=entry["email"],
            title=entry["title"],
            created_at=now,
        )
        contact.networks = [networks[name] for name in entry["networks"] if name in networks]
        db.session.add(contact)
        added += 1
    db.session.flush()
    return added


def load_demo_data(password: str, now: datetime) -> dict[str, object]:
    from coordinator.demo.mail import load_inbound_examples
    from coordinator.demo.projects import load_project_page
    from coordinator.demo.rounds import load_rus_round_2025
    from coordinator.demo.surveys import load_rus2025_survey, load_rus_survey

    created = seed_reference_data()
    staff = load_demo_staff(password)
    contacts = load_demo_register(now)
    survey, example_token = load_rus_survey(now)
    round_2025, token_2025 = load_rus2025_survey(now)
    leader = next((u for u in staff if u.role == "coordinator"), None)
    load_project_page(leader, now)
    round_2025_prefilled, token_prefilled = (
        load_rus_round_2025(leader) if leader is not None else (None, None)
    )
    load_inbound_examples(leader, now)
    return {
        "seeded": created,
        "staff": staff,
        "contacts": contacts,
        "survey": survey,
        "example_token": example_token,
        "survey_2025": round_2025,
        "example_token_2025": token_2025,
        "round_2025": round_2025_prefilled,
        "example_token_prefilled": token_prefilled,
    }
