"""RDF graphs made by hand for the render tests: a synthetic large graph, an injection graph and a hostile-text graph.

They are built as the RDF stage builds real ones (entities with labels,
aliases and mentions with offsets; relation triples with rdf:Statement
evidence pointing at sentences and source documents; award receipts with
years), so the page reads them the same way.
"""
from __future__ import annotations

import hashlib
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
RLO = "\u202e"
BIDI_NAME = f"张三{RLO}gpj.exe奖"
LONG_NAME = "某某" * 2500 + "有限公司"
LONG_SENTENCE_HEAD = "这是一句很长的句子" * 300
INFERRED_RULE = "structure.place_in_org_name"


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _digest(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


class GraphMaker:
    """Adds entities, mentions and evidenced relations in the shape kg.rdf writes them."""

    def __init__(self) -> None:
        self.graph = Graph()
        self.offset = 0
        self.sentence_spans: dict[URIRef, tuple[int, str]] = {}

    def document(self, key: str, file_name: str, title: str, date: str | None = None) -> URIRef:
        doc = URIRef(f"{BASE}source/{key}")
        self.graph.add((doc, RDF.type, KG.SourceDocument))
        self.graph.add((doc, KG.fileName, Literal(file_name)))
        self.graph.add((doc, DCTERMS.title, _zh(title)))
        if date:
            self.graph.add((doc, DCTERMS.issued, Literal(date, datatype=XSD.date)))
        return doc

    def sentence(self, doc: URIRef, text: str, gap: int = 7) -> URIRef:
        """A sentence ``gap`` characters after the previous one (the text between is not in the graph)."""
        start = self.offset + gap
        self.offset = start + len(text)
        sent = URIRef(f"{doc}/sentence/{start}-{start + len(text)}")
        g = self.graph
        g.add((sent, RDF.type, KG.Sentence))
        g.add((sent, KG.text, _zh(text)))
        g.add((sent, KG.startOffset, Literal(start)))
        g.add((sent, KG.endOffset, Literal(start + len(text))))
        g.add((sent, KG.inDocument, doc))
        self.sentence_spans[sent] = (start, text)
        return sent

    def entity(self, key: str, cls: str, label: str, aliases=()) -> URIRef:
        iri = URIRef(f"{BASE}{cls.lower()}/{key}")
        self.graph.add((iri, RDF.type, KG[cls]))
        self.graph.add((iri, RDFS.label, _zh(label)))
        for alias in aliases:
            self.graph.add((iri, SKOS.altLabel, _zh(alias)))
        return iri

    def mention(self, entity: URIRef, sent: URIRef, doc: URIRef, surface: str) -> None:
        start, text = self.sentence_spans[sent]
        at = start + text.index(surface)
        m = URIRef(f"{doc}/mention/{at}-{at + len(surface)}")
        g = self.graph
        g.add((m, RDF.type, KG.Mention))
        g.add((m, KG.mentionOf, entity))
        g.add((m, KG.surfaceForm, _zh(surface)))
        g.add((m, KG.startOffset, Literal(at)))
        g.add((m, KG.endOffset, Literal(at + len(surface))))
        g.add((m, KG.sentence, sent))
        g.add((m, PROV.wasDerivedFrom, doc))

    def relation(self, s: URIRef, rel: str, o: URIRef, sent: URIRef, doc: URIRef, rule: str = "test",
                 confidence: str = "0.9", year: int | None = None) -> None:
        g = self.graph
        g.add((s, KG[rel], o))
        st = URIRef(f"{BASE}statement/{_digest(s, rel, o, sent)}")
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, KG[rel]))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasDerivedFrom, doc))
        g.add((st, KG.sentence, sent))
        g.add((st, KG.rule, Literal(rule)))
        g.add((st, KG.confidence, Literal(Decimal(confidence), datatype=XSD.decimal)))
        if rel == "receivedAward":
            r = URIRef(f"{BASE}award-receipt/{_digest(s, o, year)}")
            g.add((r, RDF.type, KG.AwardReceipt))
            g.add((r, KG.recipient, s))
            g.add((r, KG.award, o))
            if year:
                g.add((r, KG.year, Literal(str(year), datatype=XSD.gYear)))
            g.add((r, PROV.wasDerivedFrom, st))


def add_hostile(maker: GraphMaker, doc: URIRef) -> dict[str, URIRef]:
    """A right-to-left override in a name, a sentence and a title; a 5,000-character name; a 5,000-character sentence."""
    person = maker.entity("bidi", "Person", BIDI_NAME)
    company = maker.entity("long", "Enterprise", LONG_NAME)
    place = maker.entity("bidi-place", "Place", f"某{RLO}地")
    s1 = maker.sentence(doc, f"{BIDI_NAME}在{LONG_NAME}工作。")
    long_sentence = f"{LONG_SENTENCE_HEAD}{BIDI_NAME}获得了表彰{LONG_SENTENCE_HEAD}。"
    s2 = maker.sentence(doc, long_sentence)
    maker.mention(person, s1, doc, BIDI_NAME)
    maker.mention(company, s1, doc, LONG_NAME)
    maker.mention(person, s2, doc, BIDI_NAME)
    maker.relation(person, "worksFor", company, s1, doc, rule="worksFor.test")
    maker.relation(company, "locatedIn", place, s2, doc, rule="locatedIn.test")
    return {"person": person, "company": company, "place": place}


def hostile_graph() -> Graph:
    maker = GraphMaker()
    doc = maker.document("hostile", f"文件{RLO}txt.exe", f"标题{RLO}甲乙丙")
    add_hostile(maker, doc)
    return maker.graph


def synthetic_graph(nodes: int = 5000, edges: int = 10000, seed: int = 5, hostile: bool = False) -> Graph:
    """A graph shaped like a large build: hubs (places, awards) and long tails, every fact with evidence.

    Rules, confidences and award years vary with the entities' numbers: a
    third of the locatedIn facts come from a name-structure rule, the
    confidence is one of 0.6, 0.75 and 0.9, award receipts fall in 2015–2024.
    """
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
        if (s + o) % 10 == 0:
            maker.mention(entities[s], sent, doc, f"实体{s}号")
            maker.mention(entities[o], sent, doc, f"实体{o}号")
        rule = INFERRED_RULE if rel == "locatedIn" and (s + o) % 3 == 0 else f"{rel}.synthetic"
        confidence = ("0.6", "0.75", "0.9")[(s * 7 + o) % 3]
        year = 2015 + (s + o) % 10 if rel == "receivedAward" else None
        maker.relation(entities[s], rel, entities[o], sent, doc, rule=rule, confidence=confidence, year=year)
    if hostile:
        add_hostile(maker, docs[0])
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
