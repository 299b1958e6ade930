"""The flask commands, through Click's test runner and, where the console matters, as a
person runs them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyotp
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from coordinator.extensions import db
from coordinator.models import (
    AuditEvent,
    Contact,
    Network,
    Organisation,
    OutboxMessage,
    ReminderDelivery,
    User,
)
from coordinator.models.types import utcnow
from coordinator.services.accounts.two_factor import enable_two_factor, start_two_factor
from tests.factories import make_contact, make_organisation, make_user
from tests.support import missing

ROOT = Path(__file__).resolve().parents[1]


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
    lines = dry.output.splitlines()
    assert lines[0] == "  row 2: new       olle@example.org Olle Ek – 12 Länsstyrelsen Skåne"
    assert lines[1] == "  row 3: error     fel Fel – Ogiltig e-postadress: fel"
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


def test_import_contacts_prints_every_row_and_a_summary(runner, tmp_path):
    skane = make_organisation("Länsstyrelsen Skåne", "12")
    make_organisation("Länsstyrelsen i Örebro län", "18")
    make_contact(skane, name="Karin Berg", email="karin@example.org", title="Handläggare")
    make_contact(skane, name="Per Holm", email="per@example.org")
    db.session.commit()
    path = tmp_path / "register.csv"
    path.write_bytes(
        (
            "Kontaktlista miljömålssamordnare\r\n"
            "Utdrag ur registret 2024-05-02\r\n"
            "E-post;Namn;Titel;Organisation\r\n"
            "ny@example.org;Jönsson, Göran;;Örebro län\r\n"
            "karin@example.org;Karin Berg;Miljömålssamordnare;12\r\n"
            "per@example.org;;;\r\n"
            "okand@example.org;Okänd;;Länsstyrelsen Örbro\r\n"
        ).encode("cp1252")
    )
    result = runner.invoke(args=["import-contacts", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Header on row 3; the rows above it are not imported.",
        "  row 4: new       ny@example.org Jönsson, Göran – 18 Länsstyrelsen i Örebro län",
        "  row 5: update    karin@example.org Karin Berg – changes Titel",
        "  row 6: unchanged per@example.org",
        "  row 7: error     okand@example.org Okänd – Okänd organisation: Länsstyrelsen Örbro. "
        "Välj den rätta bland förslagen. Closest: 18 Länsstyrelsen i Örebro län.",
        "register.csv: 1 new, 1 to update, 1 unchanged, 1 with errors.",
        '1 names look like "Efternamn, Förnamn"; --swap-names turns them around.',
        "Dry run: nothing saved.",
    ]
    swapped = runner.invoke(args=["import-contacts", str(path), "--swap-names"])
    assert swapped.exit_code == 0, swapped.output
    assert db.session.scalar(select(Contact).where(Contact.email == "ny@example.org")).name == (
        "Göran Jönsson"
    )


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


def test_the_first_tick_after_demo_data_sends_nothing_from_2018(runner, smtp_server):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    tick = runner.invoke(args=["tick"])
    assert tick.exit_code == 0, tick.output
    assert count(OutboxMessage) == 0 and smtp_server.messages == []
    # The 2018 reminders (7 and 2 days before 23 August) are history: recorded as sent
    # then to the boards that had not answered by that day.
    assert count(ReminderDelivery) > 0


def test_make_demo_links_to_the_address_it_serves_on():
    if shutil.which("make") is None:
        missing("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "PORT")}
    dry = subprocess.run(
        ["make", "-n", "demo", "PORT=5123"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    lines = [line for line in dry.stdout.splitlines() if "flask demo-data" in line]
    assert lines and all("BASE_URL=http://127.0.0.1:5123 " in line for line in lines), dry.stdout
    served = [line for line in dry.stdout.splitlines() if "flask run" in line]
    assert served and "BASE_URL=http://127.0.0.1:5123 " in served[0] and "--port 5123" in served[0]


def test_commands_keep_the_console_quiet(tmp_path):
    """Alembic's plugin and dialect notes are not printed; what happened is."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quiet.sqlite3'}",
        "COORDINATOR_INSTANCE_PATH": str(tmp_path),
    }
    flask = [sys.executable, "-m", "flask", "--app", "coordinator"]

    def run(*args):
        done = subprocess.run([*flask, *args], env=env, cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return (done.stdout + done.stderr).splitlines()

    first = run("db", "upgrade")
    assert first and all("Running upgrade" in line for line in first), first
    assert run("db", "upgrade") == []  # nothing to do, nothing said
