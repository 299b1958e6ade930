"""A clearly fictitious register for demos: five contacts per county board, all @example.org.

Names are drawn deterministically from common Swedish first and last names, so every run
gives the same people; none of them is a real person.
"""

from __future__ import annotations

import unicodedata

from coordinator.data.county_boards import COUNTY_BOARDS
from coordinator.data.networks import MILJOMALSSAMORDNARE

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Eva",
    "Anders",
    "Sara",
    "Per",
    "Lena",
    "Mikael",
    "Emma",
    "Fredrik",
    "Ingrid",
    "Magnus",
    "Helena",
    "Jonas",
    "Åsa",
    "Ola",
    "Kristina",
    "Henrik",
    "Malin",
    "Björn",
    "Elin",
    "Stefan",
    "Sofia",
    "Göran",
    "Linnea",
    "Mats",
    "Cecilia",
    "Nils",
    "Ulrika",
    "Peter",
    "Hanna",
    "Tomas",
    "Jenny",
    "Daniel",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Håkansson",
    "Lundin",
    "Björk",
    "Öberg",
]

# (title, networks the holder belongs to)
ROLES: list[tuple[str, list[str]]] = [
    ("Miljömålssamordnare", [MILJOMALSSAMORDNARE, "Miljönätverket"]),
    ("Enhetschef miljöanalys", ["Chefer för miljömålssamordnare"]),
    ("Energi- och klimatsamordnare", ["Energi- och klimatsamordnare"]),
    ("Chef för tillväxtavdelningen", ["NHT 21"]),
    ("Handläggare hållbar tillväxt", []),
]


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def board_slug(name: str) -> str:
    words = [w for w in name.replace("Länsstyrelsen", "").split() if w not in ("i", "län")]
    return ascii_fold("-".join(words))


def demo_contacts() -> list[dict[str, object]]:
    contacts: list[dict[str, object]] = []
    for board_index, (code, name) in enumerate(COUNTY_BOARDS):
        slug = board_slug(name)
        for role_index, (title, networks) in enumerate(ROLES):
            n = board_index * len(ROLES) + role_index
            first = FIRST_NAMES[(n * 7) % len(FIRST_NAMES)]
            last = LAST_NAMES[(n * 11 + board_index) % len(LAST_NAMES)]
            contacts.append(
                {
                    "county_code": code,
                    "name": f"{first} {last}",
                    "email": f"{ascii_fold(first)}.{ascii_fold(last)}@lst-{slug}.example.org",
                    "title": title,
                    "networks": list(networks),
                }
            )
    return contacts


def demo_staff() -> list[dict[str, str]]:
    return [
        {"email": "admin@example.org", "name": "Anna Admin", "role": "admin"},
        {"email": "projektledare@example.org", "name": "Pia Projektledare", "role": "coordinator"},
        {"email": "samordnare@example.org", "name": "Sam Samordnare", "role": "coordinator"},
        {"email": "lasare@example.org", "name": "Lisa Läsare", "role": "viewer"},
    ]
