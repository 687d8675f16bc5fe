"""Definitions of key terms: the sentence forms that define a term, the aspects read from them, the
comparison across agencies, and the planted differences of the demo corpus."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from aligncheck.definitions import (
    Definition,
    compare_definitions,
    definition_table,
    find_aspects,
    find_definitions,
)
from aligncheck.errors import FrameworkError
from aligncheck.frameworks import load_framework, validate_framework
from aligncheck.types import FindingKind, Passage, Severity

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "corpora" / "demo"


@pytest.fixture(scope="module")
def fw():
    return load_framework("koers-2026-2029")


def passage(
    text: str, agency: str | None = "SVB", doc: str = "doc", index: int = 0, section: tuple[str, ...] = ()
) -> Passage:
    return Passage(
        doc_id=doc,
        index=index,
        path=f"{doc}.pdf",
        text=text,
        section=section,
        char_start=0,
        char_end=len(text),
        page=3,
        page_end=3,
        agency=agency,
    )


def defs_of(fw, *texts: str, **kw) -> list[Definition]:
    return find_definitions([passage(t, index=i, **kw) for i, t in enumerate(texts)], fw)


def only(definitions: list[Definition], term: str) -> Definition:
    found = [d for d in definitions if d.term == term]
    assert len(found) == 1, [(d.term, d.sentence) for d in definitions]
    return found[0]


# --- the sentence forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, term, form",
    [
        (
            "Onder fraude verstaan wij het opzettelijk verstrekken van onjuiste informatie.",
            "fraude",
            "onder_verstaan",
        ),
        (
            "In dit plan wordt onder 'fraude' verstaan: het opzettelijk verzwijgen van inkomsten.",
            "fraude",
            "onder_verstaan",
        ),
        (
            "Onder recidive wordt in dit plan verstaan een nieuwe overtreding binnen vijf jaar.",
            "recidive",
            "onder_verstaan",
        ),
        (
            "Met fraude bedoelen wij het opzettelijk verstrekken van onjuiste gegevens.",
            "fraude",
            "met_bedoelen",
        ),
        (
            "Van recidive is sprake als dezelfde klant binnen vijf jaar opnieuw de plicht schendt.",
            "recidive",
            "sprake_van",
        ),
        ("Van grove schuld is sprake bij een ernstige mate van nalatigheid.", "grove schuld", "sprake_van"),
        ("Er is sprake van fraude wanneer de klant bewust gegevens verzwijgt.", "fraude", "er_is_sprake"),
        (
            "Wij spreken van fraude als een klant opzettelijk onjuiste informatie geeft.",
            "fraude",
            "spreken_van",
        ),
        ("Alleen bij opzet spreken wij van fraude.", "fraude", "spreken_van"),
        ("Fraude is het opzettelijk verstrekken van onjuiste of onvolledige informatie.", "fraude", "is"),
        (
            "Verwijtbaarheid is de mate waarin de schending de klant kan worden aangerekend.",
            "verwijtbaarheid",
            "is",
        ),
        ("Opzet betekent dat de klant willens en wetens onjuiste informatie gaf.", "opzet", "is"),
        ("Handhaving houdt in: alle activiteiten die naleving bevorderen.", "handhaving", "is"),
        (
            "fraude: het opzettelijk verstrekken van onjuiste informatie om een voordeel te verkrijgen;",
            "fraude",
            "list",
        ),
        (
            "2. recidive: een nieuwe overtreding binnen vijf jaar na een onherroepelijke boete;",
            "recidive",
            "list",
        ),
    ],
)
def test_each_sentence_form_is_a_definition(fw, text, term, form):
    d = only(defs_of(fw, text), term)
    assert d.form == form
    assert d.sentence in text and d.sentence.strip() == d.sentence
    assert d.evidence.note == d.sentence and d.evidence.text == text
    assert (d.agency, d.doc_id, d.evidence.passage_id, d.evidence.page) == ("SVB", "doc", "doc:0", 3)


def test_several_list_lines_joined_in_one_passage_are_split(fw):
    text = (
        "In dit plan hanteren wij de volgende begrippen: fraude: het opzettelijk verstrekken van onjuiste "
        "informatie; handhaving: alle activiteiten die naleving bevorderen, van voorlichting tot sanctie; "
        "recidive: een nieuwe overtreding binnen twee jaar nadat een boete onherroepelijk is geworden."
    )
    found = defs_of(fw, text)
    assert [(d.term, d.form) for d in found] == [
        ("fraude", "list"),
        ("recidive", "list"),
        ("handhaving", "list"),
    ]
    sentences = {d.term: d.sentence for d in found}
    assert sentences["fraude"] == "fraude: het opzettelijk verstrekken van onjuiste informatie"
    assert (
        sentences["handhaving"].startswith("handhaving: alle activiteiten")
        and ";" not in sentences["handhaving"]
    )
    assert sentences["recidive"].endswith("onherroepelijk is geworden.")
    assert only(found, "fraude").aspects == ("intent_required",)
    assert only(found, "handhaving").aspects == ("broad",)
    assert only(found, "recidive").values == {"window_years": "2"}


def test_a_list_line_naming_two_terms_defines_both(fw):
    text = (
        "fout of vergissing: het zonder opzet niet tijdig verstrekken van informatie, "
        "dat samen met de klant wordt hersteld;"
    )
    found = defs_of(fw, text, section=("2.4 Begrippen",))
    assert [d.term for d in found] == ["fout", "vergissing"]
    assert only(found, "fout").aspects == ("corrected", "no_intent")
    assert only(found, "vergissing").aspects == ("no_intent",)


def test_a_mistake_corrected_by_recovery_and_one_not_punished_are_told_apart(fw):
    recovered = defs_of(
        fw,
        "Wij spreken van een fout als een klant een wijziging vergeet door te geven. "
        "Een fout kan leiden tot een terugvordering.",
    )
    assert only(recovered, "fout").aspects == ("corrected",)
    unpunished = defs_of(
        fw,
        "Van een fout is sprake als iets niet juist is doorgegeven. Fouten herstellen wij zonder bestraffend karakter.",
    )
    assert only(unpunished, "fout").aspects == ("corrected", "no_sanction")


def test_list_lines_in_separate_passages_of_a_glossary(fw):
    texts = [
        "In dit plan wordt verstaan onder:",
        "benadelingsbedrag: het bedrag dat ten onrechte is betaald;",
        "fraude: het niet nakomen van de inlichtingenplicht waardoor ten onrechte bijstand is verleend;",
    ]
    found = defs_of(fw, *texts, section=("2.3 Begrippen",))
    d = only(found, "fraude")
    assert d.evidence.passage_id == "doc:2" and d.aspects == ("outcome_based",)


def test_the_next_sentence_that_qualifies_a_definition_is_read_with_it(fw):
    text = (
        "Van fraude is sprake als de klant de inlichtingenplicht niet is nagekomen en daardoor te veel "
        "ontvangen heeft. Opzet is daarvoor niet vereist. De gemeente publiceert jaarlijks cijfers."
    )
    d = only(defs_of(fw, text), "fraude")
    assert d.sentence.startswith("Van fraude is sprake als") and d.sentence.endswith("heeft.")
    assert d.continuation == "Opzet is daarvoor niet vereist."
    assert d.aspects == ("intent_not_required", "outcome_based")


def test_a_following_sentence_on_another_topic_is_not_read(fw):
    text = (
        "Onder fraude verstaan wij het verstrekken van onjuiste informatie. "
        "Wij werken opzettelijk samen met ketenpartners."
    )
    d = only(defs_of(fw, text), "fraude")
    assert d.continuation == "" and d.aspects == ()


@pytest.mark.parametrize(
    "text",
    [
        "Voor het college staat voorop dat fraude niet mag lonen.",
        "Fraude mag niet lonen.",
        "Wij bestrijden fraude actief, samen met onze ketenpartners en het Openbaar Ministerie.",
        "Fraude is een groot probleem in de bouw.",
        "Een fout is iets anders.",
        "Maar een schending van de inlichtingenplicht is nog geen fraude.",
        "Opzet is dus een vereiste: zonder opzet spreken wij niet van fraude.",
        "De beste handhaving is een klant die weet wat er van hem verwacht wordt.",
        "Het huisbezoek is een belangrijk instrument om de woonsituatie vast te stellen.",
        "Het is duidelijk wat met opzet en grove schuld wordt bedoeld.",
        "opzet: 100% van het benadelingsbedrag.",
        "Misbruik en oneigenlijk gebruik: de geraamde opbrengst bedraagt in 2026 vier miljoen euro.",
    ],
)
def test_a_mere_mention_is_no_definition(fw, text):
    assert defs_of(fw, text) == []


def test_a_subterm_is_not_the_term(fw):
    found = defs_of(
        fw,
        "Onder verminderde verwijtbaarheid verstaan wij de situatie waarin de klant weinig te verwijten "
        "valt.",
    )
    assert found == []


# --- aspects --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, aspects",
    [
        ("opzet is niet vereist", ("intent_not_required",)),
        ("opzet is daarvoor niet vereist", ("intent_not_required",)),
        ("iedere schending, ongeacht de vraag of er sprake is van opzet", ("intent_not_required",)),
        ("het opzettelijk verstrekken van onjuiste informatie", ("intent_required",)),
        ("Fraude vereist dus opzet.", ("intent_required",)),
        (
            "met het doel een voordeel te verkrijgen; voorbedachten rade is daarbij niet van belang",
            ("advantage_purpose", "premeditation_irrelevant"),
        ),
        ("het bewust verzwijgen; opzet is niet vereist", ("intent_not_required",)),  # the longer match wins
    ],
)
def test_aspects_prefer_the_longest_match_and_honour_excludes(fw, text, aspects):
    assert find_aspects(fw.term("fraude"), text)[0] == aspects


def test_captured_values_are_normalised(fw):
    recidive = fw.term("recidive")
    assert find_aspects(recidive, "binnen vijf jaar nadat de boete onherroepelijk is")[1] == {
        "window_years": "5"
    }
    assert find_aspects(recidive, "binnen een termijn van 2 jaar")[1] == {"window_years": "2"}
    fraude = fw.term("fraude")
    assert find_aspects(fraude, "pas vanaf € 1.000 spreken wij van fraude")[1] == {"minimum_amount": "1000"}


# --- comparing ------------------------------------------------------------------------------------


def two_agencies(fw, a: str, b: str) -> list[Definition]:
    return find_definitions(
        [passage(a, agency="SVB", doc="svb"), passage(b, agency="Gemeente Zuiderveen", doc="gz")], fw
    )


def test_intent_required_against_not_required_is_high(fw):
    found = two_agencies(
        fw,
        "Onder fraude verstaan wij het opzettelijk verstrekken van onjuiste informatie.",
        "Van fraude is sprake als ten onrechte bijstand is ontvangen; opzet is daarvoor niet vereist.",
    )
    [finding] = compare_definitions(found, fw)
    assert finding.kind is FindingKind.DEFINITION and finding.severity is Severity.HIGH
    assert finding.principle == "passend_handhaven"
    assert finding.agencies == ("Gemeente Zuiderveen", "SVB") and finding.documents == ("gz", "svb")
    assert finding.summary.startswith(
        "Gemeente Zuiderveen en SVB definiëren 'fraude' verschillend: opzet vereist bij SVB, "
        "opzet niet vereist bij Gemeente Zuiderveen"
    )
    assert finding.summary_en.startswith(
        "Gemeente Zuiderveen and SVB define 'fraude' differently: intent required at SVB"
    )
    assert [(e.agency, e.note) for e in finding.evidence] == [
        ("Gemeente Zuiderveen", "opzet niet vereist; bepaald door de uitkomst"),
        ("SVB", "opzet vereist"),
    ]
    assert [e.note_en for e in finding.evidence] == [
        "intent not required; decided by the outcome",
        "intent required",
    ]
    contrast = finding.details["differs_on"][0]
    assert contrast["kind"] == "contrast" and contrast["severity"] == "high"
    assert (contrast["aspect"], contrast["with"], contrast["contrast"], contrast["contrast_with"]) == (
        "intent_required",
        ["SVB"],
        "intent_not_required",
        ["Gemeente Zuiderveen"],
    )
    assert finding.details["term"] == "fraude"
    assert {d["agency"] for d in finding.details["definitions"]} == {"SVB", "Gemeente Zuiderveen"}
    assert set(finding.details["definitions"][0]) >= {"agency", "doc_id", "aspects", "values", "sentence"}


def test_recidive_window_of_five_against_two_years_is_medium(fw):
    found = two_agencies(
        fw,
        "recidive: een nieuwe schending binnen vijf jaar nadat een boete onherroepelijk is geworden;",
        "recidive: een nieuwe schending binnen twee jaar nadat een boete onherroepelijk is geworden;",
    )
    [finding] = compare_definitions(found, fw)
    assert finding.severity is Severity.MEDIUM
    [diff] = finding.details["differs_on"]
    assert diff["kind"] == "value" and diff["values"] == {"Gemeente Zuiderveen": "2", "SVB": "5"}
    assert "termijn in jaren: 2 bij Gemeente Zuiderveen, 5 bij SVB" in finding.summary
    assert "window in years: 2 at Gemeente Zuiderveen, 5 at SVB" in finding.summary_en


def test_an_aspect_only_one_agency_names_is_medium(fw):
    found = two_agencies(
        fw,
        "fraude: het opzettelijk verstrekken van onjuiste informatie om een voordeel te verkrijgen;",
        "Onder fraude verstaan wij het opzettelijk schenden van de inlichtingenplicht.",
    )
    [finding] = compare_definitions(found, fw)
    assert finding.severity is Severity.MEDIUM
    assert finding.summary == (
        "Gemeente Zuiderveen en SVB definiëren 'fraude' verschillend: gericht op voordeel bij SVB, "
        "niet genoemd bij Gemeente Zuiderveen."
    )


def test_equal_definitions_and_single_agencies_give_no_finding(fw):
    same = two_agencies(
        fw,
        "Onder fraude verstaan wij het opzettelijk verstrekken van onjuiste informatie.",
        "fraude: het opzettelijk verzwijgen van inkomsten;",
    )
    assert compare_definitions(same, fw) == []
    one = find_definitions([passage("Fraude is het opzettelijk verzwijgen van inkomsten.")], fw)
    assert compare_definitions(one, fw) == []


def test_definitions_without_aspects_are_not_compared(fw):
    found = two_agencies(
        fw,
        "verwijtbaarheid: de mate waarin de klant de schending kan worden aangerekend;",
        "Onder verwijtbaarheid verstaan wij de mate waarin een verwijt kan worden gemaakt. "
        "Verwijtbaarheid wordt aangenomen, tenzij de belanghebbende het tegendeel aantoont.",
    )
    assert compare_definitions(found, fw) == []


def test_the_richest_definition_of_an_agency_represents_it(fw):
    passages = [
        passage("fraude: het verzwijgen van informatie;", agency="UWV", doc="uwv-2025"),
        passage(
            "Onder fraude verstaan wij het bewust verzwijgen van informatie om voordeel te behalen.",
            agency="UWV",
            doc="uwv-2026",
        ),
        passage(
            "Van fraude is sprake als te veel is ontvangen; opzet is daarvoor niet vereist.",
            agency="Gemeente Zuiderveen",
            doc="gz",
        ),
    ]
    [finding] = compare_definitions(find_definitions(passages, fw), fw)
    assert finding.documents == ("gz", "uwv-2026")
    assert [e.passage_id for e in finding.evidence] == ["gz:0", "uwv-2026:0"]
    assert [d["doc_id"] for d in finding.details["other_definitions"]] == ["uwv-2025"]
    assert [d["doc_id"] for d in finding.details["not_compared"]] == []
    table = definition_table(find_definitions(passages, fw), fw)
    assert [(row["agency"], row["doc_id"], row["other_definitions"]) for row in table["fraude"]] == [
        ("Gemeente Zuiderveen", "gz", 0),
        ("UWV", "uwv-2026", 1),
    ]


def test_output_is_deterministic(fw):
    texts = [
        ("Onder fraude verstaan wij het opzettelijk verstrekken van onjuiste informatie.", "SVB"),
        ("recidive: een nieuwe schending binnen vijf jaar na een onherroepelijke boete;", "SVB"),
        (
            "Van fraude is sprake als te veel is ontvangen; opzet is daarvoor niet vereist.",
            "Gemeente Zuiderveen",
        ),
        ("Van recidive is sprake als binnen twee jaar opnieuw een overtreding volgt.", "VNG"),
        ("Onder fraude verstaan wij het doen of nalaten van iets om een voordeel te verkrijgen.", "UWV"),
    ]
    passages = [passage(t, agency=a, doc=a.lower().replace(" ", "-")) for t, a in texts]
    first = find_definitions(passages, fw)
    expected = [f.to_dict() for f in compare_definitions(first, fw)]
    for seed in range(5):
        shuffled = passages[:]
        random.Random(seed).shuffle(shuffled)
        again = find_definitions(shuffled, fw)
        assert again == first
        assert [f.to_dict() for f in compare_definitions(list(reversed(again)), fw)] == expected
    assert [f.details["term"] for f in compare_definitions(first, fw)] == ["fraude", "recidive"]


def test_definition_table_lists_every_agency_per_term(fw):
    found = two_agencies(
        fw,
        "Onder fraude verstaan wij het opzettelijk verstrekken van onjuiste informatie.",
        "verwijtbaarheid: de mate waarin een verwijt kan worden gemaakt;",
    )
    table = definition_table(found, fw)
    assert list(table) == ["fraude", "verwijtbaarheid"]
    row = table["fraude"][0]
    assert row["agency"] == "SVB" and row["aspects"] == ["intent_required"] and row["page"] == 3
    assert row["sentence"] == "Onder fraude verstaan wij het opzettelijk verstrekken van onjuiste informatie."
    assert table["verwijtbaarheid"][0]["aspects"] == []


def test_a_document_without_agency_is_named_by_its_file(fw):
    [d] = find_definitions(
        [passage("Fraude is het opzettelijk verzwijgen van inkomsten.", agency=None, doc="concept")], fw
    )
    assert d.agency is None and d.who == "concept.pdf"


# --- the framework's link from term to principle ----------------------------------------------------


def test_terms_link_to_principles(fw):
    links = {t.term: t.principle for t in fw.terms}
    for term in ("fraude", "fout", "vergissing", "opzet", "grove schuld", "verwijtbaarheid", "recidive"):
        assert links[term] == "passend_handhaven"
    assert (links["naleving"], links["handhaving"]) == ("vertrouwen", "dienstverlening")
    old = load_framework("koers-2022-2025")
    assert old.term("handhaving").principle is None  # the 2022 course has no principle dienstverlening
    for term in (*fw.terms, *old.terms):
        for aspect in term.aspects.values():
            assert aspect.label and aspect.description, term.term


MINIMAL = {
    "id": "eigen",
    "version": "1.0.0",
    "title": {"nl": "Eigen"},
    "principles": [
        {
            "id": "vertrouwen",
            "title": {"nl": "Vertrouwen"},
            "description": {"nl": "Uitgaan van vertrouwen."},
            "keywords": ["vertrouwen"],
            "examples": {"supports": ["a", "b", "c"]},
        }
    ],
}


def test_a_term_linked_to_an_unknown_principle_is_reported():
    data = {
        **MINIMAL,
        "terms": [{"term": "fraude", "principle": "vertrouwn", "aspects": {"x": {"cues": ["opzet"]}}}],
    }
    with pytest.raises(FrameworkError) as exc:
        validate_framework(data, "eigen.yaml")
    assert "terms[0].principle: unknown principle 'vertrouwn'; did you mean 'vertrouwen'?" in str(exc.value)


def test_an_aspect_label_is_a_few_words():
    long = "een label dat veel te lang is om in een zin van een rapport te passen, echt veel te lang"
    data = {**MINIMAL, "terms": [{"term": "fraude", "aspects": {"x": {"cues": ["opzet"], "label": long}}}]}
    with pytest.raises(FrameworkError) as exc:
        validate_framework(data, "eigen.yaml")
    assert "terms[0].aspects.x.label: must be at most 60 characters" in str(exc.value)


# --- the demo corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(fw):
    from aligncheck.manifest import load_manifest
    from aligncheck.pipeline import ingest_all

    result = ingest_all([], manifest=load_manifest(str(DEMO / "manifest.toml")))
    assert not result.failures
    passages = [p for doc in result.documents for p in doc.passages]
    definitions = find_definitions(passages, fw)
    return passages, definitions, compare_definitions(definitions, fw)


def by_term(findings):
    return {f.details["term"]: f for f in findings}


def test_demo_fraude_intent_required_at_svb_not_at_zuiderveen(demo):
    _, _, findings = demo
    fraude = by_term(findings)["fraude"]
    assert fraude.severity is Severity.HIGH and fraude.principle == "passend_handhaven"
    assert fraude.agencies == ("Gemeente Zuiderveen", "SVB", "UWV", "VNG")
    contrast = fraude.details["differs_on"][0]
    assert (contrast["aspect"], contrast["contrast"]) == ("intent_required", "intent_not_required")
    assert contrast["with"] == ["SVB", "VNG"] and contrast["contrast_with"] == ["Gemeente Zuiderveen"]
    assert "opzet vereist bij SVB en VNG, opzet niet vereist bij Gemeente Zuiderveen" in fraude.summary
    rows = {d["agency"]: d for d in fraude.details["definitions"]}
    assert rows["Gemeente Zuiderveen"]["sentence"].endswith("opzet is daarvoor niet vereist.")
    assert rows["SVB"]["sentence"].startswith("Onder fraude verstaan wij het opzettelijk verstrekken")


def test_demo_fraude_at_uwv_is_a_purpose_of_advantage_premeditation_irrelevant(demo):
    _, _, findings = demo
    fraude = by_term(findings)["fraude"]
    rows = {d["agency"]: d for d in fraude.details["definitions"]}
    assert rows["UWV"]["aspects"] == ["advantage_purpose", "premeditation_irrelevant"]
    assert rows["SVB"]["aspects"] == ["advantage_purpose", "intent_required"]
    diffs = {d["aspect"]: d for d in fraude.details["differs_on"]}
    assert (
        "UWV" in diffs["intent_required"]["without"]
    )  # SVB requires intent, UWV's definition does not say so
    assert (
        diffs["premeditation_irrelevant"]["with"] == ["UWV"]
        and "SVB" in diffs["premeditation_irrelevant"]["without"]
    )
    assert "intent_not_required" not in rows["UWV"]["aspects"]


def test_demo_definition_findings_are_the_planted_ones(demo):
    passages, definitions, findings = demo
    found = by_term(findings)
    assert sorted(found) == ["fout", "fraude", "recidive", "verwijtbaarheid"]
    assert [f.severity for f in findings] == [Severity.HIGH] + [Severity.MEDIUM] * 3
    assert all(f.kind is FindingKind.DEFINITION and f.principle == "passend_handhaven" for f in findings)
    # only fraude has contradicting definitions; everything else is a difference in what is said
    assert [
        f.details["term"] for f in findings for d in f.details["differs_on"] if d["kind"] == "contrast"
    ] == ["fraude"]

    verwijtbaarheid = {d["agency"]: d["aspects"] for d in found["verwijtbaarheid"].details["definitions"]}
    assert verwijtbaarheid == {"Gemeente Zuiderveen": ["presumed"], "SVB": ["graded"], "VNG": ["graded"]}
    assert [d["agency"] for d in found["verwijtbaarheid"].details["not_compared"]] == ["UWV"]

    recidive = {d["agency"]: d for d in found["recidive"].details["definitions"]}
    assert {a: r["values"] for a, r in recidive.items()} == {
        a: {"window_years": "5"} for a in ("Gemeente Zuiderveen", "NLA", "SVB", "UWV")
    }
    diffs = {d["aspect"]: d["with"] for d in found["recidive"].details["differs_on"]}
    assert diffs == {"same_obligation": ["NLA"], "warning_counts": ["SVB"], "higher_sanction": ["NLA"]}

    fout = found["fout"]
    assert fout.agencies == ("SVB", "UWV")
    # both correct a mistake (SVB "hersteld", UWV "terugvordering"); only SVB says it is not punished
    assert [(d["aspect"], d["with"]) for d in fout.details["differs_on"]] == [("no_sanction", ["SVB"])]

    # every definition quotes its passage, and no mere mention counts as one
    texts = {p.passage_id: p.text for p in passages}
    for d in definitions:
        assert d.sentence in texts[d.evidence.passage_id]
    assert not any("niet mag lonen" in d.sentence for d in definitions)
    assert not any(d.sentence.startswith("Onder verminderde verwijtbaarheid") for d in definitions)
    for f in findings:
        for e in f.evidence:
            assert e.note and e.agency in f.agencies and e.text == texts[e.passage_id]


def test_demo_table_per_term(demo, fw):
    _, definitions, _ = demo
    table = definition_table(definitions, fw)
    assert list(table)[:3] == ["fout", "vergissing", "fraude"]
    assert [row["agency"] for row in table["fraude"]] == ["Gemeente Zuiderveen", "SVB", "UWV", "VNG"]
    assert [row["agency"] for row in table["recidive"]] == ["Gemeente Zuiderveen", "NLA", "SVB", "UWV"]
    svb = next(row for row in table["fraude"] if row["agency"] == "SVB")
    assert svb["other_definitions"] == 1 and svb["page"] == 4


def test_contradicting_aspects_of_equal_weight_cancel_out():
    aspects = {
        "yes": {"cues": ["bewust"], "excludes": ["no"]},
        "no": {"cues": ["zomaar"], "excludes": ["yes"]},
    }
    custom = validate_framework({**MINIMAL, "terms": [{"term": "fraude", "aspects": aspects}]}, "eigen.yaml")
    assert find_aspects(custom.term("fraude"), "bewust of zomaar")[0] == ()
    assert find_aspects(custom.term("fraude"), "bewust, niet zomaar, maar bewust")[0] == ()
    assert find_aspects(custom.term("fraude"), "alleen bewust")[0] == ("yes",)
