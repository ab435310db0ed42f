"""The triples of the graph: one generator per document and one per entity.

A build streams these into its sinks (:mod:`kg.sinks`: an rdflib Graph,
Turtle, N-Triples or N-Quads, an Oxigraph store, the HTML page's data).
:func:`document_triples` gives everything one document states: the source
document, its mentions, its sentences, its evidence statements, and the
relations and award receipts its facts assert; :func:`entity_triples` gives
what an entity states about itself (class, labels, edition, alias IRIs), once
per corpus. Nothing about an entity is made twice or taken away again.

A term is its N-Triples text (``<iri>``, ``"text"@zh``,
``"12"^^<…#integer>``) and a triple a tuple of three: a document's triples
are made as plain strings, with no rdflib object per term, and the line
formats are their concatenation. Only :class:`kg.sinks.GraphSink` makes
rdflib terms of them (:func:`kg.serialize.to_rdflib`).

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

from kg.model import DocumentExtraction, Entity, Fact
from kg.namespaces import ONTOLOGY_IRI

GROUPS = {"Person": "person", "Organization": "organization", "Place": "place", "Award": "award",
          "Competition": "competition", "Event": "event", "Studio": "studio", "Program": "program",
          "Document": "document"}
#: what a name may not hold raw in an IRI's path (RFC 3987): these ASCII characters, controls,
#: surrogates, private use, tag characters, non-characters (U+FFFD among them), so a strict parser
#: (Oxigraph) reads every IRI
_NOT_IN_IRI = re.compile(r"[ \t\n\r<>\"{}|\\^`#?/%\[\]'\x00-\x1f\x7f-\x9f\ud800-\uf8ff\ufdd0-\ufdef\ufff0-\uffff"
                         + "".join(f"\\U{p:04x}fffe-\\U{p:04x}ffff" for p in range(1, 15))
                         + r"\U000e0000-\U000e0fff\U000f0000-\U0010ffff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD_NS = "http://www.w3.org/2001/XMLSchema#"
_SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
_PROV_NS = "http://www.w3.org/ns/prov#"
_DCTERMS_NS = "http://purl.org/dc/terms/"
_OWL_NS = "http://www.w3.org/2002/07/owl#"
_KG_NS = ONTOLOGY_IRI + "#"
#: the prefixes of the graph's vocabularies (entity IRIs are written in full)
PREFIXES = {"kg": _KG_NS, "rdfs": _RDFS_NS, "skos": _SKOS_NS, "prov": _PROV_NS, "dcterms": _DCTERMS_NS,
            "xsd": _XSD_NS, "owl": _OWL_NS}
#: what ``graph.ttl`` declares: the vocabularies' prefixes and rdf's
TURTLE_PREFIXES = {"rdf": _RDF_NS, **PREFIXES}

Term = str
Triple = tuple  # (subject, predicate, object): each term as its N-Triples text


def iri(value: str) -> Term:
    return f"<{value}>"


class _Vocabulary:
    """``V.kg_fileName`` -> ``<…ontology#fileName>``: the vocabulary's terms as N-Triples text."""

    _NS = {"kg": _KG_NS, "rdf": _RDF_NS, "rdfs": _RDFS_NS, "skos": _SKOS_NS, "prov": _PROV_NS,
           "dcterms": _DCTERMS_NS, "owl": _OWL_NS}

    def __getattr__(self, name: str) -> Term:
        prefix, local = name.split("_", 1)
        term = iri(self._NS[prefix] + local)
        setattr(self, name, term)
        return term


V = _Vocabulary()
_TYPE = iri(_RDF_NS + "type")
_INTEGER = f"^^<{_XSD_NS}integer>"
_DECIMAL = f"^^<{_XSD_NS}decimal>"


def _escape(text: str) -> str:
    """A string as N-Triples quotes it (only these four may not appear raw)."""
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return text


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> Term:
    """A literal's N-Triples text: plain, language-tagged or typed (``datatype`` a bare IRI)."""
    if lang:
        return f'"{_escape(text)}"@{lang}'
    if datatype:
        return f'"{_escape(text)}"^^<{datatype}>'
    return f'"{_escape(text)}"'


@lru_cache(maxsize=1 << 16)
def mint_iri(base: str, group: str, name: str) -> Term:
    """An entity IRI: base + group + '/' + the name, percent-encoding only what an IRI may not hold.

    Cached: an entity's IRI is minted for each of its mentions and facts."""
    if _NOT_IN_IRI.search(name):
        name = _NOT_IN_IRI.sub(lambda m: quote(m.group(), safe="", errors="surrogatepass"), name)
    return f"<{base}{group}/{name}>"


def entity_iri(base: str, key: tuple[str, str]) -> Term:
    return mint_iri(base, GROUPS[key[0]], key[1])


def source_iri(base: str, doc_id: str) -> Term:
    return f"<{base}source/{doc_id}>"


def sentence_iri(base: str, doc_id: str, start: int, end: int) -> Term:
    return f"<{base}source/{doc_id}/sentence/{start}-{end}>"


def mention_iri(base: str, doc_id: str, start: int, end: int) -> Term:
    return f"<{base}source/{doc_id}/mention/{start}-{end}>"


@lru_cache(maxsize=1 << 16)
def _int(n: int) -> Term:
    return f'"{n}"{_INTEGER}'


@lru_cache(maxsize=1 << 12)
def _plain(text: str) -> Term:
    return literal(text)


@lru_cache(maxsize=1 << 12, typed=True)
def _decimal(value: float) -> Term:
    return f'"{Decimal(str(round(value, 2)))}"{_DECIMAL}'


def clean_text(text: str) -> str:
    """``text`` with each control character but tab, LF and CR replaced by U+FFFD."""
    return _CONTROLS.sub("\ufffd", text) if _CONTROLS.search(text) else text


def _zh(text: str) -> Term:
    return f'"{_escape(clean_text(text))}"@zh'


def _digest(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def new_graph(base: str):
    """An empty rdflib Graph with the graph's prefixes bound (and ``id:`` for the instances)."""
    from rdflib import Graph

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    g.bind("id", base, override=True)
    return g


def document_prefixes(base: str, doc_id: str) -> tuple[str, str]:
    """Terms starting with one of these name things of document ``doc_id`` alone (its source,
    sentences, mentions) or of one piece of its evidence (statements): no other document
    states anything about them."""
    return (f"<{base}source/{doc_id}", f"<{base}statement/")


def document_triples(d: DocumentExtraction, keys: dict[tuple, tuple[str, str]], facts: list[Fact],
                     base: str) -> list[Triple]:
    """Everything document ``d`` states, given each mention's entity key (``keys`` by
    ``(start, end, label)``) and the document's facts. May hold a triple more than once."""
    doc_id = d.doc_id
    src = source_iri(base, doc_id)
    out: list[Triple] = [(src, _TYPE, V.kg_SourceDocument), (src, V.kg_fileName, literal(clean_text(d.name))),
                         (src, V.kg_sha256, literal(d.sha256)), (src, V.kg_encoding, literal(d.encoding)),
                         (src, V.dcterms_title, _zh(d.title))]
    used: set[tuple[int, int]] = set()
    mention_t, mention_of, surface, start_p, end_p = V.kg_Mention, V.kg_mentionOf, V.kg_surfaceForm, \
        V.kg_startOffset, V.kg_endOffset
    sentence_p, derived, rule_p = V.kg_sentence, V.prov_wasDerivedFrom, V.kg_rule
    doc_base = f"<{base}source/{doc_id}/"
    starts = [s.start for s in d.sentences]
    for m in d.mentions:
        start, end = m.start, m.end
        m_iri = f"{doc_base}mention/{start}-{end}>"
        sent = d.sentence_at(start, starts)
        used.add((sent.start, sent.end))
        out += ((m_iri, _TYPE, mention_t),
                (m_iri, mention_of, entity_iri(base, keys[(start, end, m.label)])),
                (m_iri, surface, _zh(m.text)),
                (m_iri, start_p, _int(start)),
                (m_iri, end_p, _int(end)),
                (m_iri, sentence_p, f"{doc_base}sentence/{sent.start}-{sent.end}>"),
                (m_iri, derived, src),
                (m_iri, rule_p, _plain(m.rule)))
    for f in facts:
        used.add((f.start, f.end))
        _fact_triples(out, base, f, src)
    sentence_t, text_p, in_doc = V.kg_Sentence, V.kg_text, V.kg_inDocument
    for start, end in sorted(used):
        s_iri = f"{doc_base}sentence/{start}-{end}>"
        out += ((s_iri, _TYPE, sentence_t),
                (s_iri, text_p, _zh(d.evidence_span(start, end).text)),
                (s_iri, start_p, _int(start)),
                (s_iri, end_p, _int(end)),
                (s_iri, in_doc, src))
    return out


def _fact_triples(out: list[Triple], base: str, f: Fact, src: Term) -> None:
    s, o = entity_iri(base, f.subject), entity_iri(base, f.object)
    p = iri(_KG_NS + f.predicate)
    st = f"<{base}statement/{_digest(s[1:-1], p[1:-1], o[1:-1], f.doc_id, f.start, f.end)}>"
    sent = sentence_iri(base, f.doc_id, f.start, f.end)
    out += ((s, p, o), (st, _TYPE, V.rdf_Statement), (st, V.rdf_subject, s), (st, V.rdf_predicate, p),
            (st, V.rdf_object, o), (st, V.prov_wasDerivedFrom, src), (st, V.kg_sentence, sent),
            (st, V.kg_startOffset, _int(f.start)), (st, V.kg_endOffset, _int(f.end)),
            (st, V.kg_rule, _plain(f.rule)), (st, V.kg_confidence, _decimal(f.confidence)))
    if f.predicate == "receivedAward":
        add = out.append
        r = f"<{base}award-receipt/{_digest(s[1:-1], o[1:-1], f.year)}>"
        add((r, _TYPE, V.kg_AwardReceipt))
        add((r, V.kg_recipient, s))
        add((r, V.kg_award, o))
        if f.year:
            add((r, V.kg_year, _int(f.year)))
        if f.conferred_by:
            add((r, V.kg_conferredBy, entity_iri(base, f.conferred_by)))
        add((r, V.prov_wasDerivedFrom, st))
        add((r, V.kg_sentence, sent))


def entity_triples(ent: Entity, alias_names: list[str], base: str) -> list[Triple]:
    """What an entity states about itself: class, label, other names, edition, and an
    ``owl:sameAs`` link from the IRI of each name only it is known by."""
    e_iri = entity_iri(base, ent.key)
    out: list[Triple] = [(e_iri, _TYPE, iri(_KG_NS + ent.label)), (e_iri, V.rdfs_label, _zh(ent.name))]
    alt = V.skos_altLabel
    out += [(e_iri, alt, _zh(alias)) for alias in sorted(ent.aliases)]
    if ent.edition:
        out.append((e_iri, V.kg_edition, _zh(ent.edition)))
    group = GROUPS[ent.key[0]]
    same = V.owl_sameAs
    for other in alias_names:
        alias_iri = mint_iri(base, group, other)
        if alias_iri != e_iri:
            out.append((alias_iri, same, e_iri))
    return out


def ontology_iri() -> str:
    return ONTOLOGY_IRI
