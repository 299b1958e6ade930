"""Fictitious answers to the RUS 2018 questionnaire, for demos of follow-up and export.

Fourteen of the 21 county boards answer: nine on time, three late and two with a draft
only (counted by each board's first response). Länsstyrelsen Skåne also has a second
response, from its energi- och klimatsamordnare, submitted on time. The texts are made up
in the style of the boards' real work with industry and climate; they are not quotes.
Times are local Europe/Stockholm time.
"""

from __future__ import annotations

from typing import Any


def _bullets(*lines: str) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _yes(*lines: str) -> dict[str, str]:
    return {"choice": "yes", "text": _bullets(*lines)}


def _no(*lines: str) -> dict[str, str]:
    return {"choice": "no", "text": _bullets(*lines)}


def _text(*lines: str) -> dict[str, str]:
    return {"text": _bullets(*lines)}


def _sectors(*codes: str, other: str = "") -> dict[str, Any]:
    return {"options": list(codes), "other": other}


def _response(
    county_code: str,
    respondent_title: str,
    status: str,
    submitted_local: str | None,
    answers: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    return {
        "county_code": county_code,
        "respondent_title": respondent_title,
        "status": status,
        "submitted_local": submitted_local,
        "answers": answers,
    }


def _on_time() -> list[dict[str, Any]]:
    return [
        _response(
            "12",
            "Miljömålssamordnare",
            "on_time",
            "2018-08-21 14:32",
            {
                "1": _yes(
                    "Klimatsamverkan Skåne (Region Skåne, Skånes Kommuner och länsstyrelsen) "
                    "är vår gemensamma plattform för klimatfrågorna.",
                    "Intern samrådsgrupp för miljömål och tillväxt som träffas varannan månad.",
                    "Agenda 2030 finns i verksamhetsplanen, men en strategi för arbetet med "
                    "näringslivet saknas ännu.",
                ),
                "2a": _yes(
                    "Klimatsamverkan Skåne ordnar nätverksträffar och seminarier för företag.",
                    "Dialogmöten om miljömålen med branschorganisationer: LRF, Sveriges "
                    "Byggindustrier och Sydsvenska handelskammaren.",
                ),
                "2b": _yes(
                    "Regionalt åtgärdsprogram för miljömålen med åtgärder riktade till företag.",
                    "Klimat- och energistrategi för Skåne, gemensam med Region Skåne.",
                ),
                "2c": _text(
                    "Klimatklivet: information till företag tillsammans med kommunerna.",
                    "Deltar i Tillväxtverkets Hållbart företagande med workshops om cirkulära "
                    "affärsmodeller (RESOLVE).",
                    "Miljömålsdialog med lantbruksföretag om växtnäring och biologisk mångfald.",
                    "Frukostseminarier om resurseffektivitet för små och medelstora företag.",
                ),
                "2d": _sectors("A", "C", "D", "F", "H", other="Besöksnäring"),
                "3": _text(
                    "Vägledning i hur miljömålen kan översättas till affärsnytta för företagen.",
                    "Exempel från andra län på arbetssätt som har fungerat.",
                    "Stöd i att följa upp vad dialogerna med företag ger.",
                ),
                "4": _text(
                    "Bra att projektet tar med Agenda 2030 – företagen frågar oftare efter den "
                    "än efter miljömålen.",
                ),
            },
        ),
        _response(
            "12",
            "Energi- och klimatsamordnare",
            "on_time",
            "2018-08-22 09:18",
            {
                "1": _yes(
                    "Samarbetar med miljömålssamordnaren och tillväxtenheten inom "
                    "Klimatsamverkan Skåne.",
                    "Gemensam årsplanering för energi- och klimatarbetet och miljömålen.",
                ),
                "2a": _yes(
                    "Informationsträffar om Energimyndighetens stöd till energikartläggning i "
                    "små och medelstora företag.",
                    "Nätverk för energieffektivisering i industrin.",
                ),
                "2b": _yes(
                    "Energi- och klimatstrategin har mål för energieffektivisering och "
                    "omställning i näringslivet.",
                ),
                "2c": _text(
                    "Klimatklivet: rådgivning till företag inför ansökan, ett fyrtiotal "
                    "ansökningar per omgång.",
                    "Seminarium om laddinfrastruktur för åkerier och handel.",
                    "Biogasdialog med lantbruk och transportföretag.",
                ),
                "2d": _sectors("A", "C", "D", "H"),
                "3": _text(
                    "Gemensamt material om hur energi- och klimatarbetet bidrar till miljömålen.",
                    "Samordning så att företagen inte får samma fråga från flera håll.",
                ),
            },
        ),
        _response(
            "14",
            "Miljömålssamordnare",
            "on_time",
            "2018-08-23 16:05",
            {
                "1": _yes(
                    "Klimat 2030 – Västra Götaland ställer om drivs tillsammans med Västra "
                    "Götalandsregionen; miljömål, energi och klimat och tillväxt sitter i "
                    "samma styrgrupp.",
                    "Intern arbetsgrupp för Agenda 2030 med representanter för alla avdelningar.",
                ),
                "2a": _yes(
                    "Företag kan anta klimatlöften inom Klimat 2030 och redovisa vad de gör.",
                    "Årlig klimatkonferens och nätverksträffar för företag.",
                ),
                "2b": _yes(
                    "Klimatstrategin för Västra Götaland och det regionala åtgärdsprogrammet "
                    "för miljömålen.",
                    "Näringslivets roll lyfts särskilt för transporter och konsumtion.",
                ),
                "2c": _text(
                    "Klimatlöften för företag och kommuner, med uppföljning varje år.",
                    "Dialog med basindustrin i Stenungsund och Lysekil om fossilfri produktion.",
                    "Upphandlingsnätverk med kommunerna om klimatkrav i upphandling.",
                    "Kampanj om Klimatklivet tillsammans med kommunernas energi- och "
                    "klimatrådgivare.",
                ),
                "2d": _sectors("C", "D", "F", "G", "H"),
                "3": _text(
                    "En gemensam bild av hur miljömålen och Agenda 2030 hänger ihop, att "
                    "använda i dialogen med företag.",
                    "Erfarenhetsutbyte med län som saknar en regional kraftsamling.",
                ),
                "4": _text("Vi berättar gärna om erfarenheterna från Klimat 2030 på workshopen."),
            },
        ),
        _response(
            "18",
            "Energi- och klimatsamordnare",
            "on_time",
            "2018-08-20 11:47",
            {
                "1": _yes(
                    "Energi- och klimatprogrammet för Örebro län tas fram tillsammans med "
                    "Region Örebro län.",
                    "Samråd mellan miljöanalys, tillväxt och miljöskydd om industrins energi- "
                    "och klimatfrågor.",
                ),
                "2a": _yes(
                    "Dialog med länets industriföretag om energieffektivisering och fossilfri "
                    "konkurrenskraft.",
                    "Vi planerar ett energi- och klimatråd med näringsliv, kommuner och "
                    "myndigheter.",
                ),
                "2b": _yes(
                    "Energi- och klimatprogrammet har mål för industri och transporter.",
                    "Åtgärdsprogrammet för miljömålen nämner näringslivet, men med få åtgärder.",
                ),
                "2c": _text(
                    "Seminarieserie om energikartläggning för små och medelstora företag.",
                    "Studiebesök hos företag som har ställt om till förnybar energi.",
                    "Information om Klimatklivet till åkerier och fastighetsbolag.",
                ),
                "2d": _sectors("B", "C", "D", "H", "L"),
                "3": _text(
                    "Metoder för att mäta effekterna av dialogarbete.",
                    "Stöd i hur fler verksamheter på länsstyrelsen kan involveras, t.ex. "
                    "tillsynen.",
                ),
                "4": _text(
                    "Vi vill gärna att projektet tar upp hur ett tvärsektoriellt råd kan "
                    "organiseras.",
                ),
            },
        ),
        _response(
            "20",
            "Miljömålssamordnare",
            "on_time",
            "2018-08-22 15:10",
            {
                "1": _yes(
                    "Miljömålsrådet i Dalarna har representanter för näringslivet.",
                    "Samarbete mellan miljömålssamordnaren och tillväxtenheten om Agenda 2030.",
                ),
                "2a": _yes(
                    "Dialog med industrikommuner, t.ex. Borlänge, om hur kommun och industri "
                    "kan samverka i klimatomställningen.",
                    "Möten med stål- och skogsindustrin om färdplaner för fossilfrihet.",
                ),
                "2b": _yes(
                    "Energi- och klimatstrategin och åtgärdsprogrammet för miljömålen har "
                    "åtgärder för företag.",
                    "I den regionala utvecklingsstrategin är näringslivsfrågorna mindre tydliga.",
                ),
                "2c": _text(
                    "Miljömålsdialog med skogsnäringen om levande skogar och klimat.",
                    "Nätverksträffar om cirkulära affärsmodeller inom Hållbart företagande.",
                    "Stöd till kommunernas lokala klimatöverenskommelser där företag deltar.",
                ),
                "2d": _sectors("A", "B", "C", "D", "I", other="Besöksnäring"),
                "3": _text(
                    "Underlag om vilka miljömål som är mest relevanta för olika branscher.",
                    "Nationellt material som vi kan använda i dialogen med företag.",
                ),
            },
        ),
        _response(
            "03",
            "Miljömålssamordnare",
            "on_time",
            "2018-08-23 22:41",
            {
                "1": _no(
                    "Ingen gemensam strategi ännu. Kontakterna sker mest i enskilda ärenden "
                    "mellan miljöskydd, landsbygd och tillväxt.",
                    "Vi har börjat diskutera en intern arbetsgrupp för Agenda 2030.",
                ),
                "2a": _yes(
                    "Länsstyrelsen medverkar i kommunernas klimatnätverk där företag deltar.",
                    "Information om Klimatklivet och stödet till energikartläggning.",
                ),
                "2b": _no(
                    "Näringslivet nämns i åtgärdsprogrammet för miljömålen, men utan egna "
                    "åtgärder.",
                    "En ny energi- och klimatstrategi tas fram under 2019 och ska ha ett "
                    "avsnitt om näringslivet.",
                ),
                "2c": _text(
                    "Frukostmöten om energieffektivisering med företagarföreningar.",
                    "Miljömålsdialog med lantbrukare om växtnäringsläckage.",
                ),
                "2d": _sectors("A", "C", "D"),
                "3": _text(
                    "Hjälp att ta fram en intern strategi och förankra den i ledningen.",
                    "Exempel på hur andra län har organiserat samarbetet mellan verksamheterna.",
                ),
                "4": _text("Svaren är sammanställda efter samråd med tillväxtenheten."),
            },
        ),
        _response(
            "05",
            "Handläggare hållbar tillväxt",
            "on_time",
            "2018-08-20 08:55",
            {
                "1": _yes(
                    "Tillväxt och miljö har en gemensam handlingsplan för hållbar tillväxt.",
                    "Agenda 2030 ingår i länsstyrelsens verksamhetsplan.",
                ),
                "2a": _yes(
                    "Företagsbesök tillsammans med Region Östergötland och kommunernas "
                    "näringslivskontor.",
                    "Seminarier om cirkulär ekonomi för tillverkande företag.",
                ),
                "2b": _yes(
                    "Energi- och klimatstrategin och miljömålsprogrammet lyfter företagens roll.",
                    "Åtgärder för hållbar tillväxt finns i den regionala utvecklingsstrategin.",
                ),
                "2c": _text(
                    "Hållbart företagande: coachning av företag i cirkulära affärsmodeller "
                    "enligt RESOLVE.",
                    "Dialog med livsmedelsföretag om klimatsmart produktion.",
                    "Informationsträffar för leverantörer om miljökrav i offentlig upphandling.",
                ),
                "2d": _sectors("A", "C", "G", "M", other="Kulturella och kreativa näringar"),
                "3": _text(
                    "Verktyg för att koppla miljömålen till företagens affärsmodeller.",
                    "Ett nätverk där länsstyrelserna kan utbyta erfarenheter från Hållbart "
                    "företagande.",
                ),
            },
        ),
        _response(
            "09",
            "Miljömålssamordnare",
            "on_time",
            "2018-08-21 10:20",
            {
                "1": _yes(
                    "Region Gotland och länsstyrelsen har ett gemensamt miljömålsarbete.",
                    "Samverkan internt mellan miljö, landsbygd och samhällsbyggnad.",
                ),
                "2a": _yes(
                    "Dialog med besöksnäringen och lantbruket om vattenförsörjning under torra "
                    "somrar.",
                    "Samarbete med Region Gotland och energiföretagen om förnybar energi och "
                    "elnätets kapacitet.",
                ),
                "2b": _yes(
                    "Vattenstrategin och åtgärdsprogrammet för miljömålen har åtgärder för "
                    "företag.",
                    "Besöksnäringens roll i miljömålsarbetet är ännu inte beskriven.",
                ),
                "2c": _text(
                    "Kampanj om att spara vatten för hotell, campingplatser och restauranger.",
                    "Miljömålsdialog med LRF om ett lantbruk i balans med Östersjön.",
                    "Dialog med kalk- och cementindustrin om klimatpåverkan och färdplaner "
                    "för fossilfrihet.",
                ),
                "2d": _sectors("A", "B", "E", "I", other="Besöksnäring"),
                "3": _text(
                    "Erfarenheter från andra län av miljömålsdialog med besöksnäringen.",
                    "Stöd i att kommunicera Agenda 2030 till små företag.",
                ),
                "4": _text(
                    "Gotland har få stora företag men många mikroföretag; det behöver "
                    "metoderna ta hänsyn till.",
                ),
            },
        ),
        _response(
            "13",
            "Miljömålssamordnare",
            "on_time",
            "2018-08-23 13:02",
            {
                "1": _no(
                    "Inte i någon formell strategi. Vi samarbetar i enskilda frågor, t.ex. "
                    "energi och klimat med tillväxtenheten.",
                    "Ett gemensamt förhållningssätt till Agenda 2030 håller på att tas fram.",
                ),
                "2a": _yes(
                    "Energikontoret och länsstyrelsen informerar om stöd till "
                    "energieffektivisering.",
                    "Medverkan i företagarnätverk om hållbarhet.",
                ),
                "2b": _no(
                    "Inte specifikt. Åtgärdsprogrammet för miljömålen revideras 2019 och då "
                    "vill vi ta med näringslivet.",
                ),
                "2c": _text(
                    "Klimatklivet: informationsträffar för företag tillsammans med kommunerna.",
                    "Dialog med lantbruket och fisket om havsmiljö och övergödning.",
                ),
                "2d": _sectors("A", "D", "H"),
                "3": _text(
                    "Goda exempel och färdigt material att använda i dialoger.",
                    "Stöd i att prioritera bland alla uppdrag som rör näringslivet.",
                ),
            },
        ),
        _response(
            "25",
            "Näringslivsutvecklare",
            "on_time",
            "2018-08-22 13:37",
            {
                "1": _yes(
                    "Näringsliv, miljö och energi samarbetar om länets energi- och klimatstrategi.",
                    "Agenda 2030 diskuteras i länsstyrelsens ledningsgrupp.",
                ),
                "2a": _yes(
                    "Dialog med gruv- och stålindustrin om omställning till fossilfri produktion.",
                    "Miljö- och klimatkrav i stöden till företag inom landsbygdsprogrammet.",
                ),
                "2b": _yes(
                    "Energi- och klimatstrategin för Norrbotten har mål för industrins utsläpp.",
                    "Den regionala utvecklingsstrategin lyfter innovation för klimatomställningen.",
                ),
                "2c": _text(
                    "Deltar i nätverk om fossilfritt stål och storskalig industriell omställning.",
                    "Seminarier om energieffektivisering för små och medelstora företag i "
                    "inlandet.",
                    "Följer det internationella arbetet med tunga industrins omställning till "
                    "nettonollutsläpp.",
                ),
                "2d": _sectors("A", "B", "C", "D", "H", other="Testverksamhet i kallt klimat"),
                "3": _text(
                    "Stöd i att koppla industrins färdplaner till miljömålen.",
                    "Nationell samordning så att länen kan dela underlag om stora industriprojekt.",
                ),
                "4": _text("Avstånden gör att vi gärna deltar digitalt på mötet i september."),
            },
        ),
    ]


def _late() -> list[dict[str, Any]]:
    return [
        _response(
            "01",
            "Miljömålssamordnare",
            "late",
            "2018-08-27 10:15",
            {
                "1": _yes(
                    "Samverkan mellan miljöanalys och enheten för hållbar tillväxt om Agenda 2030.",
                    "Gemensamma möten med Stockholms läns landsting om klimatfrågor.",
                ),
                "2a": _yes(
                    "Nätverk för fastighetsägare och byggföretag om energieffektivisering.",
                    "Dialog med handeln om hållbar konsumtion.",
                ),
                "2b": _yes(
                    "Klimat- och energistrategin för Stockholms län och åtgärdsprogrammet för "
                    "miljömålen.",
                    "Den regionala utvecklingsplanen (RUFS 2050) har mål om resurseffektivitet.",
                ),
                "2c": _text(
                    "Seminarier om klimatkrav i upphandling för kommuner och leverantörer.",
                    "Klimatklivet: vägledning till företag om laddinfrastruktur och biogas.",
                    "Samarbete med handelskammaren om hållbart företagande.",
                ),
                "2d": _sectors("F", "G", "H", "J", "L"),
                "3": _text(
                    "Stöd i att nå de många små företagen, inte bara de stora.",
                    "Metoder för att följa upp vad dialogerna ger för miljömålen.",
                ),
                "4": _text(
                    "Ursäkta det sena svaret; semestrarna gjorde att vi inte hann samråda "
                    "internt förrän nu.",
                ),
            },
        ),
        _response(
            "17",
            "Energi- och klimatsamordnare",
            "late",
            "2018-08-28 16:40",
            {
                "1": _yes(
                    "Länets klimatråd samlar länsstyrelsen, Region Värmland, kommuner och företag.",
                    "Internt samråd mellan miljö, energi och klimat och landsbygd.",
                ),
                "2a": _yes(
                    "Företag kan ansluta sig till klimatrådet och ta fram egna klimatåtaganden.",
                    "Dialog med skogsindustrin om bioekonomi.",
                ),
                "2b": _yes("Värmlands energi- och klimatstrategi har mål för fossilfria företag."),
                "2c": _text(
                    "Kampanj om fossilfria transporter för åkerier.",
                    "Workshops om energikartläggning för leverantörer till massa- och "
                    "pappersindustrin.",
                    "Klimatklivet: informationsträffar och hjälp med ansökningar.",
                ),
                "2d": _sectors("A", "C", "D", "H", other="Bioekonomi"),
                "3": _text(
                    "Stöd i att koppla klimatarbetet till övriga miljömål, t.ex. Levande skogar.",
                    "Gemensam kommunikation från länsstyrelserna till branschorganisationer.",
                ),
            },
        ),
        _response(
            "22",
            "Miljömålssamordnare",
            "late",
            "2018-08-24 00:12",
            {
                "1": _no(
                    "Ingen uttalad strategi, men ett nätverk mellan miljö- och "
                    "tillväxtverksamheterna har startat.",
                    "Agenda 2030 är nytt för många kollegor.",
                ),
                "2a": _no(
                    "Inte systematiskt. Kontakterna sker vid tillsyn och i ärenden om "
                    "företagsstöd.",
                ),
                "2b": _yes(
                    "Åtgärdsprogrammet för miljömålen har två åtgärder om resurshushållning i "
                    "företag.",
                ),
                "2c": _text(
                    "Dialog med skogsindustrin om hållbart skogsbruk och biologisk mångfald.",
                    "Information om Klimatklivet i samband med tillsynsbesök.",
                ),
                "2d": _sectors("A", "C", "E"),
                "3": _text(
                    "En enkel modell för hur vi kan börja ett utåtriktat arbete.",
                    "Utbildning för handläggare om Agenda 2030 och näringslivet.",
                ),
                "4": _text("Vi hoppas kunna bidra mer efter workshopen."),
            },
        ),
    ]


def _drafts() -> list[dict[str, Any]]:
    return [
        _response(
            "06",
            "Miljömålssamordnare",
            "draft",
            None,
            {
                "1": _yes(
                    "Miljö- och tillväxtavdelningarna har gemensamma möten om hållbar tillväxt."
                ),
                "2a": _yes(
                    "Ett nätverk för tillverkande företag om energieffektivisering har startat."
                ),
                "2c": _text("Dialog med möbel- och träindustrin om cirkulär ekonomi."),
                "2d": _sectors("C"),
            },
        ),
        _response(
            "08",
            "Handläggare hållbar tillväxt",
            "draft",
            None,
            {
                "1": {"choice": "yes", "text": ""},
                "2a": _yes("Dialog med livsmedelsföretag och lantbruk om Östersjön och klimatet."),
            },
        ),
    ]


def demo_answers() -> list[dict[str, Any]]:
    """Every demo response, a fresh list on each call.

    Keys: county_code, respondent_title, status ("on_time", "late" or "draft"),
    submitted_local ("YYYY-MM-DD HH:MM" or None for drafts) and answers, keyed by question
    number: {"choice", "text"} for yes/no questions, {"text"} for text questions and
    {"options", "other"} for 2d (SNI 2007 section codes).
    """
    return _on_time() + _late() + _drafts()
