"""`aligncheck cache info|clear`: look at or empty the cache (passage vectors, scores, documents read,
analyses)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from aligncheck.commands import Group
from aligncheck.store import FILENAME, Store, default_path


def cache_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """`--cache DIR`: the folder of the embedding cache (shared by every command that embeds)."""
    return click.option(
        "--cache",
        "cache_dir",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help=f"Folder of the embedding cache [default: {default_path().parent}].",
    )(f)


@click.group(cls=Group)
def cache() -> None:
    """Look at or empty the cache: vectors of passages per encoder, scores per scorer, documents read,
    analyses (coverage and findings of a run's documents)."""


@cache.command()
@cache_option
def info(cache_dir: Path | None) -> None:
    """Show where the cache is, its size, its vectors per encoder, its scores per scorer, the
    number of documents read and the number of analyses."""
    path = store_path(cache_dir)
    if not path.exists():
        click.echo(f"store: {path} (not created yet)")
        return
    with open_store(cache_dir) as store:
        details = store.info()
    click.echo(f"store: {details['path']} ({human_size(details['size'])})")
    if not details["models"]:
        click.echo("no vectors")
    for model in details["models"]:
        click.echo(f"{model['model_id']}  dim {model['dim']}  {model['count']} vectors")
    if not details["scorers"]:
        click.echo("no scores")
    for scorer in details["scorers"]:
        click.echo(f"{scorer['source']}  scorer {scorer['fingerprint'][:12]}  {scorer['count']} scores")
    click.echo(f"{details['documents']} documents read" if details["documents"] else "no documents read")
    if details["analyses"]:
        click.echo(f"{details['analyses']} analyses (coverage and findings)")


@cache.command()
@click.option("--model", "model_id", metavar="ID", help="Remove only the vectors of this model id.")
@cache_option
def clear(model_id: str | None, cache_dir: Path | None) -> None:
    """Remove cached vectors, scores, documents read and analyses: all of them, or one encoder's
    vectors (--model). Harmless: they are made again when needed."""
    removed = scores = documents = analyses = 0
    if store_path(cache_dir).exists():
        with open_store(cache_dir) as store:
            removed = store.clear(model_id)
            if model_id is None:
                scores, documents = store.clear_scores(), store.clear_documents()
                analyses = store.clear_analyses()
    others = "" if model_id else f", {scores} scores and {documents} documents read"
    if analyses:
        others = f", {scores} scores, {documents} documents read and {analyses} analyses"
    click.echo(f"removed {removed} vectors{others}")


def store_path(cache_dir: Path | None) -> Path:
    """The store file in the folder given with --cache (always a folder, even one named "x.db"), or
    the per-user default."""
    return default_path() if cache_dir is None else cache_dir / FILENAME


def open_store(cache_dir: Path | None) -> Store:
    """The store for --cache, its warnings (a damaged cache moved aside) shown to the user. Every
    command opens the store this way, so all of them agree on where it is."""
    store = Store.open(store_path(cache_dir))
    for warning in store.warnings:
        _warn(warning)
    return store


def _warn(message: str) -> None:
    """Through the CLI's console when there is one (it honours --quiet), else on stderr."""
    context = click.get_current_context(silent=True)
    warn = getattr(context.obj, "warn", None) if context else None
    if callable(warn):
        warn(message)
    else:
        click.echo(f"warning: {message}", err=True)


def human_size(size: int) -> str:
    """1234567 -> '1.2 MB' (powers of 1000)."""
    value, unit = float(size), "B"
    for bigger in ("kB", "MB", "GB", "TB"):
        if value < 999.95:
            break
        value, unit = value / 1000, bigger
    return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
