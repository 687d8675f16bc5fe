"""Different instruments for the same situation: the rules on constructed sentences and table rows
(negations and traps included), the comparison across agencies, and the demo corpus end to end."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from aligncheck.instruments import (
    Instrument,
    InstrumentRulesError,
    compare_instruments,
    find_instruments,
    load_rules,
)
from aligncheck.manifest import load_manifest
from aligncheck.pipeline import ingest_all
from aligncheck.types import FindingKind, Passage, PassageKind, Severity

REPO = Path(__file__).resolve().parent.parent
RULES_FILE = REPO / "aligncheck" / "data" / "instruments.yaml"


def passage(
    text: str,
    agency: str | None = "SVB",
    *,
    kind: PassageKind = PassageKind.TEXT,
    index: int = 0,
    doc_id: str | None = None,
    section: tuple[str, ...] = ("6 Sanctionering", "6.2 Eerst waarschuwen"),
    page: int | None = 10,
    lang: str = "nl",
) -> Passage:
    doc = doc_id or f"doc-{(agency or 'none').lower().replace(' ', '-')}"
    return Passage(
        doc_id=doc,
        index=index,
        path=f"{doc}.pdf",
        text=text,
        section=section,
        char_start=0,
        char_end=len(text),
        page=page,
        page_end=page,
        kind=kind,
        agency=agency,
        lang=lang,
    )


def values(text: str, topic: str, agency: str | None = "SVB") -> list[str]:
    return [i.value for i in find_instruments([passage(text, agency)]) if i.topic == topic]


def table(rows: list[str], agency: str = "SVB", doc_id: str | None = None) -> list[Passage]:
    return [
        passage(row, agency, kind=PassageKind.TABLE, index=i, doc_id=doc_id) for i, row in enumerate(rows)
    ]


# --- the rules file -------------------------------------------------------------------------------


def test_the_shipped_rules_load_with_the_expected_topics_and_principles() -> None:
    rules = load_rules()
    principles = {t.id: t.principle for t in rules.topics}
    assert principles == {
        "first_violation_response": "passend_handhaven",
        "overpayment_response": "passend_handhaven",
        "standard_fine_level": "passend_handhaven",
        "repeat_fine_level": "passend_handhaven",
        "recidive_window": "passend_handhaven",
        "home_visit_ground": "rechtsstaat",
        "hearing_before_fine": "rechtsstaat",
    }
    first = rules.topic("first_violation_response")
    assert first.describe("warning_first") == "eerst een waarschuwing, geen boete"
    assert first.describe("fine_first") == "direct een boete"
    assert rules.topic("standard_fine_level").describe("50") == "50 procent van het benadelingsbedrag"
    assert all(t.domain == "sociale_zekerheid" for t in rules.topics)


def _broken(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(RULES_FILE.read_text("utf-8"))
    change(data)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_every_problem_in_a_rules_file_is_reported_with_its_field_path(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["topics"][0]["rules"][0]["patterns"][0] = "(unclosed"
        data["topics"][0]["principle"] = "vertrouwn"
        data["topics"][1]["rules"][0]["value"] = "warn"
        data["topics"][2]["rules"][0]["patterns"] = ["procent van het benadelingsbedrag"]
        data["topics"][3]["id"] = data["topics"][2]["id"]
        data["topics"][4]["number"]["says"]["nl"]["one"] = "telt {wanneer}"
        data["topics"][5]["severity"] = "urgent"
        data["topics"][6]["colour"] = "red"

    with pytest.raises(InstrumentRulesError) as caught:
        load_rules(_broken(tmp_path, change))
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'rules.yaml'}: ")
    problems = caught.value.problems
    assert any(
        p.startswith("topics[0].rules[0].patterns[0]: not a valid regular expression") for p in problems
    )
    assert any(p.startswith("topics[5].severity: must be one of high, medium, low") for p in problems)
    assert "topics[6].colour: unknown field" in problems


def test_cross_references_are_checked_once_fields_are_valid(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["topics"][0]["principle"] = "vertrouwn"
        data["topics"][1]["rules"][0]["value"] = "warn"
        data["topics"][2]["rules"][0]["patterns"] = ["procent van het benadelingsbedrag"]
        data["topics"][3]["id"] = data["topics"][2]["id"]
        data["topics"][4]["number"]["says"]["nl"]["one"] = "telt {wanneer}"
        data["topics"][5]["domain"] = "zorg"

    with pytest.raises(InstrumentRulesError) as caught:
        load_rules(_broken(tmp_path, change))
    problems = "\n".join(caught.value.problems)
    assert "topics[0].principle: unknown principle 'vertrouwn'; did you mean 'vertrouwen'?" in problems
    assert "topics[1].rules[0].value: unknown value 'warn'; known: warning_first, fine_first" in problems
    assert "topics[2].rules[0].patterns[0]: captures no value" in problems
    assert "topics[3].id: duplicate id 'standard_fine_level' (also topics[2])" in problems
    assert "topics[4].number.says.nl.one: unknown placeholder {wanneer}" in problems
    assert "topics[5].domain: unknown domain 'zorg'" in problems


def test_unreadable_rules_files_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InstrumentRulesError, match="no such instrument rules file"):
        load_rules(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("topics:\n  - id: [unclosed\n", "utf-8")
    with pytest.raises(InstrumentRulesError, match=r"not valid YAML at line \d+"):
        load_rules(bad)


# --- the response to a first violation without overpayment ----------------------------------------

FIRST = "first_violation_response"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Bij een eerste schending van de inlichtingenplicht die niet heeft geleid tot een te hoge of ten "
            "onrechte betaalde uitkering, geven wij een schriftelijke waarschuwing en leggen wij "
            "geen boete op.",
            ["warning_first"],
        ),
        (
            "De VNG adviseert gemeenten om bij een eerste schending van de inlichtingenplicht die niet tot "
            "benadeling heeft geleid, een waarschuwing te geven en geen boete op te leggen.",
            ["warning_first"],
        ),
        (
            "Bij een eerste schending zonder benadeling volgt geen boete maar een waarschuwing.",
            ["warning_first"],
        ),
        (
            "Het college legt bij iedere schending van de inlichtingenplicht een bestuurlijke boete op, ook "
            "wanneer er geen sprake is van benadeling.",
            ["fine_first"],
        ),
        (
            "Daarnaast krijgt u altijd een boete, ook als u door de fout geen geld te veel heeft gekregen.",
            ["fine_first"],
        ),
        ("Is er geen benadelingsbedrag, dan wordt een boete van een vast bedrag opgelegd.", ["fine_first"]),
        (
            "Bij een eerste schending zonder benadeling geven wij geen waarschuwing maar direct een boete.",
            ["fine_first"],
        ),
        # negated warning, and no fine either: nothing is stated
        ("Bij een eerste schending zonder benadeling geven wij geen waarschuwing.", []),
        # a repeat is not a first violation
        (
            "Bij een schending zonder benadeling die wel een herhaling is, bedraagt de boete een "
            "vast bedrag.",
            [],
        ),
        (
            "Pas als dezelfde inwoner binnen twee jaar opnieuw de inlichtingenplicht schendt, komt "
            "een boete in beeld.",
            [],
        ),
        # the situation must be "without overpayment", not any "zonder"
        ("Een waarschuwing zou het signaal afgeven dat een eerste overtreding zonder gevolgen blijft.", []),
        # a warning in another sense
        ("Klanten krijgen een waarschuwing als hun wachtwoord voor het portaal bijna verloopt.", []),
        # what the law allows is not the agency's practice
        (
            "Artikel 18a Participatiewet biedt gemeenten de mogelijkheid om bij een schending zonder "
            "benadeling een waarschuwing te geven.",
            [],
        ),
        # the situation named, no instrument
        ("Wij maken afspraken over een gelijke benadering van een eerste overtreding zonder benadeling.", []),
        ("De boete heeft een preventieve werking op anderen.", []),
    ],
)
def test_first_violation_response(sentence: str, expected: list[str]) -> None:
    assert values(sentence, FIRST) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Ook als er wel een benadelingsbedrag is, maar dat bedrag laag is en de klant niet eerder een "
            "waarschuwing of boete kreeg, volstaat in de regel een waarschuwing.",
            ["warning_first"],
        ),
        (
            "Een schending van de inlichtingenplicht die tot benadeling heeft geleid, wordt altijd beboet.",
            ["fine_first"],
        ),
        (
            "De gemeente hanteert een consequente lijn: iedere overtreding wordt vastgesteld, teruggevorderd "
            "en bestraft.",
            ["fine_first"],
        ),
        ("Een schending die niet tot benadeling heeft geleid, wordt niet beboet.", []),
        (
            "Een schending van de inlichtingenplicht wordt altijd gesanctioneerd, met een boete of met een "
            "waarschuwing.",
            [],
        ),
    ],
)
def test_overpayment_response(sentence: str, expected: list[str]) -> None:
    assert values(sentence, "overpayment_response") == expected


# --- fine levels ----------------------------------------------------------------------------------

STANDARD, REPEAT, WINDOW = "standard_fine_level", "repeat_fine_level", "recidive_window"


@pytest.mark.parametrize(
    ("sentence", "standard", "repeat"),
    [
        ("De standaardboete bedraagt 50 procent van het benadelingsbedrag.", ["50"], []),
        ("De boete bedraagt 100% van het teruggevorderde bedrag.", ["100"], []),
        ("De boete is even hoog als het bedrag dat u te veel heeft ontvangen.", ["100"], []),
        (
            "Bij recidive binnen vijf jaar bedraagt de boete 150 procent van het benadelingsbedrag.",
            [],
            ["150"],
        ),
        # a cap set by law is no level
        (
            "Bij recidive kan de boete volgens de wet worden verhoogd tot 150 procent van het "
            "benadelingsbedrag.",
            [],
            [],
        ),
        ("De boete bedraagt maximaal 100 procent van het benadelingsbedrag.", [], []),
        # another grade of culpability is no standard
        ("Bij opzet bedraagt de boete 100 procent van het benadelingsbedrag.", [], []),
        (
            "Is de verwijtbaarheid verminderd, dan bedraagt de boete 25 procent van het benadelingsbedrag.",
            [],
            [],
        ),
        # percentages of something else
        ("In 50 procent van de inspecties leggen wij een boete op.", [], []),
        (
            "Het totale benadelingsbedrag bedroeg ruim 1,1 miljoen euro, waarvan tot nu toe ongeveer "
            "38 procent "
            "is terugontvangen.",
            [],
            [],
        ),
        ("De boete heeft een preventieve werking op anderen.", [], []),
    ],
)
def test_fine_levels(sentence: str, standard: list[str], repeat: list[str]) -> None:
    assert values(sentence, STANDARD) == standard
    assert values(sentence, REPEAT) == repeat


def test_a_table_row_without_header_counts_whole() -> None:
    found = find_instruments(table(["Normale verwijtbaarheid | 50% | Standaardboete"]))
    assert [(i.topic, i.value, i.sentence) for i in found] == [
        (STANDARD, "50", "Normale verwijtbaarheid | 50% | Standaardboete")
    ]
    row = (
        "Schending met benadeling | Boete van 100% van het benadelingsbedrag | "
        "Boete van 150% van het benadelingsbedrag"
    )
    found = find_instruments(table([row]))
    assert {(i.topic, i.value) for i in found} == {(STANDARD, "100"), ("overpayment_response", "fine_first")}
    assert all(i.sentence == row for i in found)


def test_table_cells_are_read_under_their_column_headers() -> None:
    rows = [
        "Situatie | Eerste overtreding | Recidive binnen vijf jaar",
        "Schending zonder benadeling | Boete van 150 euro | Boete van 300 euro",
        "Schending met benadeling | Boete van 100% van het benadelingsbedrag | Boete van 150% van "
        "het benadelingsbedrag",
    ]
    found = {
        (i.topic, i.value, i.evidence.passage_id)
        for i in find_instruments(table(rows, "Gemeente Zuiderveen"))
    }
    doc = "doc-gemeente-zuiderveen"
    assert found == {
        (FIRST, "fine_first", f"{doc}:1"),
        (WINDOW, "5", f"{doc}:1"),
        (STANDARD, "100", f"{doc}:2"),
        (REPEAT, "150", f"{doc}:2"),
        ("overpayment_response", "fine_first", f"{doc}:2"),
        (WINDOW, "5", f"{doc}:2"),
    }


def test_a_sanction_ladder_gives_the_standard_level_and_the_first_response() -> None:
    rows = [
        "Mate van verwijtbaarheid | Reactie bij eerste schending zonder benadeling | Boete bij benadeling "
        "(percentage van het benadelingsbedrag)",
        "Opzet | waarschuwing | 100%",
        "Normale verwijtbaarheid | waarschuwing | 50%",
        "Geen verwijtbaarheid | geen sanctie | geen boete",
    ]
    found = [(i.topic, i.value, i.sentence) for i in find_instruments(table(rows, "VNG"))]
    assert found == [
        (FIRST, "warning_first", "Opzet | waarschuwing | 100%"),
        (FIRST, "warning_first", "Normale verwijtbaarheid | waarschuwing | 50%"),
        (STANDARD, "50", "Normale verwijtbaarheid | waarschuwing | 50%"),
    ]


def test_a_percentage_in_a_table_of_figures_is_no_fine_level() -> None:
    rows = [
        "Kengetal | Norm per jaar",
        "Aandeel vastgestelde schendingen waarvoor een boete is opgelegd | 100%",
        "Terugontvangen deel van de vorderingen | ten minste 45%",
    ]
    assert find_instruments(table(rows, "Gemeente Zuiderveen")) == []


# --- recidive window, home visits, hearing --------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "recidive: een nieuwe schending van de inlichtingenplicht binnen vijf jaar nadat eerder "
            "een boete "
            "of waarschuwing onherroepelijk is geworden;",
            ["5"],
        ),
        (
            "Pas als dezelfde inwoner binnen twee jaar opnieuw de inlichtingenplicht schendt, of als er wel "
            "sprake is van benadeling, komt een boete in beeld.",
            ["2"],
        ),
        ("Overtreedt u de regels opnieuw binnen vijf jaar, dan wordt de boete hoger.", ["5"]),
        (
            "er is geen sprake van herhaling: de klant heeft in de twee jaar voorafgaand aan de "
            "overtreding geen "
            "waarschuwing of boete gekregen voor een schending van de inlichtingenplicht.",
            ["2"],
        ),
        ("Bij belanghebbenden die langer dan vijf jaar een uitkering ontvangen, gebeurt dat jaarlijks.", []),
        ("Iedere uitkering wordt ten minste eenmaal per twee jaar volledig heronderzocht.", []),
    ],
)
def test_recidive_window(sentence: str, expected: list[str]) -> None:
    assert values(sentence, WINDOW) == expected


HOME = "home_visit_ground"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Een huisbezoek leggen wij alleen af als daarvoor een redelijke grond bestaat die wij "
            "vooraf vastleggen.",
            ["reasonable_ground_required"],
        ),
        ("Een huisbezoek vindt nooit plaats zonder redelijke grond.", ["reasonable_ground_required"]),
        (
            "Zo'n huisbezoek vindt plaats ook zonder redelijke grond: het is niet nodig dat er "
            "twijfel bestaat "
            "aan de juistheid van de opgegeven woonsituatie.",
            ["no_ground_needed"],
        ),
        (
            "Bij iedere nieuwe aanvraag wordt aselect bepaald of een huisbezoek wordt afgelegd.",
            ["no_ground_needed"],
        ),
        ("Huisbezoeken leggen wij niet aselect af.", []),
        ("Het huisbezoek wordt in de regel niet aangekondigd.", []),
        ("Daarnaast blijven wij een deel van onze inspecties willekeurig uitvoeren.", []),
    ],
)
def test_home_visit_ground(sentence: str, expected: list[str]) -> None:
    assert values(sentence, HOME, "Gemeente Zuiderveen") == expected


def test_an_anaphor_takes_its_subject_from_the_sentence_before() -> None:
    text = (
        "Bij iedere aanvraag kan de gemeente een huisbezoek afleggen. Dat gebeurt zonder dat daar een "
        "bijzondere reden voor nodig is."
    )
    found = find_instruments([passage(text, "Gemeente Zuiderveen")])
    assert [(i.topic, i.value, i.sentence) for i in found] == [
        (HOME, "no_ground_needed", "Dat gebeurt zonder dat daar een bijzondere reden voor nodig is.")
    ]
    unrelated = "Wij bespreken de aanvraag. Dat gebeurt zonder dat daar een bijzondere reden voor nodig is."
    assert find_instruments([passage(unrelated, "Gemeente Zuiderveen")]) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Wij stellen altijd eerst de feiten vast en horen de klant voordat wij een boete opleggen.",
            ["hearing_always"],
        ),
        (
            "De inwoner moet daarom vooraf worden gehoord, mag zich laten bijstaan en heeft het recht om te "
            "zwijgen over de overtreding.",
            ["hearing_always"],
        ),
        (
            "Het college stelt de belanghebbende in de gelegenheid zijn zienswijze te geven voordat "
            "een boete van "
            "meer dan 340 euro wordt opgelegd.",
            ["hearing_except_small_fines"],
        ),
        (
            "de klant wordt gehoord voordat een boete wordt opgelegd, tenzij de boete gering is;",
            ["hearing_except_small_fines"],
        ),
        ("Wij horen de klant niet altijd voordat wij een boete opleggen.", []),
    ],
)
def test_hearing_before_fine(sentence: str, expected: list[str]) -> None:
    assert values(sentence, "hearing_before_fine") == expected


# --- scope: domains, footnotes, languages, evidence -----------------------------------------------

LEVEL = "De boete bedraagt 50 procent van het benadelingsbedrag."


@pytest.mark.parametrize(
    ("agency", "expected"),
    [("UWV", ["50"]), ("NLA", []), ("NAU", []), ("Provincie Test", ["50"]), (None, ["50"])],
)
def test_labour_law_agencies_are_kept_out_of_social_security_topics(
    agency: str | None, expected: list[str]
) -> None:
    assert values(LEVEL, STANDARD, agency) == expected


def test_an_agency_without_a_name_is_named_by_its_file() -> None:
    (found,) = find_instruments([passage(LEVEL, None, doc_id="plan")])
    assert found.agency == "plan.pdf"


def test_footnotes_and_foreign_passages_state_no_instruments() -> None:
    assert find_instruments([passage(LEVEL, kind=PassageKind.FOOTNOTE)]) == []
    assert find_instruments([passage(LEVEL, lang="en")]) == []


def test_an_instrument_carries_its_passage_as_evidence() -> None:
    text = "Dat percentage geldt bij normale verwijtbaarheid. " + LEVEL
    (found,) = find_instruments([passage(text, "UWV", index=7, page=11)])
    assert found == Instrument(
        topic=STANDARD, value="50", agency="UWV", doc_id="doc-uwv", sentence=LEVEL, evidence=found.evidence
    )
    e = found.evidence
    assert (e.passage_id, e.page, e.text, e.agency, e.note) == (
        "doc-uwv:7",
        11,
        text,
        "UWV",
        "50 procent van het benadelingsbedrag",
    )


# --- comparing agencies ---------------------------------------------------------------------------

SVB_WARNS = (
    "Bij een eerste schending van de inlichtingenplicht die niet heeft geleid tot een te hoge uitkering, "
    "geven wij een schriftelijke waarschuwing en leggen wij geen boete op."
)
VNG_WARNS = (
    "De VNG adviseert gemeenten om bij een eerste schending van de inlichtingenplicht die niet tot "
    "benadeling heeft geleid, een waarschuwing te geven en geen boete op te leggen."
)
TOWN_FINES = (
    "Het college legt bij iedere schending van de inlichtingenplicht een bestuurlijke boete op, ook "
    "wanneer er geen sprake is van benadeling."
)


def _findings(*items: tuple[str, str]) -> list[Any]:
    """Each agency's passages form one document, numbered in the order given."""
    count: dict[str, int] = {}
    passages = []
    for agency, text in items:
        passages.append(passage(text, agency, index=count.setdefault(agency, 0)))
        count[agency] += 1
    return compare_instruments(find_instruments(passages))


def test_one_warns_first_and_another_fines_first() -> None:
    (finding,) = [
        f
        for f in _findings(("SVB", SVB_WARNS), ("Gemeente Zuiderveen", TOWN_FINES), ("VNG", VNG_WARNS))
        if f.details["topic"] == FIRST
    ]
    assert finding.kind is FindingKind.DIVERGENCE
    assert finding.severity is Severity.HIGH
    assert finding.principle == "passend_handhaven"
    assert finding.agencies == ("Gemeente Zuiderveen", "SVB", "VNG")
    assert finding.summary == (
        "SVB en VNG geven bij een eerste schending zonder benadeling eerst een waarschuwing; "
        "Gemeente Zuiderveen legt direct een boete op."
    )
    assert finding.summary_en == (
        "SVB and VNG give a warning first for a first violation without overpayment; "
        "Gemeente Zuiderveen imposes a fine at once."
    )
    assert [(e.agency, e.note, e.text) for e in finding.evidence] == [
        ("Gemeente Zuiderveen", "direct een boete", TOWN_FINES),
        ("SVB", "eerst een waarschuwing, geen boete", SVB_WARNS),
        ("VNG", "eerst een waarschuwing, geen boete", VNG_WARNS),
    ]
    # an English report shows the data's English words for the same values
    assert [e.note_en for e in finding.evidence] == [
        "a fine at once",
        "a warning first, no fine",
        "a warning first, no fine",
    ]
    assert finding.documents == ("doc-gemeente-zuiderveen", "doc-svb", "doc-vng")
    assert finding.details["values"] == {
        "Gemeente Zuiderveen": "fine_first",
        "SVB": "warning_first",
        "VNG": "warning_first",
    }
    assert finding.details["situation"].startswith("Een eerste schending van de inlichtingenplicht")


def test_different_levels_are_a_medium_divergence_and_equal_ones_none() -> None:
    (finding,) = _findings(
        ("SVB", LEVEL),
        ("UWV", LEVEL),
        ("Gemeente Zuiderveen", "De boete bedraagt 100 procent van het benadelingsbedrag."),
    )
    assert finding.severity is Severity.MEDIUM
    assert finding.summary == (
        "SVB en UWV hanteren als standaardboete 50 procent van het benadelingsbedrag; "
        "Gemeente Zuiderveen hanteert 100 procent van het benadelingsbedrag."
    )
    assert _findings(("SVB", LEVEL), ("UWV", LEVEL)) == []
    assert _findings(("SVB", LEVEL)) == []


def test_home_visits_with_and_without_a_ground_are_a_high_divergence() -> None:
    (finding,) = _findings(
        ("SVB", "Een huisbezoek leggen wij alleen af als daarvoor een redelijke grond bestaat."),
        (
            "Gemeente Zuiderveen",
            "Bij iedere nieuwe aanvraag wordt aselect bepaald of een huisbezoek wordt afgelegd.",
        ),
    )
    assert (finding.severity, finding.principle) == (Severity.HIGH, "rechtsstaat")
    assert finding.summary == (
        "SVB eist voor een huisbezoek een redelijke grond; "
        "Gemeente Zuiderveen legt huisbezoeken ook zonder redelijke grond af."
    )


def test_an_agency_states_what_most_of_its_passages_state() -> None:
    fine = "De boete bedraagt 100 procent van het benadelingsbedrag."
    (finding,) = _findings(("UWV", LEVEL), ("SVB", fine), ("SVB", LEVEL), ("SVB", fine))
    assert finding.details["values"] == {"SVB": "100", "UWV": "50"}
    assert finding.details["all_values"] == {"SVB": ["50", "100"], "UWV": ["50"]}
    assert finding.summary.endswith("SVB noemt elders ook: 50 procent van het benadelingsbedrag.")
    # a tie goes to the value read first
    (tie,) = _findings(("UWV", fine), ("SVB", LEVEL), ("SVB", fine))
    assert tie.details["values"] == {"SVB": "50", "UWV": "100"}


def test_the_evidence_comes_from_the_chapter_that_states_the_value_most() -> None:
    folder = passage(
        "De boete is even hoog als het bedrag dat u te veel heeft ontvangen.",
        "Gemeente Zuiderveen",
        index=0,
        section=("4 Preventie", "4.2 Folder"),
        page=8,
    )
    rule = passage(
        "De boete bedraagt 100 procent van het benadelingsbedrag.",
        "Gemeente Zuiderveen",
        index=1,
        section=("6 Sanctionering", "6.2 Hoogte van de boete"),
        page=10,
    )
    row = passage(
        "Schending met benadeling | Boete van 100% van het benadelingsbedrag",
        "Gemeente Zuiderveen",
        index=2,
        kind=PassageKind.TABLE,
        section=("6 Sanctionering", "6.2 Hoogte van de boete"),
        page=10,
    )
    (finding,) = compare_instruments(find_instruments([folder, rule, row, passage(LEVEL, "SVB")]))
    assert [(e.agency, e.passage_id) for e in finding.evidence] == [
        ("Gemeente Zuiderveen", rule.passage_id),
        ("SVB", "doc-svb:0"),
    ]


def test_comparison_is_deterministic_whatever_the_order_of_documents() -> None:
    docs = [
        ("SVB", SVB_WARNS),
        ("Gemeente Zuiderveen", TOWN_FINES),
        ("VNG", VNG_WARNS),
        ("UWV", LEVEL),
        ("Gemeente Noordveen", "De boete bedraagt 100 procent van het benadelingsbedrag."),
    ]
    expected = [f.to_dict() for f in _findings(*docs)]
    shuffled = docs[:]
    random.Random(7).shuffle(shuffled)
    assert [f.to_dict() for f in _findings(*shuffled)] == expected
    assert [f.to_dict() for f in _findings(*docs)] == expected


# --- the demo corpus ------------------------------------------------------------------------------

DEMO = REPO / "corpora" / "demo"

ALLOWED = {  # (agency, topic) -> the values the demo plans state (corpora/demo/EXPECTED.md)
    ("SVB", FIRST): {"warning_first"},
    ("SVB", "overpayment_response"): {"warning_first"},
    ("SVB", STANDARD): {"50"},
    ("SVB", WINDOW): {"5"},
    ("SVB", HOME): {"reasonable_ground_required"},
    ("SVB", "hearing_before_fine"): {"hearing_except_small_fines"},
    ("UWV", FIRST): {"warning_first"},
    ("UWV", "overpayment_response"): {"fine_first"},
    ("UWV", STANDARD): {"50"},
    ("UWV", WINDOW): {"5", "2"},
    ("UWV", "hearing_before_fine"): {"hearing_always"},
    ("Gemeente Zuiderveen", FIRST): {"fine_first"},
    ("Gemeente Zuiderveen", "overpayment_response"): {"fine_first"},
    ("Gemeente Zuiderveen", STANDARD): {"100"},
    ("Gemeente Zuiderveen", REPEAT): {"150"},
    ("Gemeente Zuiderveen", WINDOW): {"5"},
    ("Gemeente Zuiderveen", HOME): {"no_ground_needed"},
    ("Gemeente Zuiderveen", "hearing_before_fine"): {"hearing_except_small_fines"},
    ("VNG", FIRST): {"warning_first"},
    ("VNG", STANDARD): {"50"},
    ("VNG", WINDOW): {"2"},
    ("VNG", HOME): {"reasonable_ground_required"},
    ("VNG", "hearing_before_fine"): {"hearing_always"},
}


@pytest.fixture(scope="module")
def demo() -> list[Passage]:
    result = ingest_all([], manifest=load_manifest(str(DEMO / "manifest.toml")))
    assert not result.failures
    return [p for item in result.documents for p in item.passages]


@pytest.fixture(scope="module")
def demo_findings(demo: list[Passage]) -> dict[str, Any]:
    return {f.details["topic"]: f for f in compare_instruments(find_instruments(demo))}


def test_demo_instruments_are_what_the_plans_say(demo: list[Passage]) -> None:
    found = find_instruments(demo)
    wrong = [
        (i.agency, i.topic, i.value, i.sentence)
        for i in found
        if i.value not in ALLOWED.get((i.agency, i.topic), set())
    ]
    assert wrong == []
    assert not [i for i in found if i.agency == "NLA"]


def test_demo_warning_first_against_fine_first(demo_findings: dict[str, Any]) -> None:
    finding = demo_findings[FIRST]
    assert finding.severity is Severity.HIGH
    assert {a: v for a, v in finding.details["values"].items() if a != "UWV"} == {
        "Gemeente Zuiderveen": "fine_first",
        "SVB": "warning_first",
        "VNG": "warning_first",
    }
    evidence = {e.agency: e for e in finding.evidence}
    assert (
        evidence["SVB"].page == 10
        and "geven wij een schriftelijke waarschuwing en leggen wij geen boete op" in evidence["SVB"].text
    )
    assert evidence["Gemeente Zuiderveen"].page == 10
    assert (
        "een bestuurlijke boete op, ook wanneer er geen sprake is van benadeling"
        in evidence["Gemeente Zuiderveen"].text
    )
    assert evidence["VNG"].section[-1] == "6.1 Eerst waarschuwen"
    assert finding.summary == (
        "SVB en VNG geven bij een eerste schending zonder benadeling eerst een waarschuwing; "
        "Gemeente Zuiderveen legt direct een boete op."
    )


def test_demo_standard_fine_of_50_against_100_percent(demo_findings: dict[str, Any]) -> None:
    finding = demo_findings[STANDARD]
    assert finding.severity is Severity.MEDIUM
    assert finding.details["values"] == {"Gemeente Zuiderveen": "100", "SVB": "50", "UWV": "50", "VNG": "50"}
    pages = {e.agency: e.page for e in finding.evidence}
    assert pages == {"Gemeente Zuiderveen": 10, "SVB": 10, "UWV": 11, "VNG": None}
    texts = {e.agency: e.text for e in finding.evidence}
    assert texts["Gemeente Zuiderveen"].startswith("De boete bedraagt 100 procent van het benadelingsbedrag.")
    assert texts["SVB"].startswith("De standaardboete bedraagt 50 procent van het benadelingsbedrag.")
    assert texts["VNG"] == "Normale verwijtbaarheid | waarschuwing | 50%"


def test_demo_findings_read_as_the_plans_do(demo_findings: dict[str, Any]) -> None:
    assert {topic: f.summary for topic, f in demo_findings.items()} == {
        FIRST: "SVB en VNG geven bij een eerste schending zonder benadeling eerst een waarschuwing; "
        "Gemeente Zuiderveen legt direct een boete op.",
        "overpayment_response": "SVB kan bij een schending met benadeling onder voorwaarden volstaan met een "
        "waarschuwing; Gemeente Zuiderveen en UWV leggen altijd een boete op.",
        STANDARD: "SVB, UWV en VNG hanteren als standaardboete 50 procent van het benadelingsbedrag; "
        "Gemeente Zuiderveen hanteert 100 procent van het benadelingsbedrag.",
        WINDOW: "VNG telt een nieuwe schending binnen 2 jaar als herhaling (recidive); Gemeente "
        "Zuiderveen, SVB "
        "en UWV tellen een nieuwe schending binnen 5 jaar. UWV noemt elders ook: 2 jaar.",
        HOME: "SVB en VNG eisen voor een huisbezoek een redelijke grond; Gemeente Zuiderveen legt "
        "huisbezoeken "
        "ook zonder redelijke grond af.",
        "hearing_before_fine": "UWV en VNG horen de burger altijd voordat een boete wordt opgelegd; Gemeente "
        "Zuiderveen en SVB horen de burger, behalve bij een geringe boete.",
    }
    pages = {(e.agency, e.page) for e in demo_findings[HOME].evidence}
    assert pages == {("SVB", 9), ("Gemeente Zuiderveen", 9), ("VNG", None)}
    assert all("NLA" not in f.agencies for f in demo_findings.values())


def test_demo_run_is_deterministic(demo: list[Passage]) -> None:
    first = [f.to_dict() for f in compare_instruments(find_instruments(demo))]
    again = [f.to_dict() for f in compare_instruments(find_instruments([replace(p) for p in demo]))]
    assert first == again
