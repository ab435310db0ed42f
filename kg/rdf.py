"""Build-RDF stage: resolved entities and facts -> an rdflib Graph.

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
"""
from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg.model import DocumentExtraction, Entity, Fact
from kg.namespaces import KG, ONTOLOGY_IRI
from kg.names import clean_name
from kg.resolve import Resolution
from kg.settings import Settings

GROUPS = {"Person": "person", "Organization": "organization", "Place": "place", "Award": "award",
          "Competition": "competition", "Event": "event", "Studio": "studio", "Program": "program",
          "Document": "document"}
_UNSAFE = " \t\n\r<>\"{}|\\^`#?/%[]'"
PREFIXES = {"kg": KG._NS, "rdfs": RDFS, "skos": SKOS, "prov": PROV, "dcterms": DCTERMS,
            "xsd": XSD, "owl": OWL}


@lru_cache(maxsize=1 << 16)
def mint_iri(base: str, group: str, name: str) -> URIRef:
    """An entity IRI: base + group + '/' + the name, percent-encoding only what an IRI may not hold.

    Cached: an entity's IRI is minted for each of its mentions and facts."""
    encoded = "".join(quote(ch, safe="") if ch in _UNSAFE or ord(ch) < 0x20 else ch for ch in name)
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


def _digest(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def new_graph(base: str) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.bind("id", base, override=True)
    return g


def to_graph(res: Resolution, settings: Settings | None = None, graph: Graph | None = None) -> Graph:
    """The RDF of ``res``; into ``graph`` if given (anything with ``add``: the fast
    writers in :mod:`kg.serialize` take triples without building an rdflib graph)."""
    settings = settings or Settings()
    base = settings.base_iri
    g = new_graph(base) if graph is None else graph
    docs = {d.doc_id: d for d in res.documents}
    sentences_used: set[tuple[str, int, int]] = set()
    for d in res.documents:
        _add_document(g, base, d)
    aliases = alias_names(res)
    for key in sorted(res.entities):
        ent = res.entities[key]
        _add_entity(g, base, ent, docs, sentences_used, aliases.get(key, ()))
    for fact in res.facts:
        _add_fact(g, base, fact, docs, sentences_used)
    for doc_id, start, end in sorted(sentences_used):
        s_iri = sentence_iri(base, doc_id, start, end)
        text = docs[doc_id].evidence_span(start, end).text
        g.add((s_iri, RDF.type, KG.Sentence))
        g.add((s_iri, KG.text, Literal(text, lang="zh")))
        g.add((s_iri, KG.startOffset, _int(start)))
        g.add((s_iri, KG.endOffset, _int(end)))
        g.add((s_iri, KG.inDocument, source_iri(base, doc_id)))
    return g


def _add_document(g: Graph, base: str, d: DocumentExtraction) -> None:
    iri = source_iri(base, d.doc_id)
    g.add((iri, RDF.type, KG.SourceDocument))
    g.add((iri, KG.fileName, Literal(d.name)))
    g.add((iri, KG.sha256, Literal(d.sha256)))
    g.add((iri, KG.encoding, Literal(d.encoding)))
    g.add((iri, DCTERMS.title, Literal(d.title, lang="zh")))


def alias_names(res: Resolution) -> dict[tuple[str, str], list[str]]:
    """For each entity, the other names that get an ``owl:sameAs`` alias IRI: names only it
    is known by. A province-relative name (省总工会) is no identity of its own and may name
    several bodies; one alias IRI for two entities would make them one under OWL."""
    claims: dict[tuple[str, str], set] = {}
    for key, ent in res.entities.items():
        for name in {clean_name(n) for n in (ent.name, *ent.aliases)} - {key[1]}:
            if not name.startswith(("省", "市", "县", "区", "州")):
                claims.setdefault((key[0], name), set()).add(key)
    out: dict[tuple[str, str], list[str]] = {}
    for (ctype, name), keys in claims.items():
        if len(keys) == 1 and (ctype, name) not in res.entities:
            out.setdefault(next(iter(keys)), []).append(name)
    return {k: sorted(v) for k, v in out.items()}


def _add_entity(g: Graph, base: str, ent: Entity, docs, sentences_used, alias_names=()) -> None:
    iri = entity_iri(base, ent.key)
    g.add((iri, RDF.type, KG[ent.label]))
    g.add((iri, RDFS.label, Literal(ent.name, lang="zh")))
    for alias in sorted(ent.aliases):
        g.add((iri, SKOS.altLabel, Literal(alias, lang="zh")))
    if ent.edition:
        g.add((iri, KG.edition, Literal(ent.edition, lang="zh")))
    group = GROUPS[ent.key[0]]
    for other in alias_names:
        alias_iri = mint_iri(base, group, other)
        if alias_iri != iri:
            g.add((alias_iri, OWL.sameAs, iri))
    for doc_id, m in ent.mentions:
        m_iri = mention_iri(base, doc_id, m.start, m.end)
        sent = docs[doc_id].sentence_at(m.start)
        sentences_used.add((doc_id, sent.start, sent.end))
        g.add((m_iri, RDF.type, KG.Mention))
        g.add((m_iri, KG.mentionOf, iri))
        g.add((m_iri, KG.surfaceForm, Literal(m.text, lang="zh")))
        g.add((m_iri, KG.startOffset, _int(m.start)))
        g.add((m_iri, KG.endOffset, _int(m.end)))
        g.add((m_iri, KG.sentence, sentence_iri(base, doc_id, sent.start, sent.end)))
        g.add((m_iri, PROV.wasDerivedFrom, source_iri(base, doc_id)))
        g.add((m_iri, KG.rule, _plain(m.rule)))


def _add_fact(g: Graph, base: str, f: Fact, docs, sentences_used) -> None:
    s, o = entity_iri(base, f.subject), entity_iri(base, f.object)
    p = KG[f.predicate]
    g.add((s, p, o))
    st = URIRef(f"{base}statement/{_digest(s, p, o, f.doc_id, f.start, f.end)}")
    sentences_used.add((f.doc_id, f.start, f.end))
    sent = sentence_iri(base, f.doc_id, f.start, f.end)
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, s))
    g.add((st, RDF.predicate, p))
    g.add((st, RDF.object, o))
    g.add((st, PROV.wasDerivedFrom, source_iri(base, f.doc_id)))
    g.add((st, KG.sentence, sent))
    g.add((st, KG.startOffset, _int(f.start)))
    g.add((st, KG.endOffset, _int(f.end)))
    g.add((st, KG.rule, _plain(f.rule)))
    g.add((st, KG.confidence, Literal(Decimal(str(round(f.confidence, 2))), datatype=XSD.decimal)))
    if f.predicate == "receivedAward":
        r = URIRef(f"{base}award-receipt/{_digest(s, o, f.year)}")
        g.add((r, RDF.type, KG.AwardReceipt))
        g.add((r, KG.recipient, s))
        g.add((r, KG.award, o))
        if f.year:
            g.add((r, KG.year, _int(f.year)))
        if f.conferred_by:
            g.add((r, KG.conferredBy, entity_iri(base, f.conferred_by)))
        g.add((r, PROV.wasDerivedFrom, st))
        g.add((r, KG.sentence, sent))


def ontology_iri() -> URIRef:
    return URIRef(ONTOLOGY_IRI)
