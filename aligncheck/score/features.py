"""Passage features for the scorer: lexical (hashed character and word n-grams, idf-weighted), the
sentence embedding, similarity to the framework's example passages, and cue counts for each
principle's keywords and conflict cues, for strictness, negation and safeguards.

Everything here is stateless or stored as plain arrays: no fitted object is pickled."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

if TYPE_CHECKING:
    from scipy import sparse
    from sklearn.feature_extraction.text import HashingVectorizer

CHAR_FEATURES = 2**16
WORD_FEATURES = 2**15
EMBEDDING_WEIGHT = 1.0
"""Scale of the embedding block relative to the unit-norm lexical blocks."""

_TOKEN = re.compile(r"[^\W_]+(?:[-\u2011'][^\W_]+)*", re.UNICODE)


def normalise_for_matching(text: str) -> str:
    """Lower case, non-breaking hyphens as plain ones, accents kept (Dutch needs them rarely)."""
    text = unicodedata.normalize("NFC", text).replace("\u2011", "-").replace("\u00ad", "")
    return text.lower()


@lru_cache(maxsize=1)
def _vectorizers() -> tuple[HashingVectorizer, HashingVectorizer]:
    """The character and word hashers. scikit-learn is imported here, not when the module loads: a
    rerun whose scores all come from the cache never needs it (about 1.6 s of every start)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    common: dict[str, Any] = {"alternate_sign": False, "norm": None, "preprocessor": normalise_for_matching}
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=CHAR_FEATURES, **common)
    words = HashingVectorizer(
        analyzer="word", ngram_range=(1, 2), n_features=WORD_FEATURES, token_pattern=r"(?u)\b\w+\b", **common
    )
    return chars, words


def lexical_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Raw hashed n-gram counts: character 3-5-grams, then word uni- and bigrams."""
    from scipy import sparse

    chars, words = _vectorizers()
    return sparse.hstack([chars.transform(texts), words.transform(texts)]).tocsr()


def fit_idf(counts: sparse.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequency per hashed feature."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)


def apply_idf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf times idf, each block (characters, words) normalised to unit length."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    x = counts.astype(np.float32).tocsr()
    x.data = np.log1p(x.data)
    x = x.multiply(idf[np.newaxis, :]).tocsr()
    chars = normalize(x[:, :CHAR_FEATURES])
    words = normalize(x[:, CHAR_FEATURES:])
    return sparse.hstack([chars, words]).tocsr()


@dataclass(frozen=True)
class CueLists:
    """Phrase lists whose matches become features: per principle (keywords, conflict cues) and
    general ones (strictness, leniency, negation, safeguards), from the framework and cues.yaml."""

    names: tuple[str, ...]
    phrases: tuple[tuple[tuple[str, ...], ...], ...]

    @staticmethod
    def build(per_principle: dict[str, dict[str, list[str]]]) -> CueLists:
        names: list[str] = []
        phrases: list[tuple[tuple[str, ...], ...]] = []
        for pid, lists in per_principle.items():
            for list_name, items in lists.items():
                names.append(f"{pid}.{list_name}")
                phrases.append(tuple(_phrase_tokens(p) for p in items if p.strip()))
        for list_name, items in general_cues().items():
            names.append(f"cue.{list_name}")
            phrases.append(tuple(_phrase_tokens(p) for p in items if p.strip()))
        return CueLists(tuple(names), tuple(phrases))

    def counts(self, texts: Sequence[str]) -> np.ndarray:
        """log(1 + number of matches) per text and list."""
        out = np.zeros((len(texts), len(self.names)), dtype=np.float32)
        by_first = self._by_first_word()
        for i, text in enumerate(texts):
            tokens = tokens_of(text)
            words = matchable_words(tokens)  # a phrase with a word outside these cannot occur
            hits: dict[int, int] = {}
            for first in by_first.keys() & words:
                for j, phrase, needed in by_first[first]:
                    if needed <= words:
                        hits[j] = hits.get(j, 0) + count_phrase(tokens, phrase)
            for j, n in hits.items():
                if n:
                    out[i, j] = np.log1p(n)
        return out

    def _by_first_word(self) -> dict[str, list[tuple[int, tuple[str, ...], frozenset[str]]]]:
        """Each phrase (with its list's column and its set of words) under its first word."""
        index: dict[str, list[tuple[int, tuple[str, ...], frozenset[str]]]] = {}
        for j, plist in enumerate(self.phrases):
            for phrase in plist:
                if phrase:
                    index.setdefault(phrase[0], []).append((j, phrase, frozenset(phrase)))
        return index


@lru_cache(maxsize=1)
def general_cues() -> dict[str, list[str]]:
    raw = resources.files("aligncheck.data").joinpath("cues.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    return {str(k): [str(x) for x in v] for k, v in data.items()}


def tokens_of(text: str) -> list[str]:
    return _TOKEN.findall(normalise_for_matching(text))


def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(tokens_of(phrase))


def matchable_words(tokens: list[str]) -> frozenset[str]:
    """Every phrase word that `count_phrase` can match to one of these tokens: the tokens themselves,
    and for words of four letters or more the prefixes they start with, at most four letters short.
    A phrase with a word outside this set does not occur in the tokens."""
    words = set(tokens)
    for token in words.copy():
        words.update(token[:k] for k in range(max(4, len(token) - 4), len(token)))
    return frozenset(words)


def count_phrase(tokens: list[str], phrase: tuple[str, ...]) -> int:
    """Occurrences of a phrase; each phrase word matches a text word it starts, with at most four
    extra letters (boete ~ boetes, vergissing ~ vergissingen), so lemmas match inflected forms."""
    if not phrase:
        return 0
    n, m = len(tokens), len(phrase)
    hits = 0
    for i in range(n - m + 1):
        for k in range(m):
            tok, want = tokens[i + k], phrase[k]
            if not (tok == want or (len(want) >= 4 and tok.startswith(want) and len(tok) - len(want) <= 4)):
                break
        else:
            hits += 1
    return hits


# --- negation scope: whether a sanction, strictness or leniency word is itself negated

_NEGATORS = frozenset({"niet", "geen", "nooit", "niets", "evenmin", "nergens", "allerminst"})
"""Words that negate what follows them within a short window ("niet als fraude", "geen boete")."""
_SCOPE_WINDOW = 3
"""How many words after a negator it reaches (Dutch puts "niet" just before the negated phrase)."""
_CLAUSE_BREAK = frozenset({"maar", "want", "dan", "tenzij", "omdat", "doordat", "en", "of", "die", "dat"})
_SANCTION = (
    "boete",
    "beboet",
    "sanctie",
    "sanctione",
    "fraude",
    "fraudeur",
    "verdacht",
    "straf",
    "bestraf",
    "misbruik",
    "aangifte",
    "maximale",
    "opzet",
)
_STRICT = (
    "altijd",
    "iedere",
    "elke",
    "ongeacht",
    "direct",
    "meteen",
    "onmiddellijk",
    "standaard",
    "automatisch",
    "volledig",
    "alle",
)
_LENIENT = (
    "waarschuw",
    "rekening",
    "verlaag",
    "matig",
    "afzien",
    "afgezien",
    "herstel",
    "uitleg",
    "ruimte",
    "vergissing",
    "helpen",
    "herinner",
    "maatwerk",
    "coulance",
    "horen",
    "gehoord",
)
_GROUND = (
    "grond",
    "aanleiding",
    "reden",
    "signaal",
    "signalen",
    "tussenkomst",
    "toets",
    "medewerker",
    "verwijtbaar",
    "opzet",
    "schuld",
    "horen",
    "toestemming",
    "aanwijzing",
    "risico",
    "menselijke",
)
SCOPE_NAMES = (
    "scope.sanction_negated",
    "scope.sanction_plain",
    "scope.strict_negated",
    "scope.strict_plain",
    "scope.lenient_negated",
    "scope.lenient_plain",
    "scope.without_ground",
    "scope.without_ground_negated",
    "scope.lenient_negated_after",
    "scope.sanction_negated_after",
    "scope.safeguard_negated",
    "scope.safeguard_negated_after",
)
"""The negation-scope features, in column order."""


def _negated(tokens: list[str], i: int) -> bool:
    """Whether a negator stands at most `_SCOPE_WINDOW` words before token i, in the same clause."""
    for k in range(i - 1, max(-1, i - 1 - _SCOPE_WINDOW), -1):
        if tokens[k] in _NEGATORS:
            return True
        if tokens[k] in _CLAUSE_BREAK:
            return False
    return False


_AFTER_WINDOW = 8
"""How many words after a leniency or sanction word a negating verb phrase still reaches it ("een
waarschuwing in plaats van een boete past niet", "een beroep op een vergissing wordt niet gehonoreerd")."""
_AFTER_BREAK = _CLAUSE_BREAK | frozenset(
    {"als", "wanneer", "indien", "zodat", "waarbij", "nadat", "terwijl", "tot"}
)
_SENTENCE_END = re.compile(r"[.;:!?|]+(?:\s|$)")


@lru_cache(maxsize=1)
def _safeguard_stems() -> tuple[str, ...]:
    """The words of the `safeguards` cue phrases (cues.yaml) of four letters or more, as stems."""
    words = {t for phrase in general_cues().get("safeguards", []) for t in tokens_of(phrase) if len(t) >= 4}
    return tuple(sorted(words))


def _negated_after(tokens: list[str], i: int) -> bool:
    """Whether a negator follows token i within `_AFTER_WINDOW` words of the same clause (tokens of
    one sentence): Dutch negates the verb after its subject."""
    for k in range(i + 1, min(len(tokens), i + 1 + _AFTER_WINDOW)):
        if tokens[k] in _NEGATORS:
            return True
        if tokens[k] in _AFTER_BREAK:
            return False
    return False


def scope_counts(texts: Sequence[str]) -> np.ndarray:
    """Per text, log(1 + count) of: sanction words (boete, fraude, verdachte, ...) negated and not,
    strictness words (altijd, iedere, ongeacht, ...) negated and not, leniency words (waarschuwing,
    rekening houden, verlagen, ...) negated and not, and "zonder" before a ground or safeguard
    (zonder redelijke grond, zonder tussenkomst) on its own and under a negation (geen boete zonder
    verwijtbaarheid); and leniency and sanction words that a negation later in their clause takes
    back (een waarschuwing ... past niet; een boete is niet aan de orde); safeguard words (the
    `safeguards` cues: bias, dpia, bezwaar, ...) negated before or after (geen dpia; een toets op
    vooringenomenheid voeren wij niet uit). Negated strictness reads as support, negated leniency
    and negated safeguards as conflict; a bag of words sees the same words in both."""
    out = np.zeros((len(texts), len(SCOPE_NAMES)), dtype=np.float32)
    safeguards = _safeguard_stems()
    for row, text in enumerate(texts):
        c = [0] * len(SCOPE_NAMES)
        for sentence in _SENTENCE_END.split(text):
            tokens = tokens_of(sentence)
            for i, tok in enumerate(tokens):
                for base, stems in ((0, _SANCTION), (2, _STRICT), (4, _LENIENT)):
                    if tok.startswith(stems):
                        before = _negated(tokens, i)
                        c[base + (0 if before else 1)] += 1
                        if base != 2 and not before and _negated_after(tokens, i):
                            c[8 if base == 4 else 9] += 1
                if tok == "zonder" and any(t.startswith(_GROUND) for t in tokens[i + 1 : i + 4]):
                    c[7 if _negated(tokens, i) else 6] += 1
                if tok.startswith(safeguards):
                    if _negated(tokens, i):
                        c[10] += 1
                    elif _negated_after(tokens, i):
                        c[11] += 1
        out[row] = np.log1p(np.array(c, dtype=np.float32))
    return out


def example_similarities(embeddings: np.ndarray, examples: dict[str, dict[str, np.ndarray]]) -> np.ndarray:
    """Per principle, the highest cosine similarity to its `supports` and to its `conflicts` examples
    (two columns per principle, in the order of `examples`)."""
    cols = []
    for stances in examples.values():
        for stance in ("supports", "conflicts"):
            ex = stances.get(stance)
            if ex is None or len(ex) == 0:
                cols.append(np.zeros(len(embeddings), dtype=np.float32))
            else:
                cols.append((embeddings @ ex.T).max(axis=1).astype(np.float32))
    return np.stack(cols, axis=1) if cols else np.zeros((len(embeddings), 0), dtype=np.float32)


@dataclass(frozen=True)
class Features:
    """The two feature blocks of a set of passages: lexical (sparse) and dense (embedding, example
    similarities, cue counts). `full` is both side by side."""

    lexical: sparse.csr_matrix
    dense: np.ndarray

    @property
    def full(self) -> sparse.csr_matrix:
        from scipy import sparse

        return sparse.hstack([self.lexical, sparse.csr_matrix(self.dense)]).tocsr()

    def rows(self, index: Any) -> Features:
        return Features(self.lexical[index], self.dense[index])


def assemble(
    lexical: sparse.csr_matrix, embeddings: np.ndarray, similarities: np.ndarray, cues: np.ndarray
) -> Features:
    """The feature blocks: lexical, and embedding | example similarities | cues (the cue lists' counts
    followed by the negation-scope counts)."""
    dense = np.hstack([embeddings * EMBEDDING_WEIGHT, similarities, cues]).astype(np.float32)
    return Features(lexical.tocsr(), dense)
