"""Every fact traceable by SPARQL over the Turtle alone; IRIs that stay put."""
from __future__ import annotations

import shutil

import pytest
import rdflib
from rdflib import RDF

import kg
from kg.model import CORE_RELATIONS, ENTITY_TYPES
from kg.namespaces import KG
from tests.conftest import SEEDS

PREFIXES = """
PREFIX kg: <https://w3id.org/cn-union-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def graph(seeds_ttl):
    return rdflib.Graph().parse(seeds_ttl, format="turtle")


@pytest.fixture(scope="module")
def texts():
    out = {}
    for path in SEEDS.glob("*.txt"):
        doc = kg.read_document(path)
        out[doc.name] = kg.normalised_text(doc)
    return out


def test_every_core_relation_triple_has_evidence_that_gives_back_its_sentence(graph, texts):
    rows = graph.query(PREFIXES + """
        SELECT ?s ?p ?o ?file ?text ?start ?end WHERE {
          ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
              prov:wasDerivedFrom ?doc ; kg:sentence ?sent .
          ?doc kg:fileName ?file .
          ?sent kg:text ?text ; kg:startOffset ?start ; kg:endOffset ?end .
        }""")
    evidenced = set()
    for s, p, o, file, text, start, end in rows:
        assert texts[str(file)][int(start):int(end)] == str(text)
        evidenced.add((s, p, o))
    triples = {(s, KG[r], o) for r in CORE_RELATIONS for s, o in graph.subject_objects(KG[r])}
    assert triples and triples <= evidenced


def test_every_quote_is_verbatim_in_its_source_file(graph):
    """Quoted sentences are the text as decoded from the file, at the offsets the graph gives
    (the pipeline folds full-width punctuation for its rules; quotes do not)."""
    rows = list(graph.query(PREFIXES + """
        SELECT ?text ?start ?end ?file WHERE {
          ?s a kg:Sentence ; kg:text ?text ; kg:startOffset ?start ; kg:endOffset ?end ;
             kg:inDocument ?doc . ?doc kg:fileName ?file . }"""))
    sources = {p.name: p.read_bytes().decode("utf-8") for p in SEEDS.glob("*.txt")}
    assert len(rows) > 100
    assert any("，" in str(text) for text, *_ in rows)
    for text, start, end, file in rows:
        assert sources[str(file)][int(start):int(end)] == str(text)


def test_quotes_and_offsets_refer_to_the_file_with_windows_line_ends(tmp_path):
    """A file with \r\n line ends and decomposed characters: every quote and mention offset
    still points into the text as decoded from it."""
    raw = "某某日报讯\r\n　　南昌市总工会主办的南昌市职工技能大赛在南昌举行。\r\n来自某某有限公司的张三获得一等奖，Cafe\u0301。\r\n"
    (tmp_path / "a.txt").write_bytes(raw.encode("utf-8"))
    result = kg.build_graph(tmp_path)
    g = result.graph
    quotes = list(g.query(PREFIXES + "SELECT ?t ?a ?b WHERE { ?s a kg:Sentence ; kg:text ?t ; kg:startOffset ?a ; kg:endOffset ?b }"))
    assert quotes
    for text, a, b in quotes:
        assert raw[int(a):int(b)] == str(text)
    forms = list(g.query(PREFIXES + "SELECT ?f ?a ?b WHERE { ?m a kg:Mention ; kg:surfaceForm ?f ; kg:startOffset ?a ; kg:endOffset ?b }"))
    assert any(str(f) == "张三" for f, *_ in forms)
    for form, a, b in forms:
        assert raw[int(a):int(b)] == str(form)


def test_statements_name_rule_and_confidence(graph):
    for st in graph.subjects(RDF.type, RDF.Statement):
        assert graph.value(st, KG.rule) is not None
        c = graph.value(st, KG.confidence)
        assert c is not None and 0 <= float(c) <= 1


def test_every_entity_has_a_mention_with_its_surface_form(graph, texts):
    classes = {KG[t] for t in ENTITY_TYPES}
    entities = {s for s, o in graph.subject_objects(RDF.type) if o in classes}
    rows = graph.query(PREFIXES + """
        SELECT ?e ?form ?start ?end ?file WHERE {
          ?m a kg:Mention ; kg:mentionOf ?e ; kg:surfaceForm ?form ; kg:startOffset ?start ;
             kg:endOffset ?end ; prov:wasDerivedFrom ?doc . ?doc kg:fileName ?file . }""")
    from kg.pipeline.normalize import fold_text, load_fold_table

    table = load_fold_table()
    mentioned = set()
    for e, form, start, end, file in rows:
        assert fold_text(texts[str(file)][int(start):int(end)], table) == str(form)
        mentioned.add(e)
    assert entities and entities <= mentioned


def test_qualified_awards_filterable_by_year(graph):
    rows = list(graph.query(PREFIXES + """
        SELECT ?who ?award ?year ?text WHERE {
          ?r a kg:AwardReceipt ; kg:recipient ?p ; kg:award ?a ; kg:year ?year ; kg:sentence ?s .
          ?p rdfs:label ?who . ?a rdfs:label ?award . ?s kg:text ?text .
          FILTER (?year = 2026) }"""))
    assert any(str(who) == "杨迎" and str(award) == "江西省五一劳动奖章" for who, award, _, _ in rows)
    for _, _, _, text in rows:
        assert str(text)


def test_documents_carry_name_title_and_hash(graph):
    docs = list(graph.subjects(RDF.type, KG.SourceDocument))
    assert len(docs) == 5
    for d in docs:
        sha = str(graph.value(d, KG.sha256))
        assert len(sha) == 64 and str(d).endswith(sha[:16])
        assert str(graph.value(d, KG.fileName)).endswith(".txt")
        assert graph.value(d, rdflib.namespace.DCTERMS.title)


def _entity_iris(g: rdflib.Graph) -> set:
    classes = {KG[t] for t in ENTITY_TYPES}
    return {s for s, o in g.subject_objects(RDF.type) if o in classes}


def _all_iris(g: rdflib.Graph) -> set:
    return {x for t in g for x in (t[0], t[2]) if isinstance(x, rdflib.URIRef)}


def test_iris_do_not_depend_on_document_order_or_names(tmp_path, seeds_ttl):
    src = tmp_path / "renamed"
    src.mkdir()
    for i, p in enumerate(sorted(SEEDS.glob("*.txt"), reverse=True)):
        shutil.copy(p, src / f"{i}_{p.name}")
    other = kg.build_graph(src, kg.Settings(progress=False)).graph
    base = rdflib.Graph().parse(seeds_ttl, format="turtle")
    assert _entity_iris(other) == _entity_iris(base)
    assert {t for t in other if t[1] != KG.fileName} == {t for t in base if t[1] != KG.fileName}


@pytest.mark.parametrize("subset", [["000_4ec1a5a535e68728.txt"], ["002_225162b121309649.txt", "004_648ff8d8dfa23971.txt"]])
def test_iris_survive_a_larger_corpus(tmp_path, seeds_ttl, subset):
    src = tmp_path / "subset"
    src.mkdir()
    for name in subset:
        shutil.copy(SEEDS / name, src / name)
    small = kg.build_graph(src, kg.Settings(progress=False)).graph
    full = rdflib.Graph().parse(seeds_ttl, format="turtle")
    missing = _entity_iris(small) - _all_iris(full)
    assert not missing, sorted(missing)[:10]


def test_base_iri_is_a_setting(tmp_path):
    src = tmp_path / "one"
    src.mkdir()
    shutil.copy(SEEDS / "002_225162b121309649.txt", src)
    g = kg.build_graph(src, kg.Settings(base_iri="http://example.org/kg/", progress=False)).graph
    assert all(str(s).startswith("http://example.org/kg/") for s in _entity_iris(g))
    with pytest.raises(ValueError):
        kg.Settings(base_iri="http://example.org/kg")
