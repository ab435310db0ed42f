"""Opening graph files, one way for every verb: one table of RDF syntaxes, one error type.

Every command that reads a graph (``kg query``, ``export``, ``serve``,
``render``, ``validate``, ``eval``, ``load``) takes a graph file or a build
folder, tells the syntax from the file's suffix with :data:`SYNTAXES`, and
reports a missing or unreadable graph as :class:`GraphFileError`, which the
command line turns into exit status 2. The ``--format`` names of
``kg build``, ``kg export`` and ``kg query`` are the canonical names of the
same table; the long spellings (``turtle``, ``ntriples``, ``json-ld``, …)
are accepted as aliases.

rdflib and pyoxigraph are imported only by the functions that need them, so
resolving a path costs nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class GraphFileError(Exception):
    """A graph file (or the graph of a build folder) is missing, or is not RDF that can be read."""


@dataclass(frozen=True)
class Syntax:
    """One RDF syntax: its ``--format`` name, other spellings, file suffixes (the first is written), parser names."""

    name: str
    title: str
    aliases: tuple[str, ...]
    suffixes: tuple[str, ...]
    rdflib: str
    oxigraph: str
    media_type: str
    quads: bool = False

    def oxigraph_format(self):
        import pyoxigraph as ox

        return getattr(ox.RdfFormat, self.oxigraph)


SYNTAXES: tuple[Syntax, ...] = (
    Syntax("ttl", "Turtle", ("turtle",), (".ttl", ".turtle"), "turtle", "TURTLE", "text/turtle"),
    Syntax("nt", "N-Triples", ("ntriples", "n-triples"), (".nt",), "nt", "N_TRIPLES", "application/n-triples"),
    Syntax("nq", "N-Quads", ("nquads", "n-quads"), (".nq",), "nquads", "N_QUADS", "application/n-quads", quads=True),
    Syntax("trig", "TriG", (), (".trig",), "trig", "TRIG", "application/trig", quads=True),
    Syntax("jsonld", "JSON-LD", ("json-ld",), (".jsonld", ".json"), "json-ld", "JSON_LD", "application/ld+json"),
    Syntax("xml", "RDF/XML", ("rdfxml", "rdf/xml", "rdf"), (".rdf", ".xml", ".owl"), "xml", "RDF_XML", "application/rdf+xml"),
    Syntax("n3", "N3", (), (".n3",), "n3", "N3", "text/n3"),
)
DEFAULT_SYNTAX = SYNTAXES[0]
BUILD_GRAPH_FILES = ("graph.ttl", "graph.nt", "graph.nq")
"""The graph files ``kg build`` writes (``--format ttl``, ``nt``, ``nq``), in the order a build folder is searched."""

_BY_SUFFIX = {suffix: s for s in SYNTAXES for suffix in s.suffixes}
_BY_NAME = {n: s for s in SYNTAXES for n in (s.name, *s.aliases)}


def format_name(name: str, allowed: tuple[str, ...] | None = None) -> str:
    """The canonical ``--format`` name of ``name`` (``turtle`` -> ``ttl``); unknown names come back unchanged.

    With ``allowed``, an RDF syntax outside it is an error (ValueError), so a
    command can say which of the spellings it writes.
    """
    key = name.strip().lower()
    syntax = _BY_NAME.get(key)
    canonical = syntax.name if syntax else key
    if allowed is not None and canonical not in allowed:
        raise ValueError(f"unknown format {name!r}; use one of {', '.join(allowed)}")
    return canonical


def syntax_named(name: str) -> Syntax:
    syntax = _BY_NAME.get(name.strip().lower())
    if syntax is None:
        raise ValueError(f"unknown RDF syntax {name!r}; use one of {', '.join(s.name for s in SYNTAXES)}")
    return syntax


def syntax_of(path: Path | str) -> Syntax:
    """The syntax a file is read as: by its suffix, Turtle when the suffix says nothing."""
    return _BY_SUFFIX.get(Path(path).suffix.lower(), DEFAULT_SYNTAX)


def graph_file(path: Path | str) -> Path:
    """The graph file ``path`` names: the file itself, or the graph a build folder holds.

    A build folder's graph is the first of :data:`BUILD_GRAPH_FILES` in it.
    Raises :class:`GraphFileError` when there is none.
    """
    path = Path(path)
    if path.is_dir():
        for name in BUILD_GRAPH_FILES:
            if (path / name).is_file():
                return path / name
        raise GraphFileError(f"{path}: a folder without a built graph (none of {', '.join(BUILD_GRAPH_FILES)})")
    if not path.exists():
        raise GraphFileError(f"{path}: graph file not found")
    if not path.is_file():
        raise GraphFileError(f"{path}: not a file")
    return path


def ontology_file(explicit: Path | str | None = None, name: str = "kg.ttl") -> Path:
    """The ontology (``kg.ttl``) or shapes (``shapes.ttl``) file: the one given, else the package's own.

    Raises :class:`GraphFileError` when the file is missing, also when the
    installed package lacks it: nothing falls back to running without it.
    """
    from kg import resources

    path = Path(explicit) if explicit else resources.ontology_file(name)
    if not path.is_file():
        where = "" if explicit else " (the installed package is incomplete)"
        raise GraphFileError(f"{path}: {'ontology' if name == 'kg.ttl' else 'shapes'} file not found{where}")
    return path


def read_graph(path: Path | str):
    """An rdflib Graph of the file (or build folder); a quad file gives the union of its graphs.

    The file's prefixes stay bound, so reports can print short names.
    """
    from rdflib import Dataset, Graph

    path = graph_file(path)
    syntax = syntax_of(path)
    try:
        if syntax.quads:
            ds = Dataset()
            ds.parse(path, format=syntax.rdflib)
            graph = Graph()
            for prefix, ns in ds.namespaces():
                graph.bind(prefix, ns, override=False)
            for s, p, o, _ in ds.quads():
                graph.add((s, p, o))
            return graph
        return Graph().parse(path, format=syntax.rdflib)
    except Exception as err:  # rdflib raises many unrelated types for a bad file
        raise GraphFileError(f"{path}: not valid {syntax.title}: {_first_line(err)}") from None


def _first_line(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0][:300]
