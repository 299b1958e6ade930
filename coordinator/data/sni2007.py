"""The sections A–U of the Swedish Standard Industrial Classification SNI 2007."""

SNI_2007_KEY = "sni2007"
SNI_2007_NAME = "SNI 2007 – näringsgrenar (avdelning A–U)"

SNI_2007_SECTIONS: list[tuple[str, str]] = [
    ("A", "Jordbruk, skogsbruk och fiske"),
    ("B", "Utvinning av mineral"),
    ("C", "Tillverkning"),
    ("D", "Försörjning av el, gas, värme och kyla"),
    ("E", "Vattenförsörjning; avloppsrening, avfallshantering och sanering"),
    ("F", "Byggverksamhet"),
    ("G", "Handel; reparation av motorfordon och motorcyklar"),
    ("H", "Transport och magasinering"),
    ("I", "Hotell- och restaurangverksamhet"),
    ("J", "Informations- och kommunikationsverksamhet"),
    ("K", "Finans- och försäkringsverksamhet"),
    ("L", "Fastighetsverksamhet"),
    ("M", "Verksamhet inom juridik, ekonomi, vetenskap och teknik"),
    ("N", "Uthyrning, fastighetsservice, resetjänster och andra stödtjänster"),
    ("O", "Offentlig förvaltning och försvar; obligatorisk socialförsäkring"),
    ("P", "Utbildning"),
    ("Q", "Vård och omsorg; sociala tjänster"),
    ("R", "Kultur, nöje och fritid"),
    ("S", "Annan serviceverksamhet"),
    (
        "T",
        "Förvärvsarbete i hushåll; hushållens produktion av diverse varor och tjänster "
        "för eget bruk",
    ),
    ("U", "Verksamhet vid internationella organisationer, utländska ambassader o.d."),
]
