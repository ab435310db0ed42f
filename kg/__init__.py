"""kg: a knowledge-graph builder for Chinese trade-union news.

The library API (the ``kg`` command is a thin layer over it)::

    import kg
    result = kg.build("seeds", "output")      # graph.ttl, graph.html, stats.json
    result.graph                              # an rdflib Graph
    kg.build_graph("seeds").graph             # the same graph, nothing written

``import kg`` is cheap: the modules behind these names import only the
standard library at import time, and rdflib, spaCy, networkx, numpy and the
engines are imported by the functions that use them, so ``kg query``,
``kg serve`` and ``kg --help`` start without what they do not use (tested).
"""
from __future__ import annotations

from kg.build import BuildError, BuildResult, build, build_graph
from kg.read import DocumentError, normalised_text, read_document
from kg.settings import Settings

__version__ = "0.1.0"
__all__ = ["build", "build_graph", "BuildResult", "BuildError", "DocumentError", "read_document",
           "normalised_text", "Settings"]
