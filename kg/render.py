"""Render stage: the RDF graph -> networkx -> one self-contained, interactive HTML page.

Most readers never write SPARQL; they open ``graph.html``. So the page is an
analyst's tool, not a picture: a legend that filters by class and relation
(counts shown / total), filters by rule, confidence and year, a search over
names and aliases, a side panel with every node's and edge's evidence (the
sentences and source documents the RDF records, inferred relations marked,
each quote opened in its document's context), neighbourhoods, force,
hierarchical and radial layouts, a sortable table with CSV export, PNG and
SVG export of the view, and the whole view state in the URL. The focused
pages of ``kg render`` come from :func:`select`.

Why it is built this way:

* **Offline and single-file.** vis-network is inlined from the copy pyvis
  ships, and the page's own script and style from ``render_assets/``; a
  Content-Security-Policy allows nothing but those two scripts (by hash),
  so even a page opened from a mail attachment makes no request. Exports
  are made in the page (canvas, DOM-built SVG, CSV) and saved as downloads.
* **Safe.** Everything from documents travels as JSON in a
  ``<script type="application/json">`` block with ``<``, ``>`` and ``&``
  written as ``\\u003c`` etc., so no text can close the block or open a tag;
  the page script inserts text only through ``textContent``, shows bidi
  controls as visible marks and cuts long names and sentences. The
  hash-only CSP would refuse an injected inline handler anyway.
* **Deterministic.** Nodes, edges, sentences and documents are sorted, the
  layout is seeded, fed in a fixed order and rounded to whole pixels, and
  nothing time-, hash- or random-dependent is written: the same graph gives
  the same bytes whatever ``PYTHONHASHSEED``.
* **Large graphs.** Positions are computed here, not in the browser, with no
  two node bodies overlapping; the page runs no physics and draws at once.
  Filters re-pack the components that are left (in the page), and hub
  names are drawn at a readable size when zoomed out.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, NamedTuple

import networkx as nx
from rdflib import Graph

from kg import vocabulary
from kg.files import write_text
from kg.layout import label_size, layout, node_size
from kg.model import ENTITY_TYPES, RELATIONS
from kg.network import to_networkx, vocabulary_labels as _vocabulary_labels  # noqa: F401  (the page's graph)


@dataclass(frozen=True)
class ClassStyle:
    """How a class is drawn; its name comes from the ontology (:mod:`kg.vocabulary`)."""

    colour: str
    shape: str


CLASS_STYLES = {
    "Person": ClassStyle("#e4572e", "dot"),
    "Enterprise": ClassStyle("#17a398", "square"),
    "TradeUnion": ClassStyle("#2e86ab", "hexagon"),
    "GovernmentBody": ClassStyle("#6c4ab6", "diamond"),
    "Institution": ClassStyle("#76b041", "triangle"),
    "Place": ClassStyle("#e0b000", "triangleDown"),
    "Award": ClassStyle("#f18f01", "star"),
    "Competition": ClassStyle("#c73e1d", "star"),
    "Event": ClassStyle("#a23b72", "diamond"),
    "Studio": ClassStyle("#3b8ea5", "square"),
    "Program": ClassStyle("#8d6a9f", "hexagon"),
    "Document": ClassStyle("#7a7a7a", "triangle"),
}
CLASS_COLOURS = {name: style.colour for name, style in CLASS_STYLES.items()}
RELATION_COLOURS = {
    "worksFor": "#d1495b", "receivedAward": "#edae49", "participatedIn": "#00798c", "locatedIn": "#9a9a9a",
    "heldIn": "#66a182", "organizedBy": "#30638e", "subOrganizationOf": "#5c4d7d", "leads": "#b5651d",
    "partOf": "#8c8c8c",
}
ASSETS = "render_assets"


class RenderError(ValueError):
    """A render cannot be made as asked (unknown class, relation or focus name, or nothing left)."""


class DocumentInfo(NamedTuple):
    """A source document as the page names it; ``year`` and ``text`` only when the graph's producer knows them.

    ``text`` is the whole article: with it the page shows evidence inside the
    article itself; without it, inside the document's sentences the graph
    holds (see the README, "The interactive graph").
    """

    file: str
    title: str
    year: int | None = None
    text: str | None = None


INFERRED_RULE_PREFIXES = ("structure.",)


def is_inferred_rule(rule: str) -> bool:
    """Rules that read a relation off the structure of a name (樟树某某公司 → in 樟树), not off what a sentence states."""
    return rule.startswith(INFERRED_RULE_PREFIXES)


def _ontology_labels() -> tuple[dict[str, str], dict[str, str]]:
    classes, relations = vocabulary.class_labels("zh"), vocabulary.relation_labels("zh")
    return {c: classes[c] for c in CLASS_STYLES}, {r: relations[r] for r in RELATIONS}


def find_nodes(g: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes whose label, alias or IRI is ``name``; failing that, those whose label or alias contains it."""
    exact = [n for n, d in g.nodes(data=True) if name == n or name == d["label"] or name in d["aliases"]]
    if exact:
        return sorted(exact)
    return sorted(n for n, d in g.nodes(data=True) if name in d["label"] or any(name in a for a in d["aliases"]))


def _resolve_names(given: Iterable[str] | None, labels: dict[str, str], what: str) -> set[str] | None:
    if not given:
        return None
    by_name = {k.lower(): k for k in labels} | {v: k for k, v in labels.items()}
    chosen = set()
    for name in given:
        key = by_name.get(name) or by_name.get(name.lower())
        if key is None:
            known = ", ".join(f"{k} ({v})" for k, v in labels.items())
            raise RenderError(f"unknown {what} {name!r}; known: {known}")
        chosen.add(key)
    return chosen


def select(g: nx.MultiDiGraph, focus: Iterable[str] | None = None, depth: int = 1,
           classes: Iterable[str] | None = None, relations: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The part of ``g`` a focused page shows.

    Classes and relations (English local names or their Chinese names) filter
    first; with a relation filter only nodes on a kept edge stay. Then
    ``focus`` (names, aliases or IRIs) keeps those nodes and their
    neighbours to ``depth`` steps, whatever the edge direction.
    """
    keep_classes = _resolve_names(classes, g.graph["class_labels"], "class")
    keep_relations = _resolve_names(relations, g.graph["relation_labels"], "relation")
    nodes = {n for n, d in g.nodes(data=True) if keep_classes is None or d["cls"] in keep_classes}
    edges = [(s, o, k) for s, o, k in g.edges(keys=True)
             if s in nodes and o in nodes and (keep_relations is None or k in keep_relations)]
    if keep_relations is not None:
        nodes = {n for s, o, _ in edges for n in (s, o)}
    if focus:
        centres = set()
        for name in focus:
            found = [n for n in find_nodes(g, name) if n in nodes]
            if not found:
                raise RenderError(f"no entity named {name!r} in the graph" +
                                  (" after the class and relation filters" if keep_classes or keep_relations else ""))
            centres.update(found)
        adjacency = defaultdict(set)
        for s, o, _ in edges:
            adjacency[s].add(o)
            adjacency[o].add(s)
        seen = dict.fromkeys(sorted(centres), 0)
        queue = deque(seen)
        while queue:
            n = queue.popleft()
            if seen[n] < depth:
                for m in sorted(adjacency[n] - seen.keys()):
                    seen[m] = seen[n] + 1
                    queue.append(m)
        nodes = set(seen)
        edges = [(s, o, k) for s, o, k in edges if s in nodes and o in nodes]
    if not nodes:
        raise RenderError("nothing left to render after the filters")
    sub = nx.MultiDiGraph(**g.graph)
    sub.add_nodes_from((n, g.nodes[n]) for n in sorted(nodes))
    sub.add_edges_from((s, o, k, g.edges[s, o, k]) for s, o, k in sorted(edges))
    return sub


def _document_info(value) -> DocumentInfo:
    return value if isinstance(value, DocumentInfo) else DocumentInfo(*value)


def _mention(entry) -> tuple[str, str, int]:
    """(sentence IRI, surface form, start offset or -1) of a mention in either accepted shape."""
    return (entry[0], entry[1], entry[2] if len(entry) > 2 else -1)


def _confidence(text: str) -> float | None:
    try:
        return round(float(text), 4) if text != "" else None
    except ValueError:
        return None


def page_data(g: nx.MultiDiGraph, title: str = "知识图谱") -> dict:
    """Everything the page shows, as plain sorted JSON-ready data (nodes, edges, sentences, documents and rules by index)."""
    class_labels = g.graph.get("class_labels") or _ontology_labels()[0]
    relation_labels = g.graph.get("relation_labels") or _ontology_labels()[1]
    sentence_table = g.graph.get("sentences", {})
    document_table = {k: _document_info(v) for k, v in g.graph.get("documents", {}).items()}
    nodes = sorted(g.nodes)
    node_index = {n: i for i, n in enumerate(nodes)}
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: (node_index[e[0]], e[2], node_index[e[1]]))

    used_sentences = {_mention(m)[0] for n in nodes for m in g.nodes[n].get("mentions", ())}
    used_sentences |= {ev[0] for *_, d in edges for ev in d.get("evidence", ()) if ev[0]}
    used_sentences &= sentence_table.keys()
    used_documents = {sentence_table[s][0] for s in used_sentences if sentence_table[s][0]}
    used_documents |= {ev[1] for *_, d in edges for ev in d.get("evidence", ()) if ev[1]}
    used_documents &= document_table.keys()
    doc_order = sorted(used_documents, key=lambda d: (document_table[d].file, d))
    doc_index = {d: i for i, d in enumerate(doc_order)}
    sent_order = sorted(used_sentences, key=lambda s: (doc_index.get(sentence_table[s][0], -1), sentence_table[s][1], s))
    sent_index = {s: i for i, s in enumerate(sent_order)}
    rules = sorted({ev[2] for *_, d in edges for ev in d.get("evidence", ())})
    rule_index = {r: i for i, r in enumerate(rules)}

    class_names = [c for c in ENTITY_TYPES if any(g.nodes[n]["cls"] == c for n in nodes)]
    class_index = {c: i for i, c in enumerate(class_names)}
    relation_names = [r for r in RELATIONS if any(e[2] == r for e in edges)]
    relation_index = {r: i for i, r in enumerate(relation_names)}
    degree = dict(g.degree())
    positions = layout(g)

    pair_count = defaultdict(int)
    edge_rows = []
    for s, o, key, d in edges:
        pair = tuple(sorted((node_index[s], node_index[o])))
        lane = pair_count[pair]
        pair_count[pair] += 1
        evidence = [[sent_index.get(sent, -1), doc_index.get(doc, -1), rule_index[rule], _confidence(confidence)]
                    for sent, doc, rule, confidence in d.get("evidence", ())]
        row = {"from": node_index[s], "to": node_index[o], "rel": relation_index[key], "lane": lane, "ev": evidence}
        if d.get("years"):
            row["years"] = sorted(set(d["years"]))
        edge_rows.append(row)
    node_rows = []
    for n in nodes:
        d = g.nodes[n]
        x, y = positions[n]
        mentions = sorted({_mention(m) for m in d.get("mentions", ())})
        node_rows.append({"iri": n, "label": d["label"], "cls": class_index[d["cls"]], "aliases": list(d["aliases"]),
                          "size": node_size(degree[n]), "font": label_size(degree[n]), "deg": degree[n], "x": x, "y": y,
                          "m": [[sent_index[s], surface, start] for s, surface, start in mentions if s in sent_index]})
    documents = []
    for key in doc_order:
        info = document_table[key]
        row = {"file": info.file, "title": info.title}
        if info.year is not None:
            row["year"] = info.year
        if info.text is not None:
            row["text"] = info.text
        documents.append(row)
    return {
        "title": title,
        "classes": [{"id": c, "zh": class_labels.get(c, c), "colour": CLASS_STYLES[c].colour,
                     "shape": CLASS_STYLES[c].shape} for c in class_names],
        "relations": [{"id": r, "zh": relation_labels.get(r, r), "colour": RELATION_COLOURS.get(r, "#888888")}
                      for r in relation_names],
        "rules": [{"id": r, "inferred": is_inferred_rule(r)} for r in rules],
        "documents": documents,
        "sentences": [{"doc": doc_index.get(sentence_table[s][0], -1), "start": sentence_table[s][1],
                       "text": sentence_table[s][2]} for s in sent_order],
        "nodes": node_rows,
        "edges": edge_rows,
    }


def script_json(value) -> str:
    """JSON that can sit inside a <script> element: no character of it can end the element or start markup."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _asset(name: str) -> str:
    return resources.files("kg").joinpath(ASSETS, name).read_text(encoding="utf-8")


def vis_network_js() -> str:
    """vis-network as shipped inside pyvis (newest copy), without its source-map comment."""
    lib = resources.files("pyvis").joinpath("templates", "lib")
    versions = sorted((p for p in lib.iterdir() if p.name.startswith("vis-") and p.joinpath("vis-network.min.js").is_file()),
                      key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name)))
    if not versions:
        raise RuntimeError("vis-network.min.js not found inside the pyvis package")
    js = versions[-1].joinpath("vis-network.min.js").read_text(encoding="utf-8")
    return re.sub(r"//# sourceMappingURL=\S*\s*$", "", js)


def _inline_script(code: str) -> str:
    if re.search(r"</script|<!--", code, re.I):
        raise RuntimeError("a script to inline contains '</script' or '<!--'")
    return code


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def render_page(g: nx.MultiDiGraph, title: str = "知识图谱") -> str:
    """The whole HTML page for ``g`` as a string."""
    vis = _inline_script(vis_network_js())
    app = _inline_script(_asset("app.js"))
    csp = ("default-src 'none'; script-src " + _csp_hash(vis) + " " + _csp_hash(app) +
           "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    parts = {
        "TITLE": html.escape(title),
        "CSP": html.escape(csp, quote=False),
        "STYLE": _asset("style.css"),
        "DATA": script_json(page_data(g, title)),
        "VIS": vis,
        "APP": app,
    }
    page = re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], _asset("page.html"))
    if re.search(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=""", page, re.I):
        raise RuntimeError("rendered page references an outside resource")
    return page


def render_html(g: nx.MultiDiGraph, path: Path | str, title: str = "知识图谱") -> None:
    """Write the page for ``g`` to ``path`` atomically: the interactive page, or the overview page
    when ``g`` has more than :data:`PAGE_MAX_ENTITIES` entities."""
    if g.number_of_nodes() > PAGE_MAX_ENTITIES:
        write_text(path, render_overview(g, title))
    else:
        write_text(path, render_page(g, title))


# ------------------------------------------------------------------ the overview of a huge graph

#: above this many entities ``graph.html`` is the overview page, not the interactive graph
PAGE_MAX_ENTITIES = 20_000
#: the most connected entities the overview lists
OVERVIEW_TOP = 500


def needs_overview(entities: int) -> bool:
    return entities > PAGE_MAX_ENTITIES


def overview_data(g: nx.MultiDiGraph, title: str = "知识图谱") -> dict:
    """What the overview page shows: every entity's name, class, other names (at most three),
    relation count and mention count, every relation as ``[from, relation, to]`` indexes, and the
    :data:`OVERVIEW_TOP` most connected entities; no evidence, sentence or layout, so the page
    grows with the entities and relations alone (about 60 bytes per entity and 20 per relation)."""
    class_labels = g.graph.get("class_labels") or _ontology_labels()[0]
    relation_labels = g.graph.get("relation_labels") or _ontology_labels()[1]
    nodes = sorted(g.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    class_names = sorted({g.nodes[n]["cls"] for n in nodes}, key=ENTITY_TYPES.index)
    class_index = {c: i for i, c in enumerate(class_names)}
    relation_names = [r for r in RELATIONS if any(k == r for _, _, k in g.edges(keys=True))]
    relation_index = {r: i for i, r in enumerate(relation_names)}
    edges = sorted((index[s], relation_index[k], index[o]) for s, o, k in g.edges(keys=True))
    degree = [0] * len(nodes)
    for s, _, o in edges:
        degree[s] += 1
        degree[o] += 1
    names, classes, aliases, mentions = [], [], [], []
    for n in nodes:
        d = g.nodes[n]
        names.append(d["label"])
        classes.append(class_index[d["cls"]])
        aliases.append(list(d.get("aliases", ()))[:3])
        mentions.append(d.get("mention_count", len(d.get("mentions", ()))))
    top = sorted(range(len(nodes)), key=lambda i: (-degree[i], -mentions[i], names[i], i))[:OVERVIEW_TOP]
    return {
        "title": title,
        "limit": PAGE_MAX_ENTITIES,
        "classes": [{"id": c, "zh": class_labels.get(c, c), "colour": CLASS_STYLES[c].colour} for c in class_names],
        "relations": [{"id": r, "zh": relation_labels.get(r, r)} for r in relation_names],
        "iris": nodes,
        "names": names,
        "cls": classes,
        "aliases": aliases,
        "deg": degree,
        "mentions": mentions,
        "edges": [x for e in edges for x in e],
        "top": top,
    }


def render_overview(g: nx.MultiDiGraph, title: str = "知识图谱") -> str:
    """The overview page for ``g`` as a string (self-contained, one hashed script, like the graph page)."""
    app = _inline_script(_asset("overview.js"))
    csp = ("default-src 'none'; script-src " + _csp_hash(app) +
           "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    parts = {"TITLE": html.escape(title), "CSP": html.escape(csp, quote=False),
             "DATA": script_json(overview_data(g, title)), "APP": app}
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], _asset("overview.html"))


class GraphFileError(RenderError):
    """The graph file is missing or is not RDF that rdflib reads."""


def load_graph(path: Path | str) -> Graph:
    """An RDF graph from a file (format from its suffix, Turtle when unknown) or from a build folder's graph.ttl.

    N-Quads and TriG are read as a dataset whose default graph is the union
    of its graphs, so a page shows every graph of the file.
    """
    from rdflib import Dataset
    from rdflib.util import guess_format

    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise GraphFileError(f"{path}: graph file not found")
    fmt = guess_format(str(path)) or "turtle"
    graph = Dataset(default_union=True) if fmt in ("nquads", "trig") else Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as err:  # rdflib raises many unrelated types for a bad file
        raise GraphFileError(f"{path}: not readable as {fmt}: {err}") from None
    return graph
