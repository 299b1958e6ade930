import io
import time
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coordinator.extensions import db
from coordinator.models import AuditEvent, Contact
from coordinator.services.errors import ContactImportError
from coordinator.services.register.contact_export import export_contacts
from coordinator.services.register.contact_import import (
    Decisions,
    apply_import,
    load_signed_preview,
    preview_import,
    sign_preview,
    turned_name,
)
from tests.factories import make_contact, make_network, make_organisation, make_user

NOW = datetime(2018, 8, 23, 12, 0, tzinfo=UTC)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
SECRET = "test-secret"


def preview(name, data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS):
    return preview_import(name, data, max_bytes=max_bytes, max_rows=max_rows)


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet(sheet_xml: bytes) -> bytes:
    """A real .xlsx whose first sheet is replaced by `sheet_xml`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["E-post"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(info.filename, data)
    return buffer.getvalue()


def sheet(rows: bytes, dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + dim
        + b"<sheetData>"
        + rows
        + b"</sheetData></worksheet>"
    )


def inline_row(*values: str) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f"<row>{cells}</row>".encode()


def contact_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact))


@pytest.fixture
def register(app):
    skane = make_organisation("Länsstyrelsen Skåne", "12")
    orebro = make_organisation("Länsstyrelsen Örebro", "18")
    agency = make_organisation("Skogsstyrelsen")
    mms = make_network("Miljömålssamordnare")
    energy = make_network("Energi- och klimatsamordnare")
    existing = make_contact(
        skane, name="Karin Berg", email="karin.berg@example.org", title="Handläggare"
    )
    existing.networks = [mms]
    db.session.commit()
    return {
        "skane": skane,
        "orebro": orebro,
        "agency": agency,
        "mms": mms,
        "energy": energy,
        "existing": existing,
        "admin": make_user("admin"),
    }


def test_good_xlsx_adds_and_updates_with_one_audit_event(register):
    data = xlsx(
        [
            ["E-postadress", "Namn", "Befattning", "Organisation", "Nätverk", "Telefon", "Övrigt"],
            [
                "olle.ek@example.org",
                "Olle Ek",
                "Energistrateg",
                "18",
                "Energi- och klimatsamordnare",
                101234567,
                "x",
            ],
            [
                "Karin.Berg@example.org",
                None,
                "Miljömålssamordnare",
                "12 Länsstyrelsen Skåne",
                "energi- och klimatsamordnare",
                None,
                None,
            ],
            [None, None, None, None, None, None, None],
            [
                "sara@example.org",
                "Sara Lind",
                None,
                "Skogsstyrelsen",
                "Miljömålssamordnare; Energi- och klimatsamordnare",
                None,
                None,
            ],
        ]
    )
    result = preview("kontakter.xlsx", data)
    assert result.ignored_columns == ["Övrigt"]
    assert [(r.line, r.status) for r in result.rows] == [(2, "new"), (3, "update"), (5, "new")]
    assert result.rows[1].changes == ["Titel", "Nätverk"]
    before = contact_count()
    counts = apply_import(result, register["admin"], now=NOW)
    db.session.commit()
    assert counts == {"new": 2, "update": 1, "unchanged": 0, "error": 0}
    assert contact_count() == before + 2
    olle = db.session.scalar(select(Contact).where(Contact.email == "olle.ek@example.org"))
    assert olle.organisation == register["orebro"] and olle.phone == "101234567"
    assert olle.created_at == NOW
    karin = register["existing"]
    assert karin.name == "Karin Berg"  # an empty cell keeps what is there
    assert karin.title == "Miljömålssamordnare"
    assert {n.name for n in karin.networks} == {
        "Miljömålssamordnare",
        "Energi- och klimatsamordnare",
    }
    sara = db.session.scalar(select(Contact).where(Contact.email == "sara@example.org"))
    assert len(sara.networks) == 2 and sara.organisation == register["agency"]
    events = list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contact.import"))
    )
    assert len(events) == 1
    assert events[0].details == {"file": "kontakter.xlsx", **counts}
    assert events[0].actor_id == register["admin"].id
    contact_events = select(AuditEvent).where(AuditEvent.object_type == "contact")
    assert len(list(db.session.scalars(contact_events))) == 1  # not one per contact
    again = preview("kontakter.xlsx", data)
    assert [r.status for r in again.rows] == ["unchanged", "unchanged", "unchanged"]


def test_utf8_csv_with_bom_and_commas_in_english(register):
    data = (
        "\ufeffEmail,Name,Title,Organization,Networks,Phone\r\n"
        'ny@example.org,"Berg, Anna",Strateg,01,,08-123\r\n'
    ).encode()
    make_organisation("Länsstyrelsen Stockholm", "01")
    result = preview("contacts.csv", data)
    assert [(r.status, r.values["name"], r.organisation.county_code) for r in result.rows] == [
        ("new", "Berg, Anna", "01")
    ]
    assert result.columns == ["email", "name", "title", "organisation", "networks", "phone"]


def test_windows_1252_csv_with_semicolons(register):
    text = (
        "E-post;Namn;Titel;Organisation\r\n"
        "åsa.öberg@example.org;Åsa Öberg;Miljömålssamordnare;Länsstyrelsen Örebro\r\n"
    )
    result = preview("excel.csv", text.encode("cp1252"))
    [row] = result.rows
    assert row.status == "new"
    assert row.values["name"] == "Åsa Öberg" and row.values["title"] == "Miljömålssamordnare"
    assert row.organisation == register["orebro"]


def test_mixed_rows_report_each_reason_and_import_only_the_good_ones(register):
    data = "\n".join(
        [
            "e-post;namn;organisation;nätverk",
            "god@example.org;God Person;12;Miljömålssamordnare",  # 2: new
            "inte-en-adress;Fel Adress;12;",  # 3: bad e-mail
            "okand@example.org;Okänd Org;Länsstyrelsen Atlantis;",  # 4: unknown organisation
            "natverk@example.org;Okänt Nätverk;12;Golfklubben",  # 5: unknown network
            "GOD@example.org;Dubblett;12;",  # 6: duplicate of line 2
            "utan.namn@example.org;;12;",  # 7: missing name
            "utan.org@example.org;Utan Org;;",  # 8: missing organisation
            ";Utan Adress;12;",  # 9: missing e-mail
            "karin.berg@example.org;;;",  # 10: existing, nothing to change
        ]
    ).encode()
    result = preview("blandat.csv", data)
    reasons = {r.line: " ".join(r.errors) for r in result.errors}
    assert reasons == {
        3: "Ogiltig e-postadress: inte-en-adress",
        4: "Okänd organisation: Länsstyrelsen Atlantis",
        5: "Okänt nätverk: Golfklubben",
        6: "Samma e-postadress som på rad 2.",
        7: "Namn saknas.",
        8: "Organisation saknas.",
        9: "E-postadress saknas.",
    }
    assert result.counts == {"new": 1, "update": 0, "unchanged": 1, "error": 7}
    before = contact_count()
    apply_import(result, register["admin"], now=NOW)
    db.session.commit()
    assert contact_count() == before + 1
    assert db.session.scalar(select(Contact).where(Contact.email == "god@example.org")).name == (
        "God Person"
    )


# The time limits below are on this process's CPU time, not the wall clock: other work on
# the machine (a parallel test run, a build) must not make a correct import look slow.


def test_five_thousand_rows_in_a_few_seconds(register):
    rows = [["E-post", "Namn", "Titel", "Organisation", "Nätverk"]]
    rows += [
        [
            f"person{i}@example.org",
            f"Person {i}",
            "Handläggare",
            "12" if i % 2 else "18",
            "Miljömålssamordnare",
        ]
        for i in range(5000)
    ]
    data = xlsx(rows)
    before = contact_count()
    started = time.process_time()
    result = preview("stor.xlsx", data)
    token = sign_preview(result, SECRET)
    confirmed, shown = load_signed_preview(token, SECRET)
    apply_import(confirmed, register["admin"], now=NOW)
    db.session.commit()
    elapsed = time.process_time() - started
    print(
        f"5,000 rows: preview, sign, check again and import in {elapsed:.2f} s; "
        f"signed rows {len(token)} bytes"
    )
    assert shown == confirmed.counts == {"new": 5000, "update": 0, "unchanged": 0, "error": 0}
    assert contact_count() == before + 5000
    assert elapsed < 10


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bild.xlsx", PNG, "kunde inte läsas som ett Excel-ark"),
        ("bild.csv", PNG, "varken ett Excel-ark"),
        ("tom.csv", b"", "Filen är tom"),
        ("tom.xlsx", b"", "Filen är tom"),
        ("blank.csv", b"\r\n;;\r\n", "Filen är tom"),
        ("gammal.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "(.xls)"),
        ("zip.xlsx", b"PK\x03\x04 not really a zip", "kunde inte läsas som ett Excel-ark"),
        ("utan.csv", b"Namn;Titel\nAnna;Chef\n", "saknar en kolumn för e-postadress"),
        ("rubriker.csv", b"E-post;Namn\n", "inga kontaktpersoner"),
    ],
)
def test_junk_is_refused_with_a_clear_message(register, name, data, message):
    before = contact_count()
    with pytest.raises(ContactImportError) as error:
        preview(name, data)
    assert message in str(error.value)
    assert contact_count() == before


def test_too_large_and_too_many_rows(register):
    data = ("E-post\n" + "".join(f"p{i}@example.org\n" for i in range(200))).encode()
    with pytest.raises(ContactImportError, match="för stor"):
        preview("stor.csv", data, max_bytes=1000)
    with pytest.raises(ContactImportError, match="för många rader. Högst 100"):
        preview("lang.csv", data, max_rows=100)
    assert len(preview("lagom.csv", data, max_rows=200).rows) == 200


def test_a_huge_declared_dimension_is_refused_at_once(register):
    data = with_sheet(sheet(inline_row("E-post") + inline_row("a@example.org"), "A1:F1048576"))
    started = time.process_time()
    with pytest.raises(ContactImportError, match="för många rader"):
        preview("dimension.xlsx", data)
    assert time.process_time() - started < 1


def test_a_zip_bomb_like_sheet_is_refused_quickly(register):
    rows = inline_row("E-post") + inline_row("a@example.org") * 1_000_000
    data = with_sheet(sheet(rows))
    assert len(data) < 200_000  # ~60 MB of XML packed small
    started = time.process_time()
    with pytest.raises(ContactImportError, match="för många rader"):
        preview("bomb.xlsx", data)  # stops reading after MAX_ROWS rows
    with pytest.raises(ContactImportError, match="för stort"):
        preview("bomb.xlsx", data, max_bytes=len(data) + 1)  # refused before unpacking
    elapsed = time.process_time() - started
    print(f"zip bomb refused in {elapsed:.2f} s")
    assert elapsed < 2
    assert contact_count() == 1


def test_nothing_is_half_imported_when_the_register_changes_under_it(register):
    data = b"E-post;Namn;Organisation\na@example.org;A;12\nb@example.org;B;12\n"
    result = preview("ab.csv", data)
    assert result.counts["new"] == 2
    make_contact(register["skane"], name="B elsewhere", email="b@example.org")
    db.session.commit()
    before = contact_count()
    with pytest.raises(IntegrityError):
        apply_import(result, register["admin"], now=NOW)
    db.session.rollback()
    assert contact_count() == before
    assert db.session.scalar(select(Contact).where(Contact.email == "a@example.org")) is None
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contact.import")) is None
    )


def test_signed_preview_round_trip_and_tampering(register):
    data = b"E-post;Namn;Organisation\na@example.org;A;12\n"
    token = sign_preview(preview("a.csv", data), SECRET)
    again, shown = load_signed_preview(token, SECRET)
    assert shown == again.counts and again.rows[0].values["email"] == "a@example.org"
    with pytest.raises(ContactImportError, match="Ladda upp filen igen"):
        load_signed_preview(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], SECRET)
    with pytest.raises(ContactImportError):
        load_signed_preview(token, "another-secret")


def test_export_keeps_formula_looking_text_as_text_and_imports_again(register):
    karin = register["existing"]
    karin.title = '=HYPERLINK("http://evil.example","klicka")'
    karin.phone = "+46 10 123"
    other = make_contact(register["orebro"], name="@SUM(A1)", title="-1+1", email="o@example.org")
    other.networks = [register["energy"]]
    db.session.commit()
    data = export_contacts(db.session.scalars(select(Contact).order_by(Contact.id)))
    sheet_ = load_workbook(io.BytesIO(data)).active
    rows = list(sheet_.iter_rows(min_row=2))
    cells = {c.value: c for row in rows for c in row if c.value}
    for value in ['=HYPERLINK("http://evil.example","klicka")', "+46 10 123", "@SUM(A1)", "-1+1"]:
        assert cells[value].data_type == "s", value
        assert cells[value].quotePrefix, value
    assert cells["12 Länsstyrelsen Skåne"].data_type == "s"
    assert [c.value for c in sheet_[1]][:6] == [
        "E-post",
        "Namn",
        "Titel",
        "Organisation",
        "Nätverk",
        "Telefon",
    ]
    again = preview("export.xlsx", data)
    assert [r.status for r in again.rows] == ["unchanged", "unchanged"]


# Contact files as users have them -------------------------------------------------------


def registry_export() -> bytes:
    """An export from a registry, as a coordinator gets it: a title and a note above the
    header, a county column written every which way, "Efternamn, Förnamn", and line breaks
    typed with Alt+Enter inside cells."""
    return xlsx(
        [
            ["Kontaktlista miljömålssamordnare"],
            ["Uttag ur registret 2024-05-02, endast för internt bruk"],
            [],
            ["E-post", "Namn", "Befattning", "Län"],
            ["goran.jonsson@example.org", "Jönsson, Göran", "Miljömåls-\nsamordnare", "Örebro län"],
            ["anna.ek@example.org", "Ek, Anna", "Strateg", "Länsstyrelsen Örebro län"],
            ["sara.lind@example.org", "Sara Lind", "Handläggare", "ÖREBRO"],
            ["olle.berg@example.org", "Olle Berg", "Handläggare", "12"],
            ["per.holm@example.org", "Per Holm", "Handläggare", "Skåne län"],
            ["eva.ny@example.org", "Eva Ny", "Handläggare", "Länsstyrelsen\r\nSkåne"],
            ["kim.ost@example.org", "Kim Öst", "Handläggare", "Länsstyrelsen Örbro"],
        ]
    )


def test_a_title_row_above_the_header_is_skipped_and_shown(register):
    result = preview("export.xlsx", registry_export())
    assert result.header_line == 4
    assert [r.line for r in result.rows] == [5, 6, 7, 8, 9, 10, 11]
    assert result.columns == ["email", "name", "title", "organisation"]
    csv_data = (
        "Kontaktlista, RUS 2024\r\n"
        "\r\n"
        "E-post;Namn;Organisation\r\n"
        "åsa.öberg@example.org;Öberg, Åsa;Örebro län\r\n"
    ).encode("cp1252")
    [row] = preview("lista.csv", csv_data).rows
    assert (row.line, row.values["email"], row.organisation) == (
        4,
        "åsa.öberg@example.org",
        register["orebro"],
    )


def test_the_header_is_looked_for_among_the_first_rows_only(register):
    data = ("\r\n".join(["Anteckning"] * 10 + ["E-post;Namn", "a@example.org;A"])).encode()
    with pytest.raises(ContactImportError, match="en av de första 10 raderna"):
        preview("sen.csv", data)


def test_line_breaks_in_cells_become_spaces(register):
    rows = {r.values["email"]: r for r in preview("export.xlsx", registry_export()).rows}
    assert rows["goran.jonsson@example.org"].values["title"] == "Miljömåls- samordnare"
    assert rows["eva.ny@example.org"].organisation == register["skane"]


def test_board_names_written_differently_are_recognised(register):
    rows = {r.values["email"]: r for r in preview("export.xlsx", registry_export()).rows}
    orebro, skane = register["orebro"], register["skane"]
    assert {email: r.organisation for email, r in rows.items() if r.status == "new"} == {
        "goran.jonsson@example.org": orebro,
        "anna.ek@example.org": orebro,
        "sara.lind@example.org": orebro,
        "olle.berg@example.org": skane,
        "per.holm@example.org": skane,
        "eva.ny@example.org": skane,
    }


def test_an_unknown_board_gets_the_closest_to_choose_from(register):
    result = preview("export.xlsx", registry_export())
    kim = next(r for r in result.rows if r.values["email"] == "kim.ost@example.org")
    assert kim.status == "error" and kim.suggestions[0] == register["orebro"]
    assert result.organisation_choices == [("Länsstyrelsen Örbro", kim.suggestions, None)]
    chosen = Decisions({"Länsstyrelsen Örbro": register["orebro"].id})
    again = preview_import(
        "export.xlsx", registry_export(), max_bytes=MAX_BYTES, max_rows=MAX_ROWS, decisions=chosen
    )
    kim = next(r for r in again.rows if r.values["email"] == "kim.ost@example.org")
    assert (kim.status, kim.organisation, kim.organisation_chosen) == (
        "new",
        register["orebro"],
        True,
    )
    # Only one of the suggestions can be chosen: another id changes nothing.
    other = Decisions({"Länsstyrelsen Örbro": register["agency"].id})
    kim = next(
        r
        for r in preview_import(
            "export.xlsx",
            registry_export(),
            max_bytes=MAX_BYTES,
            max_rows=MAX_ROWS,
            decisions=other,
        ).rows
        if r.values["email"] == "kim.ost@example.org"
    )
    assert kim.status == "error"


def test_surname_first_names_can_be_turned_around_for_all_rows(register):
    result = preview("export.xlsx", registry_export())
    assert {r.values["name"]: r.turned_name for r in result.name_swaps} == {
        "Jönsson, Göran": "Göran Jönsson",
        "Ek, Anna": "Anna Ek",
    }
    swapped = preview_import(
        "export.xlsx",
        registry_export(),
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        decisions=Decisions(swap_names=True),
    )
    names = {r.values["email"]: r.values["name"] for r in swapped.rows}
    assert names["goran.jonsson@example.org"] == "Göran Jönsson"
    assert (
        names["anna.ek@example.org"] == "Anna Ek" and names["sara.lind@example.org"] == "Sara Lind"
    )
    apply_import(swapped, register["admin"], now=NOW)
    db.session.commit()
    goran = db.session.scalar(select(Contact).where(Contact.email == "goran.jonsson@example.org"))
    assert goran.name == "Göran Jönsson"
    # The choices travel with the signed preview.
    token = sign_preview(swapped, SECRET)
    again, _ = load_signed_preview(token, SECRET)
    assert again.decisions == Decisions(swap_names=True)


@pytest.mark.parametrize(
    ("name", "turned"),
    [
        ("Jönsson, Göran", "Göran Jönsson"),
        ("  Ek ,Anna  ", "Anna Ek"),
        ("von Essen, Eva-Lena", "Eva-Lena von Essen"),
        ("Göran Jönsson", None),
        ("Jönsson, Göran, fil. dr", None),
        ("Enhet 3, vakant", None),
        ("Jönsson,", None),
    ],
)
def test_what_counts_as_surname_first(name, turned):
    assert turned_name(name) == turned


def test_an_xlsx_with_an_entity_bomb_is_refused_within_a_second(register):
    laughs = "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "lol") * 10}">' for i in range(1, 10)
    )
    cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    data = with_sheet(
        (
            f'<?xml version="1.0"?><!DOCTYPE lolz [{laughs}]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{cell}</sheetData></worksheet>"
        ).encode()
    )
    started = time.process_time()
    with pytest.raises(ContactImportError, match="innehåller XML-entiteter"):
        preview("bomb.xlsx", data)
    assert time.process_time() - started < 1


def test_title_rows_do_not_count_against_the_row_limit(register):
    def csv_with(n):
        lines = ["Kontaktlista", "Utdrag 2024", "", "E-post;Namn;Organisation"]
        lines += [f"p{i}@example.org;P {i};12" for i in range(n)]
        return "\r\n".join(lines).encode()

    assert len(preview("lista.csv", csv_with(100), max_rows=100).rows) == 100
    with pytest.raises(ContactImportError, match="Högst 100"):
        preview("lista.csv", csv_with(101), max_rows=100)
