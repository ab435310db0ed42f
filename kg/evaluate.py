"""Score a built graph against gold annotations (format: shared gold-dev README).

The contract is the extraction spec: classes and properties are matched by
local name; names are compared after NFKC, with quotes, spaces and a leading
year removed; entities are scored at coarse type (the four organisation
classes are one, and how they are confused is reported separately); gold
entities are merged across documents when they share a coarse type and a
name; items marked ``optional`` are neither rewarded nor penalised; a second
node for a gold entity already found is a duplicate and counts against
precision. The figures agree with the reference scorer by construction and
are checked against it in the tests.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Literal
from rdflib.namespace import PROV

from kg.namespaces import KG

COARSE = {"Person": "Person", "Organization": "Organization", "Enterprise": "Organization",
          "TradeUnion": "Organization", "GovernmentBody": "Organization", "Institution": "Organization",
          "Place": "Place", "Award": "Award", "Competition": "Competition"}
EXTENDED = ("Document", "Event", "Program", "Studio")
CORE_CLASSES = ("Person", "Organization", "Place", "Award", "Competition")
CORE_PREDICATES = ("heldIn", "locatedIn", "organizedBy", "participatedIn", "receivedAward",
                   "subOrganizationOf", "worksFor")
EXTENDED_PREDICATES = ("leads", "partOf")
ORG_CLASSES = ("Enterprise", "TradeUnion", "GovernmentBody", "Institution")
LABEL_PROPERTIES = {"label", "prefLabel", "altLabel", "name", "alternateName", "hiddenLabel"}
_QUOTES = set("“”‘’「」『』\"'《》〈〉«»`")
_YEAR = re.compile(r"^(\d{4})年度?的?")


def local_name(iri) -> str:
    return re.split(r"[#/:]", str(iri))[-1]


def normalise_name(name: str) -> str:
    s = unicodedata.normalize("NFKC", str(name))
    s = "".join(ch for ch in s if ch not in _QUOTES and not ch.isspace())
    return _YEAR.sub("", s)


def coarse(cls: str) -> str | None:
    return COARSE.get(cls) or (cls if cls in EXTENDED else None)


@dataclass
class Gold:
    """Gold entities clustered across documents, and relations between clusters."""

    parent: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)
    optional: dict = field(default_factory=dict)
    fine: dict = field(default_factory=dict)
    ctype: dict = field(default_factory=dict)
    relations: dict = field(default_factory=dict)   # (pred, cluster, cluster) -> optional
    name_index: dict = field(default_factory=dict)  # (coarse, name) -> {clusters}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x


def load_gold(gold_dir: Path | str, docs: set[str] | None = None) -> Gold:
    gold = Gold()
    index: dict[tuple[str, str], tuple] = {}
    members: dict[tuple[str, str], tuple[str, tuple]] = {}
    raw_rel = []
    files = sorted(Path(gold_dir).glob("*.json"))
    if not files:
        raise FileNotFoundError(f"{gold_dir}: no gold files (*.json)")
    for f in files:
        if docs and f.stem not in docs:
            continue
        data = json.loads(f.read_text(encoding="utf-8"))
        for e in data["entities"]:
            key = (f.stem, e["id"])
            ct = coarse(e["type"])
            names = {normalise_name(n) for n in [e["name"], *e.get("aliases", [])]}
            gold.parent[key] = key
            gold.names[key] = set(names)
            gold.optional[key] = bool(e.get("optional"))
            gold.fine[key] = e["type"]
            for n in names:
                other = index.get((ct, n))
                if other is not None:
                    _union(gold, other, key)
            root = gold.find(key)
            for n in names:
                index[(ct, n)] = root
            members[key] = (ct, key)
        for r in data["relations"]:
            raw_rel.append(((f.stem, r["s"]), r["p"], (f.stem, r["o"]), bool(r.get("optional"))))
    for key, (ct, _) in members.items():
        root = gold.find(key)
        gold.ctype[root] = ct
    for s, p, o, opt in raw_rel:
        k = (p, gold.find(s), gold.find(o))
        gold.relations[k] = gold.relations.get(k, True) and opt
    by_name = defaultdict(set)
    for root, ct in gold.ctype.items():
        for n in gold.names[root]:
            by_name[(ct, n)].add(root)
    gold.name_index = dict(by_name)
    return gold


def _union(gold: Gold, a, b) -> None:
    ra, rb = gold.find(a), gold.find(b)
    if ra == rb:
        return
    gold.parent[rb] = ra
    gold.names[ra] |= gold.names[rb]
    gold.optional[ra] = gold.optional[ra] and gold.optional[rb]


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def gold_stems(gold_dir: Path | str) -> list[str]:
    """The documents a gold folder annotates, by file stem."""
    stems = sorted(f.stem for f in Path(gold_dir).glob("*.json"))
    if not stems:
        raise FileNotFoundError(f"{gold_dir}: no gold files (*.json)")
    return stems


def chosen_stems(gold_dir: Path | str, docs: set[str] | None) -> list[str]:
    """The gold documents to score: all, or ``docs``, each of which must be one of them."""
    stems = gold_stems(gold_dir)
    if docs:
        unknown = sorted(set(docs) - set(stems))
        if unknown:
            raise ValueError(f"{gold_dir}: no gold file for --docs {', '.join(unknown)}")
        stems = [s for s in stems if s in docs]
    return stems


def graph_documents(graph: Graph) -> dict[str, set]:
    """The source documents a built graph states facts from, by file stem (a graph from
    elsewhere, with no ``kg:SourceDocument``, has none)."""
    out: dict[str, set] = defaultdict(set)
    for src in graph.subjects(RDF.type, KG.SourceDocument):
        for name in graph.objects(src, KG.fileName):
            out[Path(str(name)).stem].add(src)
    return dict(out)


def document_view(graph: Graph, sources: set) -> Graph:
    """What ``sources`` state in ``graph``: the entities they mention, with every class and
    name the graph gives them, and the relations their evidence statements carry."""
    entities = {graph.value(m, KG.mentionOf) for m in graph.subjects(RDF.type, KG.Mention)
                if graph.value(m, PROV.wasDerivedFrom) in sources}
    view = Graph()
    for node in entities - {None}:
        for p, o in graph.predicate_objects(node):
            if p == RDF.type or local_name(p) in LABEL_PROPERTIES:
                view.add((node, p, o))
    for st in graph.subjects(RDF.type, RDF.Statement):
        if graph.value(st, PROV.wasDerivedFrom) in sources:
            triple = (graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object))
            if None not in triple:
                view.add(triple)
    return view


def evaluate(graph: Graph | Path | str, gold_dir: Path | str, docs: set[str] | None = None) -> dict:
    """Score ``graph`` against the gold of ``gold_dir`` (only ``docs``, if given). A built graph
    that states facts from documents the gold does not cover is scored on the gold's
    documents only, and the result's ``coverage`` says so."""
    if not isinstance(graph, Graph):
        from kg.graphio import read_graph

        graph = read_graph(graph)
    stems = chosen_stems(gold_dir, docs)
    coverage = _coverage(graph_documents(graph), stems)
    if coverage["outside_gold"]:
        graph = document_view(graph, coverage.pop("sources"))
    coverage.pop("sources", None)
    result = score_graph(graph, load_gold(gold_dir, set(stems)))
    result["coverage"] = coverage
    return result


def _coverage(documents: dict[str, set], stems: list[str]) -> dict:
    scored = [s for s in stems if s in documents]
    return {"graph_documents": len(documents), "gold_documents": len(stems), "scored": len(scored),
            "outside_gold": sorted(set(documents) - set(stems)),
            "missing_from_graph": sorted(set(stems) - set(documents)) if documents else [],
            "sources": set().union(*(documents[s] for s in scored)) if scored else set()}


def score_graph(graph: Graph, gold: Gold) -> dict:
    types: dict = defaultdict(set)
    labels: dict = defaultdict(set)
    for s, p, o in graph:
        if p == RDF.type:
            types[s].add(local_name(o))
        elif local_name(p) in LABEL_PROPERTIES and isinstance(o, Literal):
            labels[s].add(normalise_name(o))
    node_type, node_match, node_fine = {}, {}, {}
    for node, ts in types.items():
        cts = {coarse(t) for t in ts} - {None}
        if not cts:
            continue
        ct = "Person" if "Person" in cts else ("Organization" if "Organization" in cts else sorted(cts)[0])
        node_type[node] = ct
        node_fine[node] = next((t for t in sorted(ts) if t in ORG_CLASSES), None)
        node_match[node] = set().union(*(gold.name_index.get((ct, n), set()) for n in labels[node])) \
            if labels[node] else set()
    result: dict = {"entities": {}, "relations": {}, "misses": {"entities": [], "relations": []},
                    "false_hits": {"entities": [], "relations": []}, "organization_confusion": {}}
    for ct in CORE_CLASSES + EXTENDED:
        wanted = {k for k, t in gold.ctype.items() if t == ct and not gold.optional[k]}
        matched: set = set()
        tp = fp = dup = ignored = 0
        for node in sorted(n for n, t in node_type.items() if t == ct):
            real = {k for k in node_match[node] if not gold.optional[k]}
            if real:
                if real <= matched:
                    dup += 1
                    result["false_hits"]["entities"].append([ct, sorted(labels[node])[:3], "duplicate"])
                else:
                    tp += 1
                matched |= real
            elif node_match[node]:
                ignored += 1
            else:
                fp += 1
                result["false_hits"]["entities"].append([ct, sorted(labels[node])[:3], "not in gold"])
        found = len(wanted & matched)
        for k in sorted(wanted - matched, key=str):
            result["misses"]["entities"].append([ct, sorted(gold.names[k])[:3]])
        p = tp / (tp + fp + dup) if tp + fp + dup else 0.0
        r = found / len(wanted) if wanted else 0.0
        result["entities"][ct] = {"gold": len(wanted), "found": found, "tp": tp, "fp": fp, "dup": dup,
                                  "ignored": ignored, "p": p, "r": r, "f1": f1(p, r)}
    confusion: Counter = Counter()
    for node, fine in node_fine.items():
        for k in node_match.get(node, ()):
            if node_type[node] == "Organization" and not gold.optional[k]:
                confusion[(gold.fine[k], fine or "Organization")] += 1
    result["organization_confusion"] = {f"{g} -> {o}": n for (g, o), n in sorted(confusion.items())}
    out_rel: dict = defaultdict(set)
    for s, p, o in graph:
        pl = local_name(p)
        if pl not in CORE_PREDICATES + EXTENDED_PREDICATES:
            continue
        hit = next(((a, b) for a in sorted(node_match.get(s, ()), key=str)
                    for b in sorted(node_match.get(o, ()), key=str) if (pl, a, b) in gold.relations), None)
        if hit:
            out_rel[pl].add(hit)
        else:
            out_rel[pl].add(("FP", s, o))
            result["false_hits"]["relations"].append([pl, sorted(labels.get(s, {str(s)}))[:1],
                                                      sorted(labels.get(o, {str(o)}))[:1]])
    for pl in CORE_PREDICATES + EXTENDED_PREDICATES:
        wanted = {(a, b) for (pp, a, b), opt in gold.relations.items() if pp == pl and not opt}
        optional = {(a, b) for (pp, a, b), opt in gold.relations.items() if pp == pl and opt}
        got = out_rel.get(pl, set())
        tp = sum(1 for x in got if x in wanted)
        fp = sum(1 for x in got if x[0] == "FP")
        ignored = sum(1 for x in got if x in optional)
        found = len(wanted & got)
        for a, b in sorted(wanted - got, key=str):
            result["misses"]["relations"].append([pl, sorted(gold.names[a])[:1], sorted(gold.names[b])[:1]])
        p = tp / (tp + fp) if tp + fp else 0.0
        r = found / len(wanted) if wanted else 0.0
        result["relations"][pl] = {"gold": len(wanted), "found": found, "tp": tp, "fp": fp,
                                   "ignored": ignored, "p": p, "r": r, "f1": f1(p, r)}
    result["summary"] = {
        "entities_core": _micro(result["entities"], CORE_CLASSES),
        "relations_core": _micro(result["relations"], CORE_PREDICATES),
        "entities_ext": _micro(result["entities"], EXTENDED),
        "relations_ext": _micro(result["relations"], EXTENDED_PREDICATES),
    }
    return result


def _micro(table: dict, keys) -> dict:
    tp = sum(table[k]["tp"] for k in keys)
    fp = sum(table[k]["fp"] + table[k].get("dup", 0) for k in keys)
    gold = sum(table[k]["gold"] for k in keys)
    found = sum(table[k]["found"] for k in keys)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = found / gold if gold else 0.0
    return {"gold": gold, "found": found, "tp": tp, "fp": fp, "p": round(p, 4), "r": round(r, 4),
            "f1": round(f1(p, r), 4)}


def format_coverage(coverage: dict) -> str | None:
    """A line saying what part of the graph was scored, when not all of it was."""
    parts = []
    if coverage.get("outside_gold"):
        parts.append(f"the graph states facts from {coverage['graph_documents']} documents, the gold covers "
                     f"{coverage['gold_documents']}: scored on the {coverage['scored']} gold documents only")
    if coverage.get("missing_from_graph"):
        parts.append(f"gold documents not in the graph (their gold counts as missed): "
                     f"{', '.join(coverage['missing_from_graph'])}")
    return "; ".join(parts) or None


def format_report(result: dict, show_errors: bool = True) -> str:
    lines = [f"{'entity':14} {'gold':>5} {'found':>5} {'tp':>4} {'fp':>4} {'dup':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for k, v in result["entities"].items():
        lines.append(f"{k:14} {v['gold']:5} {v['found']:5} {v['tp']:4} {v['fp']:4} {v['dup']:4} "
                     f"{v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f}")
    lines.append(f"{'relation':18} {'gold':>5} {'found':>5} {'tp':>4} {'fp':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for k, v in result["relations"].items():
        lines.append(f"{k:18} {v['gold']:5} {v['found']:5} {v['tp']:4} {v['fp']:4} "
                     f"{v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f}")
    if result["organization_confusion"]:
        lines.append("organisation classes (gold -> graph): " + ", ".join(
            f"{k} {v}" for k, v in result["organization_confusion"].items()))
    s = result["summary"]
    if show_errors:
        for kind in ("entities", "relations"):
            for item in result["misses"][kind]:
                lines.append(f"miss  {kind[:-1] if kind == 'relations' else 'entity'}: {format_item(item)}")
            for item in result["false_hits"][kind]:
                lines.append(f"false {kind[:-1] if kind == 'relations' else 'entity'}: {format_item(item)}")
    note = format_coverage(result.get("coverage", {}))
    if note:
        lines.append("note: " + note)
    lines.append(f"entities_core F1 {s['entities_core']['f1']:.3f} (P {s['entities_core']['p']:.3f} "
                 f"R {s['entities_core']['r']:.3f}); relations_core F1 {s['relations_core']['f1']:.3f} "
                 f"(P {s['relations_core']['p']:.3f} R {s['relations_core']['r']:.3f})")
    return "\n".join(lines)


def format_item(item) -> str:
    return " ".join("/".join(x) if isinstance(x, list) else str(x) for x in item)
