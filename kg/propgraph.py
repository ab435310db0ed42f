"""The graph as a property graph, for tools that are not RDF: GraphML, GEXF, Neo4j CSV, Kùzu.

Property graphs keep the entities and the relations between them, not the
evidence: nodes carry the label, class, other names and number of mentions;
edges carry the relation and how many pieces of evidence support it. Every
writer is deterministic (nodes and edges in IRI order, no dates, no library
internals in the bytes) and writes each file whole or not at all.

* GraphML: networkx's writer, every edge with its own id (``e0``, ``e1``, …;
  a relation name is not unique) — igraph, Cytoscape, yEd and networkx read it.
* GEXF 1.3 (Gephi): written here, because networkx's writer stamps the day's
  date into ``<meta>`` and adds a ``networkx_key`` attribute to every edge.
* Neo4j: the two CSV files of ``neo4j-admin database import``.
* Kùzu: Kùzu has no multi-label nodes and types every relationship table by
  its FROM/TO pairs, so the export is one node table per class and one CSV per
  (relation, source class, target class), with ``load.cypher`` holding the
  typed ``CREATE`` statements (pairs from the ontology's domains and ranges,
  :mod:`kg.vocabulary`, plus any the data has) and the ``COPY`` statements.
"""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from kg import vocabulary
from kg.files import atomic_write
from kg.model import ENTITY_TYPES, ORG_TYPES, RELATIONS
from kg.query import PREFIXES

KG_NS = PREFIXES["kg"]


@dataclass
class Node:
    iri: str
    classes: list[str]
    label: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0

    @property
    def cls(self) -> str:
        """The one class a single-label tool files the node under: the first in the ontology's order."""
        return self.classes[0]


@dataclass
class Edge:
    source: str
    relation: str
    target: str
    evidence: int = 0
    documents: list[str] = field(default_factory=list)


@dataclass
class PropertyGraph:
    nodes: list[Node]
    edges: list[Edge]

    def to_networkx(self):
        """A MultiDiGraph: node attributes label, class, aliases, mentions, iri; edges keyed e0, e1, … with
        attributes relation, label, weight, evidence, documents."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for n in self.nodes:
            g.add_node(n.iri, label=n.label, **{"class": ";".join(n.classes)}, aliases="; ".join(n.aliases),
                       mentions=n.mentions, iri=n.iri)
        for i, e in enumerate(self.edges):
            g.add_edge(e.source, e.target, key=f"e{i}", relation=e.relation, label=e.relation,
                       weight=max(e.evidence, 1), evidence=e.evidence, documents="; ".join(e.documents))
        return g


def property_graph(store) -> PropertyGraph:
    """Entities (typed with an entity class) and the relations between them, in IRI order (a pyoxigraph Store)."""
    classes = " ".join(f"kg:{c}" for c in ENTITY_TYPES)
    rels = " ".join(f"kg:{r}" for r in RELATIONS)
    pre = f"PREFIX kg: <{KG_NS}> PREFIX rdfs: <{PREFIXES['rdfs']}> PREFIX skos: <{PREFIXES['skos']}> " \
          f"PREFIX rdf: <{PREFIXES['rdf']}> PREFIX prov: <{PREFIXES['prov']}> "
    nodes: dict[str, Node] = {}
    for row in store.query(pre + f"SELECT ?e ?c ?label WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c . "
                                 f"OPTIONAL {{ ?e rdfs:label ?label }} }}"):
        iri = row["e"].value
        cls = row["c"].value[len(KG_NS):]
        label = row["label"].value if row["label"] is not None else iri
        n = nodes.setdefault(iri, Node(iri, [], label))
        if cls not in n.classes:
            n.classes.append(cls)
    for row in store.query(pre + "SELECT ?e ?a WHERE { ?e skos:altLabel ?a }"):
        if row["e"].value in nodes:
            nodes[row["e"].value].aliases.append(row["a"].value)
    for row in store.query(pre + "SELECT ?e (COUNT(?m) AS ?n) WHERE { ?m kg:mentionOf ?e } GROUP BY ?e"):
        if row["e"].value in nodes:
            nodes[row["e"].value].mentions = int(row["n"].value)
    edges: dict[tuple[str, str, str], Edge] = {}
    for row in store.query(pre + f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {rels} }} ?s ?p ?o }}"):
        s, o = row["s"].value, row["o"].value
        if s in nodes and o in nodes:
            key = (s, row["p"].value[len(KG_NS):], o)
            edges[key] = Edge(*key)
    q = pre + ("SELECT ?s ?p ?o ?file WHERE { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; "
               "rdf:object ?o ; prov:wasDerivedFrom ?d . OPTIONAL { ?d kg:fileName ?file } }")
    for row in store.query(q):
        key = (row["s"].value, row["p"].value[len(KG_NS):], row["o"].value)
        if key in edges:
            edges[key].evidence += 1
            if row["file"] is not None and row["file"].value not in edges[key].documents:
                edges[key].documents.append(row["file"].value)
    for n in nodes.values():
        n.classes.sort(key=lambda c: ENTITY_TYPES.index(c))
        n.aliases.sort()
    for e in edges.values():
        e.documents.sort()
    return PropertyGraph([nodes[k] for k in sorted(nodes)], [edges[k] for k in sorted(edges)])


# ---------------------------------------------------------------- GraphML and GEXF

def write_graphml(model: PropertyGraph, out: Path) -> list[Path]:
    import networkx as nx

    with atomic_write(out, "wb") as f:
        nx.write_graphml(model.to_networkx(), f)
    return [out]


GEXF_NS = "http://gexf.net/1.3"
_GEXF_NODE_ATTRS = (("class", "string"), ("aliases", "string"), ("mentions", "integer"), ("iri", "string"))
_GEXF_EDGE_ATTRS = (("relation", "string"), ("evidence", "integer"), ("documents", "string"))


def write_gexf(model: PropertyGraph, out: Path) -> list[Path]:
    """GEXF 1.3, directed; node and edge attributes as in GraphML, edge ``weight`` = pieces of evidence (at least 1)."""
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "version": "1.3"})
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = "kg"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    for kind, attrs in (("node", _GEXF_NODE_ATTRS), ("edge", _GEXF_EDGE_ATTRS)):
        decl = ET.SubElement(graph, "attributes", {"class": kind, "mode": "static"})
        for i, (title, typ) in enumerate(attrs):
            ET.SubElement(decl, "attribute", {"id": f"{kind[0]}{i}", "title": title, "type": typ})

    def values(parent, kind, attrs, data):
        box = ET.SubElement(parent, "attvalues")
        for i, (title, _) in enumerate(attrs):
            ET.SubElement(box, "attvalue", {"for": f"{kind[0]}{i}", "value": str(data[title])})

    nodes = ET.SubElement(graph, "nodes")
    for n in model.nodes:
        el = ET.SubElement(nodes, "node", {"id": n.iri, "label": n.label})
        values(el, "node", _GEXF_NODE_ATTRS, {"class": ";".join(n.classes), "aliases": "; ".join(n.aliases),
                                             "mentions": n.mentions, "iri": n.iri})
    edges = ET.SubElement(graph, "edges")
    for i, e in enumerate(model.edges):
        el = ET.SubElement(edges, "edge", {"id": f"e{i}", "source": e.source, "target": e.target,
                                           "label": e.relation, "weight": str(max(e.evidence, 1))})
        values(el, "edge", _GEXF_EDGE_ATTRS, {"relation": e.relation, "evidence": e.evidence,
                                             "documents": "; ".join(e.documents)})
    ET.indent(root)
    with atomic_write(out, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        f.write(ET.tostring(root, encoding="utf-8"))
        f.write(b"\n")
    return [out]


# ---------------------------------------------------------------- Neo4j

def neo4j_labels(classes: list[str]) -> str:
    """Neo4j labels: the class, and Organization above the four organisation classes."""
    labels = list(classes)
    if any(c in ORG_TYPES for c in classes) and "Organization" not in labels:
        labels.insert(0, "Organization")
    return ";".join(labels)


def _array(values: list[str]) -> str:
    """A neo4j-admin array cell: items joined by ';', a ';' inside an item written full-width."""
    return ";".join(v.replace(";", "；") for v in values)


def _folder(folder: Path, what: str) -> Path:
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder}: the {what} export is a folder, and a file is in the way")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_neo4j(model: PropertyGraph, folder: Path) -> list[Path]:
    """nodes.csv and relationships.csv in the header format of ``neo4j-admin database import``."""
    _folder(folder, "neo4j")
    nodes_path, rels_path = folder / "nodes.csv", folder / "relationships.csv"
    with atomic_write(nodes_path, "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id:ID", "name", ":LABEL", "aliases:string[]", "mentions:int"])
        for n in model.nodes:
            w.writerow([n.iri, n.label, neo4j_labels(n.classes), _array(n.aliases), n.mentions])
    with atomic_write(rels_path, "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([":START_ID", ":END_ID", ":TYPE", "evidence:int", "documents:string[]"])
        for e in model.edges:
            w.writerow([e.source, e.target, e.relation, e.evidence, _array(e.documents)])
    return [nodes_path, rels_path]


# ---------------------------------------------------------------- Kùzu

_KUZU_LIST_ESCAPES = str.maketrans({",": "，", "[": "［", "]": "］"})
KUZU_SCRIPT = "load.cypher"


def _kuzu_list(values: list[str]) -> str:
    """A Kùzu CSV list cell ``[a,b]``; Kùzu splits items on ',' and brackets, so those are written full-width."""
    return "[" + ",".join(v.translate(_KUZU_LIST_ESCAPES) for v in values) + "]"


def kuzu_pairs(model: PropertyGraph) -> dict[str, list[tuple[str, str]]]:
    """FROM/TO class pairs of every relation: the ontology's domain x range, and any pair the data has."""
    def expand(names) -> list[str]:
        out = []
        for name in names:
            out.extend(ORG_TYPES if name == "Organization" else [name])
        return [c for c in out if c in ENTITY_TYPES]

    cls = {n.iri: n.cls for n in model.nodes}
    pairs: dict[str, set[tuple[str, str]]] = {}
    for rel in RELATIONS:
        t = vocabulary.term(rel)
        pairs[rel] = {(a, b) for a in expand(t.domain) for b in expand(t.range)}
    for e in model.edges:
        pairs[e.relation].add((cls[e.source], cls[e.target]))
    order = {c: i for i, c in enumerate(ENTITY_TYPES)}
    return {r: sorted(p, key=lambda ab: (order[ab[0]], order[ab[1]])) for r, p in pairs.items() if p}


def write_kuzu(model: PropertyGraph, folder: Path) -> list[Path]:
    """``load.cypher`` and the CSV files it copies from (paths relative to the folder: run it there)."""
    _folder(folder, "kuzu")
    written = []
    cls = {n.iri: n.cls for n in model.nodes}
    classes = [c for c in ENTITY_TYPES if any(n.cls == c for n in model.nodes)]
    pairs = {r: [(a, b) for a, b in p if a in classes and b in classes] for r, p in kuzu_pairs(model).items()}
    pairs = {r: p for r, p in pairs.items() if p}
    lines = ["// Kùzu: typed node and relationship tables of the kg export. Run in this folder, e.g.",
             "// python -c \"import kuzu; kuzu.Connection(kuzu.Database('graph.kuzu')).execute(open('load.cypher').read())\""]
    for c in classes:
        lines.append(f"CREATE NODE TABLE {c}(iri STRING PRIMARY KEY, name STRING, aliases STRING[], mentions INT64);")
    for rel, ps in pairs.items():
        between = ", ".join(f"FROM {a} TO {b}" for a, b in ps)
        lines.append(f"CREATE REL TABLE {rel}({between}, evidence INT64, documents STRING[]);")
    for c in classes:
        path = folder / f"{c}.csv"
        with atomic_write(path, "w") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["iri", "name", "aliases", "mentions"])
            for n in model.nodes:
                if n.cls == c:
                    w.writerow([n.iri, n.label, _kuzu_list(n.aliases), n.mentions])
        written.append(path)
        lines.append(f"COPY {c} FROM '{path.name}' (header=true, parallel=false);")
    for rel, ps in pairs.items():
        for a, b in ps:
            rows = [e for e in model.edges if e.relation == rel and cls[e.source] == a and cls[e.target] == b]
            if not rows:
                continue
            path = folder / f"{rel}-{a}-{b}.csv"
            with atomic_write(path, "w") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["from", "to", "evidence", "documents"])
                for e in rows:
                    w.writerow([e.source, e.target, e.evidence, _kuzu_list(e.documents)])
            written.append(path)
            lines.append(f"COPY {rel} FROM '{path.name}' (header=true, parallel=false, from='{a}', to='{b}');")
    script = folder / KUZU_SCRIPT
    with atomic_write(script, "w") as f:
        f.write("\n".join(lines) + "\n")
    return [script, *written]
