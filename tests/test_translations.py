"""The English catalogue: every message translated, placeholders kept, and used by the pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from tests.support import csrf_token

MESSAGES = Path(__file__).resolve().parent.parent / "coordinator/translations/en/LC_MESSAGES"
PO = MESSAGES / "messages.po"
MO = MESSAGES / "messages.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def read_catalogue() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="en")


def entries(catalogue: Catalog) -> list[Message]:
    return [m for m in catalogue if m.id]


def texts(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue() -> None:
    """`make test` compiles the catalogues; without make, compile the English one here."""
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return
    catalogue = read_catalogue()
    with MO.open("wb") as f:
        write_mo(f, catalogue)


def test_the_catalogue_has_messages() -> None:
    assert len(entries(read_catalogue())) > 100


def test_every_message_is_translated() -> None:
    untranslated = [
        m.id for m in entries(read_catalogue()) if not all(s.strip() for s in texts(m.string))
    ]
    assert untranslated == []


def test_no_message_is_fuzzy() -> None:
    fuzzy = [m.id for m in entries(read_catalogue()) if m.fuzzy]
    assert fuzzy == []


def test_plural_messages_have_every_form() -> None:
    catalogue = read_catalogue()
    wrong = [
        m.id
        for m in entries(catalogue)
        if m.pluralizable and len(texts(m.string)) != catalogue.num_plurals
    ]
    assert wrong == []


def test_translations_keep_the_placeholders() -> None:
    wrong = []
    for m in entries(read_catalogue()):
        wanted = set().union(*(placeholders(i) for i in texts(m.id)))
        for translated in texts(m.string):
            if placeholders(translated) != wanted:
                wrong.append((m.id, translated))
    assert wrong == []


def test_the_placeholder_check_sees_a_missing_placeholder() -> None:
    assert placeholders("Hej %(name)s, %(n)d svar") == {"name", "n"}
    assert placeholders("Hello") != placeholders("Hej %(name)s")


def test_login_page_in_english_after_choosing_english(client: FlaskClient, app: Flask) -> None:
    swedish = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv">' in swedish
    assert "Logga in" in swedish

    response = client.post(
        "/language", data={"lang": "en", "next": "/login", "csrf_token": csrf_token(client, app)}
    )
    assert response.status_code in (302, 303)

    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "Forgotten your password?" in html
    assert "Email address" in html  # a form label, from lazy_gettext
    assert "Logga in" not in html
    assert "Glömt lösenordet" not in html


ROOT = Path(__file__).resolve().parent.parent
ERRORS_FOR_THE_COMMAND_LINE = {"BackupError"}  # shown by `flask backup/restore` in English


def extracted_messages() -> set[str]:
    """Every text marked for translation in the code and the templates, as `pybabel
    extract -F babel.cfg -k _l` finds it."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.update(texts(message))
    return found


def test_every_marked_text_is_in_the_catalogue() -> None:
    catalogue = read_catalogue()
    missing_texts = sorted(m for m in extracted_messages() if m and m not in catalogue)
    assert missing_texts == []


def rule_errors_with_bare_text() -> list[str]:
    """`raise XError("…")` in the services: a message shown to users but never translated."""
    import ast

    from coordinator.services import errors

    names = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.RuleError)
    } - ERRORS_FOR_THE_COMMAND_LINE
    found = []
    for path in sorted((ROOT / "coordinator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in names and node.args:
                first = node.args[0]
                if isinstance(first, ast.JoinedStr | ast.Constant | ast.BinOp):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_rule_errors_carry_translatable_messages() -> None:
    assert rule_errors_with_bare_text() == []
