"""The command line's conventions: --version, python -m kg, -v/-q, completion, one spelling of
formats, a build folder wherever a graph file is taken, and the exit-code table of the README
(0 done, 1 the answer is a failure, 2 usage or unreadable input) for every verb."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg
from kg import graphio
from kg.cli import app

from .sparql_helpers import free_port
from .test_validate import SMALL

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def build_dir(tmp_path) -> Path:
    """A build folder as kg build leaves it, holding the small valid graph of test_validate."""
    out = tmp_path / "output"
    out.mkdir()
    (out / "graph.ttl").write_text(SMALL, encoding="utf-8")
    (out / "stats.json").write_text("{}\n", encoding="utf-8")
    return out


def test_version_and_python_m_kg():
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"kg {kg.__version__}"
    done = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == f"kg {kg.__version__}"
    done = subprocess.run([sys.executable, "-m", "kg", "query", "/nonexistent/graph.ttl", "honours"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("kg: error: /nonexistent/graph.ttl")


def test_help_shows_flags_as_flags_and_offers_completion():
    r = run("--help")
    assert r.exit_code == 0
    assert "--install-completion" in r.stdout and "--show-completion" in r.stdout
    assert "-v, --verbose" in r.stdout and "-q, --quiet" in r.stdout and "--version" in r.stdout
    for verb in ("build", "validate", "export", "query"):
        text = run(verb, "--help").stdout
        assert "<bool>" not in text, verb
    assert "[default: ttl]" in run("build", "--help").stdout


def test_completion_script_for_bash():
    done = subprocess.run([sys.executable, "-m", "kg", "--show-completion", "bash"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "_KG_COMPLETE=complete_bash" in done.stdout
    assert "complete -o default -F _kg_completion kg" in done.stdout


def test_format_names_one_table_both_spellings():
    assert graphio.format_name("turtle") == graphio.format_name("TTL") == "ttl"
    assert graphio.format_name("n-triples") == "nt" and graphio.format_name("json-ld") == "jsonld"
    assert graphio.format_name("rdfxml") == "xml" and graphio.format_name("nquads") == "nq"
    with pytest.raises(ValueError, match="use one of ttl, nt"):
        graphio.format_name("trig", ("ttl", "nt", "nq"))


def test_build_graph_files_are_the_ones_kg_build_writes():
    from kg.build import FORMATS

    assert tuple(FORMATS.values()) == graphio.BUILD_GRAPH_FILES


def test_the_syntax_table_reads_every_suffix(tmp_path):
    import pyoxigraph as ox

    data = list(ox.parse(SMALL.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    for syntax in graphio.SYNTAXES:
        if syntax.name == "n3":
            continue
        path = tmp_path / f"g{syntax.suffixes[0]}"
        with open(path, "wb") as f:
            if syntax.quads:
                ox.serialize([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:g")) for t in data], f,
                             syntax.oxigraph_format())
            else:
                ox.serialize(data, f, syntax.oxigraph_format())
        assert len(graphio.read_graph(path)) == len(data), syntax.name


def test_graph_file_of_a_build_folder(build_dir, tmp_path):
    assert graphio.graph_file(build_dir) == build_dir / "graph.ttl"
    (build_dir / "graph.ttl").rename(build_dir / "graph.nq")
    assert graphio.graph_file(build_dir) == build_dir / "graph.nq"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(graphio.GraphFileError, match="without a built graph"):
        graphio.graph_file(empty)
    with pytest.raises(graphio.GraphFileError, match="graph file not found"):
        graphio.graph_file(tmp_path / "none.ttl")


def test_every_graph_verb_takes_a_build_folder(build_dir, tmp_path):
    r = run("validate", str(build_dir), "--reasoner", "none")
    assert r.exit_code == 0, r.output
    r = run("query", str(build_dir), "SELECT ?p WHERE { ?p a kg:Person }", "-f", "csv")
    assert r.exit_code == 0 and r.stdout.splitlines()[1].endswith("person/张三"), r.output
    r = run("export", str(build_dir), "--format", "turtle", "-o", str(tmp_path / "copy.ttl"))
    assert r.exit_code == 0 and (tmp_path / "copy.ttl").is_file(), r.output
    r = run("export", str(build_dir), "-f", "n-triples")
    assert r.exit_code == 0 and (build_dir / "graph.nt").is_file(), r.output
    r = run("render", str(build_dir), "--out", str(tmp_path / "page.html"))
    assert r.exit_code == 0 and (tmp_path / "page.html").is_file(), r.output
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text('{"entities": [], "relations": []}', encoding="utf-8")
    r = run("eval", str(build_dir), "--gold", str(gold), "--brief")
    assert r.exit_code == 0, r.output
    empty = tmp_path / "empty"
    empty.mkdir()
    for verb in (["validate"], ["query", "--", "ASK {}"], ["export", "-f", "nt"], ["render", "-o", "x.html"],
                 ["eval", "--gold", str(gold)], ["serve", "--port", "0"], ["load", "--endpoint", "http://127.0.0.1:9/"]):
        args = [verb[0], str(empty), *verb[1:]] if verb[0] != "query" else ["query", str(empty), "ASK {}"]
        r = run(*args)
        assert r.exit_code == 2 and "without a built graph" in r.stderr, (verb, r.output)


# ---------------------------------------------------------------- the exit-code table, verb by verb

def test_exit_codes_build(tmp_path, corpus):
    src = corpus({"a.txt": "张三是某某机械有限公司的职工。"})
    r = run("-q", "build", str(src), "--out", str(tmp_path / "out"), "--format", "turtle", "--no-html", "-j", "1")
    assert r.exit_code == 0 and r.stdout == "", r.output
    assert (tmp_path / "out" / "graph.ttl").is_file()
    r = run("build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o2"))
    assert r.exit_code == 2 and "nowhere" in r.stderr
    r = run("build", str(src), "--out", str(tmp_path / "o3"), "--format", "trig")
    assert r.exit_code == 2 and "--format 'trig'" in r.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    r = run("-q", "build", str(src), "--out", str(blocker / "out"), "--no-html", "-j", "1")
    assert r.exit_code == 1 and r.stderr.startswith("kg: error:"), r.output


def test_exit_codes_query(build_dir):
    assert run("query", str(build_dir), "ASK {}").exit_code == 0
    port = free_port()
    r = run("query", str(build_dir), f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
    assert r.exit_code == 1 and "query failed" in r.stderr
    r = run("query", str(build_dir), "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert r.exit_code == 2 and "SPARQL Update (INSERT) is not supported" in r.stderr
    r = run("query", str(build_dir), "SELECT * WHERE { ?s schema:name ?o }")
    assert r.exit_code == 2 and "undeclared prefix schema:" in r.stderr and "1:21" in r.stderr
    assert run("query", str(build_dir), "no-such-saved-query").exit_code == 2
    assert run("query", str(build_dir), "honours", "--param", "nope=1").exit_code == 2
    assert run("query", str(build_dir), "honours", "--format", "docx").exit_code == 2
    r = run("query", str(build_dir), "CONSTRUCT WHERE { ?s a kg:Award }", "-f", "turtle")
    assert r.exit_code == 0 and "kg:Award" in r.stdout


def test_exit_codes_export(build_dir, tmp_path):
    assert run("export", str(build_dir), "-f", "gexf", "-o", str(tmp_path / "g.gexf")).exit_code == 0
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    r = run("export", str(build_dir), "-f", "neo4j", "-o", str(blocker))
    assert r.exit_code == 1 and "a file is in the way" in r.stderr
    r = run("export", str(build_dir), "-f", "nt", "-o", str(blocker / "g.nt"))
    assert r.exit_code == 1 and r.stderr.startswith("kg: error:")
    assert run("export", str(tmp_path / "none.ttl"), "-f", "nt").exit_code == 2
    assert run("export", str(build_dir), "-f", "docx").exit_code == 2


def test_exit_codes_render(build_dir, tmp_path):
    assert run("render", str(build_dir), "-o", str(tmp_path / "a.html"), "--focus", "张三").exit_code == 0
    r = run("render", str(build_dir), "-o", str(tmp_path / "b.html"), "--focus", "无此人")
    assert r.exit_code == 1 and "无此人" in r.stderr
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle <<", encoding="utf-8")
    r = run("render", str(bad), "-o", str(tmp_path / "c.html"))
    assert r.exit_code == 2 and "bad.ttl" in r.stderr and "not valid Turtle" in r.stderr


def test_exit_codes_validate(build_dir, tmp_path):
    assert run("validate", str(build_dir), "--no-owl").exit_code == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text(SMALL.replace('rdfs:label "张三"@zh ;', ""), encoding="utf-8")
    assert run("validate", str(broken), "--reasoner", "none").exit_code == 1
    r = run("validate", str(build_dir), "--reasoner", "pellet")
    assert r.exit_code == 2 and "--reasoner 'pellet'" in r.stderr


def test_exit_codes_eval(build_dir, tmp_path):
    r = run("eval", str(build_dir), "--gold", str(tmp_path / "no-gold"))
    assert r.exit_code == 2 and "no-gold" in r.stderr
    empty = tmp_path / "gold"
    empty.mkdir()
    r = run("eval", str(build_dir), "--gold", str(empty))
    assert r.exit_code == 2 and "no gold files" in r.stderr


def test_exit_codes_load(build_dir, tmp_path):
    port = free_port()
    r = run("load", str(build_dir), "--endpoint", f"http://127.0.0.1:{port}/store")
    assert r.exit_code == 1 and "cannot reach the store" in r.stderr
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    r = run("load", str(bad), "--endpoint", f"http://127.0.0.1:{port}/store")
    assert r.exit_code == 2 and "bad.nt" in r.stderr
    assert run("load", str(tmp_path / "none.ttl"), "--endpoint", f"http://127.0.0.1:{port}/store").exit_code == 2


def test_exit_codes_serve(build_dir):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = run("serve", str(build_dir), "--port", str(port), "--quiet")
    assert r.exit_code == 1 and f"cannot serve on 127.0.0.1:{port}" in r.stderr


def test_usage_errors_exit_2():
    assert run("build", "--jobs", "-1").exit_code == 2
    assert run("bench", "--size", "0").exit_code == 2
    assert run("no-such-verb").exit_code == 2


def test_quiet_and_verbose(build_dir, tmp_path):
    r = run("export", str(build_dir), "-f", "nt", "-o", str(tmp_path / "a.nt"))
    assert r.exit_code == 0 and r.stdout.startswith("wrote ")
    r = run("-q", "export", str(build_dir), "-f", "nt", "-o", str(tmp_path / "b.nt"))
    assert r.exit_code == 0 and r.stderr == "" and r.stdout == ""
    r = run("export", str(build_dir), "-f", "nt", "-o", str(tmp_path / "c.nt"), "--quiet")
    assert r.exit_code == 0 and r.stderr == "" and r.stdout == ""
    r = run("-q", "query", str(build_dir), "ASK {}")
    assert r.stdout.strip() == "true"
    r = run("-v", "query", str(build_dir), "ASK {}")
    assert r.exit_code == 0 and r.stdout.strip() == "true" and "query took" in r.stderr
    r = run("query", str(build_dir), "ASK {}")
    assert "query took" not in r.stderr


def test_readme_has_the_exit_code_table():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Exit status"):]
    for line in ("| 0 |", "| 1 |", "| 2 |"):
        assert line in section
    for verb in ("build", "query", "export", "serve", "render", "validate", "eval", "load", "bench"):
        assert f"`kg {verb}`" in section, verb


def test_hermit_without_owlready2_is_a_usage_error(build_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "owlready2", None)      # import owlready2 now raises ImportError
    r = run("validate", str(build_dir), "--reasoner", "hermit")
    assert r.exit_code == 2 and "needs owlready2" in r.stderr and "kg-union-news[reasoner]" in r.stderr
