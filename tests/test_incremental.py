"""Rebuilds extract only new and changed documents, and end with the graph a full build gives."""
from __future__ import annotations

import shutil
import sys

import pytest

import kg
from tests.conftest import SEEDS, copy_seeds

build_module = sys.modules["kg.build"]
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


def test_new_rules_make_every_entry_stale(tmp_path, monkeypatch):
    src = copy_seeds(tmp_path / "src", NAMES[:2])
    _build(src, tmp_path / "out")
    monkeypatch.setattr(build_module, "rules_version", lambda: "other-rules")
    again = _build(src, tmp_path / "out")
    assert (again.extracted, again.reused) == (2, 0)


def test_a_broken_cache_file_is_named(tmp_path):
    src = copy_seeds(tmp_path / "src", NAMES[:1])
    out = tmp_path / "out"
    out.mkdir()
    (out / ".kg-cache.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(ValueError, match=r"\.kg-cache\.sqlite"):
        _build(src, out)
