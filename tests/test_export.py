"""kg export: every format read back by a second, independent parser, and the RDF loaded into a
real Oxigraph server over HTTP, where the saved queries give the same rows as `kg query`."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from typer.testing import CliRunner

from kg import export as ex
from kg.cli import app
from kg.model import ENTITY_TYPES, RELATIONS
from kg.namespaces import ONTOLOGY_IRI
from kg.query import bind_params, run_query, saved_queries

from .sparql_helpers import canonical, http, oxigraph_server, sparqlwrapper_rows

pytestmark = pytest.mark.filterwarnings("ignore:.*(deprecated|ConjunctiveGraph).*:DeprecationWarning")
KG = "https://w3id.org/cn-union-kg/ontology#"
PARAMS = {"honours": {"name": "钟松梅"}, "evidence": {"subject": "钟松梅"}, "organisations-in-place": {"place": "江西"},
          "document-entities": {"file": "001_d5db5192d06014bd.txt"}, "about": {"name": "曾祥宗"},
          "awards-by-level": {"level": "全国"}, "enterprises-by-honoured-staff": {"class": "Enterprise"}}


@pytest.fixture(scope="module")
def exports(seeds_exports) -> dict[str, Path]:
    return seeds_exports


@pytest.fixture(scope="module")
def source_triples(seeds_ttl) -> set:
    """The built graph as rdflib reads the Turtle that rdflib wrote."""
    return set(rdflib.Graph().parse(seeds_ttl, format="turtle"))


@pytest.fixture(scope="module")
def entity_counts(seeds_ttl) -> tuple[int, int]:
    classes = " ".join(f"kg:{c}" for c in ENTITY_TYPES)
    rels = " ".join(f"kg:{r}" for r in RELATIONS)
    nodes = run_query(seeds_ttl, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c }}")
    edges = run_query(seeds_ttl, f"""SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {rels} }} ?s ?p ?o .
        FILTER EXISTS {{ VALUES ?c {{ {classes} }} ?s a ?c }} FILTER EXISTS {{ VALUES ?c2 {{ {classes} }} ?o a ?c2 }} }}""")
    return int(nodes.values()[0][0]), int(edges.values()[0][0])


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("xml", "xml"), ("jsonld", "json-ld")])
def test_single_graph_exports_read_back_by_rdflib(exports, source_triples, fmt, parser):
    assert set(rdflib.Graph().parse(exports[fmt], format=parser)) == source_triples


def test_jsonld_is_compact_and_oxigraph_reads_it(exports, source_triples):
    doc = json.loads(exports["jsonld"].read_text(encoding="utf-8"))
    ctx = doc["@context"]
    assert ctx["@vocab"] == KG and ctx["@language"] == "zh" and ctx["@base"].endswith("/id/")
    assert ctx["worksFor"] == {"@id": "kg:worksFor", "@type": "@id"}
    nodes = {n["@id"]: n for n in doc["@graph"]}
    person = nodes["person/钟松梅"]
    assert person["@type"] == "Person" and person["label"] == "钟松梅"
    assert "award/全国劳动模范" in (person["receivedAward"] if isinstance(person["receivedAward"], list)
                                    else [person["receivedAward"]])
    store = ox.Store()
    store.load(path=str(exports["jsonld"]), format=ox.RdfFormat.JSON_LD)
    assert len(store) == len(source_triples)


def test_named_graphs_split_by_document(exports, source_triples, seeds_ttl):
    for fmt, parser in (("nq", "nquads"), ("trig", "trig")):
        ds = rdflib.Dataset()
        ds.parse(exports[fmt], format=parser)
        graphs = {str(g.identifier): set(g) for g in ds.graphs() if len(g)}
        docs = {str(s) for s, _, _ in source_triples_of(source_triples, rdflib.RDF.type, rdflib.URIRef(KG + "SourceDocument"))}
        base = next(iter(docs)).rsplit("source/", 1)[0]
        ontology = {ONTOLOGY_IRI} if ex.find_ontology() else set()
        assert set(graphs) == docs | {base + ex.ENTITIES_GRAPH} | ontology, fmt
        union = set().union(*(t for name, t in graphs.items() if name != ONTOLOGY_IRI))
        assert union == source_triples, fmt
        assert sum(len(t) for name, t in graphs.items() if name != ONTOLOGY_IRI) == len(source_triples)
        derived = rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
        for doc in docs:
            g = graphs[doc]
            mentions = {s for s, p, o in g if p == rdflib.RDF.type and o == rdflib.URIRef(KG + "Mention")}
            assert mentions and all((m, derived, rdflib.URIRef(doc)) in g for m in mentions)
        if ontology:
            assert (rdflib.URIRef(KG + "Person"), rdflib.RDF.type, rdflib.OWL.Class) in graphs[ONTOLOGY_IRI]
        shared = graphs[base + ex.ENTITIES_GRAPH]
        assert (rdflib.URIRef(base + "person/钟松梅"), rdflib.RDFS.label, rdflib.Literal("钟松梅", lang="zh")) in shared


def source_triples_of(triples, p, o):
    return [t for t in triples if t[1] == p and t[2] == o]


def test_graphml_and_gexf_read_back_by_networkx(exports, entity_counts):
    nodes, edges = entity_counts
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        g = reader(exports[fmt])
        assert (g.number_of_nodes(), g.number_of_edges()) == (nodes, edges), fmt
        iri = next(n for n, d in g.nodes(data=True) if d.get("label") == "钟松梅")
        assert g.nodes[iri]["class"] == "Person"
        assert any(d.get("relation") == "receivedAward" for _, _, d in g.out_edges(iri, data=True)), fmt
        ET.parse(exports[fmt])
    root = ET.parse(exports["graphml"]).getroot()
    keys = {k.get("attr.name") for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")}
    assert {"label", "class", "aliases", "mentions", "relation", "weight"} <= keys


def test_neo4j_csv_pair(exports, entity_counts):
    folder = exports["neo4j"]
    with open(folder / "nodes.csv", encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with open(folder / "relationships.csv", encoding="utf-8", newline="") as f:
        rels = list(csv.DictReader(f))
    assert list(nodes[0]) == ["id:ID", "name", ":LABEL", "aliases:string[]", "mentions:int"]
    assert list(rels[0]) == [":START_ID", ":END_ID", ":TYPE", "evidence:int", "documents:string[]"]
    ids = [n["id:ID"] for n in nodes]
    assert len(ids) == len(set(ids)) == entity_counts[0]
    assert len(rels) == entity_counts[1]
    assert all(r[":START_ID"] in set(ids) and r[":END_ID"] in set(ids) for r in rels)
    assert all(r[":TYPE"] in RELATIONS and int(r["evidence:int"]) >= 0 for r in rels)
    union = next(n for n in nodes if n["name"] == "江西省总工会")
    assert union[":LABEL"] == "Organization;TradeUnion"


def test_neo4j_quoting_of_commas_quotes_and_newlines(tmp_path):
    g = tmp_path / "g.ttl"
    g.write_text('@prefix kg: <https://w3id.org/cn-union-kg/ontology#> .\n'
                 '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                 '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                 '<https://e.org/id/organization/x> a kg:Enterprise ; rdfs:label "甲,乙\\"丙\\"\\n公司，有限"@zh ;\n'
                 '  skos:altLabel "甲;乙"@zh, "丙"@zh .\n', encoding="utf-8")
    [nodes_csv, _] = ex.export(g, "neo4j", tmp_path / "neo")
    with open(nodes_csv, encoding="utf-8", newline="") as f:
        [row] = list(csv.DictReader(f))
    assert row["name"] == '甲,乙"丙"\n公司，有限'
    assert row["aliases:string[]"].split(";") == ["丙", "甲；乙"]
    assert row[":LABEL"] == "Organization;Enterprise"


def test_exports_are_deterministic_and_atomic(seeds_ttl, tmp_path, monkeypatch):
    for fmt in ("nt", "nq", "jsonld", "graphml"):
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        ex.export(seeds_ttl, fmt, a)
        ex.export(seeds_ttl, fmt, b, cache=False)
        assert a.read_bytes() == b.read_bytes(), fmt
    target = tmp_path / "a.nt"
    before = target.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ex.ox, "serialize", broken)
    with pytest.raises(OSError):
        ex.export(seeds_ttl, "nt", target)
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".*.part"))


def test_export_errors(tmp_path, seeds_ttl):
    runner = CliRunner()
    r = runner.invoke(app, ["export", str(tmp_path / "none.ttl"), "--format", "nt"])
    assert r.exit_code == 2 and "none.ttl" in r.stderr
    r = runner.invoke(app, ["export", str(seeds_ttl), "--format", "docx", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "--format 'docx'" in r.stderr


def test_oxigraph_server_loads_the_exports_and_answers_like_kg_query(exports, seeds_ttl, tmp_path):
    """The real Oxigraph server: N-Quads and Turtle posted through its Graph Store endpoint, queried with SPARQLWrapper."""
    with oxigraph_server(tmp_path / "oxigraph-data") as base:
        status, _, body = http(f"{base}/store?default", exports["ttl"].read_bytes(),
                               {"Content-Type": "text/turtle"}, "POST")
        assert status in (200, 201, 204), body
        status, _, body = http(f"{base}/store", exports["nq"].read_bytes(),
                               {"Content-Type": "application/n-quads"}, "POST")
        assert status in (200, 201, 204), body
        _, names = sparqlwrapper_rows(f"{base}/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        document_graphs = sorted(n for (n,) in names if n != ONTOLOGY_IRI)
        assert len(document_graphs) >= 6
        assert (ONTOLOGY_IRI in {n for (n,) in names}) == bool(ex.find_ontology())
        for name, sq in saved_queries().items():
            for params in ({}, PARAMS.get(name, {})):
                text = bind_params(sq.text, params)
                mine = run_query(seeds_ttl, text)
                variables, theirs = sparqlwrapper_rows(f"{base}/query", text)
                assert variables == mine.variables, name
                assert canonical(theirs) == canonical(mine.values()), (name, params)
                _, merged = sparqlwrapper_rows(f"{base}/query", text, document_graphs)
                assert canonical(merged) == canonical(mine.values()), (name, params, "named graphs")


def test_graphml_edge_ids_are_unique_and_igraph_reads_it(exports, entity_counts):
    root = ET.parse(exports["graphml"]).getroot()
    ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == len(set(ids)) == entity_counts[1]
    import igraph

    g = igraph.Graph.Read_GraphML(str(exports["graphml"]))
    assert (g.vcount(), g.ecount()) == entity_counts
    assert g.is_directed()
    person = g.vs.find(label="钟松梅")
    assert person["class"] == "Person"
    assert "receivedAward" in {g.es[e]["relation"] for e in g.incident(person, mode="out")}


def test_gexf_carries_no_date_and_no_networkx_internals(exports, seeds_ttl, tmp_path):
    import datetime

    text = exports["gexf"].read_text(encoding="utf-8")
    assert "networkx" not in text.lower() and "lastmodifieddate" not in text
    assert datetime.date.today().isoformat() not in text
    root = ET.parse(exports["gexf"]).getroot()
    ns = {"g": "http://gexf.net/1.3"}
    edge_ids = [e.get("id") for e in root.findall(".//g:edge", ns)]
    assert len(edge_ids) == len(set(edge_ids))
    again = tmp_path / "again.gexf"
    ex.export(seeds_ttl, "gexf", again, cache=False)
    assert again.read_bytes() == exports["gexf"].read_bytes()


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_kuzu_export_is_deterministic(exports, seeds_ttl, tmp_path):
    again = tmp_path / "kuzu"
    ex.export(seeds_ttl, "kuzu", again, cache=False)
    assert _folder_bytes(again) == _folder_bytes(exports["kuzu"])


def _kuzu_rows(folder: Path, db_path: Path, cypher: str, monkeypatch) -> list[tuple]:
    import kuzu

    conn = kuzu.Connection(kuzu.Database(str(db_path)))
    monkeypatch.chdir(folder)       # load.cypher names its CSV files relative to its folder
    conn.execute((folder / "load.cypher").read_text(encoding="utf-8"))
    result = conn.execute(cypher)
    rows = []
    while result.has_next():
        rows.append(tuple(result.get_next()))
    return rows


def test_kuzu_loads_typed_tables_and_cypher_matches_sparql(exports, seeds_ttl, tmp_path, monkeypatch, entity_counts):
    """People and their awards: Cypher in the real Kùzu over the typed tables = SPARQL over the graph."""
    cypher = "MATCH (p:Person)-[r:receivedAward]->(a:Award) RETURN p.iri, a.iri, r.evidence, size(r.documents)"
    rows = _kuzu_rows(exports["kuzu"], tmp_path / "db", cypher, monkeypatch)
    sparql = run_query(seeds_ttl, """SELECT ?p ?a (COUNT(DISTINCT ?st) AS ?n) (COUNT(DISTINCT ?d) AS ?docs) WHERE {
        ?p a kg:Person ; kg:receivedAward ?a . ?a a kg:Award .
        ?st rdf:subject ?p ; rdf:predicate kg:receivedAward ; rdf:object ?a ; prov:wasDerivedFrom ?d } GROUP BY ?p ?a""")
    expected = sorted((p, a, int(n), int(d)) for p, a, n, d in sparql.values())
    assert expected and sorted(rows) == expected
    import kuzu

    conn = kuzu.Connection(kuzu.Database(str(tmp_path / "db")))
    total = conn.execute("MATCH (n) RETURN count(n)").get_next()[0]
    edges = conn.execute("MATCH ()-[e]->() RETURN count(e)").get_next()[0]
    assert (total, edges) == entity_counts
    orgs = conn.execute("MATCH (o:Enterprise:TradeUnion:GovernmentBody:Institution) RETURN count(o)").get_next()[0]
    union = run_query(seeds_ttl, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { VALUES ?c { kg:Enterprise kg:TradeUnion "
                                 "kg:GovernmentBody kg:Institution } ?o a ?c }")
    assert orgs == int(union.values()[0][0])


def test_kuzu_lists_keep_items_with_commas_and_brackets(tmp_path, monkeypatch):
    g = tmp_path / "g.ttl"
    g.write_text('@prefix kg: <https://w3id.org/cn-union-kg/ontology#> .\n'
                 '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                 '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                 '<https://e.org/id/organization/x> a kg:Enterprise ; rdfs:label "甲,乙\\"丙\\"\\n公司"@zh ;\n'
                 '  skos:altLabel "甲,乙"@zh, "[丙]"@zh, "丁"@zh .\n', encoding="utf-8")
    ex.export(g, "kuzu", tmp_path / "kz")
    rows = _kuzu_rows(tmp_path / "kz", tmp_path / "db", "MATCH (o:Enterprise) RETURN o.name, o.aliases", monkeypatch)
    assert rows == [('甲,乙"丙"\n公司', ["［丙］", "丁", "甲，乙"])]   # in the order of the names as written
