"""Fuzzing the ingesters and the framework loader with hypothesis: mutated real PDFs and DOCX files
(the demo plans and the bad-input corpus as seeds), random text and tag soup, mutated framework YAML.

Whatever comes in, the outcome is an AligncheckError whose message names the file, or a valid result;
never another exception (a traceback for the user) and never a hang past TIME_LIMIT_S per input.

A short, derandomised run is part of the test suite. A long run by hand, with fresh random inputs:

    ALIGNCHECK_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py -q

(the count is per test; the README records the last long run)."""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import signal
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligncheck.errors import AligncheckError, FrameworkError
from aligncheck.frameworks import Framework, load_framework_file
from aligncheck.ingest import read_document
from aligncheck.segment import segment

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "corpora" / "demo"
BAD = Path(__file__).parent / "data" / "bad"
LONG = int(os.environ.get("ALIGNCHECK_FUZZ_EXAMPLES", "0"))
TIME_LIMIT_S = 20


def fuzz_settings(short_run: int):  # type: ignore[no-untyped-def]
    return settings(
        max_examples=LONG or short_run,
        derandomize=not LONG,  # the short run is the same on every machine
        deadline=None,  # a slow input is fine; a hang is caught by the time limit below
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_WORK = Path(tempfile.mkdtemp(prefix="aligncheck-fuzz-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)  # hypothesis calls the tests many times


def read_or_refuse(name: str, data: bytes) -> None:
    """The property: a valid document, or an AligncheckError that names the file."""
    path = _WORK / name
    path.write_bytes(data)
    with time_limit(TIME_LIMIT_S):
        try:
            doc = read_document(str(path))
        except AligncheckError as exc:
            message = str(exc)
            assert message.startswith(f"{path}: ") and len(message) > len(str(path)) + 8, message
            return
        passages = segment(doc)
    assert doc.blocks and all(block.text.strip() for block in doc.blocks)
    assert all(p.text for p in passages)


def _seeds(*patterns: str) -> list[bytes]:
    return [p.read_bytes() for pattern in patterns for p in sorted(REPO.glob(pattern))]


PDF_SEEDS = _seeds(
    "corpora/demo/*.pdf",
    "tests/data/bad/broken-xref.pdf",
    "tests/data/bad/encrypted-owner.pdf",
    "tests/data/bad/encrypted-user.pdf",
    "tests/data/bad/huge-page.pdf",
    "tests/data/bad/scanned.pdf",
)
DOCX_SEED = (DEMO / "vng.docx").read_bytes()


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few byte-level edits: bit flips, cut spans, inserted or repeated bytes,
    zeroed spans; some near the end, where a PDF keeps its cross-reference table and trailer."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        near_end = draw(st.booleans())
        low = max(0, len(data) - 2048) if near_end else 0
        pos = draw(st.integers(low, len(data) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "zero", "truncate"]))
        if op == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del data[pos : pos + draw(st.integers(1, 4096))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif op == "repeat":
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 512))] * draw(st.integers(2, 50))
        elif op == "zero":
            n = draw(st.integers(1, 256))
            data[pos : pos + n] = bytes(len(data[pos : pos + n]))
        else:
            del data[pos:]
    return bytes(data)


@fuzz_settings(short_run=40)
@given(mutated(PDF_SEEDS))
def test_fuzz_pdf(data: bytes) -> None:
    read_or_refuse("fuzz.pdf", data)


def _rezip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


with zipfile.ZipFile(io.BytesIO(DOCX_SEED)) as _archive:
    DOCX_MEMBERS = {info.filename: _archive.read(info) for info in _archive.infolist()}


@st.composite
def mutated_docx(draw: st.DrawFn) -> bytes:
    """The demo DOCX with one member's XML mutated (then zipped again), or its zip bytes mutated."""
    if draw(st.booleans()):
        return draw(mutated([DOCX_SEED]))
    members = dict(DOCX_MEMBERS)
    name = draw(st.sampled_from(sorted(members)))
    if draw(st.integers(0, 9)) == 0:
        del members[name]
    else:
        members[name] = draw(mutated([members[name]]))
    return _rezip(members)


@fuzz_settings(short_run=30)
@given(mutated_docx())
def test_fuzz_docx(data: bytes) -> None:
    read_or_refuse("fuzz.docx", data)


WORDS = ["Wij", "gaan", "uit", "van", "vertrouwen.", "De", "boete", "is", "50%", "€", "cliënt", "\u00ad"]
SOUP = [
    "<div>", "</div>", "<p>", "</p>", "<main>", "</main>", "<article>", "<table>", "<tr>", "<td>",
    "<th>", "</td>", "</table>", "<ul>", "<li>", "<ol>", "<dl>", "<dt>", "<dd>", "<h1>", "</h1>",
    "<h3>", "<br>", "<sup><a href='#fn1'>1</a></sup>", "<nav>", "<script>", "</script>", "<style>",
    "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#xD800;", "&nbsp;", "<pre>", "<svg>",
    "<div class='footnotes'>", "<div hidden>", "<meta charset='utf-16'>", "<meta charset='x-bogus'>",
    "<title>", "</title>", "\x00", "\r", "\n\n",
]  # fmt: skip


@fuzz_settings(short_run=60)
@given(st.lists(st.sampled_from(SOUP) | st.sampled_from(WORDS) | st.text(max_size=20), max_size=300))
def test_fuzz_html(parts: list[str]) -> None:
    read_or_refuse("fuzz.html", " ".join(parts).encode("utf-8", "surrogatepass"))


MARKDOWN = [
    "#",
    "##",
    "---",
    "===",
    "|",
    "|---|",
    "- ",
    "1. ",
    "[^1]:",
    "[^1]",
    "> ",
    "```",
    "* ",
    "\n",
    "\n\n",
]


@fuzz_settings(short_run=60)
@given(
    st.lists(st.sampled_from(MARKDOWN) | st.sampled_from(WORDS) | st.text(max_size=20), max_size=200),
    st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1", "utf-32"]),
    st.sampled_from(["fuzz.md", "fuzz.txt"]),
)
def test_fuzz_text(parts: list[str], encoding: str, name: str) -> None:
    read_or_refuse(name, " ".join(parts).encode(encoding, "replace"))


@fuzz_settings(short_run=40)
@given(
    st.binary(max_size=4096), st.sampled_from(["fuzz.txt", "fuzz.md", "fuzz.html", "fuzz.pdf", "fuzz.docx"])
)
def test_fuzz_random_bytes(data: bytes, name: str) -> None:
    read_or_refuse(name, data)


FRAMEWORK = (REPO / "aligncheck" / "frameworks" / "builtin" / "koers-2026-2029.yaml").read_text("utf-8")
YAML_BITS = [
    "", " ", "  ", ":", "- ", "null", "~", "[]", "{}", "&a", "*a", "!!python/object:os.system", "!!binary",
    "'", '"', "#", "\t", "1e309", "-1", "0", "yes", "x" * 200, "\u00ad", "<<: *a", "? ", "|", ">",
]  # fmt: skip


@st.composite
def mutated_yaml(draw: st.DrawFn) -> str:
    """The builtin framework with a few line edits: deleted, repeated, re-indented, or with YAML
    syntax inserted."""
    lines = FRAMEWORK.splitlines()
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "repeat", "indent", "insert", "replace"]))
        if op == "delete":
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "   ", "\t"])) + lines[i].lstrip()
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(YAML_BITS) | st.text(max_size=8)) + lines[i][at:]
        else:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(YAML_BITS) | st.text(max_size=12))}"
        if not lines:
            break
    return "\n".join(lines) + "\n"


@fuzz_settings(short_run=25)
@given(mutated_yaml())
def test_fuzz_framework_file(text: str) -> None:
    path = _WORK / "framework.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with time_limit(TIME_LIMIT_S):
        try:
            framework = load_framework_file(path)
        except FrameworkError as exc:
            assert str(exc).startswith(f"{path}: "), str(exc)
            return
    assert isinstance(framework, Framework) and framework.principles


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """Nested aliases ("billion laughs"): safe_load shares the nodes, and validation must not walk
    the exponential tree."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    lines.append("principles: *a9")
    path = tmp_path / "bom.yaml"
    path.write_text("\n".join(lines) + "\n")
    with time_limit(TIME_LIMIT_S), pytest.raises(FrameworkError) as err:
        load_framework_file(path)
    assert str(err.value).startswith(f"{path}: ")
