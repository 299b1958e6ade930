"""The standard networks of contacts used as mailing lists."""

MILJOMALSSAMORDNARE = "Miljömålssamordnare"

STANDARD_NETWORKS: list[tuple[str, str]] = [
    (MILJOMALSSAMORDNARE, "Länsstyrelsernas miljömålssamordnare"),
    ("Chefer för miljömålssamordnare", "Chefer för länsstyrelsernas miljömålssamordnare"),
    ("Energi- och klimatsamordnare", "Länsstyrelsernas energi- och klimatsamordnare"),
    ("NHT 21", "Chefsnätverket för hållbar tillväxt"),
    ("Miljönätverket", "Länsstyrelsernas miljönätverk"),
]
