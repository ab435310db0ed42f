"""The whole way through: files -> extraction -> identities -> RDF -> outputs.

``build()`` is the library entry point that the CLI, the tests and the
notebook call. Outputs are written only after everything is computed, each
atomically, so a failed build leaves an earlier good output as it was.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from tqdm import tqdm

from kg.extract import extract
from kg.files import write_text
from kg.model import DocumentExtraction
from kg.pipeline import shared_nlp
from kg.rdf import to_graph
from kg.read import DocumentError, SourceDocument, iter_documents, list_sources
from kg.render import render_html, to_networkx
from kg.resolve import Resolution, resolve
from kg.serialize import turtle_bytes
from kg.settings import Settings
from kg.stats import summarise

log = logging.getLogger("kg")


class BuildError(Exception):
    """Nothing could be built (no readable document, or no input at all)."""


@dataclass
class BuildResult:
    graph: Graph
    resolution: Resolution
    stats: dict
    skipped: list[DocumentError]
    outputs: dict[str, Path]


def read_sources(source: Path | str, progress: bool = False) -> tuple[list[SourceDocument], list[DocumentError]]:
    paths = list_sources(source)
    docs, errors, seen = [], [], {}
    for item in tqdm(iter_documents(paths), total=len(paths), desc="read", unit="doc",
                     disable=not progress or len(paths) < 2, leave=False):
        if isinstance(item, DocumentError):
            errors.append(item)
        elif item.sha256 in seen:
            errors.append(DocumentError(item.name, f"same content as {seen[item.sha256]}, skipped"))
        else:
            seen[item.sha256] = item.name
            docs.append(item)
    return docs, errors


def extract_documents(docs: list[SourceDocument], settings: Settings) -> list[DocumentExtraction]:
    nlp = shared_nlp(settings.home_province)
    return [extract(d, nlp) for d in tqdm(docs, desc="extract", unit="doc",
                                          disable=not settings.progress or len(docs) < 2)]


def build_graph(source: Path | str, settings: Settings | None = None) -> BuildResult:
    """Read, extract, resolve and build the RDF graph, writing nothing."""
    settings = settings or Settings()
    docs, errors = read_sources(source, settings.progress)
    for err in errors:
        log.warning("skipped %s", err)
    if not docs:
        raise BuildError(f"{source}: no readable document ({len(errors)} skipped)")
    extractions = extract_documents(docs, settings)
    res = resolve(extractions)
    graph = to_graph(res, settings)
    stats = summarise(res, [{"file": str(e.path), "problem": e.problem} for e in errors], len(graph))
    return BuildResult(graph, res, stats, errors, {})


def build(source: Path | str = "seeds", out: Path | str = "output", settings: Settings | None = None) -> BuildResult:
    """Build the knowledge graph of ``source`` into ``out``: graph.ttl, graph.html, stats.json."""
    result = build_graph(source, settings)
    out = Path(out)
    ttl = turtle_bytes(result.graph)
    html_path, ttl_path, stats_path = out / "graph.html", out / "graph.ttl", out / "stats.json"
    out.mkdir(parents=True, exist_ok=True)
    render_html(to_networkx(result.graph), html_path)
    from kg.files import write_bytes

    write_bytes(ttl_path, ttl)
    write_text(stats_path, json.dumps(result.stats, ensure_ascii=False, indent=1, sort_keys=False) + "\n")
    result.outputs = {"graph.ttl": ttl_path, "graph.html": html_path, "stats.json": stats_path}
    return result
