"""RDF graphs made by hand for the render tests: a synthetic large graph and an injection graph.

They are built as the RDF stage builds real ones (entities with labels,
aliases and mentions; relation triples with rdf:Statement evidence pointing
at sentences and source documents), so the page reads them the same way.
"""
from __future__ import annotations

import itertools
import random
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.model import ENTITY_TYPES, RELATIONS
from kg.namespaces import KG

BASE = "https://example.org/kg-test/"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class GraphMaker:
    """Adds entities, mentions and evidenced relations in the shape kg.rdf writes them."""

    def __init__(self) -> None:
        self.graph = Graph()
        self.sentences = 0

    def document(self, key: str, file_name: str, title: str) -> URIRef:
        doc = URIRef(f"{BASE}source/{key}")
        self.graph.add((doc, RDF.type, KG.SourceDocument))
        self.graph.add((doc, KG.fileName, Literal(file_name)))
        self.graph.add((doc, DCTERMS.title, _zh(title)))
        return doc

    def sentence(self, doc: URIRef, text: str) -> URIRef:
        start = self.sentences * 1000
        self.sentences += 1
        sent = URIRef(f"{doc}/sentence/{start}-{start + len(text)}")
        g = self.graph
        g.add((sent, RDF.type, KG.Sentence))
        g.add((sent, KG.text, _zh(text)))
        g.add((sent, KG.startOffset, Literal(start)))
        g.add((sent, KG.endOffset, Literal(start + len(text))))
        g.add((sent, KG.inDocument, doc))
        return sent

    def entity(self, key: str, cls: str, label: str, aliases=()) -> URIRef:
        iri = URIRef(f"{BASE}{cls.lower()}/{key}")
        self.graph.add((iri, RDF.type, KG[cls]))
        self.graph.add((iri, RDFS.label, _zh(label)))
        for alias in aliases:
            self.graph.add((iri, SKOS.altLabel, _zh(alias)))
        return iri

    def mention(self, entity: URIRef, sent: URIRef, doc: URIRef, surface: str) -> None:
        m = URIRef(f"{sent}/mention/{abs(hash((str(entity), surface))) % 10**12}")
        g = self.graph
        g.add((m, RDF.type, KG.Mention))
        g.add((m, KG.mentionOf, entity))
        g.add((m, KG.surfaceForm, _zh(surface)))
        g.add((m, KG.sentence, sent))
        g.add((m, PROV.wasDerivedFrom, doc))

    def relation(self, s: URIRef, rel: str, o: URIRef, sent: URIRef, doc: URIRef, rule: str = "test") -> None:
        g = self.graph
        g.add((s, KG[rel], o))
        st = URIRef(f"{BASE}statement/{len(g)}")
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, KG[rel]))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasDerivedFrom, doc))
        g.add((st, KG.sentence, sent))
        g.add((st, KG.rule, Literal(rule)))
        g.add((st, KG.confidence, Literal(Decimal("0.9"), datatype=XSD.decimal)))


def synthetic_graph(nodes: int = 5000, edges: int = 10000, seed: int = 5) -> Graph:
    """A graph shaped like a large build: hubs (places, awards) and long tails, every fact with evidence."""
    rng = random.Random(seed)
    maker = GraphMaker()
    docs = [maker.document(f"doc{k:03d}", f"{k:03d}.txt", f"合成文章{k}") for k in range(50)]
    entities = []
    for k in range(nodes):
        cls = ENTITY_TYPES[k % len(ENTITY_TYPES)]
        iri = maker.entity(f"e{k:05d}", cls, f"实体{k}号", aliases=[f"别名{k}"] if k % 7 == 0 else [])
        doc = docs[k % len(docs)]
        maker.mention(iri, maker.sentence(doc, f"这是关于实体{k}号的句子。"), doc, f"实体{k}号")
        entities.append(iri)
    cumulative = list(itertools.accumulate(1.0 / (1 + k) ** 0.6 for k in range(nodes)))
    triples = set()
    while len(triples) < edges:
        s = rng.randrange(nodes)
        o = rng.choices(range(nodes), cum_weights=cumulative)[0]
        if s != o:
            triples.add((s, RELATIONS[(s + o) % len(RELATIONS)], o))
    for s, rel, o in sorted(triples):
        doc = docs[(s * 31 + o) % len(docs)]
        sent = maker.sentence(doc, f"实体{s}号与实体{o}号有关系。")
        maker.relation(entities[s], rel, entities[o], sent, doc)
    return maker.graph


def injection_graph() -> Graph:
    """Entities, aliases, a title and sentences carrying markup that must show as text and never run."""
    maker = GraphMaker()
    doc = maker.document("evil", f"{IMG}.txt", f"标题{SCRIPT}")
    s1 = maker.sentence(doc, f"{SCRIPT}在{IMG}工作，获得\"</script>\"奖。")
    s2 = maker.sentence(doc, "javascript:alert(1) 与 {{APP}} 以及 ]]> <!-- 和 \u2028 都只是文字。")
    person = maker.entity("p", "Person", SCRIPT, aliases=[IMG])
    company = maker.entity("c", "Enterprise", f"{IMG}有限公司", aliases=["</script><script>alert(2)</script>"])
    award = maker.entity("a", "Award", "javascript:alert(1)")
    maker.mention(person, s1, doc, SCRIPT)
    maker.mention(company, s1, doc, IMG)
    maker.mention(award, s2, doc, "javascript:alert(1)")
    maker.relation(person, "worksFor", company, s1, doc, rule=f"rule{IMG}")
    maker.relation(person, "receivedAward", award, s2, doc)
    return maker.graph
