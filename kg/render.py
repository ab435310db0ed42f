"""Render stage: the RDF graph -> networkx -> a self-contained pyvis HTML page.

The page inlines vis-network (shipped inside pyvis) and loads nothing from
the network: pyvis's template links Bootstrap from a CDN even in its
``in_line`` mode, so those tags are removed and the page is checked for any
remaining remote reference before it is written.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import SKOS

from kg.files import write_text
from kg.model import ENTITY_TYPES, RELATIONS
from kg.namespaces import KG

CLASS_COLOURS = {
    "Person": "#e4572e", "Enterprise": "#17bebb", "TradeUnion": "#2e86ab", "GovernmentBody": "#6c4ab6",
    "Institution": "#76b041", "Place": "#ffc914", "Award": "#f18f01", "Competition": "#c73e1d",
    "Event": "#a23b72", "Studio": "#3b8ea5", "Program": "#8d6a9f", "Document": "#888888",
}
RELATION_LABELS_ZH = {
    "worksFor": "任职于", "receivedAward": "获得", "participatedIn": "参加", "locatedIn": "位于",
    "heldIn": "举办地", "organizedBy": "主办方", "subOrganizationOf": "隶属于", "leads": "领衔",
    "partOf": "属于",
}
_REMOTE = re.compile(r"""<(?:link|script)\b[^>]*(?:href|src)\s*=\s*["']https?://[^>]*>(?:\s*</script>)?""", re.I)


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Entities as nodes (label, class, aliases), relations as edges (predicate)."""
    g = nx.MultiDiGraph()
    classes = {KG[t]: t for t in ENTITY_TYPES}
    for s, o in graph.subject_objects(RDF.type):
        if o in classes:
            aliases = sorted(str(a) for a in graph.objects(s, SKOS.altLabel))
            g.add_node(str(s), label=str(graph.value(s, RDFS.label) or s), cls=classes[o], aliases=aliases)
    for rel in RELATIONS:
        for s, o in graph.subject_objects(KG[rel]):
            if str(s) in g and str(o) in g:
                g.add_edge(str(s), str(o), key=rel, predicate=rel)
    return g


def render_html(g: nx.MultiDiGraph, path: Path | str, title: str = "知识图谱") -> None:
    from pyvis.network import Network

    net = Network(height="900px", width="100%", directed=True, cdn_resources="in_line", heading="")
    for node in sorted(g.nodes):
        d = g.nodes[node]
        tip = f"{d['cls']}\n{d['label']}" + (f"\n别名: {'、'.join(d['aliases'])}" if d["aliases"] else "")
        net.add_node(node, label=d["label"], title=tip, color=CLASS_COLOURS.get(d["cls"], "#999"),
                     group=d["cls"])
    for s, o, key in sorted(g.edges(keys=True)):
        net.add_edge(s, o, label=RELATION_LABELS_ZH.get(key, key), title=key, arrows="to")
    net.toggle_physics(True)
    page = net.generate_html()
    page = _REMOTE.sub("", page).replace("<title></title>", f"<title>{html.escape(title)}</title>")
    if re.search(r"""(?:src|href)\s*=\s*["']https?://""", page):
        raise RuntimeError("rendered page still references a remote resource")
    write_text(path, page)
