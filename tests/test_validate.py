"""The validator: the seeds conform, and each kind of broken graph is caught (SHACL and OWL RL), by the library and by `kg validate`."""
from __future__ import annotations

import time

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import OWL
from typer.testing import CliRunner

from kg.cli import app
from kg.namespaces import KG
from kg.graphio import GraphFileError
from kg.validate import load_graph, owl_check, validate

ID = "https://example.org/id/"
SHA = "0123456789abcdef" + "a" * 48
DOC = URIRef(f"{ID}source/{SHA[:16]}")
SENT = URIRef(f"{DOC}/sentence/0-19")
PERSON, ORG, AWARD = URIRef(f"{ID}person/张三"), URIRef(f"{ID}organization/示例机械有限公司"), URIRef(f"{ID}award/全国劳动模范")
RECEIPT = URIRef(f"{ID}award-receipt/r1")
ST_WORKS, ST_AWARD = URIRef(f"{ID}statement/s1"), URIRef(f"{ID}statement/s2")

# One sentence, 19 characters: 张三 [0, 2), 示例机械有限公司 [3, 11), 全国劳动模范 [12, 18).
SMALL = f"""
@prefix kg: <https://w3id.org/cn-union-kg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix id: <{ID}> .

<{DOC}> a kg:SourceDocument ; kg:fileName "a.txt" ; kg:sha256 "{SHA}" ; kg:encoding "utf-8" ;
    dcterms:title "标题"@zh .
<{SENT}> a kg:Sentence ; kg:text "张三是示例机械有限公司的全国劳动模范。"@zh ; kg:startOffset 0 ; kg:endOffset 19 ;
    kg:inDocument <{DOC}> .

<{PERSON}> a kg:Person ; rdfs:label "张三"@zh ; kg:worksFor <{ORG}> ; kg:receivedAward <{AWARD}> .
<{ORG}> a kg:Enterprise ; rdfs:label "示例机械有限公司"@zh ; skos:altLabel "示例机械"@zh .
<{AWARD}> a kg:Award ; rdfs:label "全国劳动模范"@zh .
<{ID}organization/示例机械> owl:sameAs <{ORG}> .

<{DOC}/mention/0-2> a kg:Mention ; kg:mentionOf <{PERSON}> ; kg:surfaceForm "张三"@zh ; kg:startOffset 0 ;
    kg:endOffset 2 ; kg:sentence <{SENT}> ; prov:wasDerivedFrom <{DOC}> ; kg:rule "person.context" .
<{DOC}/mention/3-11> a kg:Mention ; kg:mentionOf <{ORG}> ; kg:surfaceForm "示例机械有限公司"@zh ;
    kg:startOffset 3 ; kg:endOffset 11 ; kg:sentence <{SENT}> ; prov:wasDerivedFrom <{DOC}> ; kg:rule "org.suffix" .
<{DOC}/mention/12-18> a kg:Mention ; kg:mentionOf <{AWARD}> ; kg:surfaceForm "全国劳动模范"@zh ;
    kg:startOffset 12 ; kg:endOffset 18 ; kg:sentence <{SENT}> ; prov:wasDerivedFrom <{DOC}> ; kg:rule "award.core" .

<{ST_WORKS}> a rdf:Statement ; rdf:subject <{PERSON}> ; rdf:predicate kg:worksFor ; rdf:object <{ORG}> ;
    prov:wasDerivedFrom <{DOC}> ; kg:sentence <{SENT}> ; kg:startOffset 0 ; kg:endOffset 19 ;
    kg:rule "works_for.de" ; kg:confidence 0.8 .
<{ST_AWARD}> a rdf:Statement ; rdf:subject <{PERSON}> ; rdf:predicate kg:receivedAward ; rdf:object <{AWARD}> ;
    prov:wasDerivedFrom <{DOC}> ; kg:sentence <{SENT}> ; kg:startOffset 0 ; kg:endOffset 19 ;
    kg:rule "award.apposition" ; kg:confidence 0.9 .
<{RECEIPT}> a kg:AwardReceipt ; kg:recipient <{PERSON}> ; kg:award <{AWARD}> ; kg:year 2025 ;
    prov:wasDerivedFrom <{ST_AWARD}> ; kg:sentence <{SENT}> .
"""


def small() -> Graph:
    return Graph().parse(data=SMALL, format="turtle")


def keys(report) -> set[str]:
    return set(report.violations)


def test_the_small_graph_is_valid():
    report = validate(small())
    assert report.conforms, report.text
    assert report.violations == {} and report.text == "SHACL: conforms"
    assert owl_check(small(), full=True).ok


def test_seeds_conform_to_the_shapes(seeds_build):
    started = time.perf_counter()
    report = validate(seeds_build.graph)
    assert report.conforms, report.text
    assert time.perf_counter() - started < 60, "pySHACL on the seeds should take seconds"


@pytest.fixture(scope="module")
def seeds_owl(seeds_build):
    return owl_check(seeds_build.graph)


def test_seeds_are_consistent_and_every_node_stays_in_its_class(seeds_owl):
    assert seeds_owl.inconsistencies == [], seeds_owl.text
    assert seeds_owl.misplaced == [], seeds_owl.text


def test_seeds_no_two_entities_made_one_by_sameas(seeds_owl):
    assert seeds_owl.merged == [], seeds_owl.text


def test_person_without_label():
    g = small()
    g.remove((PERSON, RDFS.label, None))
    report = validate(g)
    assert not report.conforms
    assert "kgsh:Entity-label rdfs:label" in keys(report)
    assert [f.focus for f in report.findings] == ["id:person/张三"]


def test_label_not_in_chinese_and_two_labels():
    g = small()
    g.add((ORG, RDFS.label, Literal("Example Machinery", lang="en")))
    report = validate(g)
    assert report.violations["kgsh:Entity-label rdfs:label"] >= 2   # two labels, one not @zh


def test_received_award_pointing_at_a_person():
    g = small()
    other = URIRef(f"{ID}person/李四")
    g.add((other, RDF.type, KG.Person))
    g.add((other, RDFS.label, Literal("李四", lang="zh")))
    g.add((PERSON, KG.receivedAward, other))
    report = validate(g)
    assert not report.conforms
    assert "kgsh:receivedAward kg:receivedAward" in keys(report)
    assert "kgsh:RelationEvidence kg:receivedAward" in keys(report)   # and it has no evidence either


def test_works_for_from_an_organisation_and_into_a_place():
    g = small()
    place = URIRef(f"{ID}place/南昌市")
    g.add((place, RDF.type, KG.Place))
    g.add((ORG, KG.worksFor, place))
    found = keys(validate(g))
    assert "kgsh:worksFor" in found                      # domain: only a Person works for
    assert "kgsh:worksFor kg:worksFor" in found          # range: an Organization


def test_subclass_counts_for_sh_class():
    """worksFor points at a kg:Enterprise: a kg:Organization through the ontology's subClassOf."""
    assert "kgsh:worksFor kg:worksFor" not in keys(validate(small()))


def test_relation_triple_without_statement():
    g = small()
    g.remove((ST_WORKS, None, None))
    report = validate(g)
    assert not report.conforms
    assert "kgsh:RelationEvidence kg:worksFor" in keys(report)
    assert any("no evidence" in f.message for f in report.findings)


def test_statement_without_sentence_or_source():
    g = small()
    g.remove((ST_WORKS, KG.sentence, None))
    assert "kgsh:RelationEvidence kg:worksFor" in keys(validate(g))
    g = small()
    g.set((ST_WORKS, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), SENT))
    assert not validate(g).conforms


def test_statement_of_a_triple_not_in_the_graph():
    g = small()
    g.remove((PERSON, KG.worksFor, ORG))
    report = validate(g)
    assert any("not in the graph" in f.message for f in report.findings)


@pytest.mark.parametrize("year", [Literal("2025"), Literal("2025", datatype=XSD.gYear),
                                  Literal("二〇二五", datatype=XSD.integer), Literal(25), Literal(20250)])
def test_year_not_a_four_digit_integer(year):
    g = small()
    g.set((RECEIPT, KG.year, year))
    report = validate(g)
    assert not report.conforms
    assert "kgsh:year kg:year" in keys(report)


@pytest.mark.parametrize("value", [Literal("1.5", datatype=XSD.decimal), Literal("-0.1", datatype=XSD.decimal),
                                   Literal(0.5)])
def test_confidence_outside_0_1_or_not_decimal(value):
    g = small()
    g.set((ST_WORKS, KG.confidence, value))
    assert "kgsh:confidence kg:confidence" in keys(validate(g))


def test_entity_without_mention():
    g = small()
    g.remove((URIRef(f"{DOC}/mention/12-18"), None, None))
    report = validate(g)
    assert report.violations["kgsh:Entity-mention ^kg:mentionOf"] == 1
    assert [f.focus for f in report.findings] == ["id:award/全国劳动模范"]


def test_alt_label_must_be_chinese():
    g = small()
    g.add((ORG, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), Literal("Example")))
    assert "kgsh:Entity-altLabel skos:altLabel" in keys(validate(g))


def test_source_document_checks():
    g = small()
    g.set((DOC, KG.sha256, Literal("not-a-digest")))
    g.remove((DOC, KG.fileName, None))
    found = keys(validate(g))
    assert "kgsh:SourceDocument kg:sha256" in found and "kgsh:SourceDocument kg:fileName" in found
    assert "kgsh:SourceDocument" in found     # the IRI no longer ends with the digest


def test_sentence_offsets_and_text():
    g = small()
    g.set((SENT, KG.startOffset, Literal(19)))
    report = validate(g)
    assert "kgsh:Sentence kg:startOffset" in keys(report)          # start < end
    assert any("not as long" in f.message for f in report.findings)
    g = small()
    g.set((SENT, KG.text, Literal("张三是示例机械有限公司", lang="zh")))
    assert any("not as long" in f.message for f in validate(g).findings)


def test_mention_outside_its_sentence():
    g = small()
    m = URIRef(f"{DOC}/mention/12-18")
    g.set((m, KG.startOffset, Literal(30)))
    g.set((m, KG.endOffset, Literal(36)))
    assert any("outside its kg:sentence" in f.message for f in validate(g).findings)


def test_award_receipt_without_its_triple():
    g = small()
    g.set((RECEIPT, KG.award, URIRef(f"{ID}award/other")))
    assert any("stands beside" in f.message for f in validate(g).findings)


def test_node_in_two_disjoint_classes():
    g = small()
    g.add((PERSON, RDF.type, KG.Enterprise))
    owl = owl_check(g)
    assert not owl.ok
    assert any("Disjoint" in m and "张三" in m for m in owl.inconsistencies), owl.text
    assert any("one entity class" in f.message for f in validate(g).findings)


def test_two_organisation_subclasses_are_disjoint():
    g = small()
    g.add((ORG, RDF.type, KG.TradeUnion))
    assert owl_check(g).inconsistencies


def test_node_inferred_outside_its_class():
    """An enterprise as the object of receivedAward is inferred an Award: inconsistent and misplaced."""
    g = small()
    g.add((PERSON, KG.receivedAward, ORG))
    owl = owl_check(g)
    assert owl.inconsistencies
    assert any("示例机械有限公司" in m and "kg:Award" in m for m in owl.misplaced), owl.text


def test_untyped_node_inferred_into_a_class():
    g = small()
    g.add((PERSON, KG.worksFor, URIRef(f"{ID}organization/无类型")))
    owl = owl_check(g)
    assert any("declared nothing" in m and "kg:Organization" in m for m in owl.misplaced), owl.text


def test_class_not_in_the_ontology():
    g = small()
    g.add((PERSON, RDF.type, URIRef(str(KG._NS) + "Worker")))
    assert any("does not declare" in m for m in owl_check(g).misplaced)


def test_entities_merged_by_an_alias():
    g = small()
    other = URIRef(f"{ID}organization/另一机械有限公司")
    g.add((other, RDF.type, KG.Enterprise))
    g.add((URIRef(f"{ID}organization/示例机械"), OWL.sameAs, other))
    owl = owl_check(g)
    assert len(owl.merged) == 1 and "另一机械有限公司" in owl.merged[0]


def test_full_closure_agrees_on_the_small_graph():
    g = small()
    g.add((PERSON, RDF.type, KG.Enterprise))
    assert owl_check(g, full=True).inconsistencies == owl_check(g).inconsistencies


def test_missing_or_unreadable_files(tmp_path):
    with pytest.raises(GraphFileError, match="not found"):
        load_graph(tmp_path / "none.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <", encoding="utf-8")
    with pytest.raises(GraphFileError, match="bad.ttl"):
        validate(bad)


def test_nquads_are_read_as_one_graph(tmp_path):
    g = small()
    path = tmp_path / "g.nq"
    path.write_text("".join(f"{s.n3()} {p.n3()} {o.n3()} <{ID}graph> .\n" for s, p, o in g), encoding="utf-8")
    assert len(load_graph(path)) == len(g)


runner = CliRunner()


def test_cli_exit_codes(tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text(SMALL, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "SHACL: conforms" in result.output and "OWL RL: consistent" in result.output

    broken = small()
    broken.remove((PERSON, RDFS.label, None))
    bad = tmp_path / "bad.ttl"
    broken.serialize(bad, format="turtle")
    result = runner.invoke(app, ["validate", str(bad), "--no-owl"])
    assert result.exit_code == 1
    assert "kgsh:Entity-label" in result.output and "OWL" not in result.output

    disjoint = small()
    disjoint.add((PERSON, RDF.type, KG.Enterprise))
    path = tmp_path / "disjoint.ttl"
    disjoint.serialize(path, format="turtle")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1 and "Disjoint" in result.output

    result = runner.invoke(app, ["validate", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2 and "missing.ttl" in result.output
    garbage = tmp_path / "garbage.ttl"
    garbage.write_bytes(b"\x00\x01 not rdf <<<")
    result = runner.invoke(app, ["validate", str(garbage)])
    assert result.exit_code == 2 and "garbage.ttl" in result.output
    result = runner.invoke(app, ["validate", str(good), "--shapes", str(tmp_path / "no-shapes.ttl")])
    assert result.exit_code == 2 and "no-shapes.ttl" in result.output


def test_cli_custom_shapes(tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text(SMALL, encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kg: <https://w3id.org/cn-union-kg/ontology#> .
<urn:s> a sh:NodeShape ; sh:targetClass kg:Person ;
    sh:property [ sh:path kg:jobTitle ; sh:minCount 1 ] .
""", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(good), "--shapes", str(shapes), "--no-owl"])
    assert result.exit_code == 1 and "kg:jobTitle" in result.output
