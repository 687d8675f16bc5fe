"""Negation-scope features of the scorer: a sanction or strictness word under a negation is counted
apart from the same word stated plainly, so "geen boete" and "altijd een boete" differ."""

from __future__ import annotations

import numpy as np

from aligncheck.score.features import SCOPE_NAMES, scope_counts


def scope(text: str) -> dict[str, float]:
    row = scope_counts([text])[0]
    return {name.split(".", 1)[1]: float(v) for name, v in zip(SCOPE_NAMES, row, strict=True) if v}


def test_negated_sanction_is_told_from_a_plain_one():
    assert set(scope("Wij behandelen een vergissing niet als fraude.")) >= {"sanction_negated"}
    assert "sanction_plain" not in scope("Wij behandelen een vergissing niet als fraude.")
    plain = scope("Wie een wijziging te laat doorgeeft, krijgt altijd een boete.")
    assert {"sanction_plain", "strict_plain"} <= set(plain) and "sanction_negated" not in plain


def test_negation_stops_at_a_clause_break():
    found = scope("Wij geven geen uitleg, maar een boete volgt.")
    assert "sanction_plain" in found and "sanction_negated" not in found


def test_negated_leniency_reads_apart():
    assert "lenient_negated" in scope("Het college houdt geen rekening met schulden.")
    assert "lenient_plain" in scope("Het college houdt rekening met schulden.")


def test_without_a_ground_and_its_double_negation():
    assert set(scope("Het huisbezoek vindt plaats zonder redelijke grond.")) == {"without_ground"}
    double = scope("Geen boete zonder verwijtbaarheid.")
    assert "without_ground_negated" in double and "without_ground" not in double


def test_counts_are_log_scaled_and_empty_text_is_zero():
    rows = scope_counts(["", "boete boete boete"])
    assert not rows[0].any()
    assert np.isclose(rows[1][SCOPE_NAMES.index("scope.sanction_plain")], np.log1p(3))


def test_dense_stance_model_is_saved_and_used(fake_model, gold):
    from aligncheck.embed import embed_texts, load_embedder
    from aligncheck.score.model import ScorerModel

    model = ScorerModel.load(fake_model)
    assert model.stance is not None and model.stance_dense is not None
    w = model.stance_lexical_weight
    assert 0.0 < w < 1.0
    texts = [g.text for g in gold[:20]]
    x = model.features(texts, embed_texts(load_embedder("fake"), texts, None))
    assert model.stance_dense.coef.shape[0] == x.dense.shape[1]
    expected = w * model.stance.proba(x.lexical) + (1 - w) * model.stance_dense.proba(x.dense)
    assert np.allclose(model.conflict_proba(x), expected)
    scored = model.score(texts, embed_texts(load_embedder("fake"), texts, None))
    # each principle mixes the shared stance with its own against / presence reading
    first = model.principles[0]
    assert 0.0 < model.stance_shared_weight < 1.0 and first.against is not None
    presence, against = first.presence_proba(x), first.against_proba(x)
    mixed = model.stance_shared_weight * expected + (1 - model.stance_shared_weight) * np.minimum(
        1.0, against / presence
    )
    assert np.allclose([s.conflict_scores[first.principle] for s in scored], mixed, atol=1e-4)
    assert not np.allclose(mixed, expected, atol=1e-3)


def test_a_negation_later_in_the_clause_takes_back_leniency_and_sanctions():
    # Dutch negates the verb after its subject: "een waarschuwing ... past niet"
    rejected = scope(
        "Het geven van een waarschuwing in plaats van een boete past niet bij de lijn van het college."
    )
    assert {"lenient_negated_after", "sanction_negated_after"} <= set(rejected)
    assert "sanction_negated_after" in scope("Een boete is hier niet aan de orde.")
    assert "lenient_negated_after" in scope("Een beroep op een vergissing wordt niet gehonoreerd.")


def test_a_later_negation_stops_at_its_clause_and_sentence():
    # the negation belongs to the condition ("als ... geen"), or to the next sentence
    assert "lenient_negated_after" not in scope(
        "Een waarschuwing is mogelijk als de klant geen eerdere boete had."
    )
    assert "lenient_negated_after" not in scope("Wij geven een waarschuwing. Een boete volgt niet.")
    assert "lenient_negated" not in scope("Wij leggen geen boete op. Een waarschuwing volgt.")


def test_negated_safeguards_before_and_after():
    assert "safeguard_negated_after" in scope(
        "Een toets op vooringenomenheid van het model voeren wij niet uit."
    )
    assert "safeguard_negated" in scope("Voor het model is geen dpia gemaakt.")
    kept = scope("Een medewerker beoordeelt elk signaal voordat er contact met de klant wordt opgenomen.")
    assert not {"safeguard_negated", "safeguard_negated_after"} & set(kept)
