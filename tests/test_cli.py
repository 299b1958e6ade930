"""The flask commands, run through Click's test runner."""

import pyotp
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from coordinator.extensions import db
from coordinator.models import AuditEvent, Contact, Network, Organisation, User
from coordinator.models.types import utcnow
from coordinator.services.accounts.two_factor import enable_two_factor, start_two_factor
from tests.factories import make_organisation, make_user


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_twice_changes_nothing_the_second_time(runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "21 organisations" in first.output
    counts = (count(Organisation), count(Network))
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0
    assert "0 organisations, 0 networks, 0 option lists" in second.output
    assert (count(Organisation), count(Network)) == counts == (21, 5)


def test_create_user_with_password_from_stdin(runner):
    result = runner.invoke(
        args=["create-user", "pia@example.org", "--role", "admin", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "pia@example.org"))
    assert user.role == "admin"
    assert check_password_hash(user.password_hash, "a long enough password")
    again = runner.invoke(
        args=["create-user", "pia@example.org", "--password-stdin"], input="another password\n"
    )
    assert again.exit_code != 0 and "finns redan" in again.output


def test_an_operator_recovers_an_admin_from_the_command_line(runner):
    """With single sign-on away and the phone lost: a password and no second factor."""
    user = make_user("admin", email="ada@example.org")
    enable_two_factor(user, pyotp.TOTP(start_two_factor(user)).now(), now=utcnow())
    version = user.session_version
    db.session.commit()
    result = runner.invoke(
        args=["set-password", "ada@example.org", "--password-stdin"],
        input="a fresh long password\n",
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["reset-second-factor", "ada@example.org"])
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, "a fresh long password")
    assert not user.has_second_factor and user.session_version > version
    assert runner.invoke(args=["reset-second-factor", "nobody@example.org"]).exit_code != 0


def test_import_contacts_dry_run_then_for_real(runner, tmp_path):
    make_organisation("Länsstyrelsen Skåne", "12")
    db.session.commit()
    path = tmp_path / "kontakter.csv"
    path.write_bytes(
        "E-post;Namn;Organisation\nolle@example.org;Olle Ek;12\nfel;Fel;12\n".encode("cp1252")
    )
    dry = runner.invoke(args=["import-contacts", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 new, 0 to update, 0 unchanged, 1 with errors" in dry.output
    assert "row 3: Ogiltig e-postadress: fel" in dry.output
    assert "nothing saved" in dry.output
    assert count(Contact) == 0
    real = runner.invoke(args=["import-contacts", str(path)])
    assert real.exit_code == 0, real.output
    assert count(Contact) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contact.import"))
    assert event.actor_label == "system" and event.details["new"] == 1
    junk = tmp_path / "bild.xlsx"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    refused = runner.invoke(args=["import-contacts", str(junk), "--dry-run"])
    assert refused.exit_code == 1 and "Excel-ark" in refused.output


def test_demo_data_prints_logins_and_fills_all_boards(runner, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo password 123")
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "demo password 123" in result.output
    staff = list(db.session.scalars(select(User)))
    assert staff and all(user.email in result.output for user in staff)
    boards_with_contacts = db.session.scalar(
        select(func.count(func.distinct(Contact.organisation_id)))
        .join(Contact.organisation)
        .where(Organisation.county_code.is_not(None))
    )
    assert boards_with_contacts == 21
    domains = {c.email.partition("@")[2] for c in db.session.scalars(select(Contact))}
    assert all(d == "example.org" or d.endswith(".example.org") for d in domains)
    again = runner.invoke(args=["demo-data"])
    assert again.exit_code == 0 and "0 new contacts" in again.output
