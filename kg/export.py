"""Exports: the graph in every standard RDF syntax, and as a property graph for other tools.

RDF goes out through Oxigraph's streaming writers from the store that
:mod:`kg.store` keeps beside the graph, so a large graph is never held twice
in memory and the bytes do not depend on the process (the store's order is a
function of its content). Every output is written to a temporary file and
renamed into place (:mod:`kg.files`).

Named graphs (N-Quads, TriG). A dataset lets a consumer take or drop one
article's contribution, so the graph is split by evidence:

* one named graph per source document, named by the document's own IRI
  (``…/source/<sha-256 prefix>``): its ``kg:SourceDocument`` description,
  its sentences, its mentions, the evidence statements derived from it, the
  award receipts all of whose evidence is in it, and every relation triple
  whose evidence is only in that document;
* ``…/graph/entities``: what is shared — the entities' types, labels,
  alternative labels and ``owl:sameAs`` aliases, and the relation triples
  and award receipts with evidence in more than one document;
* the ontology IRI (``https://w3id.org/cn-union-kg/ontology``): the ontology
  (``ontology/kg.ttl``), when it can be found.

The union of the named graphs other than the ontology is exactly the input graph.

Property graphs (GraphML, GEXF, Neo4j CSV, Kùzu) are written by
:mod:`kg.propgraph`.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from kg import graphio, propgraph
from kg.files import atomic_write
from kg.graphio import GraphFileError
from kg.model import RELATIONS
from kg.namespaces import DEFAULT_BASE_IRI, ONTOLOGY_IRI
from kg.query import PREFIXES
from kg.store import pinned_store

RDF_EXPORTS = ("ttl", "nt", "nq", "trig", "jsonld", "xml")
FOLDER_EXPORTS = ("neo4j", "kuzu")
FORMATS = (*RDF_EXPORTS, "graphml", "gexf", *FOLDER_EXPORTS)
EXTENSIONS = {**{name: graphio.syntax_named(name).suffixes[0] for name in RDF_EXPORTS},
              "graphml": ".graphml", "gexf": ".gexf", "neo4j": "", "kuzu": ""}
_RDF = {name: graphio.syntax_named(name).oxigraph_format() for name in ("ttl", "nt", "nq", "trig", "xml")}
KG_NS = PREFIXES["kg"]
RDF_NS = PREFIXES["rdf"]
XSD_NS = PREFIXES["xsd"]
_TYPE = ox.NamedNode(RDF_NS + "type")
_DERIVED = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
ENTITIES_GRAPH = "graph/entities"


class ExportError(Exception):
    """The export cannot be written (unknown format, unusable output path)."""


def find_ontology(explicit: Path | str | None = None) -> Path:
    """The ontology file: the one given, else the one the package ships (:func:`kg.graphio.ontology_file`)."""
    return graphio.ontology_file(explicit)


def export(graph_path: Path | str, fmt: str, out: Path | str, ontology: Path | str | None = None,
           with_ontology: bool = False, cache: bool = True) -> list[Path]:
    """Write GRAPH in format ``fmt`` to ``out`` (a folder for ``neo4j``); the files written.

    Quad formats always carry the ontology's named graph when the ontology is
    found; single-graph formats add the ontology's triples only with
    ``with_ontology``.
    """
    fmt = graphio.format_name(fmt)
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out)
    refuse_overwriting_input(graph_path, out)
    with contextlib.ExitStack() as stack:
        store = _open(graph_path, cache, stack)
        try:
            return _export(store, fmt, out, ontology, with_ontology, stack)
        finally:
            del store


def refuse_overwriting_input(graph_path: Path | str, out: Path) -> None:
    """An export never replaces the graph it reads (an RDF/XML export over a .ttl left it unreadable)."""
    source = Path(graph_path)
    same = out.resolve() == source.resolve()
    if not same and out.exists() and source.exists():
        same = os.path.samefile(out, source)
    if same:
        raise ExportError(f"{out}: this is the input graph, and the export would overwrite it; "
                          "give --out another file")


def _open(graph_path: Path | str, cache: bool, stack: contextlib.ExitStack) -> ox.Store:
    return ox.Store.read_only(str(stack.enter_context(pinned_store(graph_path, cache))))


def _scratch_dir(stack: contextlib.ExitStack) -> Path:
    return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-export-"))) / "db"


def _export(store: ox.Store, fmt: str, out: Path, ontology, with_ontology: bool,
            stack: contextlib.ExitStack) -> list[Path]:
    onto = find_ontology(ontology) if (fmt in ("nq", "trig") or with_ontology) else None
    onto_triples = _read_ontology(onto) if onto else []
    if fmt in ("nq", "trig"):
        _write_dataset(store, out, _RDF[fmt], onto_triples, _scratch_dir(stack))
        return [out]
    if fmt in ("ttl", "nt", "xml"):
        with atomic_write(out, "wb") as f:
            ox.serialize(_chain(_default_triples(store), onto_triples), f, _RDF[fmt],
                         prefixes=None if fmt == "nt" else PREFIXES)
        return [out]
    if fmt == "jsonld":
        base = document_base(store)
        with atomic_write(out, "w") as f:
            write_jsonld(_chain(_default_triples(store), onto_triples), f, base)
        return [out]
    model = propgraph.property_graph(store)
    writer = {"graphml": propgraph.write_graphml, "gexf": propgraph.write_gexf,
              "neo4j": propgraph.write_neo4j, "kuzu": propgraph.write_kuzu}[fmt]
    try:
        return writer(model, out)
    except ValueError as err:
        raise ExportError(str(err)) from None


def _chain(*parts: Iterable) -> Iterator:
    for part in parts:
        yield from part


def _default_triples(store: ox.Store) -> Iterator[ox.Triple]:
    for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        yield ox.Triple(q.subject, q.predicate, q.object)


def _read_ontology(path: Path) -> list[ox.Triple]:
    """The ontology's triples, blank nodes (OWL lists) named by RDFC-1.0 so exports are byte-for-byte repeatable."""
    try:
        data = ox.Dataset(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as err:
        raise GraphFileError(f"{path}: not valid Turtle: {err}") from None
    data.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted((ox.Triple(q.subject, q.predicate, q.object) for q in data), key=str)


def document_base(store: ox.Store) -> str:
    """The instance base IRI the graph was built with, read off its source documents."""
    for q in store.quads_for_pattern(None, _TYPE, ox.NamedNode(KG_NS + "SourceDocument"), ox.DefaultGraph()):
        m = re.match(r"(.*[/#])source/[^/]+$", q.subject.value)
        if m:
            return m.group(1)
    return DEFAULT_BASE_IRI


# ---------------------------------------------------------------- named graphs

def graph_assignment(store: ox.Store) -> tuple[dict[str, str], dict[tuple[str, str, str], set[str]]]:
    """Which document each evidence node belongs to, and the documents behind each relation triple."""
    doc_of: dict[str, str] = {}
    q = f"""PREFIX kg: <{KG_NS}> PREFIX prov: <{PREFIXES['prov']}> PREFIX rdf: <{RDF_NS}>
    SELECT ?node ?doc WHERE {{
      {{ ?node a kg:SourceDocument . BIND(?node AS ?doc) }}
      UNION {{ ?node kg:inDocument ?doc }}
      UNION {{ ?node a kg:Mention ; prov:wasDerivedFrom ?doc }}
      UNION {{ ?node a rdf:Statement ; prov:wasDerivedFrom ?doc }}
    }}"""
    for row in store.query(q):
        doc_of[row["node"].value] = row["doc"].value
    receipts: dict[str, set[str]] = {}
    q = f"""PREFIX kg: <{KG_NS}> PREFIX prov: <{PREFIXES['prov']}>
    SELECT ?r ?st WHERE {{ ?r a kg:AwardReceipt ; prov:wasDerivedFrom ?st }}"""
    for row in store.query(q):
        receipts.setdefault(row["r"].value, set()).add(doc_of.get(row["st"].value, ""))
    for r, docs in receipts.items():
        if len(docs) == 1 and "" not in docs:
            doc_of[r] = next(iter(docs))
    facts: dict[tuple[str, str, str], set[str]] = {}
    q = f"""PREFIX prov: <{PREFIXES['prov']}> PREFIX rdf: <{RDF_NS}>
    SELECT ?s ?p ?o ?doc WHERE {{ ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                                     prov:wasDerivedFrom ?doc }}"""
    for row in store.query(q):
        facts.setdefault((str(row["s"]), str(row["p"]), str(row["o"])), set()).add(row["doc"].value)
    return doc_of, facts


def dataset_quads(store: ox.Store, ontology: Iterable[ox.Triple] = ()) -> Iterator[ox.Quad]:
    """The graph's triples, each in its named graph (see the module docstring)."""
    doc_of, facts = graph_assignment(store)
    shared = ox.NamedNode(document_base(store) + ENTITIES_GRAPH)
    names: dict[str, ox.NamedNode] = {}
    for t in _default_triples(store):
        doc = doc_of.get(t.subject.value) if isinstance(t.subject, ox.NamedNode) else None
        if doc is None:
            docs = facts.get((str(t.subject), str(t.predicate), str(t.object)))
            doc = next(iter(docs)) if docs and len(docs) == 1 else None
        g = shared if doc is None else names.setdefault(doc, ox.NamedNode(doc))
        yield ox.Quad(t.subject, t.predicate, t.object, g)
    onto = ox.NamedNode(ONTOLOGY_IRI)
    for t in ontology:
        yield ox.Quad(t.subject, t.predicate, t.object, onto)


def _write_dataset(store: ox.Store, out: Path, fmt: ox.RdfFormat, ontology: list[ox.Triple], scratch_dir: Path) -> None:
    """Quads go through an on-disk scratch store so each named graph comes out in one block, in key order."""
    scratch = ox.Store(str(scratch_dir))
    scratch.bulk_extend(dataset_quads(store, ontology))
    with atomic_write(out, "wb") as f:
        scratch.dump(f, fmt, prefixes=None if fmt == ox.RdfFormat.N_QUADS else PREFIXES)
    del scratch


# ---------------------------------------------------------------- JSON-LD

def jsonld_context(base: str) -> dict:
    """A compact context: kg terms by local name, instance IRIs relative to the base, Chinese text as plain strings."""
    ctx: dict = {"@base": base, "@vocab": KG_NS, "@language": "zh"}
    for prefix in ("kg", "rdf", "rdfs", "skos", "prov", "dcterms", "xsd", "owl"):
        ctx[prefix] = PREFIXES[prefix]
    ctx.update({
        "label": {"@id": "rdfs:label"},
        "altLabel": {"@id": "skos:altLabel"},
        "title": {"@id": "dcterms:title"},
        "sameAs": {"@id": "owl:sameAs", "@type": "@id"},
        "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
        "subject": {"@id": "rdf:subject", "@type": "@id"},
        "predicate": {"@id": "rdf:predicate", "@type": "@id"},
        "object": {"@id": "rdf:object", "@type": "@id"},
    })
    for rel in (*RELATIONS, "mentionOf", "sentence", "inDocument", "recipient", "award", "conferredBy"):
        ctx[rel] = {"@id": f"kg:{rel}", "@type": "@id"}
    for name in ("text", "surfaceForm", "edition"):
        ctx[name] = {"@id": f"kg:{name}"}
    for name in ("startOffset", "endOffset"):
        ctx[name] = {"@id": f"kg:{name}"}
    for name in ("fileName", "sha256", "encoding", "rule", "jobTitle"):
        ctx[name] = {"@id": f"kg:{name}", "@language": None}
    ctx["confidence"] = {"@id": "kg:confidence", "@type": "xsd:decimal"}
    ctx["year"] = {"@id": "kg:year"}
    return ctx


@dataclass
class _Term:
    name: str
    iri: str
    type: str | None
    language: str | None


def _terms(ctx: dict) -> dict[str, _Term]:
    out = {}
    for name, d in ctx.items():
        if name.startswith("@") or not isinstance(d, dict):
            continue
        iri = _expand_curie(d["@id"], ctx)
        typ = d.get("@type")
        typ = typ if typ in (None, "@id") else _expand_curie(typ, ctx)
        lang = d["@language"] if "@language" in d else ctx.get("@language")
        out[iri] = _Term(name, iri, typ, None if typ else lang)
    return out


def _expand_curie(value: str, ctx: dict) -> str:
    prefix, sep, rest = value.partition(":")
    return ctx[prefix] + rest if sep and isinstance(ctx.get(prefix), str) else value


_SAFE_REL = re.compile(r"^(?![/?#.])[^:?#]*$")


def _compact_id(iri: str, ctx: dict) -> str:
    base = ctx["@base"]
    if iri.startswith(base):
        rest = iri[len(base):]
        if rest and _SAFE_REL.match(rest) and not re.search(r"(^|/)\.\.?(/|$)", rest):
            return rest
    for prefix in ("kg", "rdf", "rdfs", "skos", "prov", "dcterms", "xsd", "owl"):
        ns = ctx[prefix]
        rest = iri[len(ns):]
        if iri.startswith(ns) and rest and re.fullmatch(r"[A-Za-z_][\w.\-]*", rest):
            return f"{prefix}:{rest}"
    return iri


def _compact_key(iri: str, ctx: dict) -> str:
    """A property key: keys expand against @vocab, never the base, so only prefixes may shorten them."""
    c = _compact_id(iri, ctx)
    return c if c != iri and not iri.startswith(ctx["@base"]) else iri


def _compact_type(iri: str, ctx: dict, term_names: set[str]) -> str:
    rest = iri[len(KG_NS):]
    if iri.startswith(KG_NS) and re.fullmatch(r"[A-Za-z_]\w*", rest) and rest not in term_names \
            and rest not in ctx:
        return rest
    return _compact_id(iri, ctx) if not iri.startswith(ctx["@base"]) else iri


def _value(term, t: _Term | None, ctx: dict):
    """The shortest JSON for an object under its key's term definition that still means exactly it."""
    if isinstance(term, ox.NamedNode):
        c = _compact_id(term.value, ctx)
        return c if t and t.type == "@id" else {"@id": c}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    dt = term.datatype.value
    if term.language:
        if t and t.type is None and t.language == term.language:
            return term.value
        if t is None and ctx.get("@language") == term.language:
            return term.value
        return {"@value": term.value, "@language": term.language}
    if t and t.type == dt:
        return term.value
    if dt == XSD_NS + "string":
        if (t and t.type is None and t.language is None) or (t is None and ctx.get("@language") is None):
            return term.value
        return {"@value": term.value}
    if dt == XSD_NS + "integer" and (t is None or t.type is None) and re.fullmatch(r"-?(0|[1-9]\d*)", term.value) \
            and abs(int(term.value)) < 2 ** 53:
        return int(term.value)
    if dt == XSD_NS + "boolean" and (t is None or t.type is None) and term.value in ("true", "false"):
        return term.value == "true"
    return {"@value": term.value, "@type": _compact_id(dt, ctx)}


def write_jsonld(triples: Iterable[ox.Triple], f, base: str = DEFAULT_BASE_IRI) -> None:
    """Compact JSON-LD, one node object a line, streamed: triples of one subject must come together."""
    ctx = jsonld_context(base)
    terms = _terms(ctx)
    names = {t.name for t in terms.values()}
    entries = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in ctx.items())
    f.write('{"@context": {\n' + entries + '\n},\n"@graph": [\n')
    first = True
    for node in _nodes(triples):
        f.write(("" if first else ",\n") + json.dumps(_node_object(node, ctx, terms, names), ensure_ascii=False))
        first = False
    f.write("\n]}\n")


def _nodes(triples: Iterable[ox.Triple]) -> Iterator[tuple]:
    subject, props = None, []
    for t in triples:
        if subject is not None and t.subject != subject:
            yield subject, props
            props = []
        subject = t.subject
        props.append((t.predicate, t.object))
    if subject is not None:
        yield subject, props


def _node_object(node, ctx, terms, names) -> dict:
    subject, props = node
    obj: dict = {"@id": _value(subject, None, ctx)["@id"]}
    types = [_compact_type(o.value, ctx, names) for p, o in props if p == _TYPE and isinstance(o, ox.NamedNode)]
    if types:
        obj["@type"] = types[0] if len(types) == 1 else types
    for p, o in props:
        if p == _TYPE and isinstance(o, ox.NamedNode):
            continue
        t = terms.get(p.value)
        key = t.name if t else _compact_key(p.value, ctx)
        v = _value(o, t, ctx)
        if key in obj:
            if not isinstance(obj[key], list):
                obj[key] = [obj[key]]
            obj[key].append(v)
        else:
            obj[key] = v
    return obj


def default_out(graph_path: Path | str, fmt: str) -> Path:
    """Where an export goes when no --out is given: beside the graph, named after it."""
    p = Path(graph_path)
    fmt = graphio.format_name(fmt)
    if fmt in FOLDER_EXPORTS:
        return p.parent / f"{p.stem}-{fmt}"
    return p.with_suffix(EXTENSIONS[fmt])
