"""Write triples as Turtle, N-Triples and N-Quads: deterministic bytes, in bounded memory.

A build's triples are N-Triples text already (:mod:`kg.rdf`), so the line
formats are their lines, and Turtle is Oxigraph's writer (Rust) over sorted
lines: :class:`TurtleText` turns one run of lines, sorted so each subject's
triples are together, into Turtle blocks without the prefix header, which
the file writes once. A document's blocks are made in the worker that
made its triples; what several documents state (entities, relations, award
receipts) is deduplicated in the building process through
:class:`SortedLines`, an external sort: sorted runs on disk, merged at the
end. The same triples in the same order give the same bytes, whatever
process made them.

Before this, a hand-written Turtle writer reproduced rdflib's exact bytes
(rdflib's own writer: 2.5k triples/s); Oxigraph's does ~600k triples/s,
parsing included, and its output is not rdflib's layout (tabs, no blank
line between subjects, objects in the order given), which nothing needs.
Most of that time is spent making a Python object per term and triple for
it, so a document's blocks are laid out by :meth:`TurtleText.triple_blocks`
in Python, byte for byte as Oxigraph lays them out (tested against it, over
every code point): ~2.6 s less CPU on a 2 M-character build. Oxigraph still
decides how a vocabulary IRI or an unusual literal is written, once per term.
"""
from __future__ import annotations

import heapq
import io
import os
import re
from pathlib import Path
from typing import IO, Iterable, Iterator

from kg.files import write_bytes

#: characters of held lines before a sorted run goes to disk
RUN_CHARS = 32_000_000
#: characters of lines given to Oxigraph in one call when the shared blocks are written
BATCH_CHARS = 4_000_000


# ------------------------------------------------------------------ terms


def nt_term(term) -> str:
    """A term as N-Triples text: our terms (plain ``str``) are that already; rdflib terms are encoded."""
    if type(term) is str:
        return term
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        s = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{s}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
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


_ESCAPE = re.compile(r'\\(.)')
_UNESCAPED = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}


def literal_parts(term: str) -> tuple[str, str | None, str | None]:
    """``(text, language, datatype)`` of a literal's N-Triples text (as :mod:`kg.rdf` writes it)."""
    end = term.rindex('"')
    text = term[1:end]
    if "\\" in text:
        text = _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(0)), text)
    rest = term[end + 1:]
    if rest.startswith("@"):
        return text, rest[1:], None
    if rest.startswith("^^<"):
        return text, None, rest[3:-1]
    return text, None, None


def term_value(term: str) -> str:
    """An IRI without its brackets, a literal's text, a blank node as it is."""
    if term[0] == "<":
        return term[1:-1]
    if term[0] == '"':
        return literal_parts(term)[0]
    return term


def to_rdflib(term: str):
    """An rdflib term for our N-Triples text."""
    from rdflib import BNode, Literal, URIRef

    if term[0] == "<":
        return URIRef(term[1:-1])
    if term[0] == '"':
        text, lang, datatype = literal_parts(term)
        return Literal(text, lang=lang, datatype=URIRef(datatype) if datatype else None)
    return BNode(term[2:])


# ------------------------------------------------------------------ Turtle

#: a literal Oxigraph writes as N-Triples does: no character it escapes otherwise (tab, the other
#: controls, DEL, U+FFFE, U+FFFF: tested over every code point), no escape but the four kg.rdf
#: makes, no tag but ``@zh``
_SAME_LITERAL = re.compile(r'"(?:[^"\\\x00-\x1f\x7f\ufffe\uffff]|\\[\\"nr])*"(?:@zh)?')
_BARE_NUMBER = re.compile(r'"([+-]?(?:[0-9]+|[0-9]*\.[0-9]+))"\^\^<http://www\.w3\.org/2001/XMLSchema#(integer|decimal)>')


def _plain_literal(term: str) -> str | None:
    """How Oxigraph's Turtle writes a literal of these shapes (measured against it, tested): a
    string as N-Triples quotes it, an integer or decimal bare; None for any other."""
    if _SAME_LITERAL.fullmatch(term):
        return term
    number = _BARE_NUMBER.fullmatch(term)
    if number and (number.group(2) == "integer") != ("." in number.group(1)):
        return number.group(1)
    return None


class TurtleText:
    """Sorted N-Triples lines -> Turtle blocks (Oxigraph's writer), and the one prefix header."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = dict(prefixes)
        self._header: str | None = None
        self._prefixed = tuple(f"<{ns}" for ns in self.prefixes.values())
        self._terms: dict[str, str] = {}
        self._predicates: dict[str, str] = {}

    def header(self) -> str:
        """The ``@prefix`` lines, as Oxigraph writes them before any triple."""
        if self._header is None:
            import pyoxigraph as ox

            probe = "<urn:x> <urn:p> <urn:o> .\n"
            text = ox.serialize(ox.parse(probe, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                                prefixes=self.prefixes).decode("utf-8")
            self._header = text[: text.index("<urn:x>")]
        return self._header

    def blocks(self, lines: str) -> str:
        """Turtle of ``lines`` (N-Triples, each subject's lines together), without the header."""
        if not lines:
            return ""
        import pyoxigraph as ox

        text = ox.serialize(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                            prefixes=self.prefixes).decode("utf-8")
        header = self.header()
        if not text.startswith(header):
            raise RuntimeError("Oxigraph's Turtle did not start with its prefix header")
        return text[len(header):]

    def triple_blocks(self, triples: Iterable[tuple]) -> str:
        """:meth:`blocks` of distinct ``triples`` (N-Triples terms, each subject's together),
        laid out in Python as Oxigraph lays them out (measured: Oxigraph's writer spends most of
        its time making a Python object per term and triple; this is ~4x faster on a build's
        documents). Terms outside the shapes of :func:`_plain_literal` and IRIs a prefix
        shortens are asked of Oxigraph (once each, if they recur); a blank node sends the whole
        run to :meth:`blocks`."""
        terms, predicates = self._terms, self._predicates
        out: list[str] = []
        add = out.append
        last_s = last_p = None
        for s, p, o in triples:
            ts = terms.get(s)
            if ts is None:
                ts = self._term(s)
            to = terms.get(o)
            if to is None:
                to = self._term(o)
            if ts is None or to is None:
                return self.blocks("".join(f"{s} {p} {o} .\n" for s, p, o in triples))
            if s == last_s:
                if p == last_p:
                    add(" , ")
                    add(to)
                    continue
                add(" ;\n\t")
            else:
                if last_s is not None:
                    add(" .\n")
                add(ts)
                add(" ")
                last_s = s
            tp = predicates.get(p)
            if tp is None:
                tp = predicates[p] = self._ask(f"<urn:kg:s> {p} <urn:kg:o> .\n", "<urn:kg:s> ", " <urn:kg:o>")
            add(tp)
            add(" ")
            add(to)
            last_p = p
        if last_s is not None:
            add(" .\n")
        return "".join(out)

    def _term(self, term: str) -> str | None:
        """A subject's or object's Turtle (None for a blank node), remembered if it recurs."""
        first = term[0]
        if first == "<" and "\\" not in term and not term.startswith(self._prefixed):
            text = term
        elif first == '"':
            text = _plain_literal(term)
            if text is None:
                text = self._ask(f"<urn:kg:s> <urn:kg:p> {term} .\n", "<urn:kg:s> <urn:kg:p> ", "")
        elif first == "<":
            text = self._ask(f"<urn:kg:s> <urn:kg:p> {term} .\n", "<urn:kg:s> <urn:kg:p> ", "")
        else:
            return None
        if first == "<" or len(term) < 64:
            if len(self._terms) >= 1 << 17:
                self._terms.clear()
            self._terms[term] = text
        return text

    def _ask(self, line: str, before: str, after: str) -> str:
        """How Oxigraph writes the term between ``before`` and ``after`` of one triple's block."""
        block = self.blocks(line)
        if not (block.startswith(before) and block.endswith(after + " .\n")):
            raise RuntimeError(f"Oxigraph's Turtle of {line!r} is not one line: {block!r}")
        return block[len(before): len(block) - len(after) - 3]

    def write_runs(self, out: IO[str], lines: Iterator[str]) -> None:
        """Blocks of sorted distinct ``lines`` in batches cut between subjects (so a subject's block
        is never split, and the text does not depend on the batch size)."""
        batch: list[str] = []
        size = 0
        subject = None
        for line in lines:
            this = line[: line.index(" ")]
            if size >= BATCH_CHARS and this != subject:
                out.write(self.blocks("".join(batch)))
                batch, size = [], 0
            batch.append(line)
            size += len(line)
            subject = this
        out.write(self.blocks("".join(batch)))


def turtle_text(triples: Iterable[tuple], prefixes: dict[str, str]) -> str:
    """Any triples (ours or rdflib's) as one Turtle document."""
    writer = TurtleText(prefixes)
    out = io.StringIO()
    out.write(writer.header())
    writer.write_runs(out, iter(nt_lines(triples)))
    return out.getvalue()


def turtle_bytes(graph) -> bytes:
    """An rdflib graph as Turtle, with its bound prefixes that our graphs use."""
    from kg.rdf import TURTLE_PREFIXES

    return turtle_text(graph, TURTLE_PREFIXES).encode("utf-8")


def write_turtle(graph, path: Path | str) -> None:
    write_bytes(path, turtle_bytes(graph))


# ------------------------------------------------------------------ external sort


class SortedLines:
    """Distinct lines in sorted order, in bounded memory: up to :data:`RUN_CHARS` characters are
    held, then written to a sorted run in ``folder``; :meth:`merged` yields them all, once each."""

    def __init__(self, folder: Path, name: str = "run"):
        self.folder, self.name = Path(folder), name
        self.held: set[str] = set()
        self.size = 0
        self.runs: list[Path] = []

    def add(self, line: str) -> None:
        if line not in self.held:
            self.held.add(line)
            self.size += len(line)
            if self.size >= RUN_CHARS:
                self._spill()

    def update(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.add(line)

    def _spill(self) -> None:
        path = self.folder / f"{self.name}{len(self.runs)}"
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(sorted(self.held))
        self.runs.append(path)
        self.held, self.size = set(), 0

    def merged(self) -> Iterator[str]:
        files = [open(p, encoding="utf-8", newline="\n") for p in self.runs]
        try:
            last = None
            for line in heapq.merge(*files, sorted(self.held)):
                if line != last:
                    yield line
                    last = line
        finally:
            for f in files:
                f.close()

    def discard(self) -> None:
        for p in self.runs:
            try:
                os.unlink(p)
            except OSError:
                pass
        self.runs, self.held = [], set()
