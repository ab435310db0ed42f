"""Serialise triples to Turtle, N-Triples and N-Quads, deterministically and fast.

rdflib's Turtle writer takes minutes on a graph of a million triples and
needs the whole graph in one in-memory ``Graph``. Its output is still the
reference: :class:`TurtleFormat` writes exactly its bytes (subjects ordered
by how often they are referenced, then by IRI; ``rdf:type`` and
``rdfs:label`` first, other predicates and objects sorted; rdflib's own
prefixed-name and literal rules), but one subject block at a time, so blocks
can be rendered in worker processes, written to sorted runs on disk and
merged (:func:`merge_blocks`). Graphs with blank nodes are not ours; they go
to rdflib unchanged.

N-Triples and N-Quads are line formats: a line per triple, written as the
triples are made, never held as one graph.
"""
from __future__ import annotations

import heapq
import io
import pickle
from pathlib import Path
from typing import IO, Iterable, Iterator

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.plugins.serializers.turtle import TurtleSerializer

from kg.files import atomic_write, write_bytes

_TYPE, _LABEL = RDF.type, RDFS.label
_TYPE_KEY, _LABEL_KEY, _NIL_KEY = str(_TYPE), str(_LABEL), str(RDF.nil)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_S, _DECIMAL_S = _XSD + "integer", _XSD + "decimal"


def turtle_bytes(graph: Graph) -> bytes:
    """The graph as Turtle: the bytes rdflib writes, made without rdflib's writer."""
    namespaces = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    table = TurtleTable(TurtleFormat(namespaces, namespaces.get("id")))
    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            return graph.serialize(format="turtle", encoding="utf-8")
        table.add((s, p, o))
    out = io.StringIO()
    write_turtle_stream(out, table.fmt.used, [table.blocks()])
    return out.getvalue().encode("utf-8", "replace")


def write_turtle(graph: Graph, path: Path | str) -> None:
    write_bytes(path, turtle_bytes(graph))


class TurtleFormat:
    """Terms as rdflib's Turtle writer spells them, and which prefixes that used.

    ``namespaces`` are the graph's bindings (prefix -> namespace IRI). IRIs
    under an instance namespace that no binding extends are never shortened
    by rdflib (their local part always holds a '/'), so they skip its
    prefixed-name search, which is the slow part.
    """

    def __init__(self, namespaces: dict[str, str], instance_base: str | None = None):
        g = Graph(bind_namespaces="none")
        for prefix, ns in namespaces.items():
            g.bind(prefix, URIRef(str(ns)), override=True, replace=True)
        self._serializer = TurtleSerializer(g)
        self._pnames: dict[tuple[str, bool], str | None] = {}
        self.used: dict[str, str] = {}
        bound = [str(ns) for ns in namespaces.values()]
        self._plain_base = instance_base if instance_base and not any(
            ns != instance_base and ns.startswith(instance_base) for ns in bound) else None

    def pname(self, uri: URIRef, verb: bool = False) -> str | None:
        if self._plain_base and str.startswith(uri, self._plain_base):
            return None
        key = (uri, verb)
        if key not in self._pnames:
            name = self._serializer.get_pname(uri, gen_prefix=verb)
            self._pnames[key] = name
        name = self._pnames[key]
        if name is not None:
            prefix = name.split(":", 1)[0]
            if prefix not in self.used:
                self.used[prefix] = str(self._serializer.namespaces[prefix])
        return name

    def node(self, term, verb: bool = False) -> str:
        if isinstance(term, Literal):
            return self.literal(term)
        if verb and str(term) == _TYPE_KEY:
            return "a"
        if str(term) == _NIL_KEY:
            return "()"
        return self.pname(term, verb) or f"<{term}>"

    def literal(self, lit: Literal) -> str:
        dt = lit.datatype
        if dt is None:
            text = _quote(str(lit))
            lang = lit.language
            return f"{text}@{lang}" if lang else text
        self.pname(dt)  # rdflib declares the datatype's prefix even when it writes the literal plain
        dt = str(dt)  # URIRef == runs in Python; str == does not
        if dt == _INTEGER_S and lit.value is not None:
            return str(lit)
        if dt == _DECIMAL_S and lit.value is not None and lit.value.is_finite():
            s = str(lit)
            return s if ("." in s or "e" in s or "E" in s) else s + ".0"
        return lit._literal_n3(use_plain=True, qname_callback=lambda u: self.pname(u))


def _quote(s: str) -> str:
    """rdflib's ``Literal._quote_encode``, character for character."""
    if "\n" in s:
        encoded = s.replace("\\", "\\\\")
        if '"""' in s:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + "\\" + '"'
        return '"""%s"""' % encoded.replace("\r", "\\r")
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")


class TurtleTable:
    """Distinct triples as Turtle text, grouped by subject, with reference counts.

    Terms are spelt once as they arrive; rdflib's term objects are kept only
    to sort the objects of a predicate that has several (rdflib's order).
    """

    def __init__(self, fmt: TurtleFormat):
        self.fmt = fmt
        self.subjects: dict[str, tuple[str, dict]] = {}
        self.refs: dict[str, int] = {}
        self._iris: dict[str, str] = {}
        self._verbs: dict[str, str] = {}
        self.count = 0

    def add(self, triple: tuple) -> bool:
        """Add one triple (as ``Graph.add`` takes it); False if it was there already."""
        s, p, o = triple
        s_key = str(s)
        entry = self.subjects.get(s_key)
        if entry is None:
            entry = self.subjects[s_key] = (self._iri(s_key, s), {})
        props = entry[1]
        p_key = str(p)
        objs = props.get(p_key)
        if objs is None:
            p_txt = self._verbs.get(p_key)
            if p_txt is None:
                p_txt = self._verbs[p_key] = self.fmt.node(p, verb=True)
            objs = props[p_key] = (p_txt, {})
        if type(o) is URIRef:
            o_key = str(o)
            o_txt = self._iri(o_key, o)
        else:
            o_key = None
            o_txt = self.fmt.literal(o) if type(o) is Literal else self.fmt.node(o)
        if o_txt in objs[1]:
            return False
        objs[1][o_txt] = o
        if o_key is not None:
            self.refs[o_key] = self.refs.get(o_key, 0) + 1
        self.count += 1
        return True

    def _iri(self, key: str, term) -> str:
        txt = self._iris.get(key)
        if txt is None:
            txt = self._iris[key] = self.fmt.node(term)
        return txt

    def blocks(self, refs: dict | None = None, extra_refs: dict | None = None,
               subjects: Iterable[str] | None = None) -> list[tuple[int, str, str]]:
        """``(references, subject IRI, block)`` in rdflib's order, for all subjects or the
        given ones; ``refs`` (default: this table's) counts how often each IRI is an object."""
        refs = self.refs if refs is None else refs
        extra = extra_refs or {}
        out = []
        for s_key in (self.subjects if subjects is None else subjects):
            s_txt, props = self.subjects[s_key]
            out.append((refs.get(s_key, 0) + extra.get(s_key, 0), s_key, _block(s_txt, props)))
        out.sort()
        return out


def _block(s_txt: str, props: dict) -> str:
    order = [p for p in (_TYPE_KEY, _LABEL_KEY) if p in props]
    order += sorted(p for p in props if p != _TYPE_KEY and p != _LABEL_KEY)
    parts = ["\n", s_txt]
    for i, p in enumerate(order):
        p_txt, objs = props[p]
        parts.append(" " if i == 0 else " ;\n    ")
        parts.append(p_txt)
        parts.append(" ")
        if len(objs) == 1:
            parts.append(next(iter(objs)))
        else:
            texts = [t for t, _ in sorted(objs.items(), key=lambda item: item[1])]
            parts.append(",\n        ".join(texts))
    parts.append(" .\n")
    return "".join(parts)


def write_turtle_stream(out: IO[str], prefixes: dict[str, str], runs: list[Iterable[tuple[int, str, str]]]) -> None:
    """The prefixes used, then the blocks of every sorted run merged into one order."""
    for prefix, ns in sorted(prefixes.items()):
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    for _, _, block in heapq.merge(*runs):
        out.write(block)
    out.write("\n")


def merge_blocks(path: Path | str, prefixes: dict[str, str], runs: list[Iterable[tuple[int, str, str]]]) -> None:
    """Write Turtle from sorted runs to ``path`` atomically."""
    with atomic_write(path, "w", encoding="utf-8") as f:
        write_turtle_stream(f, prefixes, runs)


class RunFile:
    """A sorted run of Turtle blocks on disk (the external sort that bounds memory)."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def write(cls, path: Path, blocks: list[tuple[int, str, str]]) -> "RunFile":
        with open(path, "wb") as f:
            pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
            for b in blocks:
                pickler.dump(b)
        return cls(path)

    def __iter__(self) -> Iterator[tuple[int, str, str]]:
        with open(self.path, "rb") as f:
            unpickler = pickle.Unpickler(f)
            while True:
                try:
                    yield unpickler.load()
                except EOFError:
                    return


# ------------------------------------------------------------------ line formats

def nt_term(term) -> str:
    if isinstance(term, Literal):
        s = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{s}"@{term.language}'
        if term.datatype is not None:
            return f'"{s}"^^<{term.datatype}>'
        return f'"{s}"'
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def nt_line(triple: tuple, graph_iri: str | None = None) -> str:
    s, p, o = triple
    if graph_iri:
        return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} <{graph_iri}> .\n"
    return f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"


def nt_lines(triples: Iterable[tuple], graph_iri: str | None = None) -> list[str]:
    """Lines of distinct triples, sorted so the same triples always give the same text."""
    return sorted({nt_line(t, graph_iri) for t in triples})
