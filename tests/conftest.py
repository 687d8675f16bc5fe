"""Shared fixtures: small documents with known content, built once per test session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pdfkit import PlanPdf  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

BODY = (
    "Wij gaan uit van vertrouwen in de inwoner. De meeste mensen willen de regels naleven en doen "
    "dat ook. Daarom investeren wij in preventie: duidelijke brieven, een persoonlijk gesprek bij de "
    "aanvraag en een belronde voordat de eerste uitkering wordt betaald. Zo voorkomen we dat "
    "vergissingen uitgroeien tot terugvorderingen en hoge schulden."
)
HYPHENATED = (
    "Onze klantmanagers bespreken de handha\u00advingsvraagstukken met de ketenpartners en de "
    "ICT-systemen worden aangepast aan de wet- en regelgeving. De samenwerkingsafspraken met de "
    "gemeentelijke kredietbank zijn vast\u00adgelegd in een convenant met heldere werkprocessen."
)


@pytest.fixture(scope="session")
def gold():
    """Every third labelled passage: enough of each principle, fast to train on."""
    from aligncheck.frameworks import load_framework
    from aligncheck.score.gold import load_gold

    items = load_gold([REPO / "corpora" / "labelled"], load_framework("koers-2026-2029").principle_ids)
    return items[::3]


@pytest.fixture(scope="session")
def fake_model(tmp_path_factory: pytest.TempPathFactory, gold) -> Path:
    """A scorer trained with the fake embedder: real code paths, test speed."""
    from aligncheck.frameworks import load_framework
    from aligncheck.score import train_scorer
    from aligncheck.score.train import TrainSettings

    folder = tmp_path_factory.mktemp("model") / "koers-2026-2029@fake"
    model = train_scorer(gold, load_framework("koers-2026-2029"), "fake", None, TrainSettings(folds=3))
    model.set_training_texts([g.text for g in gold])
    model.save(folder)
    return folder


@pytest.fixture(scope="session")
def hostile_batch(tmp_path_factory: pytest.TempPathFactory, fake_model: Path) -> Path:
    """`batch` on two plans full of hostile text, with the fake-embedder model: the output folder."""
    from click.testing import CliRunner
    from hostile import write_hostile_plans

    from aligncheck.cli import cli

    root = tmp_path_factory.mktemp("hostile")
    plans = write_hostile_plans(root / "plans")
    out = root / "out"
    result = CliRunner().invoke(
        cli,
        ["batch", str(plans), "-o", str(out), "--model", str(fake_model), "--cache", str(root / "cache")],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def plan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A six-page plan: cover, contents, chapters with a footnote, a list, a table, a two-column
    page, running headers and footers, and hyphenated words."""
    p = PlanPdf()
    p.page()
    p.heading("Handhavingsplan Gemeente Testdorp 2026-2029", 22)
    p.para("Vastgesteld door het college van burgemeester en wethouders op 1 maart 2026", align="L")
    p.page()
    p.toc([("1 Inleiding", 3), ("1.1 Aanleiding", 3), ("2 Visie op handhaving", 3), ("3 Sanctionering", 4)])
    p.page()
    p.heading("1 Inleiding")
    p.para(BODY)
    p.heading("1.1 Aanleiding", 13)
    p.para_with_footnote(
        "Het kabinet heeft een nieuwe handhavingskoers vastgesteld.",
        "1",
        " Daarin staat vertrouwen voorop en artikel 17 Participatiewet blijft gelden, zoals sinds 2015.",
    )
    p.footnote("1 Kamerstukken II 2025/26, 17050, nr. 640.")
    p.para("Wij doen daarom het volgende:")
    p.bullets(
        [
            "wij informeren inwoners actief over hun plichten en rechten bij de aanvraag van een uitkering;",
            "wij bellen bij twijfel eerst op voordat wij een onderzoek starten.",
        ]
    )
    p.heading("2 Visie op handhaving")
    p.para(HYPHENATED, width=75)
    p.page()
    p.heading("3 Sanctionering")
    p.table(
        [
            ("Overtreding", "Eerste keer", "Herhaling"),
            (
                "Inlichtingenplicht zonder benadeling",
                "Waarschuwing",
                "Boete van 25 procent van het benadelingsbedrag",
            ),
            ("Inlichtingenplicht met benadeling", "Boete van 50 procent", "Boete van 100 procent"),
        ]
    )
    p.para(BODY.replace("vertrouwen", "begrip"))
    p.page()
    p.heading("4 Samenwerking")
    left = " ".join(f"Links {i}: wij werken met het UWV en de SVB samen in de keten." for i in range(14))
    right = " ".join(
        f"Rechts {i}: het RIEC helpt bij de aanpak van ondermijning in de regio." for i in range(14)
    )
    p.columns(left, right)
    p.page()
    p.heading("5 Monitoring en evaluatie")
    p.para("Wij evalueren het plan jaarlijks en passen het aan waar de praktijk daarom vraagt.")
    return p.save(tmp_path_factory.mktemp("pdf") / "plan.pdf")
