"""The triples of the graph: one generator per document and one per entity.

A build streams these into its sinks (:mod:`kg.sinks`: an rdflib Graph,
Turtle, N-Triples or N-Quads, an Oxigraph store, the HTML page's data).
:func:`document_triples` gives everything one document states: the source
document, its mentions, its sentences, its evidence statements, and the
relations and award receipts its facts assert; :func:`entity_triples` gives
what an entity states about itself (class, labels, edition, alias IRIs), once
per corpus. Nothing about an entity is made twice or taken away again.

IRIs (stable, documented in the README):

* entity: ``{base}{group}/{identity name}`` — the group is the coarse class
  (``person``, ``organization``, ``place``, ``award``, ``competition``, …) and
  the identity name the one :mod:`kg.resolve` keys the entity by (places: the
  division's full name; contests under a brand: the brand). Neither document
  order nor the rest of the corpus enters it. Every other name the entity is
  known by also gets its IRI, linked by ``owl:sameAs``, so an IRI minted
  when a smaller corpus knew only a short name keeps resolving after a
  larger corpus tied that name to a fuller one.
* source document: ``{base}source/{first 16 hex of the SHA-256 of its bytes}``;
  sentence, mention: under the document, by character offsets;
* evidence statement and award receipt: ``{base}statement/…`` and
  ``{base}award-receipt/…``, a SHA-1 of what they state.

Evidence is standard RDF: an ``rdf:Statement`` (reification) for each
piece of evidence of each triple, ``prov:wasDerivedFrom`` its source document,
with the sentence, offsets, rule and confidence; entities keep their
mentions (``kg:Mention``). The plain triples stay, so simple queries stay simple.

Text from documents (file names, titles, surface forms, sentences, names)
reaches literals without control characters: NUL, ESC and the other C0
codes but tab, line feed and carriage return, DEL, and the C1 codes are each
replaced by U+FFFD (:func:`clean_text`), one for one, so a sentence's text is
still as long as its offsets say and nothing in the graph can drive a
terminal or break a tool that reads C strings. IRIs percent-encode them.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg.model import DocumentExtraction, Entity, Fact
from kg.namespaces import KG, ONTOLOGY_IRI

GROUPS = {"Person": "person", "Organization": "organization", "Place": "place", "Award": "award",
          "Competition": "competition", "Event": "event", "Studio": "studio", "Program": "program",
          "Document": "document"}
_UNSAFE = " \t\n\r<>\"{}|\\^`#?/%[]'"
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
PREFIXES = {"kg": KG._NS, "rdfs": RDFS, "skos": SKOS, "prov": PROV, "dcterms": DCTERMS,
            "xsd": XSD, "owl": OWL}


@lru_cache(maxsize=1 << 16)
def mint_iri(base: str, group: str, name: str) -> URIRef:
    """An entity IRI: base + group + '/' + the name, percent-encoding only what an IRI may not hold.

    Cached: an entity's IRI is minted for each of its mentions and facts."""
    encoded = "".join(quote(ch, safe="") if ch in _UNSAFE or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F else ch
                      for ch in name)
    return URIRef(f"{base}{group}/{encoded}")


def entity_iri(base: str, key: tuple[str, str]) -> URIRef:
    return mint_iri(base, GROUPS[key[0]], key[1])


def source_iri(base: str, doc_id: str) -> URIRef:
    return URIRef(f"{base}source/{doc_id}")


def sentence_iri(base: str, doc_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{base}source/{doc_id}/sentence/{start}-{end}")


def mention_iri(base: str, doc_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{base}source/{doc_id}/mention/{start}-{end}")


@lru_cache(maxsize=1 << 16)
def _int(n: int) -> Literal:
    """Offsets and rule ids recur in every document; making a Literal is the slow part."""
    return Literal(n)


@lru_cache(maxsize=1 << 12)
def _plain(text: str) -> Literal:
    return Literal(text)


def clean_text(text: str) -> str:
    """``text`` with each control character but tab, LF and CR replaced by U+FFFD."""
    return _CONTROLS.sub("\ufffd", text) if _CONTROLS.search(text) else text


def _zh(text: str) -> Literal:
    return Literal(clean_text(text), lang="zh")


def _digest(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def new_graph(base: str) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.bind("id", base, override=True)
    return g


def document_prefixes(base: str, doc_id: str) -> tuple[str, str]:
    """IRIs starting with one of these name things of document ``doc_id`` alone (its source,
    sentences, mentions) or of one piece of its evidence (statements): no other document
    states anything about them."""
    return (f"{base}source/{doc_id}", f"{base}statement/")


Triple = tuple


def document_triples(d: DocumentExtraction, keys: dict[tuple, tuple[str, str]], facts: list[Fact],
                     base: str) -> list[Triple]:
    """Everything document ``d`` states, given each mention's entity key (``keys`` by
    ``(start, end, label)``) and the document's facts. May hold a triple more than once."""
    out: list[Triple] = []
    add = out.append
    src = source_iri(base, d.doc_id)
    add((src, RDF.type, KG.SourceDocument))
    add((src, KG.fileName, Literal(clean_text(d.name))))
    add((src, KG.sha256, Literal(d.sha256)))
    add((src, KG.encoding, Literal(d.encoding)))
    add((src, DCTERMS.title, _zh(d.title)))
    used: set[tuple[int, int]] = set()
    for m in d.mentions:
        m_iri = mention_iri(base, d.doc_id, m.start, m.end)
        sent = d.sentence_at(m.start)
        used.add((sent.start, sent.end))
        add((m_iri, RDF.type, KG.Mention))
        add((m_iri, KG.mentionOf, entity_iri(base, keys[(m.start, m.end, m.label)])))
        add((m_iri, KG.surfaceForm, _zh(m.text)))
        add((m_iri, KG.startOffset, _int(m.start)))
        add((m_iri, KG.endOffset, _int(m.end)))
        add((m_iri, KG.sentence, sentence_iri(base, d.doc_id, sent.start, sent.end)))
        add((m_iri, PROV.wasDerivedFrom, src))
        add((m_iri, KG.rule, _plain(m.rule)))
    for f in facts:
        used.add((f.start, f.end))
        _fact_triples(add, base, f, src)
    for start, end in sorted(used):
        s_iri = sentence_iri(base, d.doc_id, start, end)
        add((s_iri, RDF.type, KG.Sentence))
        add((s_iri, KG.text, _zh(d.evidence_span(start, end).text)))
        add((s_iri, KG.startOffset, _int(start)))
        add((s_iri, KG.endOffset, _int(end)))
        add((s_iri, KG.inDocument, src))
    return out


def _fact_triples(add, base: str, f: Fact, src: URIRef) -> None:
    s, o = entity_iri(base, f.subject), entity_iri(base, f.object)
    p = KG[f.predicate]
    add((s, p, o))
    st = URIRef(f"{base}statement/{_digest(s, p, o, f.doc_id, f.start, f.end)}")
    sent = sentence_iri(base, f.doc_id, f.start, f.end)
    add((st, RDF.type, RDF.Statement))
    add((st, RDF.subject, s))
    add((st, RDF.predicate, p))
    add((st, RDF.object, o))
    add((st, PROV.wasDerivedFrom, src))
    add((st, KG.sentence, sent))
    add((st, KG.startOffset, _int(f.start)))
    add((st, KG.endOffset, _int(f.end)))
    add((st, KG.rule, _plain(f.rule)))
    add((st, KG.confidence, Literal(Decimal(str(round(f.confidence, 2))), datatype=XSD.decimal)))
    if f.predicate == "receivedAward":
        r = URIRef(f"{base}award-receipt/{_digest(s, o, f.year)}")
        add((r, RDF.type, KG.AwardReceipt))
        add((r, KG.recipient, s))
        add((r, KG.award, o))
        if f.year:
            add((r, KG.year, _int(f.year)))
        if f.conferred_by:
            add((r, KG.conferredBy, entity_iri(base, f.conferred_by)))
        add((r, PROV.wasDerivedFrom, st))
        add((r, KG.sentence, sent))


def entity_triples(ent: Entity, alias_names: list[str], base: str) -> list[Triple]:
    """What an entity states about itself: class, label, other names, edition, and an
    ``owl:sameAs`` link from the IRI of each name only it is known by."""
    iri = entity_iri(base, ent.key)
    out: list[Triple] = [(iri, RDF.type, KG[ent.label]), (iri, RDFS.label, _zh(ent.name))]
    out += [(iri, SKOS.altLabel, _zh(alias)) for alias in sorted(ent.aliases)]
    if ent.edition:
        out.append((iri, KG.edition, _zh(ent.edition)))
    group = GROUPS[ent.key[0]]
    for other in alias_names:
        alias_iri = mint_iri(base, group, other)
        if alias_iri != iri:
            out.append((alias_iri, OWL.sameAs, iri))
    return out


def ontology_iri() -> URIRef:
    return URIRef(ONTOLOGY_IRI)
