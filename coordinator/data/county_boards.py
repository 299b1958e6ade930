"""The 21 county administrative boards with their county codes, and a few other bodies."""

COUNTY_BOARDS: list[tuple[str, str]] = [
    ("01", "Länsstyrelsen Stockholm"),
    ("03", "Länsstyrelsen i Uppsala län"),
    ("04", "Länsstyrelsen i Södermanlands län"),
    ("05", "Länsstyrelsen Östergötland"),
    ("06", "Länsstyrelsen i Jönköpings län"),
    ("07", "Länsstyrelsen i Kronobergs län"),
    ("08", "Länsstyrelsen i Kalmar län"),
    ("09", "Länsstyrelsen i Gotlands län"),
    ("10", "Länsstyrelsen i Blekinge län"),
    ("12", "Länsstyrelsen Skåne"),
    ("13", "Länsstyrelsen i Hallands län"),
    ("14", "Länsstyrelsen i Västra Götalands län"),
    ("17", "Länsstyrelsen i Värmlands län"),
    ("18", "Länsstyrelsen i Örebro län"),
    ("19", "Länsstyrelsen i Västmanlands län"),
    ("20", "Länsstyrelsen Dalarna"),
    ("21", "Länsstyrelsen Gävleborg"),
    ("22", "Länsstyrelsen Västernorrland"),
    ("23", "Länsstyrelsen i Jämtlands län"),
    ("24", "Länsstyrelsen Västerbotten"),
    ("25", "Länsstyrelsen i Norrbottens län"),
]

OTHER_ORGANISATIONS: list[tuple[str, str]] = [
    ("agency", "Skogsstyrelsen"),
    ("agency", "Tillväxtverket"),
    ("agency", "Naturvårdsverket"),
    ("region", "Region Skåne"),
    ("region", "Västra Götalandsregionen"),
    ("municipality", "Borlänge kommun"),
    ("municipality", "Örebro kommun"),
]
