"""Coverage levels, gaps, conflicts, divergences, shared text and diff on small constructed inputs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligncheck.compare import DocumentScores, coverage, depth_of, diff, shared_text
from aligncheck.findings import conflicts, coverage_divergences, gaps, rank
from aligncheck.frameworks import load_framework
from aligncheck.types import Document, FindingKind, Level, Passage, ScoredPassageRef, Severity

FW = load_framework("koers-2026-2029")
PIDS = FW.principle_ids
THRESHOLDS = {p: 0.5 for p in PIDS}


def doc(
    doc_id: str, agency: str, passages: list[tuple[str, dict[str, str], dict[str, float]]]
) -> DocumentScores:
    document = Document(
        doc_id=doc_id,
        path=f"{doc_id}.pdf",
        sha256=doc_id * 5 + "0000",
        format="pdf",
        blocks=(),
        title=f"Plan {agency}",
        agency=agency,
        pages=3,
    )
    refs = []
    for i, (text, labels, scores) in enumerate(passages):
        passage = Passage(
            doc_id,
            i,
            document.path,
            text,
            ("2 Visie",),
            0,
            len(text),
            1 + i,
            1 + i,
            agency=agency,
            title=document.title,
        )
        full = {p: 0.05 for p in PIDS} | scores
        refs.append(ScoredPassageRef(passage, full, labels))
    return DocumentScores(document, tuple(refs))


def test_depth_levels():
    assert depth_of("Vertrouwen is belangrijk voor de samenleving.")[0] is Level.MENTIONED
    assert depth_of("Wij gaan uit van vertrouwen in de burger.")[0] is Level.COMMITTED
    level, why = depth_of("Uiterlijk in 2027 heeft team Handhaving alle brieven herschreven.")
    assert level is Level.OPERATIONALISED and why.startswith(("owner", "timeline"))
    assert depth_of("Het aandeel begrijpelijke brieven stijgt naar 85%.")[0] is Level.OPERATIONALISED


def test_coverage_levels_near_misses_and_out_of_scope():
    d = doc(
        "aaaaaaaaaaaa",
        "NLA",
        [
            ("Vertrouwen is een groot goed.", {"vertrouwen": "supports"}, {"vertrouwen": 0.9}),
            (
                "Wij informeren werkgevers vooraf over de regels.",
                {"preventie": "supports"},
                {"preventie": 0.8, "maatwerk": 0.3},
            ),
            (
                "De inspectie selecteert bedrijven op risico en meet jaarlijks 20% van de sector.",
                {"risicogericht": "supports"},
                {"risicogericht": 0.95, "uniformiteit": 0.45},
            ),
        ],
    )
    cov = {c.principle: c for c in coverage(d, FW, THRESHOLDS)}
    assert cov["vertrouwen"].level is Level.MENTIONED
    assert cov["preventie"].level is Level.COMMITTED
    assert cov["risicogericht"].level is Level.OPERATIONALISED
    assert cov["maatwerk"].level is Level.OUT_OF_SCOPE  # NLA: labour-law domain
    assert cov["maatwerk"].reason
    assert cov["uniformiteit"].level is Level.ABSENT
    near = cov["uniformiteit"].near_misses
    assert (
        near[0].text.startswith("De inspectie selecteert")
        and abs(cov["uniformiteit"].shortfalls[0] - 0.05) < 1e-9
    )
    assert cov["risicogericht"].evidence[0].page == 3
    # beyond the closest passage, only those within reach of the threshold (0.5 here) are shown
    assert [e.text for e in near] == [
        "De inspectie selecteert bedrijven op risico en meet jaarlijks 20% van de sector."
    ]
    assert [e.text for e in cov["maatwerk"].near_misses] == []  # out of scope: no near misses at all


def test_gap_and_conflict_findings():
    d = doc(
        "bbbbbbbbbbbb",
        "Gemeente Zuiderveen",
        [
            (
                "Iedere schending wordt beboet, ook zonder benadeling.",
                {"passend_handhaven": "conflicts"},
                {"passend_handhaven": 0.92},
            ),
            ("Vertrouwen is een groot goed.", {"vertrouwen": "supports"}, {"vertrouwen": 0.9}),
        ],
    )
    cov = coverage(d, FW, THRESHOLDS)
    found = gaps(cov, FW, {"bbbbbbbbbbbb": "Plan"}) + conflicts([d], FW)
    conflict = [f for f in found if f.kind is FindingKind.CONFLICT]
    assert (
        len(conflict) == 1
        and conflict[0].severity is Severity.HIGH
        and conflict[0].principle == "passend_handhaven"
    )
    assert conflict[0].evidence[0].stance == "conflicts" and conflict[0].evidence[0].page == 1
    gap_levels = {f.principle: f.details["level"] for f in found if f.kind is FindingKind.GAP}
    assert gap_levels["vertrouwen"] == "mentioned" and gap_levels["ai_data"] == "absent"
    assert "passend_handhaven" in gap_levels  # a conflict alone does not cover a principle
    ranked = rank(found)
    assert ranked[0].severity is Severity.HIGH and ranked == rank(reversed(found))  # deterministic


def test_a_conflict_whose_stance_is_a_coin_flip_is_low_and_says_so():
    """Conflicts called with a stance probability under STANCE_DOUBT are about a coin flip: the
    finding is low, its summary says the stance is uncertain, and a clear passage leads when there is one."""
    from dataclasses import replace

    from aligncheck.types import STANCE_DOUBT

    def with_stance(d: DocumentScores, probabilities: list[float], pid: str) -> DocumentScores:
        refs = tuple(
            replace(r, conflict_scores={pid: p}) for r, p in zip(d.passages, probabilities, strict=True)
        )
        return DocumentScores(d.document, refs)

    rows = [
        ("Een geselecteerd dossier gaat direct naar controle.", {"ai_data": "conflicts"}, {"ai_data": 0.95}),
        ("Wij toetsen het model niet op vooringenomenheid.", {"ai_data": "conflicts"}, {"ai_data": 0.7}),
    ]
    unsure = with_stance(doc("cccccccccccc", "UWV", rows[:1]), [STANCE_DOUBT - 0.07], "ai_data")
    (finding,) = conflicts([unsure], FW)
    assert finding.severity is Severity.LOW and finding.details["stance_uncertain"]
    assert "mogelijk in tegen" in finding.summary and "onzeker (kans op strijdigheid 0.53)" in finding.summary
    assert "uncertain (probability of conflict 0.53)" in finding.summary_en
    assert finding.evidence[0].conflict_score == STANCE_DOUBT - 0.07
    assert finding.evidence[0].to_dict()["conflict_score"] == STANCE_DOUBT - 0.07

    mixed = with_stance(doc("cccccccccccc", "UWV", rows), [0.52, 0.9], "ai_data")
    (finding,) = conflicts([mixed], FW)
    # the clear passage leads (though it addresses the principle less surely) and sets the severity
    assert finding.severity is Severity.MEDIUM and not finding.details["stance_uncertain"]
    assert [e.conflict_score for e in finding.evidence] == [0.9, 0.52]
    assert "onzeker" not in finding.summary


def test_a_conflict_only_the_against_model_found_is_low_and_says_so():
    """A passage below the presence threshold that the against model alone labels `conflicts` is
    right about half the time: the finding is low and says why, however sure its stance."""
    from dataclasses import replace

    rows = [("Naast de boete wordt alles teruggevorderd.", {"preventie": "conflicts"}, {"preventie": 0.37})]
    plain = doc("dddddddddddd", "Gemeente X", rows)
    sure = DocumentScores(
        plain.document, tuple(replace(r, conflict_scores={"preventie": 0.9}) for r in plain.passages)
    )
    (clear,) = conflicts([sure], FW)
    assert clear.severity is Severity.MEDIUM and not clear.details["stance_uncertain"]
    weak = DocumentScores(
        sure.document, tuple(replace(r, against_only=frozenset({"preventie"})) for r in sure.passages)
    )
    assert weak.passages[0].doubtful_conflict("preventie")
    assert not weak.passages[0].doubtful_conflict("vertrouwen")
    (finding,) = conflicts([weak], FW)
    assert finding.severity is Severity.LOW and finding.details["stance_uncertain"]
    assert "alleen het model voor strijdigheid" in finding.summary and "(score 0.37)" in finding.summary
    assert "only the model for conflicts found this" in finding.summary_en
    assert "kans op strijdigheid" not in finding.summary


def test_divergence_levels_and_stances():
    svb = doc(
        "cccccccccccc",
        "SVB",
        [
            (
                "Uiterlijk in 2027 toetsen wij elk risicomodel op bias; de functionaris gegevensbescherming ziet toe.",
                {"ai_data": "supports"},
                {"ai_data": 0.95},
            ),
            ("Wij gaan uit van vertrouwen in de burger.", {"vertrouwen": "supports"}, {"vertrouwen": 0.9}),
        ],
    )
    gem = doc(
        "dddddddddddd",
        "Gemeente Zuiderveen",
        [
            (
                "Bij iedere aanvraag volgt een huisbezoek, ook zonder aanleiding.",
                {"vertrouwen": "conflicts"},
                {"vertrouwen": 0.85},
            ),
        ],
    )
    cov = coverage(svb, FW, THRESHOLDS) + coverage(gem, FW, THRESHOLDS)
    found = coverage_divergences(cov, [svb, gem], FW)
    stance = [f for f in found if f.details["type"] == "stance"]
    assert [(f.principle, f.details["supports"], f.details["conflicts"]) for f in stance] == [
        ("vertrouwen", ["SVB"], ["Gemeente Zuiderveen"])
    ]
    assert [e.agency for e in stance[0].evidence] == ["SVB", "Gemeente Zuiderveen"]
    levels = [f for f in found if f.details["type"] == "coverage"]
    assert any(
        f.principle == "ai_data"
        and f.details["levels"] == {"Gemeente Zuiderveen": "absent", "SVB": "operationalised"}
        for f in levels
    )
    assert len([f for f in levels if f.principle == "ai_data"]) == 1


def test_doubtful_conflicts_are_counted_apart_and_named_as_uncertain():
    """An agency whose only conflicting passages have a stance close to a coin flip is named as a
    possible opponent: the stance divergence says so (and is low when no agency goes clearly against
    the principle), the coverage counts such passages apart, and so does the gap."""
    from dataclasses import replace

    support = ("Wij gaan uit van vertrouwen in de burger.", {"vertrouwen": "supports"}, {"vertrouwen": 0.9})
    against = ("Bij iedere aanvraag volgt een huisbezoek.", {"vertrouwen": "conflicts"}, {"vertrouwen": 0.85})

    def opposer(doc_id: str, agency: str, stance: float) -> DocumentScores:
        d = doc(doc_id, agency, [against])
        return DocumentScores(
            d.document, tuple(replace(r, conflict_scores={"vertrouwen": stance}) for r in d.passages)
        )

    svb = doc("cccccccccccc", "SVB", [support])
    unsure = opposer("dddddddddddd", "UWV", 0.52)
    sure = opposer("eeeeeeeeeeee", "Gemeente Zuiderveen", 0.93)

    def stance_divergence(docs: list[DocumentScores]):
        cov = [c for d in docs for c in coverage(d, FW, THRESHOLDS)]
        (found,) = [f for f in coverage_divergences(cov, docs, FW) if f.details["type"] == "stance"]
        return cov, found

    cov, only_unsure = stance_divergence([svb, unsure])
    assert only_unsure.severity is Severity.LOW
    assert only_unsure.details["conflicts_uncertain"] == ["UWV"] == only_unsure.details["conflicts"]
    assert "passages van UWV er mogelijk tegenin gaan (houding onzeker" in only_unsure.summary
    assert "may go against it (stance uncertain" in only_unsure.summary_en
    (uwv,) = [c for c in cov if c.agency == "UWV" and c.principle == "vertrouwen"]
    assert (uwv.conflicting, uwv.conflicting_uncertain) == (1, 1)
    assert uwv.to_dict()["conflicting_uncertain"] == 1
    (gap,) = [f for f in gaps([uwv], FW, {}) if f.principle == "vertrouwen"]
    assert "1 passage(s) gaan er mogelijk tegenin (houding onzeker)" in gap.summary

    cov, both = stance_divergence([svb, unsure, sure])
    assert both.severity is Severity.HIGH
    assert both.details["conflicts"] == ["Gemeente Zuiderveen", "UWV"]
    assert both.details["conflicts_uncertain"] == ["UWV"]
    assert (
        "terwijl passages van Gemeente Zuiderveen ertegenin gaan en die van UWV mogelijk (houding onzeker)."
        in both.summary
    )
    # the clear opponent's passage comes before the doubtful one
    assert [e.agency for e in both.evidence] == ["SVB", "Gemeente Zuiderveen", "UWV"]
    (gem,) = [c for c in cov if c.agency == "Gemeente Zuiderveen" and c.principle == "vertrouwen"]
    assert (gem.conflicting, gem.conflicting_uncertain) == (1, 0)
    (gap,) = [f for f in gaps([gem], FW, {}) if f.principle == "vertrouwen"]
    assert "1 passage(s) gaan ertegenin (zie strijdig)" in gap.summary


def test_shared_boilerplate_across_documents():
    text = "Het college hanteert bij de handhaving van de Participatiewet de uitgangspunten van de landelijke handhavingskoers en werkt samen met de ketenpartners in de regio."
    a = doc(
        "eeeeeeeeeeee",
        "Gemeente A",
        [
            (text, {}, {}),
            ("Eigen tekst van gemeente A over iets heel anders dan de rest van dit plan.", {}, {}),
        ],
    )
    b = doc("ffffffffffff", "Gemeente B", [(text.replace("regio.", "regio West."), {}, {})])
    shared = shared_text([a, b])
    assert len(shared) == 1
    assert {e.doc_id for e in shared[0].passages} == {"eeeeeeeeeeee", "ffffffffffff"}


def test_shared_groups_each_carry_their_own_lowest_similarity():
    from aligncheck.compare import _shingles

    first = (
        "Het college hanteert bij de handhaving van de Participatiewet de uitgangspunten van de landelijke "
        "handhavingskoers en werkt samen met alle ketenpartners in de regio en met de inwoners zelf."
    )
    second = (
        "Bij een vermoeden van fraude voert de afdeling eerst een gesprek met de inwoner en legt zij de "
        "uitkomst schriftelijk vast voordat een besluit tot terugvordering of een boete wordt genomen."
    )
    variants = [first, first.replace("zelf.", "zelf in de gemeente."), second, second + " Altijd."]
    docs = [
        doc("a" * 12, "Gemeente A", [(variants[0], {}, {}), (variants[2], {}, {})]),
        doc("b" * 12, "Gemeente B", [(variants[1], {}, {}), (variants[3], {}, {})]),
        doc("c" * 12, "Gemeente C", [(variants[0], {}, {})]),
    ]

    def jaccard(x: str, y: str) -> float:
        a, b = _shingles(x), _shingles(y)
        return len(a & b) / len(a | b)

    shared = shared_text(docs)
    assert [[e.text for e in s.passages] for s in shared] == [
        [variants[0], variants[1], variants[0]],
        [variants[2], variants[3]],
    ]
    assert [s.similarity for s in shared] == [
        jaccard(variants[0], variants[1]),
        jaccard(variants[2], variants[3]),
    ]
    assert shared[0].similarity != shared[1].similarity


def test_diff_gained_lost_weakened():
    old = doc(
        "111111111111",
        "SVB",
        [
            ("Wij gaan uit van vertrouwen in de burger.", {"vertrouwen": "supports"}, {"vertrouwen": 0.9}),
            (
                "Wij bellen klanten op voordat er een terugvordering ontstaat.",
                {"preventie": "supports"},
                {"preventie": 0.9},
            ),
        ],
    )
    new = doc(
        "222222222222",
        "SVB",
        [
            (
                "Wij bellen klanten op voordat er een terugvordering ontstaat.",
                {"preventie": "supports"},
                {"preventie": 0.9},
            ),
            (
                "Uiterlijk in 2027 toetsen wij elk risicomodel op bias.",
                {"ai_data": "supports"},
                {"ai_data": 0.9},
            ),
            ("Elke afwijking wordt als fraude behandeld.", {"vertrouwen": "conflicts"}, {"vertrouwen": 0.8}),
        ],
    )
    changes = {c.principle: c for c in diff(old, new, FW, THRESHOLDS)}
    assert changes["vertrouwen"].change == "lost"
    assert [e.text for e in changes["vertrouwen"].went] == ["Wij gaan uit van vertrouwen in de burger."]
    assert changes["vertrouwen"].new_conflicts[0].text.startswith("Elke afwijking")
    assert changes["ai_data"].change == "gained" and changes["ai_data"].appeared[0].page == 2
    assert changes["preventie"].change == "unchanged"  # the passage moved but did not change


def test_near_gap_is_medium_and_definition_lines_are_no_near_misses():
    d = doc(
        "333333333333",
        "UWV",
        [
            ("Wij horen de klant voordat wij een boete opleggen.", {}, {"rechtsstaat": 0.45}),
            ("hoor en wederhoor: het horen van de klant;", {}, {"rechtsstaat": 0.9}),
        ],
    )
    refs = (
        d.passages[0],
        ScoredPassageRef(d.passages[1].passage, d.passages[1].scores, {}, (), claims=False),
    )
    d = DocumentScores(d.document, refs)
    cov = {c.principle: c for c in coverage(d, FW, THRESHOLDS)}
    assert [e.text for e in cov["rechtsstaat"].near_misses][:1] == [
        "Wij horen de klant voordat wij een boete opleggen."
    ]
    gap = next(f for f in gaps(list(cov.values()), FW, {}) if f.principle == "rechtsstaat")
    assert gap.severity is Severity.MEDIUM and "Mogelijk anders verwoord" in gap.summary


def test_a_principle_named_but_not_addressed_is_a_gap_that_points_to_the_naming_passage():
    """The word that names a principle, in a passage the model does not read as addressing it (a list
    of pillars, or the word in another sense): still a gap of the same severity, but the summary does
    not say the plan pays no attention to it, and the passage is among the near misses."""
    d = doc(
        "444444444444",
        "Gemeente Zuiderveen",
        [
            ("De aanvraag wordt binnen acht weken afgehandeld.", {}, {"dienstverlening": 0.3}),
            (
                "Wij kiezen voor vier pijlers, waaronder optimale dienstverlening.",
                {},
                {"dienstverlening": 0.1},
            ),
            ("Een preventieve werking gaat uit van een hoge boete.", {}, {"preventie": 0.2}),
            ("Dienstverlening in de wijk.", {"dienstverlening": "conflicts"}, {"maatwerk": 0.1}),
        ],
    )
    d_without_conflict = DocumentScores(d.document, d.passages[:3])
    cov = {c.principle: c for c in coverage(d_without_conflict, FW, THRESHOLDS)}
    service = cov["dienstverlening"]
    assert service.level is Level.ABSENT and service.named == "dienstverlening"
    assert [(e.text[:18], e.note) for e in service.near_misses] == [
        ("De aanvraag wordt ", "bijna"),
        ("Wij kiezen voor vi", "names: dienstverlening"),
    ]
    assert service.shortfalls == pytest.approx((0.2, 0.4))
    assert service.to_dict()["named"] == "dienstverlening"
    assert cov["preventie"].named == "preventieve"  # the false friend too: a reviewer decides
    # the nearest passage that names it is marked, not shown twice
    assert [e.note for e in cov["preventie"].near_misses] == ["names: preventieve"]
    assert cov["vertrouwen"].named is None and cov["vertrouwen"].to_dict()["named"] is None
    found = {f.principle: f for f in gaps(list(cov.values()), FW, {})}
    assert found["dienstverlening"].severity is Severity.HIGH
    assert found["dienstverlening"].summary.startswith(
        "Gemeente Zuiderveen werkt 'Handhaving als onderdeel van dienstverlening' in dit plan nergens uit."
    )
    assert "Het woord 'dienstverlening' komt wel voor (p. 2)" in found["dienstverlening"].summary
    assert "The word 'dienstverlening' does occur (p. 2)" in found["dienstverlening"].summary_en
    assert found["vertrouwen"].summary.startswith(
        "Volgens het model gaat geen passage van Gemeente Zuiderveen in dit plan over 'Uitgaan van vertrouwen'."
    )
    # a passage labelled for the principle (here: against it) does not count as merely naming it
    with_conflict = {c.principle: c for c in coverage(d, FW, THRESHOLDS)}
    assert with_conflict["dienstverlening"].named == "dienstverlening"
    assert all(
        "Dienstverlening in de wijk" not in e.text for e in with_conflict["dienstverlening"].near_misses
    )


def test_table_header_rows_carry_no_claims():
    from aligncheck.pipeline import is_table_header
    from aligncheck.types import PassageKind

    def row(i: int, text: str) -> Passage:
        return Passage(
            "444444444444", i, "x.pdf", text, ("6 Boete",), 0, len(text), 10, 10, kind=PassageKind.TABLE
        )

    header = row(0, "Mate van verwijtbaarheid | Boete (percentage van het benadelingsbedrag) | Toelichting")
    body = row(1, "Opzet | 100% | Bewust onjuist informeren")
    assert is_table_header(header, None)
    assert not is_table_header(body, header)  # a later row of the same table
    assert not is_table_header(row(0, "Schending met benadeling | Boete van 100%"), None)  # figures: a row


def test_bare_cover_lines_carry_no_claims():
    from aligncheck.pipeline import is_cover_line
    from aligncheck.types import PassageKind

    def passage(
        text: str, section: tuple[str, ...] = (), kind: PassageKind = PassageKind.TEXT, page: int = 2
    ) -> Passage:
        return Passage("555555555555", 0, "x.pdf", text, section, 0, len(text), page, page, kind=kind)

    assert is_cover_line(passage("Vereniging van Nederlandse Gemeenten"))
    assert is_cover_line(passage("Handhavingsplan Participatiewet 2026-2029"))
    # under the cover's title, taken for a heading
    assert is_cover_line(passage("UWV", ("Uitvoeringsinstituut Werknemersverzekeringen",), page=1))
    # a sentence, text under a heading after the cover, a longer line or a table row: read as usual
    assert not is_cover_line(passage("Wij gaan uit van vertrouwen."))
    assert not is_cover_line(passage("Uitgaan van vertrouwen", ("2 Visie",)))
    assert not is_cover_line(passage("Dit plan beschrijft hoe de gemeente de komende vier jaar handhaaft"))
    assert not is_cover_line(passage("Opzet | 100%", kind=PassageKind.TABLE))


def _depth_by_every_cue(text: str) -> tuple[Level, str | None]:
    """depth_of as it was written first: every cue looked for with count_phrase."""
    from aligncheck.compare import _level_cues
    from aligncheck.score.features import count_phrase, tokens_of

    tokens = tokens_of(text)

    def first(block):  # type: ignore[no-untyped-def]
        for cue in block[0]:
            if count_phrase(tokens, cue):
                return " ".join(cue)
        for pattern in block[1]:
            if found := pattern.search(text):
                return found.group(0)
        return None

    cues = _level_cues()
    for kind, block in cues.operational.items():
        if found := first(block):
            return Level.OPERATIONALISED, f"{kind}: {found}"
    if found := first(cues.committed):
        return Level.COMMITTED, f"commitment: {found}"
    return Level.MENTIONED, None


def test_depth_of_finds_what_every_cue_finds(gold):
    texts = [g.text for g in gold]
    assert {depth_of(t)[0] for t in texts} == set(Level) - {Level.ABSENT, Level.OUT_OF_SCOPE}
    assert [depth_of(t) for t in texts] == [_depth_by_every_cue(t) for t in texts]


@given(
    st.lists(st.text("abcdeé", min_size=1, max_size=10), max_size=8),
    st.text("abcdeé", min_size=1, max_size=10),
)
def test_matchable_words_are_the_words_count_phrase_matches(tokens, word):
    from aligncheck.score.features import count_phrase, matchable_words

    assert (word in matchable_words(tokens)) == (count_phrase(tokens, (word,)) > 0)
