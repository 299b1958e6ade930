"""A county board is recognised however a contact file writes it; the rest get suggestions."""

import pytest

from coordinator.data.county_boards import COUNTY_BOARDS, OTHER_ORGANISATIONS
from coordinator.models import Organisation
from coordinator.services.register.organisation_names import OrganisationMatcher


@pytest.fixture(scope="module")
def matcher():
    organisations = [
        Organisation(name=name, county_code=code, kind="county_board")
        for code, name in COUNTY_BOARDS
    ] + [Organisation(name=name, kind=kind) for kind, name in OTHER_ORGANISATIONS]
    return OrganisationMatcher(organisations)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Länsstyrelsen i Örebro län", "18"),
        ("Länsstyrelsen Örebro län", "18"),
        ("länsstyrelsen  i  örebro LÄN", "18"),
        ("Örebro", "18"),
        ("Örebro län", "18"),
        ("Lansstyrelsen Orebro lan", "18"),
        ("18", "18"),
        ("18 Örebro", "18"),
        ("1", "01"),
        ("T", "18"),
        ("Stockholms län", "01"),
        ("Länsstyrelsen i Stockholms län", "01"),
        ("Länsstyrelsen Västra Götaland", "14"),
        ("Västra Götalands län", "14"),
        ("Lst Gävleborg", "21"),
        ("Dalarnas län", "20"),
        ("Länsstyrelsen\ni Gotlands län", "09"),
        ("Länsstyrelsen Skåne", "12"),
        ("Skåne", "12"),
        ("AB", "01"),
    ],
)
def test_county_boards_written_in_many_ways(matcher, written, code):
    found = matcher.find(written)
    assert found is not None and found.county_code == code, written


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Region Skåne", "Region Skåne"),
        ("skogsstyrelsen", "Skogsstyrelsen"),
        ("Örebro kommun", "Örebro kommun"),
    ],
)
def test_other_organisations_by_name(matcher, written, name):
    assert matcher.find(written).name == name


@pytest.mark.parametrize("written", ["Länsstyrelsen Atlantis", "Örebro universitet", "99", "i"])
def test_what_is_not_sure_is_not_guessed(matcher, written):
    assert matcher.find(written) is None


def test_the_closest_are_offered_for_an_unknown_name(matcher):
    assert [o.name for o in matcher.closest("Länsstyrelsen Örbro")][0] == (
        "Länsstyrelsen i Örebro län"
    )
    assert [o.name for o in matcher.closest("Skogstyrelsen")] == ["Skogsstyrelsen"]
    assert matcher.closest("Golfklubben") == []
