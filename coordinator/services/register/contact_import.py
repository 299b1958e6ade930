"""Importing contacts from a spreadsheet: read, preview row by row, then import at once.

The flow has two requests, a preview and a confirmation, and nothing is kept on the
server between them. The preview hands the rows it read back to the browser in one
hidden field, signed with the application's secret (itsdangerous), and the confirmation
checks the signature and classifies the rows again against the register as it is then.
We chose this over keeping the upload in the instance folder because:

- it works with several application processes on several machines (no shared disk);
- no personal data is left lying on disk when someone uploads and walks away, so there
  is nothing to clean up;
- the signature means that what is imported is exactly what was read and previewed.

The price is that the rows travel twice; IMPORT_MAX_BYTES and IMPORT_MAX_ROWS bound it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Contact, Network, Organisation, User
from coordinator.services.audit import record_event
from coordinator.services.errors import ContactImportError, RegisterError
from coordinator.services.register.contact_files import ContactFile, RawRow, read_contact_file
from coordinator.services.register.entries import normalise_contact_email
from coordinator.services.register.organisation_names import OrganisationMatcher

MAX_LENGTHS = {"name": 200, "title": 200, "phone": 50}
SIGNATURE_SALT = "contact-import"
SIGNATURE_MAX_AGE = 2 * 60 * 60

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"


@dataclass(frozen=True)
class Decisions:
    """What the coordinator chose in the preview: an organisation for a name in the file
    that was not recognised (by the name as written), and whether "Efternamn, Förnamn"
    names are turned around."""

    organisations: dict[str, int] = field(default_factory=dict)
    swap_names: bool = False


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    status: str = NEW
    errors: list[str] = field(default_factory=list)
    contact: Contact | None = None
    organisation: Organisation | None = None
    networks: list[Network] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    # An organisation name that was not recognised: the closest ones, and whether the
    # organisation was chosen in the preview.
    suggestions: list[Organisation] = field(default_factory=list)
    organisation_chosen: bool = False
    # "Jönsson, Göran": the name turned around ("Göran Jönsson"), and the name as written
    # when it has been.
    turned_name: str | None = None
    name_as_written: str | None = None

    @property
    def email(self) -> str:
        return self.values.get("email", "")


@dataclass
class ImportPreview:
    filename: str
    raw: list[RawRow]
    rows: list[ImportRow]
    columns: list[str]
    ignored_columns: list[str]
    header_line: int = 1
    decisions: Decisions = field(default_factory=Decisions)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((NEW, UPDATE, UNCHANGED, ERROR), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == ERROR]

    @property
    def importable(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status in (NEW, UPDATE)]

    @property
    def name_swaps(self) -> list[ImportRow]:
        """Rows whose name looks like "Efternamn, Förnamn"."""
        return [row for row in self.rows if row.turned_name]

    @property
    def organisation_choices(self) -> list[tuple[str, list[Organisation], int | None]]:
        """Each organisation name not recognised that has close matches: the name as
        written, the closest organisations, and the one chosen (if any)."""
        choices: dict[str, tuple[str, list[Organisation], int | None]] = {}
        for row in self.rows:
            text = row.values.get("organisation", "")
            if row.suggestions and text not in choices:
                choices[text] = (text, row.suggestions, self.decisions.organisations.get(text))
        return list(choices.values())


# Classifying --------------------------------------------------------------------------


class _Register:
    """The parts of the register an import looks things up in, loaded once."""

    def __init__(self, emails: Iterable[str]) -> None:
        self.organisations = OrganisationMatcher(db.session.scalars(select(Organisation)))
        self.by_id = {o.id: o for o in self.organisations.by_name.values()}
        self.networks = {n.name.lower(): n for n in db.session.scalars(select(Network))}
        self.contacts: dict[str, Contact] = {}
        wanted = sorted(set(emails))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for contact in db.session.scalars(select(Contact).where(Contact.email.in_(chunk))):
                self.contacts[contact.email or ""] = contact


def _email_or_none(raw: str) -> str | None:
    try:
        return normalise_contact_email(raw)
    except RegisterError:
        return None


NAME_TURNED = re.compile(r"([^,\d@]+?)\s*,\s*([^,\d@]+)")


def turned_name(name: str) -> str | None:
    """ "Jönsson, Göran" → "Göran Jönsson"; None for a name not written that way."""
    match = NAME_TURNED.fullmatch(name.strip())
    if match is None or not match.group(1).strip() or not match.group(2).strip():
        return None
    return f"{match.group(2).strip()} {match.group(1).strip()}"


def check_rows(raw_rows: list[RawRow]) -> dict[int, str | None]:
    """The normalised e-mail address of each row by line (None where it is not one): the
    part of the checks that needs no database, done before any transaction."""
    return {row.line: _email_or_none(row.values.get("email", "")) for row in raw_rows}


def classify_rows(
    raw_rows: list[RawRow],
    decisions: Decisions | None = None,
    emails: dict[int, str | None] | None = None,
) -> list[ImportRow]:
    """Decide for each row whether it adds, updates, changes nothing or cannot be imported."""
    decisions = decisions or Decisions()
    emails = emails if emails is not None else check_rows(raw_rows)
    register = _Register(e for e in emails.values() if e)
    seen: dict[str, int] = {}
    result = []
    for raw in raw_rows:
        row = ImportRow(raw.line, dict(raw.values))
        email = emails[raw.line]
        if not row.email:
            row.errors.append(_("E-postadress saknas."))
        elif email is None:
            row.errors.append(_("Ogiltig e-postadress: %(value)s", value=row.email))
        elif email in seen:
            row.errors.append(_("Samma e-postadress som på rad %(n)s.", n=seen[email]))
        else:
            seen[email] = raw.line
            row.values["email"] = email
            row.contact = register.contacts.get(email)
        _check_name(row, decisions)
        _check_values(row, register, decisions)
        if row.errors:
            row.status = ERROR
        elif row.contact is not None:
            row.changes = _changes(row)
            row.status = UPDATE if row.changes else UNCHANGED
        result.append(row)
    return result


def _check_name(row: ImportRow, decisions: Decisions) -> None:
    row.turned_name = turned_name(row.values.get("name", ""))
    if row.turned_name and decisions.swap_names:
        row.name_as_written = row.values["name"]
        row.values["name"] = row.turned_name


def _check_values(row: ImportRow, register: _Register, decisions: Decisions) -> None:
    values = row.values
    if not values.get("name") and row.contact is None:
        row.errors.append(_("Namn saknas."))
    for key, limit in MAX_LENGTHS.items():
        if len(values.get(key, "")) > limit:
            row.errors.append(
                _("%(field)s är för långt (högst %(n)s tecken).", field=_label(key), n=limit)
            )
    org_text = values.get("organisation", "")
    if org_text:
        _check_organisation(row, org_text, register, decisions)
    elif row.contact is None:
        row.errors.append(_("Organisation saknas."))
    for name in filter(None, (n.strip() for n in re.split(r"[;,]", values.get("networks", "")))):
        network = register.networks.get(name.lower())
        if network is None:
            row.errors.append(_("Okänt nätverk: %(value)s", value=name))
        elif network not in row.networks:
            row.networks.append(network)


def _check_organisation(
    row: ImportRow, text: str, register: _Register, decisions: Decisions
) -> None:
    """The organisation as written, recognised, or chosen in the preview among the closest."""
    row.organisation = register.organisations.find(text)
    if row.organisation is not None:
        return
    row.suggestions = register.organisations.closest(text)
    chosen = decisions.organisations.get(text)
    if chosen in {o.id for o in row.suggestions}:
        row.organisation = register.by_id[chosen]  # type: ignore[index]
        row.organisation_chosen = True
    elif row.suggestions:
        row.errors.append(
            _(
                "Okänd organisation: %(value)s. Välj den rätta bland förslagen.",
                value=text,
            )
        )
    else:
        row.errors.append(_("Okänd organisation: %(value)s", value=text))


def _label(key: str) -> str:
    return {
        "email": _("E-postadress"),
        "name": _("Namn"),
        "title": _("Titel"),
        "organisation": _("Organisation"),
        "networks": _("Nätverk"),
        "phone": _("Telefon"),
    }[key]


def _changes(row: ImportRow) -> list[str]:
    """What importing the row would change in its contact; empty cells keep what is there."""
    contact = row.contact
    assert contact is not None
    changed = [
        _label(key)
        for key in ("name", "title", "phone")
        if row.values.get(key) and row.values[key] != getattr(contact, key)
    ]
    if row.organisation is not None and row.organisation.id != contact.organisation_id:
        changed.append(_label("organisation"))
    if any(network not in contact.networks for network in row.networks):
        changed.append(_label("networks"))
    return changed


def read_import(
    filename: str, data: bytes, *, max_bytes: int, max_rows: int, max_seconds: float = 30.0
) -> tuple[ContactFile, dict[int, str | None]]:
    """Read and check a contact file: everything that needs no database."""
    read = read_contact_file(
        filename, data, max_bytes=max_bytes, max_rows=max_rows, max_seconds=max_seconds
    )
    return read, check_rows(read.rows)


def preview_import(
    filename: str,
    data: bytes,
    *,
    max_bytes: int,
    max_rows: int,
    max_seconds: float = 30.0,
    decisions: Decisions | None = None,
) -> ImportPreview:
    read, emails = read_import(
        filename, data, max_bytes=max_bytes, max_rows=max_rows, max_seconds=max_seconds
    )
    return build_preview(filename, read, emails, decisions)


def build_preview(
    filename: str,
    read: ContactFile,
    emails: dict[int, str | None],
    decisions: Decisions | None = None,
) -> ImportPreview:
    """The rows read, classified against the register as it is now."""
    decisions = decisions or Decisions()
    return ImportPreview(
        filename,
        read.rows,
        classify_rows(read.rows, decisions, emails),
        read.columns,
        read.ignored,
        read.header_line,
        decisions,
    )


# Importing ----------------------------------------------------------------------------


def apply_import(preview: ImportPreview, actor: User | None, now: datetime) -> dict[str, int]:
    """Add and update the valid rows, with one audit event; the caller commits once."""
    for row in preview.importable:
        values = row.values
        contact = row.contact
        if contact is None:
            assert row.organisation is not None
            contact = Contact(
                organisation=row.organisation,
                name=values["name"],
                email=values["email"],
                title=values.get("title", ""),
                phone=values.get("phone", ""),
                created_at=now,
                updated_at=now,
            )
            db.session.add(contact)
        else:
            for key in ("name", "title", "phone"):
                if values.get(key):
                    setattr(contact, key, values[key])
            if row.organisation is not None:
                contact.organisation = row.organisation
            contact.updated_at = now
        for network in row.networks:
            if network not in contact.networks:
                contact.networks.append(network)
    counts = preview.counts
    db.session.flush()
    record_event(
        actor,
        "contact.import",
        "contact",
        None,
        _(
            "Import från %(file)s: %(new)s nya, %(update)s uppdaterade, %(error)s rader med fel",
            file=preview.filename,
            **counts,
        ),
        {"file": preview.filename, **counts},
        now=now,
    )
    db.session.flush()
    return counts


# Between preview and confirmation -----------------------------------------------------


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SIGNATURE_SALT)


def sign_preview(preview: ImportPreview, secret_key: str) -> str:
    """The rows read, the counts shown and the choices made, signed, for the confirmation
    to send back."""
    payload = {
        "file": preview.filename,
        "columns": preview.columns,
        "ignored": preview.ignored_columns,
        "header": preview.header_line,
        "rows": [
            [raw.line, *(raw.values.get(k, "") for k in preview.columns)] for raw in preview.raw
        ],
        "counts": preview.counts,
        "decisions": {
            "organisations": preview.decisions.organisations,
            "swap_names": preview.decisions.swap_names,
        },
    }
    return str(_serializer(secret_key).dumps(payload))


@dataclass
class SignedPreview:
    """A preview as it comes back from the browser: the rows read and checked, and the
    counts and choices that were shown."""

    filename: str
    read: ContactFile
    emails: dict[int, str | None]
    counts: dict[str, int]
    decisions: Decisions


def read_signed_preview(token: str, secret_key: str) -> SignedPreview:
    """The signed preview, verified and checked: nothing here needs the database."""
    try:
        payload = _serializer(secret_key).loads(token, max_age=SIGNATURE_MAX_AGE)
    except BadSignature as exc:
        raise ContactImportError(
            _l("Förhandsvisningen har gått ut eller är ogiltig. Ladda upp filen igen.")
        ) from exc
    columns = payload["columns"]
    raw = [RawRow(row[0], dict(zip(columns, row[1:], strict=True))) for row in payload["rows"]]
    chosen = payload.get("decisions", {})
    decisions = Decisions(
        {str(k): int(v) for k, v in chosen.get("organisations", {}).items()},
        bool(chosen.get("swap_names")),
    )
    read = ContactFile(raw, columns, payload["ignored"], int(payload.get("header", 1)))
    return SignedPreview(payload["file"], read, check_rows(raw), payload["counts"], decisions)


def load_signed_preview(
    token: str, secret_key: str, decisions: Decisions | None = None
) -> tuple[ImportPreview, dict[str, int]]:
    """The preview classified again against today's register (with `decisions`, or the
    ones it was shown with), and the counts shown before."""
    signed = read_signed_preview(token, secret_key)
    preview = build_preview(
        signed.filename, signed.read, signed.emails, decisions or signed.decisions
    )
    return preview, signed.counts
