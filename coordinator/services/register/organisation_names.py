"""Recognising an organisation however a contact file writes it.

Registry exports and hand-kept lists write a county board in many ways: "Länsstyrelsen
Örebro län" for "Länsstyrelsen i Örebro län", "Örebro", "Örebro län", "ÖREBRO LÄN",
"18", "18 Örebro", "T", "Lansstyrelsen Orebro lan". `OrganisationMatcher.find` takes
any of these to the one board; a name it cannot place gets the closest organisations as
suggestions (`closest`), for the coordinator to choose from.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from coordinator.data.county_boards import COUNTY_LETTERS, COUNTY_NAMES
from coordinator.models import Organisation

# Words that say "county administrative board" and "county" rather than which one.
_BOARD_WORDS = frozenset(
    {"länsstyrelsen", "länsstyrelse", "lst", "i", "län", "läns", "county", "administrative"}
    | {"board", "of", "the"}
)
_FOLD = str.maketrans("åäöéü", "aaoeu")


def compact(text: str) -> str:
    """Case, accents of compatibility characters and spacing do not matter."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", compact(text)).split()


def _folded(text: str) -> str:
    return text.translate(_FOLD)


def _key(text: str) -> str:
    """What is left of a name without "Länsstyrelsen", "i", "län", numbers and accents."""
    folded_board_words = {_folded(w) for w in _BOARD_WORDS}
    return " ".join(
        _folded(w) for w in _words(text) if not w.isdigit() and _folded(w) not in folded_board_words
    )


def county_code_in(text: str) -> str | None:
    """The county code that `text` names, if it names a county in any of the usual ways."""
    digits = [w for w in _words(text) if w.isdigit() and len(w) <= 2]
    if digits and digits[0].zfill(2) in COUNTY_NAMES:
        return digits[0].zfill(2)
    stripped = text.strip()
    if stripped.isupper() and stripped in COUNTY_LETTERS:
        return COUNTY_LETTERS[stripped]
    rest = _key(text)
    # "Stockholms län", "Västra Götalands län": the genitive s.
    return _COUNTY_KEYS.get(rest) or (_COUNTY_KEYS.get(rest[:-1]) if rest.endswith("s") else None)


_COUNTY_KEYS = {_key(name): code for code, name in COUNTY_NAMES.items()}


class OrganisationMatcher:
    """Looks organisations up by name, county code, county name or letter."""

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self.by_name: dict[str, Organisation] = {}
        self.by_code: dict[str, Organisation] = {}
        # Texts to measure an unknown name against, and the organisation each stands for.
        self.candidates: dict[str, Organisation] = {}
        # A file names few organisations, many times over.
        self._found: dict[str, Organisation | None] = {}
        self._closest: dict[str, list[Organisation]] = {}
        for organisation in organisations:
            self.by_name[compact(organisation.name)] = organisation
            names = [organisation.name]
            if organisation.county_code:
                self.by_code[organisation.county_code] = organisation
                self.by_name[compact(organisation.display_name)] = organisation
                names.append(COUNTY_NAMES.get(organisation.county_code, ""))
            for name in names:
                if _key(name):
                    self.candidates.setdefault(_key(name), organisation)

    def find(self, text: str) -> Organisation | None:
        """The organisation `text` names, or None when it cannot be told for sure."""
        if text not in self._found:
            found = self.by_name.get(compact(text))
            if found is None:
                code = county_code_in(text)
                found = self.by_code.get(code) if code else None
            self._found[text] = found
        return self._found[text]

    def closest(self, text: str, n: int = 3) -> list[Organisation]:
        """The organisations whose names are most like `text`, best first."""
        if text not in self._closest:
            matches = difflib.get_close_matches(_key(text), list(self.candidates), n * 2, 0.6)
            found: list[Organisation] = []
            for match in matches:
                if self.candidates[match] not in found:
                    found.append(self.candidates[match])
            self._closest[text] = found[:n]
        return self._closest[text]
