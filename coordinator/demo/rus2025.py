"""The 2025 round of the RUS survey, for the demo: the same project asks the boards again,
with a question of every kind (a number, a date, a scale, a grid, attachments and
follow-up questions), and fictitious answers from twelve boards.

Everything here is made up for the demo, in the style of the boards' real work; it quotes
no one. Times are local Europe/Stockholm time.
"""

from __future__ import annotations

from typing import Any

from coordinator.services.surveys.kinds.calendar_date import CalendarDate
from coordinator.services.surveys.kinds.choice_grid import ChoiceGrid
from coordinator.services.surveys.kinds.file_upload import FileUpload
from coordinator.services.surveys.kinds.heading import Heading
from coordinator.services.surveys.kinds.long_text import LongText
from coordinator.services.surveys.kinds.multiple_choice import MultipleChoice
from coordinator.services.surveys.kinds.numeric import Numeric
from coordinator.services.surveys.kinds.rating_scale import RatingScale
from coordinator.services.surveys.kinds.scales import DONT_KNOW
from coordinator.services.surveys.kinds.short_text import ShortText
from coordinator.services.surveys.kinds.single_choice import SingleChoice
from coordinator.services.surveys.kinds.yes_no_comment import YesNoComment

TITLE = "Näringslivets arbete med miljömålen och Agenda 2030 – uppföljning 2025"

INTRODUCTION = (
    "Sju år efter enkäten 2018 vill projektgruppen veta hur länsstyrelsernas arbete med "
    "näringslivet för miljömålen och Agenda 2030 har utvecklats. Svaren samordnas helst av "
    "miljömålssamordnaren, men alla svar är välkomna.\n\n"
    "Har ni en strategi eller ett åtgärdsprogram? **Bifoga det hellre än att skriva av det.**"
)

DEADLINE_NOTE = "Sena svar tas också emot fram till workshopen i november."

# (year, month, day, hour, minute), local time.
DEADLINE_LOCAL = (2025, 10, 17, 15, 0)
OPENED_LOCAL = (2025, 9, 8, 9, 0)

SECTORS = [
    ("A", "Jordbruk, skogsbruk och fiske"),
    ("C", "Tillverkning"),
    ("D", "Energiförsörjning"),
    ("F", "Byggverksamhet"),
    ("G", "Handel"),
    ("H", "Transport och magasinering"),
    ("I", "Hotell och restaurang"),
    ("L", "Fastighetsverksamhet"),
]
COORDINATORS = [
    "Miljömålssamordnaren",
    "Energi- och klimatsamordnaren",
    "Enheten för hållbar tillväxt",
    "Ingen särskild funktion",
]


def _question(number: str, text: str, kind: str, **spec: Any) -> dict[str, Any]:
    return {
        "number": number,
        "text": text,
        "kind": kind,
        "required": spec.get("required", False),
        "parent": spec.get("parent"),
        "help": spec.get("help", ""),
        "options": spec.get("options", []),
        "option_list": spec.get("option_list"),
        "allow_other": spec.get("allow_other", False),
        "settings": spec.get("settings", {}),
        # (question number, values) of an earlier question that shows this one.
        "condition": spec.get("condition"),
    }


QUESTIONS: list[dict[str, Any]] = [
    _question(
        "1",
        "Har länsstyrelsen en strategi eller ett åtgärdsprogram för arbetet med näringslivet "
        "och miljömålen? Svara ja eller nej och kommentera kort.",
        YesNoComment.name,
        required=True,
    ),
    _question(
        "1a",
        "Bifoga strategin eller åtgärdsprogrammet.",
        FileUpload.name,
        required=True,
        help="PDF, Word eller liknande. Flera filer går bra.",
        settings={"max_files": 3, "max_file_mb": 10, "max_total_mb": 20},
        condition=("1", ["yes"]),
    ),
    _question(
        "1b",
        "Planerar ni att ta fram en strategi? Beskriv kort.",
        LongText.name,
        condition=("1", ["no"]),
    ),
    _question(
        "2",
        "Hur många årsarbetskrafter arbetar i dag med näringslivet och miljömålen?",
        Numeric.name,
        required=True,
        help="Räkna med alla verksamheter, även delar av tjänster. Till exempel 2,5.",
        settings={"unit": "årsarbetskrafter", "minimum": "0", "maximum": "100", "integer": False},
    ),
    _question(
        "3",
        "Sedan när har ni ett samlat arbete med näringslivet?",
        CalendarDate.name,
        help="Ett ungefärligt datum räcker, till exempel när ett råd eller nätverk startade.",
    ),
    _question(
        "4",
        "Hur väl fungerar samverkan med näringslivet i ert län?",
        RatingScale.name,
        required=True,
        settings={
            "points": 5,
            "low_label": "Mycket dåligt",
            "high_label": "Mycket bra",
            "dont_know": True,
        },
    ),
    _question(
        "4a",
        "Vad skulle behövas för att samverkan ska fungera bättre?",
        LongText.name,
        condition=("4", ["1", "2"]),
    ),
    _question("5", "Sektorer", Heading.name),
    _question(
        "5a",
        "Hur aktivt arbetar ni med de här sektorerna?",
        ChoiceGrid.name,
        parent="5",
        settings={
            "rows": [{"value": code, "label": label} for code, label in SECTORS],
            "scale": True,
            "points": 5,
            "low_label": "Inte alls",
            "high_label": "Mycket aktivt",
            "dont_know": True,
        },
    ),
    _question(
        "5b",
        "Vilka sektorer vill ni prioritera de kommande tre åren?",
        MultipleChoice.name,
        parent="5",
        help="Välj sektorer enligt SNI 2007.",
        option_list="sni2007",
        allow_other=True,
    ),
    _question(
        "6",
        "Vem samordnar arbetet med näringslivet på länsstyrelsen?",
        SingleChoice.name,
        required=True,
        options=[{"value": label, "label": label} for label in COORDINATORS],
    ),
    _question("7", "Kontaktperson för uppföljningen", ShortText.name),
    _question("8", "Övriga synpunkter till projektgruppen", LongText.name),
]


def _answer(
    code: str,
    status: str,
    submitted: str | None,
    *,
    strategy: tuple[str, str],
    staff: str,
    since: str,
    scale: str,
    sectors: str,
    priorities: list[str],
    coordinator: int,
    contact: str,
    files: list[str] = (),  # type: ignore[assignment]
    better: str = "",
    other: str = "",
) -> dict[str, Any]:
    """One board's response. `sectors` is one scale point per sector (1–5, or "v" for
    Vet ej); `files` are the titles of the fictitious documents attached to 1a."""
    choice, comment = strategy
    answers: dict[str, Any] = {
        "1": {"choice": choice, "text": comment},
        "2": {"text": staff},
        "3": {"text": since},
        "4": {"choice": DONT_KNOW if scale == "v" else scale},
        "5a": {
            "rows": {
                sector: (DONT_KNOW if point == "v" else point)
                for (sector, _label), point in zip(SECTORS, sectors, strict=True)
            }
        },
        "5b": {"options": priorities},
        "6": {"choice": COORDINATORS[coordinator]},
        "7": {"text": contact},
    }
    if files:
        answers["1a"] = {"files": list(files)}
    if choice == "no":
        answers["1b"] = {"text": "Arbetet med en strategi börjar 2026 tillsammans med regionen."}
    if better:
        answers["4a"] = {"text": better}
    if other:
        answers["8"] = {"text": other}
    return {"county_code": code, "status": status, "submitted_local": submitted, "answers": answers}


def demo_answers_2025() -> list[dict[str, Any]]:
    """Twelve boards: nine on time, two late, one draft (a fresh list on each call)."""
    return [
        _answer(
            "12",
            "on_time",
            "2025-10-02 10:14",
            strategy=(
                "yes",
                "Regionalt åtgärdsprogram för miljömålen 2022–2026, med ett eget "
                "avsnitt om näringslivet.",
            ),
            staff="3,5",
            since="2012-04-01",
            scale="4",
            sectors="45532433",
            priorities=["C", "D", "H"],
            coordinator=0,
            contact="Miljömålssamordnaren, Länsstyrelsen Skåne",
            files=[
                "Regionalt åtgärdsprogram för miljömålen 2022–2026",
                "Bilaga: åtgärder för näringslivet",
            ],
            other="Bra med en uppföljning – mycket har hänt sedan 2018.",
        ),
        _answer(
            "14",
            "on_time",
            "2025-10-10 15:42",
            strategy=("yes", "Klimatstrategin för länet och ett åtgärdsprogram för miljömålen."),
            staff="6",
            since="2017-09-15",
            scale="5",
            sectors="35543442",
            priorities=["C", "H", "F"],
            coordinator=1,
            contact="Samordnare för klimat och energi",
            files=["Klimatstrategi för länet"],
        ),
        _answer(
            "18",
            "on_time",
            "2025-09-29 09:05",
            strategy=("yes", "Energi- och klimatprogram för länet, antaget 2023."),
            staff="2",
            since="2019-02-01",
            scale="3",
            sectors="24542322",
            priorities=["C", "D"],
            coordinator=1,
            contact="Energi- och klimatsamordnaren",
            files=["Energi- och klimatprogram 2023–2030"],
        ),
        _answer(
            "20",
            "on_time",
            "2025-10-16 13:20",
            strategy=("no", "Vi arbetar med enskilda insatser men saknar ett samlat program."),
            staff="1,5",
            since="2020-06-01",
            scale="2",
            sectors="2342v21v",
            priorities=["C", "A"],
            coordinator=0,
            contact="Miljömålssamordnaren",
            better="Ett nätverk där företag och myndigheter träffas regelbundet, och "
            "resurser för att följa upp dialogerna.",
        ),
        _answer(
            "01",
            "on_time",
            "2025-10-15 16:58",
            strategy=(
                "yes",
                "Länsgemensam strategi för hållbar tillväxt med miljömålen som grund.",
            ),
            staff="4",
            since="2016-01-20",
            scale="4",
            sectors="14443532",
            priorities=["F", "G", "L"],
            coordinator=2,
            contact="Enheten för hållbar tillväxt",
            files=["Strategi för hållbar tillväxt"],
        ),
        _answer(
            "03",
            "on_time",
            "2025-10-06 11:30",
            strategy=("yes", "Åtgärdsprogram för miljömålen, med insatser för företag."),
            staff="1",
            since="2018-11-05",
            scale="3",
            sectors="3433v2v2",
            priorities=["A", "C"],
            coordinator=0,
            contact="Miljömålssamordnaren",
            files=["Åtgärdsprogram för miljömålen"],
        ),
        _answer(
            "05",
            "on_time",
            "2025-10-09 08:47",
            strategy=("no", "Ett program tas fram under 2026."),
            staff="0,5",
            since="2021-03-15",
            scale="1",
            sectors="2221v111",
            priorities=["C"],
            coordinator=3,
            contact="Länsstyrelsens registrator vidarebefordrar",
            better="Tydligare uppdrag och någon som ansvarar för kontakten med näringslivet.",
        ),
        _answer(
            "22",
            "on_time",
            "2025-10-13 14:05",
            strategy=("yes", "Regional klimat- och energistrategi."),
            staff="2,5",
            since="2015-05-01",
            scale="4",
            sectors="45424233",
            priorities=["A", "C", "D"],
            coordinator=1,
            contact="Energi- och klimatsamordnaren",
            files=["Regional klimat- och energistrategi"],
        ),
        _answer(
            "25",
            "on_time",
            "2025-10-17 09:12",
            strategy=("yes", "Klimat- och energistrategi med fokus på industrins omställning."),
            staff="5",
            since="2019-10-01",
            scale="5",
            sectors="25553423",
            priorities=["C", "D", "H"],
            coordinator=1,
            contact="Samordnare för industrins omställning",
            files=["Klimat- och energistrategi"],
            other="Den gröna industrins etableringar kräver mycket samverkan just nu.",
        ),
        _answer(
            "08",
            "late",
            "2025-10-24 10:40",
            strategy=("yes", "Miljömålsprogram för länet."),
            staff="1",
            since="2014-09-01",
            scale="3",
            sectors="42233v21",
            priorities=["A", "I"],
            coordinator=0,
            contact="Miljömålssamordnaren",
            files=["Miljömålsprogram för länet"],
        ),
        _answer(
            "21",
            "late",
            "2025-11-03 15:25",
            strategy=("no", "Strategin från 2015 har löpt ut."),
            staff="1",
            since="2015-01-01",
            scale="2",
            sectors="3342v232",
            priorities=["A", "C"],
            coordinator=0,
            contact="Miljömålssamordnaren",
            better="Mer stöd från nationella myndigheter och exempel från andra län.",
        ),
        _answer(
            "09",
            "draft",
            None,
            strategy=("yes", "Vi håller på att revidera vårt program."),
            staff="1",
            since="2017-04-01",
            scale="v",
            sectors="31v4v3v2",
            priorities=["I"],
            coordinator=0,
            contact="",
        ),
    ]


def demo_pdf(title: str, organisation: str) -> bytes:
    """A one-page PDF standing in for a board's document: its title and a note that it is
    a fictitious example."""
    lines = [
        (16, title),
        (11, organisation),
        (11, "Fiktivt exempel i demodata för Coordinator. Innehållet är påhittat."),
    ]

    def text(value: str) -> str:
        plain = value.replace("–", "-").encode("latin-1", "replace").decode("latin-1")
        return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = (
        "BT 72 770 Td "
        + " ".join(f"/F1 {size} Tf ({text(line)}) Tj 0 -24 Td" for size, line in lines)
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out
