"""The ontology (ontology/kg.ttl) declares exactly the KG terms, with labels, comments, the spec's domains and ranges, and covers what the build writes."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, XSD

from kg.model import CORE_RELATIONS, CORE_TYPES, EXTENDED_RELATIONS, EXTENDED_TYPES, ORG_TYPES
from kg.namespaces import KG, ONTOLOGY_IRI
from kg.resolve import DOMAIN_RANGE

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
KG_NS = str(KG._NS)
TERMS = {KG[name] for name in KG.__annotations__}
SPEC_CLASSES = ("Person", "Organization", "Enterprise", "TradeUnion", "GovernmentBody", "Institution", "Place",
                "Award", "Competition", "Studio", "Event", "Program", "Document")
SPEC_RELATIONS = ("worksFor", "receivedAward", "participatedIn", "locatedIn", "heldIn", "organizedBy",
                  "subOrganizationOf", "leads", "partOf", "jobTitle")
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def declared(onto: Graph) -> set[URIRef]:
    return {s for kind in DECLARATIONS for s in onto.subjects(RDF.type, kind) if str(s).startswith(KG_NS)}


def test_parses_with_rdflib_and_oxigraph(onto):
    assert len(onto) > 300
    assert len(list(ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE))) == len(onto)
    assert len(Graph().parse(SHAPES, format="turtle")) > 100


def test_metadata(onto):
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert str(onto.value(o, OWL.versionIRI)).startswith(ONTOLOGY_IRI + "/")
    assert onto.value(o, OWL.versionInfo)
    for p in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.created, DCTERMS.creator):
        assert onto.value(o, p) is not None, p
    assert "creativecommons.org/licenses/by/4.0" in str(onto.value(o, DCTERMS.license))


def test_declares_exactly_the_kg_terms(onto):
    assert declared(onto) == TERMS
    used = {t for triple in onto for t in triple if isinstance(t, URIRef) and str(t).startswith(KG_NS)}
    assert used <= TERMS, used - TERMS


def test_every_term_has_zh_and_en_label_and_a_comment(onto):
    for term in sorted(TERMS):
        labels = {(lit.language, str(lit)) for lit in onto.objects(term, RDFS.label)}
        assert {lang for lang, _ in labels} == {"zh", "en"}, term
        assert len(labels) == 2, term
        comments = [c for c in onto.objects(term, RDFS.comment) if isinstance(c, Literal) and c.language == "en"]
        assert len(comments) == 1 and "\n" not in comments[0], term
        assert (term, RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)) in onto


def test_spec_names_are_classes_and_properties(onto):
    for name in SPEC_CLASSES + ("SourceDocument", "Sentence", "Mention", "AwardReceipt"):
        assert (KG[name], RDF.type, OWL.Class) in onto, name
    for name in SPEC_RELATIONS:
        kinds = set(onto.objects(KG[name], RDF.type))
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, name
    assert (KG.jobTitle, RDF.type, OWL.DatatypeProperty) in onto
    assert set(CORE_TYPES + EXTENDED_TYPES) <= set(SPEC_CLASSES)
    assert set(CORE_RELATIONS + EXTENDED_RELATIONS) <= set(SPEC_RELATIONS)


def test_organization_hierarchy(onto):
    subs = {s for s in onto.subjects(RDFS.subClassOf, KG.Organization)}
    assert subs == {KG[t] for t in ORG_TYPES}


def _members(onto: Graph, node) -> set[str]:
    """Local names a domain or range stands for, an owl:unionOf opened and Organization as its four classes."""
    union = onto.value(node, OWL.unionOf)
    classes = list(Collection(onto, union)) if union is not None else [node]
    names = set()
    for c in classes:
        name = str(c)[len(KG_NS):]
        names |= set(ORG_TYPES) if name == "Organization" else {name}
    return names


@pytest.mark.parametrize("relation", sorted(DOMAIN_RANGE))
def test_domain_and_range_are_what_the_build_enforces(onto, relation):
    domain, range_ = DOMAIN_RANGE[relation]
    assert _members(onto, onto.value(KG[relation], RDFS.domain)) == set(domain)
    assert _members(onto, onto.value(KG[relation], RDFS.range)) == set(range_)


SHARED_WITH_STATEMENTS = (KG.sentence, KG.startOffset, KG.endOffset, KG.rule, KG.confidence)
OWL2_DATATYPES = {RDF.PlainLiteral, RDFS.Literal, XSD.integer, XSD.decimal, XSD.string}


def test_every_property_has_domain_and_range(onto):
    """All but the evidence properties rdf:Statement shares, whose domain OWL 2 DL cannot state (reserved vocabulary)."""
    for term in TERMS:
        if (term, RDF.type, OWL.Class) not in onto:
            assert (onto.value(term, RDFS.domain) is None) == (term in SHARED_WITH_STATEMENTS), term
            assert onto.value(term, RDFS.range) is not None, term


def test_evidence_properties_shared_with_statements_say_so(onto):
    for p in SHARED_WITH_STATEMENTS:
        comment = str(onto.value(p, RDFS.comment))
        assert any(word in comment for word in ("fact", "evidence")), p


def test_no_rdf_vocabulary_as_a_class_and_only_owl2_datatypes(onto):
    """OWL 2 DL: rdf:Statement and rdf:langString are not classes, xsd:gYear is not in the datatype map."""
    used = {t for triple in onto for t in triple if isinstance(t, URIRef)}
    assert RDF.Statement not in used and RDF.langString not in used and XSD.gYear not in used
    ranges = {onto.value(p, RDFS.range) for p in onto.subjects(RDF.type, OWL.DatatypeProperty)
              if str(p).startswith(KG_NS)}
    assert ranges <= OWL2_DATATYPES, ranges - OWL2_DATATYPES
    assert onto.value(KG.year, RDFS.range) == XSD.integer


def test_alignment_by_subclass_and_subproperty_only(onto):
    """Standard vocabularies are referred to, never redefined: an outside term is only declared (its kind)."""
    for s in {s for s in onto.subjects() if isinstance(s, URIRef)} - TERMS - {URIRef(ONTOLOGY_IRI)}:
        kinds = set(onto.objects(s, RDF.type))
        assert set(onto.predicates(s)) == {RDF.type} and len(kinds) == 1, s
        assert kinds <= {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}, s
    external_supers = {o for p in (RDFS.subClassOf, RDFS.subPropertyOf) for o in onto.objects(None, p)
                       if not str(o).startswith(KG_NS)}
    declared_outside = {s for s in onto.subjects(RDF.type, None) if not str(s).startswith(KG_NS)}
    assert external_supers <= declared_outside, external_supers - declared_outside
    bases = {str(o).split("#")[0].rsplit("/", 1)[0] for o in external_supers}
    for expected in ("https://schema.org", "http://www.w3.org/ns", "http://xmlns.com/foaf/0.1",
                     "http://www.w3.org/2004/02/skos", "http://purl.org/dc/terms"):
        assert any(b.startswith(expected) for b in bases), expected
    for c in (KG.Mention, KG.SourceDocument, KG.AwardReceipt, KG.Sentence):
        assert (c, RDFS.subClassOf, PROV.Entity) in onto
    assert (KG.Award, RDFS.subClassOf, SKOS.Concept) in onto


def test_outside_terms_the_graph_uses_are_declared(seeds_build, onto):
    """OWL 2 DL tools must know the kind of every predicate in ontology + graph (prov:wasDerivedFrom, skos:altLabel, …)."""
    standard = (str(RDF), str(RDFS), str(OWL), KG_NS)
    used = {p for p in seeds_build.graph.predicates() if not str(p).startswith(standard)}
    declared = set(onto.subjects(RDF.type, None))
    assert used and used <= declared, used - declared


def test_top_classes_are_pairwise_disjoint(onto):
    groups = [set(Collection(onto, onto.value(n, OWL.members))) for n in onto.subjects(RDF.type, OWL.AllDisjointClasses)]
    top = {KG[n] for n in ("Person", "Organization", "Place", "Award", "Competition", "Studio", "Event", "Program",
                           "Document", "SourceDocument", "Sentence", "Mention", "AwardReceipt")}
    assert top in groups
    assert {KG[t] for t in ORG_TYPES} in groups


def test_the_built_graph_uses_only_declared_terms(seeds_build, onto):
    g = seeds_build.graph
    classes = {o for o in g.objects(None, RDF.type)}
    kg_classes = {c for c in classes if str(c).startswith(KG_NS)}
    assert kg_classes <= set(onto.subjects(RDF.type, OWL.Class)), kg_classes
    assert classes - kg_classes <= {RDF.Statement}
    predicates = set(g.predicates())
    kg_predicates = {p for p in predicates if str(p).startswith(KG_NS)}
    assert kg_predicates <= declared(onto) - set(onto.subjects(RDF.type, OWL.Class)), kg_predicates
    standard = (str(RDF), str(RDFS), str(SKOS), str(OWL), str(PROV), str(DCTERMS))
    assert all(str(p).startswith(standard) for p in predicates - kg_predicates), predicates - kg_predicates


def test_shapes_use_only_declared_terms():
    shapes = Graph().parse(SHAPES, format="turtle")
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef) and str(t).startswith(KG_NS)}
    assert used <= TERMS, used - TERMS
