"""A clearly fictitious contact register for demos: four to six contacts per county board.

Names are drawn deterministically from lists of common Swedish first and last names, so
every run gives the same people; none of them is a real person. All addresses are in
example.org.
"""

from __future__ import annotations

from typing import Any

from coordinator.data.county_boards import COUNTY_BOARDS
from coordinator.data.networks import MILJOMALSSAMORDNARE

FIRST_NAMES: list[str] = [
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
    "Linnéa",
    "Mats",
    "Cecilia",
    "Nils",
    "Ulrika",
    "Peter",
    "Hanna",
    "Tomas",
    "Jenny",
    "Daniel",
    "Märta",
    "Gustav",
]

LAST_NAMES: list[str] = [
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
    "Sundström",
    "Åberg",
    "Ekström",
]

# Short slug per county code, used in the fictitious e-mail domains lst-<slug>.example.org.
COUNTY_SLUGS: dict[str, str] = {
    "01": "stockholm",
    "03": "uppsala",
    "04": "sodermanland",
    "05": "ostergotland",
    "06": "jonkoping",
    "07": "kronoberg",
    "08": "kalmar",
    "09": "gotland",
    "10": "blekinge",
    "12": "skane",
    "13": "halland",
    "14": "vastra-gotaland",
    "17": "varmland",
    "18": "orebro",
    "19": "vastmanland",
    "20": "dalarna",
    "21": "gavleborg",
    "22": "vasternorrland",
    "23": "jamtland",
    "24": "vasterbotten",
    "25": "norrbotten",
}

MILJOMALSSAMORDNARE_TITLE = "Miljömålssamordnare"
CHEF_TITLE = "Enhetschef miljöanalys"
ENERGI_KLIMAT_TITLE = "Energi- och klimatsamordnare"
NARINGSLIV_TITLE = "Näringslivsutvecklare"
HALLBAR_TILLVAXT_TITLE = "Handläggare hållbar tillväxt"

TITLES: list[str] = [
    MILJOMALSSAMORDNARE_TITLE,
    CHEF_TITLE,
    ENERGI_KLIMAT_TITLE,
    NARINGSLIV_TITLE,
    HALLBAR_TILLVAXT_TITLE,
]

# Boards with more staff in the demo get a second näringslivsutvecklare.
LARGE_BOARDS = frozenset({"01", "12", "14"})

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def ascii_fold(text: str) -> str:
    """Lower-case `text` and replace å, ä, ö, é and ü by their plain ASCII letters."""
    return text.lower().translate(_FOLD)


def _roles(board_index: int, county_code: str) -> list[tuple[str, list[str]]]:
    """(title, networks) of each contact at one board, in a fixed order."""
    miljomal_networks = [MILJOMALSSAMORDNARE]
    if board_index % 2 == 0:
        miljomal_networks.append("Miljönätverket")
    roles: list[tuple[str, list[str]]] = [
        (MILJOMALSSAMORDNARE_TITLE, miljomal_networks),
        (CHEF_TITLE, ["Chefer för miljömålssamordnare", "Miljönätverket"]),
        (ENERGI_KLIMAT_TITLE, ["Energi- och klimatsamordnare"]),
        (HALLBAR_TILLVAXT_TITLE, ["NHT 21"]),
    ]
    if county_code in LARGE_BOARDS:
        roles += [(NARINGSLIV_TITLE, []), (NARINGSLIV_TITLE, [])]
    elif board_index % 3 != 0:
        roles.append((NARINGSLIV_TITLE, []))
    return roles


def demo_contacts() -> list[dict[str, Any]]:
    """Every demo contact: county_code, name, email, title and networks (network names)."""
    contacts: list[dict[str, Any]] = []
    n = 0
    for board_index, (code, _name) in enumerate(COUNTY_BOARDS):
        domain = f"lst-{COUNTY_SLUGS[code]}.example.org"
        for title, networks in _roles(board_index, code):
            first = FIRST_NAMES[(n * 7 + 3) % len(FIRST_NAMES)]
            last = LAST_NAMES[(n * 5 + board_index) % len(LAST_NAMES)]
            n += 1
            contacts.append(
                {
                    "county_code": code,
                    "name": f"{first} {last}",
                    "email": f"{ascii_fold(first)}.{ascii_fold(last)}@{domain}",
                    "title": title,
                    "networks": list(networks),
                }
            )
    return contacts


def demo_staff() -> list[dict[str, str]]:
    """Fictitious staff accounts: email, name and role."""
    return [
        {"email": "admin@example.org", "name": "Anna Admin", "role": "admin"},
        {"email": "projektledare@example.org", "name": "Pia Projektledare", "role": "coordinator"},
        {"email": "samordnare@example.org", "name": "Sam Samordnare", "role": "coordinator"},
        {"email": "lasare@example.org", "name": "Lisa Läsare", "role": "viewer"},
    ]
