"""The built-in "RUS 2018" survey template and the project it belongs to.

The questionnaire, the introduction and the deadline note reproduce the RUS project page
of 2018 word for word (``tests/data/seed_rus2018.txt``); do not edit their wording. The
meeting notes are fictitious examples written for the demo. Dates and times are local
Europe/Stockholm time.
"""

from __future__ import annotations

from typing import Any

from coordinator.data.networks import STANDARD_NETWORKS
from coordinator.data.sni2007 import SNI_2007_KEY
from coordinator.services.surveys.kinds import kind_names
from coordinator.services.surveys.kinds.heading import Heading
from coordinator.services.surveys.kinds.long_text import LongText
from coordinator.services.surveys.kinds.multiple_choice import MultipleChoice
from coordinator.services.surveys.kinds.yes_no_comment import YesNoComment

TIMEZONE = "Europe/Stockholm"

TITLE = "Näringslivets arbete med miljömålen och Agenda 2030"

INTRODUCTION = (
    "Den 29 augusti kommer projektgruppen ha en heldagsworkshop och inför denna skulle vi "
    "gärna vilja ha svar på några frågor från så många länsstyrelser som möjligt. Svaren "
    "samordnas/besvaras företrädesvis av en miljömålssamordnare, men alla svar är välkomna. "
    "Redovisa inte allt ni gör utan välj ut de mest framträdande delarna och beskriv dessa, "
    "gärna i punktform."
)

# The seed has a no-break space between "Svaren" and "e-postas"; it is kept.
DEADLINE_NOTE = (
    "Svaren\u00a0e-postas till projektledare Ingela Valeur, Länsstyrelsen Skåne, helst till "
    "torsdagen den 23 augusti. Hinner ni inte det tar vi gärna emot svar senare också."
)

# (year, month, day, hour, minute) and (year, month, day), local time.
DEADLINE_LOCAL: tuple[int, int, int, int, int] = (2018, 8, 23, 23, 59)
WORKSHOP_DATE: tuple[int, int, int] = (2018, 8, 29)

# Every kind a question may have (the template uses four of them).
QUESTION_KINDS: tuple[str, ...] = kind_names()

OTHER_LABEL = "Annat, nämligen"


def _question(
    number: str,
    text: str,
    kind: str,
    *,
    required: bool,
    parent: str | None = None,
    help_text: str = "",
    option_list: str | None = None,
) -> dict[str, Any]:
    choice = option_list is not None
    return {
        "number": number,
        "text": text,
        "kind": kind,
        "required": required,
        "parent": parent,
        "help": help_text,
        "option_list": option_list if choice else None,
        "allow_other": choice,
        "other_label": OTHER_LABEL if choice else "",
    }


QUESTIONS: list[dict[str, Any]] = [
    _question(
        "1",
        "Har ni strategier/samarbeten/dialog internt inom länsstyrelsen och mellan olika "
        "verksamheter för hur ni verkar för miljömålen och Agenda 2030 gentemot "
        "näringslivet/företagen i ert län? Svara ja eller nej samt beskriv/kommentera det kort.",
        YesNoComment.name,
        required=True,
    ),
    _question(
        "2",
        "Hur verkar ni för miljömålen och Agenda 2030 gentemot näringslivet/företagen i ert län?",
        Heading.name,
        required=False,
    ),
    _question(
        "2a",
        "Driver ni ett utåtriktat arbete för att nå näringslivet/företagen i ert län? "
        "Svara ja eller nej samt beskriv det kort.",
        YesNoComment.name,
        required=True,
        parent="2",
    ),
    _question(
        "2b",
        "Finns detta med i strategier och/eller åtgärdsprogram? "
        "Svara ja eller nej samt beskriv det kort.",
        YesNoComment.name,
        required=True,
        parent="2",
    ),
    _question(
        "2c",
        "Delge exempel på aktiviteter och arbetssätt i ert län.",
        LongText.name,
        required=True,
        parent="2",
        help_text="Välj ut de mest framträdande exemplen, gärna i punktform.",
    ),
    _question(
        "2d",
        "Vilka specifika sektorer/branscher arbetar ni med?",
        MultipleChoice.name,
        required=True,
        parent="2",
        help_text=(
            "Välj de sektorer enligt SNI 2007 som ni arbetar med. "
            "Ange andra branscher i fritextfältet."
        ),
        option_list=SNI_2007_KEY,
    ),
    _question(
        "3",
        "Vilka behov av stöd har ni i arbetet och som projektet i så fall kan fylla?",
        LongText.name,
        required=True,
    ),
    _question(
        "4",
        "Övrigt som ni vill föra fram?",
        LongText.name,
        required=False,
    ),
]

_SKYPE_PARAGRAPH = (
    "Vi kommer i september att ha ett Skypemöte där vi informerar om projektet och ger också "
    "utrymme för frågor och synpunkter. Till det mötet bjuder vi in miljömålssamordnarna och "
    "deras chefer, energi- och klimatsamornarna, NHT 21 (chefsnätverket för hållbar tillväxt) "
    "och Miljönätverket."
)


def _questions_markdown() -> str:
    """The questions as a Markdown numbered list; lettered sub-questions on their own lines."""
    items: list[str] = []
    for question in QUESTIONS:
        if question["parent"] is None:
            items.append(f"{question['number']}. {question['text']}")
        else:
            letter = question["number"].removeprefix(question["parent"])
            # A trailing backslash is a hard line break in CommonMark.
            items[-1] += f"\\\n   {letter}) {question['text']}"
    return "\n\n".join(items)


NEWS_BODY = "\n\n".join(
    [INTRODUCTION, "Frågor:", _questions_markdown(), DEADLINE_NOTE, _SKYPE_PARAGRAPH]
)

_MEETING_2018_04_NOTES = """\
**Deltagare:** projektgruppen (Skåne, Dalarna, Örebro, Västra Götaland, Västerbotten)

## Dagordning

1. Projektplanen: syfte, avgränsning och tidplan
2. Roller i projektgruppen
3. Koppling till Tillväxtverkets arbete med Hållbart företagande
4. Workshop i augusti

## 20/4 (Skype)

- Projektplanen gicks igenom. Syftet ligger fast; avgränsningen mot det ordinarie
  tillväxtarbetet behöver förtydligas.
- Vi vill få med fler verksamheter än miljömålsarbetet: energi och klimat, tillväxt,
  landsbygd och miljöskydd.
- Beslut: projektplanen skickas till RUS styrgrupp för synpunkter.
- Åtgärd: revidera avgränsningen i projektplanen (ansvarig: projektledaren, senast 2018-04-23)

## 24/4 (fortsättning)

- Reviderad projektplan godkänd av gruppen.
- Diskussion om hur vi får en bild av vad länen redan gör gentemot näringslivet. En kort
  enkät till alla länsstyrelser före workshopen bedöms ge mest.
- Tillväxtverkets åtgärd Hållbart företagande (cirkulära affärsmodeller) pågår; flera län
  deltar redan och erfarenheterna bör tas till vara.
- Beslut: heldagsworkshop den 29 augusti.
- Åtgärd: boka lokal för workshopen (ansvarig: Länsstyrelsen Skåne, senast 2018-05-15)
- Åtgärd: ta fram utkast till enkätfrågor (ansvarig: Länsstyrelsen Dalarna, senast 2018-05-25)
"""

_MEETING_2018_05_NOTES = """\
**Deltagare:** projektgruppen; Västerbotten frånvarande

## Dagordning

1. Enkät till länsstyrelserna
2. Upplägg för workshopen den 29 augusti
3. Informationsmöte i september
4. Övrigt

## Anteckningar

- Utkastet till enkät diskuterades. Frågorna kortas ned; vi ber om ja/nej med en kort
  kommentar där det går, och om sektorer/branscher.
- Svaren bör samordnas av miljömålssamordnaren i varje län, men alla svar tas emot.
- Workshopen: förmiddag med länens exempel, eftermiddag med behov av stöd och fortsatt
  arbete i projektet.
- Ett Skypemöte i september för miljömålssamordnarna och deras chefer, energi- och
  klimatsamordnarna, NHT 21 och Miljönätverket.
- Beslut: enkäten skickas ut i början av juli med önskat svar senast den 23 augusti.
- Beslut: svaren sammanställs i ett underlag till workshopen.
- Åtgärd: färdigställa enkäten och lägga ut den (ansvarig: projektledaren, senast 2018-07-02)
- Åtgärd: föreslå datum för Skypemötet (ansvarig: Länsstyrelsen i Örebro län, senast 2018-06-15)
- Åtgärd: sammanställa svaren (ansvarig: Länsstyrelsen i Västra Götalands län, senast 2018-08-27)
"""

_SKYPE_AGENDA = """\
1. Projektet Näringsliv och miljömål: syfte och upplägg
2. Resultat från enkäten och workshopen den 29 augusti
3. Frågor och synpunkter
"""

PROJECT: dict[str, Any] = {
    "title": "Näringsliv och miljömål",
    "slug": "naringsliv-och-miljomal",
    "intro": (
        'Våren 2018 startade RUS projektet "Näringslivets arbete med miljömålen och Agenda '
        '2030". På denna sida finner du projektplanen mötesanteckningar och annan aktuell '
        "information."
    ),
    "origin": (
        "I RUS VP 2017 och 2018 finns följande utvecklingsinsats: ”Näringslivets arbete med "
        "miljömålen: I samarbete med berörda länsstyrelseverksamheter samt regeringens "
        "miljömålssamordnare för näringslivet genomföra en projektinsats i syfte att "
        "understödja regionalt och lokalt näringslivs arbete för miljömålen. Använda resultat "
        "av workshop vid Nobelmötet i december 2016 som underlag.”\n\n"
        "Insatsen är också formulerad i länsstyrelserna åtgärdslista till MMR: ”Näringsliv och "
        "miljömål: I samarbete med berörda länsstyrelseverksamheter samt regeringens "
        "miljömålssamordnare för näringslivet genomföra ett projekt i syfte att stödja "
        "näringslivets arbete för miljömålen.”"
    ),
    "purpose_bullets": [
        "Att genom vägledning och erfarenhetsutbyte underlätta länsstyrelsernas samt även "
        "Skogsstyrelsens, regioners och kommunernas arbete att verka för och synliggöra "
        "miljömålen, men även Agenda 2030, gentemot företag generellt och i olika sektorer.",
        "Att involvera flera berörda verksamheter på länsstyrelserna i projektet och därigenom "
        "också stimulera samverkan dem emellan.",
        "Att sprida och nyttiggöra det arbete som regeringens miljömålssamordnare för "
        "näringslivet (Annika Helker-Lundström) gjort till regionalt och lokalt näringsliv "
        "samt även annat nationellt arbete, bl.a. inom Tillväxtverkets miljömålsrådsåtgärd "
        "Hållbart företagande om cirkulära affärsmodeller enligt RESOLVE-modellen (The Ellen "
        "MacArthur Foundation), där länsstyrelserna deltar.",
    ],
    "news": [
        {
            "date": "2018-07-02",
            "title": "Enkät inför workshopen den 29 augusti",
            "body": NEWS_BODY,
        }
    ],
    "meetings": [
        {
            "title": "Projektgruppsmöte 20/4 och 24/4 2018",
            "date": "2018-04-20",
            "start": "2018-04-20 09:00",
            "end": "2018-04-20 12:00",
            "online": True,
            "place": "",
            "notes": _MEETING_2018_04_NOTES,
        },
        {
            "title": "Projektgruppsmöte 31/5 2018",
            "date": "2018-05-31",
            "start": "2018-05-31 10:00",
            "end": "2018-05-31 15:00",
            "online": False,
            "place": "Länsstyrelsen Skåne, Malmö",
            "notes": _MEETING_2018_05_NOTES,
        },
    ],
    "online_meeting": {
        "title": "Skypemöte om projektet Näringsliv och miljömål",
        "start": "2018-09-18 09:00",
        "end": "2018-09-18 10:30",
        "online": True,
        "networks": [name for name, _description in STANDARD_NETWORKS],
        "agenda": _SKYPE_AGENDA,
    },
}
