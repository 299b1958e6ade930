"""The main menu: (endpoint, label, roles that see it; empty means every staff member)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

NAV_ITEMS: list[tuple[str, object, tuple[str, ...]]] = [
    ("main.index", _l("Översikt"), ()),
    ("projects.list_projects", _l("Projekt"), ()),
    ("surveys.list_surveys", _l("Enkäter"), ()),
    ("register.list_organisations", _l("Organisationer"), ()),
    ("register.list_contacts", _l("Kontakter"), ()),
    ("register.list_networks", _l("Nätverk"), ()),
    ("mail.outbox", _l("Utkorg"), ("admin", "coordinator")),
    ("admin.list_users", _l("Konton"), ("admin",)),
    ("admin.audit_log", _l("Händelselogg"), ("admin",)),
    ("admin.personal_data", _l("Personuppgifter"), ("admin",)),
]

ROLE_LABELS = {
    "admin": _l("administratör"),
    "coordinator": _l("samordnare"),
    "viewer": _l("läsare"),
}
