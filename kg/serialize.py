"""Serialise a graph to Turtle, deterministically.

rdflib's Turtle writer sorts subjects and predicates; with no blank nodes
in our graphs (every node has an IRI) the same graph always gives the same
bytes. Prefixes come from :data:`kg.rdf.PREFIXES`.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.files import write_bytes


def turtle_bytes(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def write_turtle(graph: Graph, path: Path | str) -> None:
    write_bytes(path, turtle_bytes(graph))
