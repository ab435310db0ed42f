"""`import kg`, `kg --help` and `kg query` do not import what they do not use."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("rdflib", "spacy", "thinc", "networkx", "numpy", "pyoxigraph", "pyshacl", "tqdm", "jieba", "cpca",
         "distributed", "kg.render", "kg.stream", "kg.sinks", "kg.pipeline")
PROBE = """
import json, sys
from kg.cli import app
try:
    app(sys.argv[1:], prog_name="kg")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def _imported(*args: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], capture_output=True, text=True)
    return json.loads(proc.stderr.strip().splitlines()[-1])


def test_import_kg_imports_only_the_standard_library():
    code = f"import sys, kg; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["query", "--help"], ["serve", "--help"]])
def test_help_imports_nothing_heavy(args):
    assert _imported(*args) == []


def test_query_imports_oxigraph_and_nothing_else_heavy(seeds_ttl):
    assert _imported("query", str(seeds_ttl), "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1") == ["pyoxigraph"]
