"""The page's graph: RDF triples -> a networkx graph of entities, relations and their evidence.

One reader of triples, fed two ways: :func:`to_networkx` feeds it a whole
rdflib graph (``kg render`` of any file), and a build feeds it the stream it
writes (:class:`kg.sinks.NetworkSink`): in each worker the triples of one
document, reduced to a small :class:`NetworkPart` of plain strings, then in
the building process the entities' own triples. So the page of a build is
drawn from what the build states, and no written file is parsed back.

A part joins what it holds about each node of a document (a mention's
sentence and surface form, a sentence's text and offset, a statement's
subject, predicate and object) when it is made; what needs the whole corpus
(which IRIs are entities, ``owl:sameAs``, which relations hold) is settled
in :meth:`NetworkBuilder.graph`. A part must therefore hold every triple
about each document-level node it mentions: true of a document's stream,
and of any whole graph.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field

from kg.model import ENTITY_TYPES, RELATIONS
from kg.namespaces import ONTOLOGY_IRI
from kg.serialize import literal_parts, nt_term, term_value

_KG = ONTOLOGY_IRI + "#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_TYPE, _STATEMENT = _RDF + "type", _RDF + "Statement"
_SUBJECT, _PREDICATE, _OBJECT = _RDF + "subject", _RDF + "predicate", _RDF + "object"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_SAME = "http://www.w3.org/2002/07/owl#sameAs"
_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_DCTERMS = "http://purl.org/dc/terms/"
_TITLE, _ISSUED, _DATE = _DCTERMS + "title", _DCTERMS + "issued", _DCTERMS + "date"
_RECEIPT = _KG + "AwardReceipt"
_CLASS_OF = {f"<{_KG}{t}>": t for t in ENTITY_TYPES}
_RELATION_OF = {f"<{_KG}{r}>": r for r in RELATIONS}
_RELATION_NAMED = {_KG + r: r for r in RELATIONS}
_TYPE_T, _STATEMENT_T, _RECEIPT_T = f"<{_TYPE}>", f"<{_STATEMENT}>", f"<{_RECEIPT}>"
_LABEL_T, _ALT_T, _SAME_T = f"<{_LABEL}>", f"<{_ALT}>", f"<{_SAME}>"
_MENTION_OF_T = f"<{_KG}mentionOf>"
#: predicates whose objects a part keeps per subject until it joins them
_JOINED = {_KG + "mentionOf", _KG + "sentence", _DERIVED, _KG + "surfaceForm", _KG + "startOffset",
           _KG + "endOffset", _KG + "inDocument", _KG + "text", _KG + "fileName", _TITLE, _ISSUED, _DATE,
           _SUBJECT, _PREDICATE, _OBJECT, _KG + "rule", _KG + "confidence", _KG + "recipient", _KG + "award",
           _KG + "year"}
_JOINED_T = {f"<{p}>": p for p in _JOINED}


def _year(value) -> int | None:
    found = re.match(r"\s*(-?\d{4})", str(value)) if value is not None else None
    return int(found.group(1)) if found else None


def _intern(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def _pick(literals) -> str | None:
    """The @zh value if there is one, else any value; the smallest, so a graph with two labels
    still draws the same."""
    if not literals:
        return None
    zh = sorted(text for text, lang in literals if (lang or "").lower().startswith("zh"))
    return (zh or sorted(text for text, _ in literals))[0]


@dataclass
class NetworkPart:
    """What one piece of the stream contributes to the page graph (plain strings and tuples)."""

    types: dict = field(default_factory=dict)        # IRI -> set of entity class names
    labels: dict = field(default_factory=dict)       # IRI -> [(text, language)]
    alt: dict = field(default_factory=dict)          # IRI -> set of alternative names
    same: set = field(default_factory=set)           # (alias IRI, IRI)
    relations: set = field(default_factory=set)      # (subject, relation name, object)
    mentions: list = field(default_factory=list)     # (entity, sentence, fallback document, surface, start, end)
    statements: list = field(default_factory=list)   # (subject, relation name, object, sentence, document, rule, confidence)
    receipts: list = field(default_factory=list)     # (recipient, award, year)
    mentioned: set = field(default_factory=set)      # (mention, entity), without evidence only
    mention_counts: dict = field(default_factory=dict)   # entity IRI -> mentions, without evidence only
    sentences: dict = field(default_factory=dict)    # sentence IRI -> (document or None, start, text)
    documents: dict = field(default_factory=dict)    # document IRI -> (file name, title, year)


class NetworkBuilder:
    """Reads triples (terms as N-Triples text) into :class:`NetworkPart` s and parts into the page graph.

    ``evidence=False`` keeps only what the overview page shows (:func:`kg.render.overview_data`):
    entities, their names, relations and how often each is mentioned, no mention, sentence or
    statement; so it holds what the entity index holds, whatever the length of the text."""

    def __init__(self, evidence: bool = True):
        self.evidence = evidence
        self._part = NetworkPart()
        self._objects: dict = defaultdict(list)     # (subject, predicate) -> objects, until joined
        self._statements: set = set()
        self._receipts: set = set()
        self._merged = NetworkPart()

    def add(self, triple) -> None:
        """One triple, each term as its N-Triples text (:mod:`kg.rdf`)."""
        s, p, o = triple
        part = self._part
        if p == _TYPE_T:
            cls = _CLASS_OF.get(o)
            if cls is not None and s[0] == "<":
                part.types.setdefault(s[1:-1], set()).add(cls)
            elif o == _STATEMENT_T:
                self._statements.add(s[1:-1])
            elif o == _RECEIPT_T:
                self._receipts.add(s[1:-1])
        elif p == _LABEL_T:
            if o[0] == '"':
                text, lang, _ = literal_parts(o)
                part.labels.setdefault(term_value(s), []).append((text, lang))
        elif p == _ALT_T:
            part.alt.setdefault(term_value(s), set()).add(term_value(o))
        elif p == _SAME_T:
            part.same.add((term_value(s), term_value(o)))
        elif p in _RELATION_OF:
            part.relations.add((term_value(s), _RELATION_OF[p], term_value(o)))
        if not self.evidence:
            if p == _MENTION_OF_T:
                part.mentioned.add((s, o[1:-1]))
            return
        bare = _JOINED_T.get(p)
        if bare is not None:
            self._objects[(s[1:-1] if s[0] == "<" else s, bare)].append(o)

    def part(self) -> NetworkPart:
        """What has been added since the last part, with its document-level nodes joined."""
        objects, part = self._objects, self._part
        if not self.evidence:
            counts = part.mention_counts
            for _, entity in part.mentioned:
                counts[entity] = counts.get(entity, 0) + 1
            part.mentioned = set()
            self._part, self._statements, self._receipts = NetworkPart(), set(), set()
            return part

        def value(s, p):
            found = objects.get((s, p))
            return None if not found else term_value(found[0])

        def literals(s, p):
            return [literal_parts(o)[:2] for o in objects.get((s, p), ()) if o[0] == '"']

        def offset(s, p) -> int:
            found = objects.get((s, p))
            return int(term_value(found[0])) if found else -1

        referenced_docs: set = set()
        referenced_sents: dict = {}   # in order of first reference
        for (m, p), ents in list(objects.items()):
            if p != _KG + "mentionOf":
                continue
            sent, doc = value(m, _KG + "sentence"), value(m, _DERIVED)
            surface = _pick(literals(m, _KG + "surfaceForm")) or ""
            start, end = offset(m, _KG + "startOffset"), offset(m, _KG + "endOffset")
            for ent in ents:
                part.mentions.append((term_value(ent), sent, doc, surface, start, end))
            if sent is not None:
                referenced_sents.setdefault(sent, doc)
            referenced_docs.add(doc)
        for st in sorted(self._statements):
            rel = _RELATION_NAMED.get(value(st, _PREDICATE) or "")
            if rel is None:
                continue
            sent, doc = value(st, _KG + "sentence"), value(st, _DERIVED)
            confidence = value(st, _KG + "confidence")
            part.statements.append((value(st, _SUBJECT), rel, value(st, _OBJECT), sent, doc,
                                    value(st, _KG + "rule") or "", "" if confidence is None else confidence))
            if sent is not None:
                referenced_sents.setdefault(sent, doc)
            if doc is not None:
                referenced_docs.add(doc)
        for r in sorted(self._receipts):
            part.receipts.append((value(r, _KG + "recipient"), value(r, _KG + "award"),
                                  _year(value(r, _KG + "year"))))
        for sent in referenced_sents:
            start = objects.get((sent, _KG + "startOffset"))
            in_doc = value(sent, _KG + "inDocument")
            text = _pick(literals(sent, _KG + "text"))
            if start or in_doc or text is not None:  # else another part, or nothing, says what it is
                part.sentences[sent] = (in_doc, int(term_value(start[0])) if start else 0, text or "")
            referenced_docs.add(in_doc)
        for doc in referenced_docs - {None}:
            name, title = _pick(literals(doc, _KG + "fileName")), _pick(literals(doc, _TITLE))
            years = sorted(y for p in (_ISSUED, _DATE) for y in (_year(term_value(o)) for o in objects.get((doc, p), ()))
                           if y is not None)
            if name is not None or title is not None or years:
                part.documents[doc] = (name or _local_name(doc), title or "", years[0] if years else None)
        self._part, self._objects = NetworkPart(), defaultdict(list)
        self._statements, self._receipts = set(), set()
        return part

    def absorb(self, part: NetworkPart) -> None:
        """Merge a part. IRIs recur in every part (entities, documents) and arrive as new strings
        from each worker: they are interned, so each is held once."""
        m = self._merged
        i = _intern
        for iri, classes in part.types.items():
            m.types.setdefault(iri, set()).update(classes)
        for iri, labels in part.labels.items():
            m.labels.setdefault(iri, []).extend(labels)
        for iri, names in part.alt.items():
            m.alt.setdefault(iri, set()).update(names)
        m.same |= part.same
        m.relations |= part.relations
        for iri, n in part.mention_counts.items():
            m.mention_counts[i(iri)] = m.mention_counts.get(iri, 0) + n
        m.mentions += [(i(e), i(s), i(d), surface, start, end) for e, s, d, surface, start, end in part.mentions]
        m.statements += [(i(s), rel, i(o), i(sent), i(doc), i(rule), i(c))
                         for s, rel, o, sent, doc, rule, c in part.statements]
        m.receipts += [(i(r), i(a), year) for r, a, year in part.receipts]
        for k, (doc, start, text) in part.sentences.items():
            m.sentences.setdefault(i(k), (i(doc), start, text))
        for k, v in part.documents.items():
            m.documents.setdefault(i(k), v)

    def graph(self):
        """The page graph of everything added and absorbed (the schema of :func:`to_networkx`)."""
        import networkx as nx

        from kg.render import DocumentInfo

        self.absorb(self.part())
        m = self._merged
        rank = {t: i for i, t in enumerate(ENTITY_TYPES)}
        types = m.types
        same: dict = {}
        for a, b in sorted(m.same):
            if b in types and a not in types:
                same.setdefault(a, b)

        def canon(x):
            return x if x in types else same.get(x)

        class_labels, relation_labels = _vocabulary_labels(m.labels)
        g = nx.MultiDiGraph(sentences={}, documents={}, class_labels=class_labels, relation_labels=relation_labels)
        for s in sorted(types):
            label = _pick(m.labels.get(s)) or _local_name(s)
            aliases = sorted(m.alt.get(s, set()) - {label})
            g.add_node(s, label=label, cls=min(types[s], key=rank.__getitem__), aliases=aliases, mentions=[])
        sentences, documents = g.graph["sentences"], g.graph["documents"]

        def note_document(doc):
            if doc is None:
                return None
            if doc not in documents:
                documents[doc] = DocumentInfo(*(m.documents.get(doc) or (_local_name(doc), "", None)))
            return doc

        def note_sentence(sent, fallback_doc):
            if sent is None:
                return None
            if sent not in sentences:
                in_doc, start, text = m.sentences.get(sent, (None, 0, ""))
                sentences[sent] = (note_document(in_doc or fallback_doc), start, text)
            return sent

        mentions = defaultdict(set)
        for ent, sent, doc, surface, start, end in m.mentions:
            node = canon(ent)
            sent = note_sentence(sent, doc)
            if node is not None and sent is not None:
                mentions[node].add((sent, surface, start, end))
        for node, found in mentions.items():
            g.nodes[node]["mentions"] = sorted(found)
        for ent, n in m.mention_counts.items():
            node = canon(ent)
            if node is not None:
                g.nodes[node]["mention_count"] = g.nodes[node].get("mention_count", 0) + n
        evidence: dict = {}
        for s, rel, o in m.relations:
            cs, co = canon(s), canon(o)
            if cs is not None and co is not None:
                evidence[(cs, rel, co)] = set()
        for s, rel, o, sent, doc, rule, confidence in m.statements:
            key = (canon(s), rel, canon(o))
            if key not in evidence:
                continue
            sent = note_sentence(sent, doc)
            evidence[key].add((sent or "", note_document(doc) or "", rule, confidence))
        years = defaultdict(set)
        for recipient, award, year in m.receipts:
            cs, co = canon(recipient), canon(award)
            if cs is not None and co is not None and year is not None:
                years[(cs, "receivedAward", co)].add(year)
        for (s, rel, o), found in sorted(evidence.items()):
            g.add_edge(s, o, key=rel, predicate=rel, evidence=sorted(found), years=sorted(years.get((s, rel, o), ())))
        return g


def vocabulary_labels(graph) -> tuple[dict[str, str], dict[str, str]]:
    """Chinese names of the classes and relations, as the page graph of ``graph`` has them."""
    from rdflib import Literal, URIRef

    labels: dict = {}
    for s, o in graph.subject_objects(URIRef(_LABEL)):
        if isinstance(o, Literal):
            labels.setdefault(str(s), []).append((str(o), o.language))
    return _vocabulary_labels(labels)


def _vocabulary_labels(labels: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Chinese names of classes and relations: the graph's own rdfs:label@zh when it carries the
    ontology, else the ontology's."""
    from kg.render import _ontology_labels

    classes, relations = _ontology_labels()
    for table in (classes, relations):
        for name in list(table):
            label = _pick(labels.get(_KG + name))
            if label:
                table[name] = label
    return classes, relations


def to_networkx(graph):
    """Entities as nodes, relation triples as edges, each carrying its evidence from the RDF.

    This schema is the page's whole input (:func:`page_data` reads nothing
    else), so any producer of the graph, not only this RDF reader, can feed
    :func:`render_html`:

    * node (the entity IRI): ``label``; ``cls`` (the most specific of the
      ontology's entity classes); ``aliases`` (sorted); ``mentions``, sorted
      ``(sentence IRI, surface form, start, end)`` with the mention's character
      offsets in its document (``-1`` when unknown; a plain
      ``(sentence IRI, surface form)`` pair is read too).
    * edge (key and ``predicate``: the relation's local name): ``evidence``,
      sorted ``(sentence IRI, source IRI, rule, confidence)``, one per
      rdf:Statement of that triple (confidence as a decimal string, ``""``
      when absent); ``years``, the sorted years of the award receipts of a
      ``receivedAward`` triple (absent or empty for undated facts).
    * ``g.graph``: ``sentences`` (IRI -> ``(document IRI, start offset,
      text)``), ``documents`` (IRI -> :class:`DocumentInfo`; a plain
      ``(file name, title)`` pair is read too), ``class_labels`` and
      ``relation_labels`` (the Chinese names).

    Rules starting with :data:`INFERRED_RULE_PREFIXES` are inferences from
    names; the page marks them. An IRI that is only ``owl:sameAs`` an entity
    stands for that entity. A document's year is read from ``dcterms:issued``
    or ``dcterms:date`` when the graph has one.
    """
    builder = NetworkBuilder()
    terms: dict = {}
    for triple in graph:
        encoded = []
        for t in triple[:3]:
            text = terms.get(t)
            if text is None:
                text = terms[t] = nt_term(t)
            encoded.append(text)
        builder.add(tuple(encoded))
    return builder.graph()
