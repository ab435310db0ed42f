"""kg export never writes over the graph it reads: not by default (ttl beside a .ttl), not with --out naming
it, not through a link."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export import ExportError, export

GRAPH = """@prefix kg: <https://w3id.org/cn-union-kg/ontology#> .
<https://example.org/id/p1> a kg:Person .
"""


@pytest.fixture
def graph(tmp_path):
    p = tmp_path / "graph.ttl"
    p.write_text(GRAPH, encoding="utf-8")
    return p


@pytest.mark.parametrize("args", [["--format", "ttl"], ["--format", "xml", "--out", "{graph}"],
                                  ["--format", "nt", "--out", "{dir}/./graph.ttl"]])
def test_cli_refuses_and_leaves_the_input_as_it_was(graph, args):
    before = graph.read_bytes()
    args = [a.replace("{graph}", str(graph)).replace("{dir}", str(graph.parent)) for a in args]
    r = CliRunner().invoke(app, ["export", str(graph), *args])
    assert r.exit_code != 0
    assert r.stderr.strip().splitlines() == [
        f"kg: error: {Path(args[-1]) if '--out' in args else graph}: this is the input graph, and the export would "
        "overwrite it; give --out another file"]
    assert graph.read_bytes() == before
    assert sorted(p.name for p in graph.parent.iterdir() if not p.name.startswith(".store")) == ["graph.ttl"]


def test_a_link_to_the_input_is_the_input(graph, tmp_path):
    link = tmp_path / "link.ttl"
    os.link(graph, link)
    with pytest.raises(ExportError, match="input graph"):
        export(graph, "ttl", link)
    symlink = tmp_path / "sym.rdf"
    symlink.symlink_to(graph)
    with pytest.raises(ExportError, match="input graph"):
        export(graph, "xml", symlink)
    assert graph.read_text(encoding="utf-8") == GRAPH


def test_another_file_is_written(graph, tmp_path):
    assert export(graph, "ttl", tmp_path / "copy.ttl") == [tmp_path / "copy.ttl"]
    assert "Person" in (tmp_path / "copy.ttl").read_text(encoding="utf-8")
