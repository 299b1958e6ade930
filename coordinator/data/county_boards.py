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

# The counties by county code, as their names are written without "län" (for recognising
# a board however a contact file writes it: "Örebro", "Örebro län", "Länsstyrelsen
# Örebro län", "Stockholms län"), and their letters (länsbokstäver, still found in older
# registers: "T" for Örebro).
COUNTY_NAMES: dict[str, str] = {
    "01": "Stockholm",
    "03": "Uppsala",
    "04": "Södermanland",
    "05": "Östergötland",
    "06": "Jönköping",
    "07": "Kronoberg",
    "08": "Kalmar",
    "09": "Gotland",
    "10": "Blekinge",
    "12": "Skåne",
    "13": "Halland",
    "14": "Västra Götaland",
    "17": "Värmland",
    "18": "Örebro",
    "19": "Västmanland",
    "20": "Dalarna",
    "21": "Gävleborg",
    "22": "Västernorrland",
    "23": "Jämtland",
    "24": "Västerbotten",
    "25": "Norrbotten",
}

COUNTY_LETTERS: dict[str, str] = {
    "AB": "01",
    "C": "03",
    "D": "04",
    "E": "05",
    "F": "06",
    "G": "07",
    "H": "08",
    "I": "09",
    "K": "10",
    "M": "12",
    "N": "13",
    "O": "14",
    "S": "17",
    "T": "18",
    "U": "19",
    "W": "20",
    "X": "21",
    "Y": "22",
    "Z": "23",
    "AC": "24",
    "BD": "25",
}
