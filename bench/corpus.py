"""A scalable benchmark corpus: N enforcement plans rendered as PDFs from the demo sources.

Each plan is one of the demo sources (corpora/demo/src/*.md) rendered by corpora/demo/build.py, with
the same layout (cover, contents, running headers and footers, two-column pages, tables, footnotes,
hyphenation), varied deterministically per plan so that plans do not share their passages and the
embedding cache is not hit across plans: another agency name, other figures, the sentences of each
paragraph in another order, and a few Dutch word choices swapped. The same (pages, version) gives the
same files on every machine; a generated corpus is kept and reused."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import os
import random
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import platformdirs

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "corpora" / "demo"
VERSION = 1
"""Bump when the variation changes: a kept corpus of another version is not reused."""

_PLACES = (
    "Aalburg Beekveld Dijkum Eemstein Feerwolde Gastendam Heuvelrade Ijsselwoude Kampvoort Lindewaard "
    "Meerhoven Noordbroek Oosterzande Polderwijk Rijnsaten Steenvliet Terbrugge Uithoorn Veenhuizen "
    "Westerkade Zandbergen Zuidermeer Holtveen Brakeloo Drieborg Elsloo Grevenhorst Kruisdonk"
).split()
_SWAPS = (
    ("inwoners", "burgers"),
    ("klanten", "cliënten"),
    ("daarom", "om die reden"),
    ("belangrijk", "van belang"),
    ("samenwerking", "samenwerken"),
    ("bijvoorbeeld", "onder meer"),
    ("ook", "eveneens"),
    ("jaarlijks", "ieder jaar"),
    ("direct", "meteen"),
)
"""Word choices swapped in some plans (each pair one way or the other, chosen per plan)."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_NUMBER = re.compile(r"(?<![\d.,/-])\b(\d{1,3}(?:\.\d{3})*|\d+)\b(?![.,/-]?\d)")


def build_module() -> ModuleType:
    """corpora/demo/build.py, imported as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("aligncheck_demo_build", DEMO / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def sources() -> list[Path]:
    """The demo sources, all rendered as PDF (the DOCX one too)."""
    return sorted(p for p in (DEMO / "src").glob("*.md") if p.name != "FORMAT.md")


def fingerprint() -> str:
    """Of everything that decides the corpus: this file, the renderer and the sources."""
    digest = hashlib.sha256(f"v{VERSION}".encode())
    for path in [Path(__file__), DEMO / "build.py", *sources()]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def default_root() -> Path:
    return Path(os.environ.get("ALIGNCHECK_BENCH_CORPUS") or platformdirs.user_cache_dir("aligncheck-bench"))


def vary(plan: object, index: int, build: ModuleType) -> object:
    """A deterministic variant of a parsed plan: plan number `index`."""
    rng = random.Random(f"aligncheck-bench-{index}")
    plan = copy.deepcopy(plan)
    meta = plan.meta  # type: ignore[attr-defined]
    place = f"{rng.choice(_PLACES)}{'' if index < len(_PLACES) else f' {index // len(_PLACES) + 1}'}"
    old_agency = meta.get("agency", "")
    new_agency = f"{old_agency} {place}" if old_agency else place
    swaps = [(a, b) if rng.random() < 0.5 else (b, a) for a, b in _SWAPS if rng.random() < 0.6]
    factor = rng.choice((0.6, 0.75, 0.9, 1.1, 1.25, 1.4, 1.7))

    def text(value: str) -> str:
        if old_agency:
            value = value.replace(old_agency, new_agency)
        for a, b in swaps:
            value = re.sub(rf"\b{a}\b", b, value)
        return _NUMBER.sub(lambda m: _scaled(m.group(1), factor), value)

    def paragraph(value: str) -> str:
        sentences = _SENTENCE.split(value)
        last = [sentences.pop()] if value.rstrip().endswith(":") else []  # it introduces a list
        rng.shuffle(sentences)
        return text(" ".join(sentences + last))

    def walk(blocks: list) -> None:
        for block in blocks:
            if block.kind == "para":
                block.text = paragraph(block.text)
            elif block.kind in ("bullets", "numbers"):
                block.items = [text(item) for item in block.items]
            elif block.kind == "table":
                block.rows = [[text(cell) for cell in row] for row in block.rows]
            elif block.kind == "columns":
                walk(block.blocks)

    walk(plan.blocks)  # type: ignore[attr-defined]
    for key in ("title", "subtitle", "header", "agency"):
        if key in meta:
            meta[key] = meta[key].replace(old_agency, new_agency) if old_agency else meta[key]
    meta["format"] = "pdf"
    # footnotes are numbered in order of first reference, as build.py does
    plan.note_numbers = {}  # type: ignore[attr-defined]
    for value in build.iter_texts(plan.blocks):  # type: ignore[attr-defined]
        for label in build.RE_NOTE_REF.findall(value):
            plan.note_numbers.setdefault(label, len(plan.note_numbers) + 1)  # type: ignore[attr-defined]
    return plan


def _scaled(number: str, factor: float) -> str:
    value = int(number.replace(".", ""))
    if 1990 <= value <= 2040 or value < 10:  # years, article numbers, small counts stay
        return number
    scaled = max(10, round(value * factor))
    return f"{scaled:,}".replace(",", ".") if "." in number else str(scaled)


def _render(job: tuple[int, str, str]) -> tuple[str, int, str, str]:
    index, source, out = job
    build = build_module()
    plan = vary(build.parse_plan(Path(source)), index, build)
    pages = build.render_pdf(plan, Path(out), build.find_fonts())
    return out, pages, plan.meta.get("agency", ""), plan.meta["title"]  # type: ignore[attr-defined]


def generate(pages: int, root: Path | None = None, workers: int | None = None) -> Path:
    """A folder of plans with at least `pages` pages in all (at least one plan), with a manifest.toml
    and corpus.json (plans, pages). Reused when it exists."""
    folder = (root or default_root()) / f"corpus-{pages}p-{fingerprint()}"
    if (folder / "corpus.json").exists():
        return folder
    build = build_module()
    build.find_fonts()  # fails early, with the install hint, when the fonts are missing
    srcs = sources()
    per_plan = 13  # the demo plans have 11 to 14 pages
    count = max(1, -(-pages // per_plan))
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(k, str(srcs[k % len(srcs)]), str(folder / f"plan-{k:04d}.pdf")) for k in range(count)]
    done: list[tuple[str, int, str, str]] = []
    total = 0
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for result in pool.map(_render, jobs):
            done.append(result)
            total += result[1]
    while total < pages:  # the variants came out shorter than the estimate: add plans
        k = len(done)
        done.append(_render((k, str(srcs[k % len(srcs)]), str(folder / f"plan-{k:04d}.pdf"))))
        total += done[-1][1]
    rows = [
        f'[[document]]\npath = "{Path(path).name}"\nagency = "{agency}"\ntitle = "{title}"\n'
        for path, _, agency, title in done
    ]
    (folder / "manifest.toml").write_text("\n".join(rows), encoding="utf-8")
    info = {"pages": total, "plans": len(done), "files": [Path(p).name for p, *_ in done]}
    (folder / "corpus.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return folder


def describe(folder: Path) -> dict[str, Any]:
    info: dict[str, Any] = json.loads((folder / "corpus.json").read_text("utf-8"))
    return info
