"""The command line: parses options, calls the library, maps its errors to messages and exit codes.

Exit codes: 0 success; 1 an unexpected internal error; 2 a usage error (bad option, manifest or
framework); 3 one or more input files could not be read (the others were processed and written)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import click

from aligncheck import __version__
from aligncheck.commands import Console, Group, ingest_options, open_output, output_option
from aligncheck.errors import InputError
from aligncheck.ingest import IngestOptions
from aligncheck.manifest import Manifest, load_manifest
from aligncheck.pipeline import Ingested, ingest_paths

EXIT_INPUT_FAILED = 3


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="aligncheck")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors on stderr.")
@click.option("-v", "--verbose", count=True, help="Print more detail on stderr (repeat for more).")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: int) -> None:
    """Check Dutch enforcement plans against the principles of the handhavingskoers.

    Reads plans (PDF, DOCX, HTML, text), splits them into passages with page and section, and
    (with the other commands) scores them, finds gaps, conflicts and divergences, and reports them
    with evidence. Everything runs locally; no text leaves the machine."""
    ctx.obj = Console(0 if quiet else 1 + verbose)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--agency", help="Agency of every document read (overrides the manifest and inference).")
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False),
    help="TOML manifest with each document's agency, title, period and version. Without PATHS, "
    "its documents are read.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table", "summary"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON object per passage; table: passages for reading; summary: one line per document.",
)
@ingest_options
@output_option
@click.pass_obj
def ingest(
    console: Console,
    paths: tuple[str, ...],
    agency: str | None,
    manifest: str | None,
    fmt: str,
    options: IngestOptions,
    output: str | None,
) -> None:
    """Read documents into passages with page, section and offsets.

    PATHS are files or folders (read recursively: .pdf, .docx, .html, .htm, .txt, .md)."""
    loaded = _load_manifest(manifest)
    if not paths and loaded is None:
        raise click.UsageError("give one or more PATHS, or --manifest")
    failures = 0
    documents = 0
    with open_output(output) as out:
        for item in _with_progress(
            console,
            ingest_paths(
                list(paths),
                agency=agency,
                manifest=loaded,
                options=options,
                on_document=lambda p: console.detail(f"reading {p}"),
            ),
        ):
            if isinstance(item, InputError):
                failures += 1
                console.error(str(item))
                continue
            documents += 1
            for warning in item.document.warnings:
                console.warn(warning)
            _write(out, fmt, item)
        if fmt == "summary" and documents:
            out.write(f"{documents} document(s) read" + (f", {failures} failed" if failures else "") + "\n")
    if documents == 0 and failures == 0:
        console.error("no documents found (supported: .pdf, .docx, .html, .htm, .txt, .md)")
        sys.exit(EXIT_INPUT_FAILED)
    if failures:
        console.info(f"{failures} input(s) could not be read; the others were processed")
        sys.exit(EXIT_INPUT_FAILED)


def _with_progress(console: Console, items: Iterator[Any]) -> Iterator[Any]:
    if not console.progress_allowed:
        yield from items
        return
    count = 0
    for item in items:
        count += 1
        click.echo(f"\r{count} document(s) read", err=True, nl=False)
        yield item
    if count:
        click.echo("", err=True)


def _write(out: TextIO, fmt: str, item: Ingested) -> None:
    doc = item.document
    if fmt == "jsonl":
        for passage in item.passages:
            out.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
    elif fmt == "table":
        out.write(f"# {doc.path}  ({doc.agency or 'agency unknown'}: {doc.title or 'untitled'})\n")
        for p in item.passages:
            page = (
                "" if p.page is None else (str(p.page) if p.page == p.page_end else f"{p.page}-{p.page_end}")
            )
            section = p.section[-1] if p.section else ""
            text = p.text if len(p.text) <= 100 else p.text[:99] + "…"
            out.write(f"{p.passage_id:<18} {page:>5}  {section[:28]:<28}  {text}\n")
    else:
        pages = "-" if doc.pages is None else str(doc.pages)
        out.write(
            f"{doc.path}\t{doc.agency or '-'}\t{doc.title or '-'}\t{pages} pages\t"
            f"{len(item.passages)} passages\t{doc.language}\n"
        )


def _load_manifest(path: str | None) -> Manifest | None:
    return load_manifest(path) if path else None


def _register() -> None:
    from aligncheck.commands.cache import cache
    from aligncheck.commands.check import batch, check, diff_command, runs_group
    from aligncheck.commands.feedback import feedback
    from aligncheck.commands.frameworks import frameworks
    from aligncheck.commands.score import classify, evaluate, train_command

    for command in (
        check,
        batch,
        diff_command,
        classify,
        evaluate,
        train_command,
        frameworks,
        cache,
        runs_group,
        feedback,
    ):
        cli.add_command(command)


_register()


def main() -> None:
    """Entry point of the `aligncheck` command."""
    try:
        cli(prog_name="aligncheck")
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stderr.close()
        sys.exit(0)
