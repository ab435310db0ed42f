"""Rebuilds extract only new and changed documents, and end with the graph a full build gives."""
from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

import pytest

import kg
import kg.cache
from tests.conftest import SEEDS, copy_seeds

NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _build(src, out):
    return kg.build(src, out, kg.Settings(progress=False), html=False)


def test_adding_documents_extracts_only_those_and_gives_the_full_graph(tmp_path):
    src = copy_seeds(tmp_path / "src", NAMES[:3])
    first = _build(src, tmp_path / "out")
    assert (first.extracted, first.reused) == (3, 0)
    copy_seeds(src, NAMES[3:])
    again = _build(src, tmp_path / "out")
    assert (again.extracted, again.reused) == (2, 3)
    full = _build(SEEDS, tmp_path / "fresh")
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()
    assert (tmp_path / "out" / "stats.json").read_bytes() == (tmp_path / "fresh" / "stats.json").read_bytes()
    assert full.extracted == 5


def test_changed_document_is_extracted_again(tmp_path):
    src = copy_seeds(tmp_path / "src", NAMES[:2])
    _build(src, tmp_path / "out")
    path = src / NAMES[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n江西省总工会表彰了一批先进集体。\n", encoding="utf-8")
    again = _build(src, tmp_path / "out")
    assert (again.extracted, again.reused) == (1, 1)
    fresh = _build(src, tmp_path / "fresh")
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()
    assert fresh.extracted == 2


def test_renamed_document_reuses_its_extraction_under_the_new_name(tmp_path):
    src = copy_seeds(tmp_path / "src", NAMES[:1])
    _build(src, tmp_path / "out")
    shutil.move(src / NAMES[0], src / "renamed.txt")
    again = _build(src, tmp_path / "out")
    assert (again.extracted, again.reused) == (0, 1)
    assert list(again.stats["per_document"]) == ["renamed.txt"]
    _build(src, tmp_path / "fresh")
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()


@pytest.fixture
def extraction_copy(tmp_path, monkeypatch) -> Path:
    """A copy of what the cache key digests (kg.cache.EXTRACTION_FILES), which builds then key by:
    editing it is editing the rules, without touching the installed package."""
    package = Path(kg.cache.__file__).parent
    root = tmp_path / "kg-copy"
    for name in kg.cache.EXTRACTION_FILES:
        if (package / name).is_dir():
            shutil.copytree(package / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            root.mkdir(exist_ok=True)
            shutil.copy(package / name, root / name)
    monkeypatch.setattr(kg.cache, "_installed_rules_version", lambda: kg.cache.rules_version(root))
    return root


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize("edit", [
    lambda root: _append(root / "pipeline" / "lexicons" / "surnames.txt", "\n某\n"),
    lambda root: _append(root / "names.py", "\n# a changed comment is a changed module\n"),
    lambda root: _append(root / "pipeline" / "patterns" / "relation_rules.jsonl", "\n"),
], ids=["lexicon", "names.py", "pattern"])
def test_editing_what_extraction_reads_makes_every_entry_stale(tmp_path, extraction_copy, edit):
    src = copy_seeds(tmp_path / "src", NAMES[:2])
    _build(src, tmp_path / "out")
    assert (_build(src, tmp_path / "out").reused) == 2
    edit(extraction_copy)
    again = _build(src, tmp_path / "out")
    assert (again.extracted, again.reused) == (2, 0)


def test_cache_key_covers_the_declared_files_and_data_package_versions(tmp_path, extraction_copy, monkeypatch):
    before = kg.cache.rules_version(extraction_copy)
    (extraction_copy / "pipeline" / "__pycache__").mkdir()
    (extraction_copy / "pipeline" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert kg.cache.rules_version(extraction_copy) == before, "compiled files are not rules"
    for dist in kg.cache.DATA_PACKAGES:
        real = metadata.version
        monkeypatch.setattr(metadata, "version", lambda d, dist=dist: "0.0.0" if d == dist else real(d))
        assert kg.cache.rules_version(extraction_copy) != before, dist
        monkeypatch.undo()
    (extraction_copy / "model.py").unlink()
    with pytest.raises(FileNotFoundError, match="model.py"):
        kg.cache.rules_version(extraction_copy)


def test_declared_files_are_what_the_pipeline_imports():
    """Every kg module the extraction imports is in the declared list (else editing it would not
    invalidate the cache)."""
    import subprocess
    import sys

    code = ("import sys, kg; before = set(sys.modules); import kg.extract, kg.pipeline as p; p.make_nlp(); "
            "print('\\n'.join(sorted(m for m in set(sys.modules) - before if m.startswith('kg'))))")
    modules = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "kg.pipeline" in modules and "kg.extract" in modules
    declared = {n.removesuffix(".py") for n in kg.cache.EXTRACTION_FILES}
    undeclared = [m for m in modules if m.split(".")[1] not in declared
                  and m != "kg.resources"]  # it finds the declared files; what they say is digested
    assert not undeclared, undeclared


def test_a_broken_cache_file_is_named(tmp_path):
    src = copy_seeds(tmp_path / "src", NAMES[:1])
    out = tmp_path / "out"
    out.mkdir()
    (out / ".kg-cache.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(ValueError, match=r"\.kg-cache\.sqlite"):
        _build(src, out)
