"""The graph in the tools people load it into, installed the project's way (scripts/test-deps.sh from
Debian, the test extra from PyPI): Jena (riot, ARQ, SHACL through scripts/jena), rapper, HermiT and
the OWL API's OWL 2 DL profile checker. Each agrees with the project's own answers on the seeds' build.

Each JVM starts a few times only: riot reads all exports in two runs, one run of
scripts/JenaQueries.java answers every saved query."""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from typer.testing import CliRunner

from kg.cli import app
from kg.hermit import hermit_check
from kg.namespaces import KG
from kg.query import run_saved, saved_queries
from kg.validate import load_ontology, validate

from .sparql_helpers import canonical
from .test_validate import PERSON, SMALL, small

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
TIMEOUT = 300


def need(present: bool, what: str) -> None:
    """A missing tool fails in CI (the project's scripts install it) and skips elsewhere."""
    if not present:
        message = f"{what} is missing: run `bash scripts/test-deps.sh` (root) and `pip install -e '.[test]'`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def jena(tmp_path_factory):
    need(shutil.which("java") is not None, "Java (Debian default-jre-headless)")
    need(Path("/usr/share/java/jena-cmds.jar").is_file(), "Jena (Debian libapache-jena-java)")
    env = {**os.environ, "KG_JENA_CACHE": str(tmp_path_factory.mktemp("jena-cache"))}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(SCRIPTS / "jena"), *args], capture_output=True, text=True, env=env,
                              timeout=TIMEOUT)
    return run


def _count(text: str, path: Path, what: str) -> int:
    m = re.search(re.escape(path.name) + rf" : {what} = ([\d,]+)", text)
    assert m, (path, text[-2000:])
    return int(m.group(1).replace(",", ""))


def test_jena_wrapper_builds_a_working_classpath(jena):
    cp = jena("classpath")
    assert cp.returncode == 0
    jars = cp.stdout.strip().split(":")
    assert sum("slf4j-simple" in j for j in jars) == 1
    assert not any(re.search(r"slf4j-(log4j12|jdk14|nop)|log4j-over-slf4j", j) for j in jars)
    assert any(Path(j, "xerces", "impl", "msg", "XMLSchemaMessages.properties").is_file() for j in jars)


def test_riot_validates_every_rdf_export(jena, seeds_exports, seeds_ttl):
    """riot --strict --check reads each export (JSON-LD as 1.0: Debian has no JSON-P for 1.1) with the counts we wrote."""
    triples = len(list(ox.parse(path=str(seeds_ttl), format=ox.RdfFormat.TURTLE)))
    ontology = len(list(ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)))
    files = [seeds_exports[f] for f in ("ttl", "nt", "xml", "nq", "trig")]
    done = jena("riot", "--count", "--strict", "--check", *map(str, files), str(ONTOLOGY), str(SHAPES))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARN" not in done.stderr and "ERROR" not in done.stderr, done.stderr[-3000:]
    for f in files[:3]:
        assert _count(done.stderr, f, "Triples") == triples, f
    for f in files[3:]:
        assert _count(done.stderr, f, "Quads") == triples + ontology, f
    done = jena("riot", "--count", "--strict", "--check", "--syntax=jsonld10", str(seeds_exports["jsonld"]))
    assert done.returncode == 0 and "WARN" not in done.stderr, done.stderr[-3000:]
    assert _count(done.stderr, seeds_exports["jsonld"], "Triples") == triples


def test_riot_rejects_a_broken_file(jena, tmp_path):
    """The check above can fail: an ill-typed literal and a bad IRI are reported with a non-zero exit."""
    bad = tmp_path / "bad.ttl"
    bad.write_text('<https://e.org/a> <https://e.org/p> "zwei"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
                   '<https://e.org/a b> <https://e.org/p> 1 .\n', encoding="utf-8")
    done = jena("riot", "--count", "--strict", "--check", str(bad))
    assert done.returncode != 0 and "zwei" in done.stderr


def test_rapper_reads_every_export(seeds_exports, seeds_ttl):
    need(shutil.which("rapper") is not None, "rapper (Debian raptor2-utils)")
    triples = len(list(ox.parse(path=str(seeds_ttl), format=ox.RdfFormat.TURTLE)))
    ontology = len(list(ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)))
    for fmt, syntax, expected in (("ttl", "turtle", triples), ("nt", "ntriples", triples), ("xml", "rdfxml", triples),
                                  ("nq", "nquads", triples + ontology), ("trig", "trig", triples + ontology)):
        done = subprocess.run(["rapper", "-i", syntax, "-c", str(seeds_exports[fmt])], capture_output=True,
                              text=True, timeout=TIMEOUT)
        assert done.returncode == 0, (fmt, done.stderr)
        assert "Warning" not in done.stderr and "Error" not in done.stderr, (fmt, done.stderr)
        assert f"returned {expected} triples" in done.stderr, (fmt, done.stderr)


def test_arq_answers_every_saved_query_like_kg_query(jena, seeds_ttl, tmp_path):
    """One JVM runs every saved query (ARQ); the rows equal kg query's (Oxigraph) and rdflib's."""
    queries = saved_queries()
    done = jena(str(SCRIPTS / "JenaQueries.java"), str(seeds_ttl), str(tmp_path), *(str(q.path) for q in queries.values()))
    assert done.returncode == 0, done.stderr[-3000:]
    counts = dict(line.split("\t") for line in done.stdout.splitlines())
    assert set(counts) == set(queries)
    rdflib_graph = Graph().parse(seeds_ttl, format="turtle")
    for name, sq in queries.items():
        mine = run_saved(seeds_ttl, name)
        assert int(counts[name]) == len(mine.rows), name
        with open(tmp_path / f"{name}.csv", encoding="utf-8", newline="") as f:
            header, *theirs = list(csv.reader(f))
        assert header == mine.variables, name
        ours = [tuple("" if v is None else v for v in row) for row in mine.values()]
        if "LIMIT" not in sq.text:       # with LIMIT, ties at the cut may differ; counts are compared above
            assert canonical(map(tuple, theirs)) == canonical(ours), name
        rows = [tuple("" if v is None else str(v) for v in row) for row in rdflib_graph.query(sq.text)]
        assert len(rows) == len(ours), (name, "rdflib")
        if "LIMIT" not in sq.text:
            assert canonical(rows) == canonical(ours), (name, "rdflib")


def _with_ontology(graph: Graph, path: Path) -> Path:
    union = Graph()
    for t in load_ontology():
        union.add(t)
    for t in graph:
        union.add(t)
    union.serialize(path, format="nt", encoding="utf-8")
    return path


def _jena_results(jena, data: Path) -> tuple[bool, list]:
    done = jena("shacl", "validate", "--shapes", str(SHAPES), "--data", str(data))
    assert done.returncode == 0, done.stderr[-3000:]
    report = Graph().parse(data=done.stdout, format="turtle")
    conforms = report.value(next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms)
    results = sorted((str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
                     for r in report.subjects(RDF.type, SH.ValidationResult))
    return conforms.toPython(), results


def _ours(graph: Graph) -> tuple[bool, list]:
    report = validate(graph)
    results = report.results
    return report.conforms, sorted((str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath)))
                                   for r in results.subjects(RDF.type, SH.ValidationResult))


def test_jena_shacl_agrees_with_kg_validate_given_the_ontology(jena, seeds_build, tmp_path):
    conforms, results = _jena_results(jena, _with_ontology(seeds_build.graph, tmp_path / "seeds.nt"))
    assert conforms and not results
    broken = small()
    broken.remove((PERSON, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None))
    broken.add((PERSON, KG.receivedAward, PERSON))
    receipt = next(broken.subjects(RDF.type, KG.AwardReceipt))
    broken.set((receipt, KG.year, Literal("2025")))
    theirs = _jena_results(jena, _with_ontology(broken, tmp_path / "broken.nt"))
    ours = _ours(broken)
    assert ours[0] is False and len(ours[1]) >= 4
    assert theirs == ours


def test_jena_shacl_needs_the_ontology_for_sh_class(jena, tmp_path):
    """Without the subclass axioms a kg:Enterprise is no kg:Organization to Jena: why kg validate mixes them in."""
    path = tmp_path / "small.ttl"
    path.write_text(SMALL, encoding="utf-8")
    conforms, results = _jena_results(jena, path)
    assert not conforms and any(path_ == str(KG.worksFor) for _, path_ in results)


def _owlready2() -> None:
    try:
        import owlready2  # noqa: F401
    except ImportError:
        need(False, "owlready2 (the test and reasoner extras)")
    need(shutil.which("java") is not None, "Java (Debian default-jre-headless)")


def test_hermit_finds_ontology_and_seeds_consistent(seeds_build, tmp_path):
    _owlready2()
    report = hermit_check(seeds_build.graph, load_ontology())
    assert report.consistent and report.ok and report.unsatisfiable == [], report.text
    assert report.triples == len(seeds_build.graph) + len(load_ontology())
    small_graph = tmp_path / "small.ttl"           # the command, on a graph whose SHACL check is quick
    small_graph.write_text(SMALL, encoding="utf-8")
    r = CliRunner().invoke(app, ["validate", str(small_graph), "--reasoner", "hermit"])
    assert r.exit_code == 0, r.output
    assert "SHACL: conforms" in r.output and "OWL RL" not in r.output
    assert "HermiT (OWL 2 DL): consistent, every class satisfiable" in r.output


def test_hermit_finds_a_broken_graph_inconsistent(seeds_build):
    """A place that received an award: the union-of-classes domain makes it a Person or an Organization,
    both disjoint from Place. OWL 2 RL has no rule for a union in that position, HermiT finds it."""
    _owlready2()
    g = Graph()
    for t in seeds_build.graph:
        g.add(t)
    place = sorted(g.subjects(RDF.type, KG.Place))[0]
    award = sorted(g.subjects(RDF.type, KG.Award))[0]
    g.add((place, KG.receivedAward, award))
    report = hermit_check(g, load_ontology())
    assert not report.consistent and not report.ok
    assert "inconsistent" in report.text


def test_hermit_reports_what_it_cannot_read(seeds_build):
    """xsd:gYear, the old kg:year datatype, is outside the OWL 2 datatype map: HermiT refuses, and says so."""
    _owlready2()
    from kg.hermit import ReasonerError

    g = small()
    receipt = next(g.subjects(RDF.type, KG.AwardReceipt))
    g.set((receipt, KG.year, Literal("2025", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))))
    with pytest.raises(ReasonerError, match="gYear"):
        hermit_check(g, load_ontology())


def test_ontology_is_in_the_owl2_dl_profile(tmp_path):
    """The OWL API's checker passes ours and fails the ontology as it was (rdf:langString ranges, rdf:Statement domain)."""
    _owlready2()
    old = ONTOLOGY.read_text(encoding="utf-8").replace("rdfs:range rdf:PlainLiteral", "rdfs:range rdf:langString")
    old = old.replace("kg:rule a owl:DatatypeProperty ;", "kg:rule a owl:DatatypeProperty ;\n"
                      "    rdfs:domain [ a owl:Class ; owl:unionOf ( kg:Mention rdf:Statement ) ] ;")
    broken = tmp_path / "as-it-was.ttl"
    broken.write_text(old, encoding="utf-8")
    done = subprocess.run([str(SCRIPTS / "owl-dl-profile"), str(ONTOLOGY), str(broken)], capture_output=True,
                          text=True, timeout=TIMEOUT, env={**os.environ, "PYTHON": sys.executable})
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{ONTOLOGY}: in the OWL 2 DL profile" in done.stdout
    assert f"{broken}: NOT in the OWL 2 DL profile" in done.stdout
    assert "reserved vocabulary for class IRI: rdf:Statement" in done.stdout
    assert "rdf:langString" in done.stdout
