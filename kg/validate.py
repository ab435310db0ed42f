"""Validate a built graph: SHACL shapes (pySHACL) and an OWL RL closure (owlrl).

Analysts should be able to trust what the graph says, so the graph is checked
against the ontology's own shapes (``ontology/shapes.ttl``) and reasoned over
with the ontology (``ontology/kg.ttl``). ``kg validate``, the tests and the
notebook call the same two functions:

* :func:`validate` runs pySHACL with the ontology mixed in as ``ont_graph``
  (so ``sh:class kg:Organization`` accepts a ``kg:Enterprise``) and no
  inference (so a range cannot make its own check pass).
* :func:`owl_check` computes the OWL RL closure of ontology + graph and
  reports inconsistencies (owlrl writes them as ``err:ErrorMessage`` nodes:
  disjoint classes sharing a node, …), nodes inferred into a class their
  declared class does not entail, and distinct entities that ``owl:sameAs``
  makes one. By default only the entity layer is closed (types, ``owl:sameAs``
  and object-property triples of every node that is not purely evidence);
  the evidence layer is regular and fully covered by the shapes, and closing
  it too makes owlrl about six times slower. ``full=True`` closes all.
"""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, SH

from kg.graphio import read_graph
from kg.graphio import ontology_file as graphio_ontology_file
from kg.model import ENTITY_TYPES
from kg.namespaces import DEFAULT_BASE_IRI, KG
from kg.rdf import PREFIXES

SHAPES_NS = "https://w3id.org/cn-union-kg/shapes#"
ENTITY_CLASSES = frozenset(KG[t] for t in (*ENTITY_TYPES, "Organization"))
EVIDENCE_CLASSES = frozenset({KG.Mention, KG.Sentence, KG.SourceDocument, RDF.Statement})
EVIDENCE_LINKS = frozenset({KG.mentionOf, KG.sentence, KG.inDocument})
_EXAMPLES = 5


def ontology_file(name: str = "kg.ttl") -> Path:
    """``name`` (kg.ttl or shapes.ttl) as the package ships it."""
    return graphio_ontology_file(name=name)


def load_graph(source: Graph | Path | str) -> Graph:
    """A graph, or the graph in a file or build folder (:func:`kg.graphio.read_graph`)."""
    if isinstance(source, Graph):
        return source
    return read_graph(source)


def load_ontology(ontology: Graph | Path | str | None = None) -> Graph:
    return load_graph(ontology if ontology is not None else ontology_file("kg.ttl"))


def load_shapes(shapes: Graph | Path | str | None = None) -> Graph:
    return load_graph(shapes if shapes is not None else ontology_file("shapes.ttl"))


def _names(data: Graph) -> Graph:
    """A namespace manager for the report: the data's own prefixes, then ours where they are free."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in data.namespaces():
        if prefix:
            g.bind(prefix, ns, override=False)
    ours = {**PREFIXES, "kgsh": SHAPES_NS, "id": DEFAULT_BASE_IRI, "rdf": RDF, "sh": SH}
    bound_prefixes = {p for p, _ in g.namespaces()}
    bound_ns = {str(n) for _, n in g.namespaces()}
    for prefix, ns in ours.items():
        if prefix not in bound_prefixes and str(ns) not in bound_ns:
            g.bind(prefix, ns)
    return g


def _short(term, names: Graph) -> str:
    """A term for people to read: prefix:rest when a bound namespace starts it."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _shorten_iris(str(term), names) if any(str(term).startswith(str(ns)) and prefix
                                                      for prefix, ns in names.namespaces()) else f"<{term}>"
    return term.n3(names.namespace_manager)


@dataclass(frozen=True, order=True)
class Finding:
    """One SHACL validation result, in short names."""

    shape: str
    path: str
    focus: str
    value: str
    message: str
    severity: str


@dataclass
class ValidationReport:
    """What pySHACL found: ``violations`` counts results by shape and path; ``results`` is pySHACL's report graph."""

    conforms: bool
    text: str
    violations: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    results: Graph | None = None


@contextmanager
def _prepared_queries():
    """Parse each SPARQL constraint once, not once per focus node as pySHACL does (minutes -> seconds)."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    cache: dict = {}

    def query(self, q, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(q, str):
            key = (q, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                cache[key] = processor.translateQuery(processor.parseQuery(q), base, initNs)
            q = cache[key]
        return original(self, q, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


def validate(data_graph: Graph | Path | str, ontology: Graph | Path | str | None = None,
             shapes: Graph | Path | str | None = None) -> ValidationReport:
    """Validate ``data_graph`` against the shapes (default ``ontology/shapes.ttl``), with the ontology mixed in."""
    import pyshacl

    data = load_graph(data_graph)
    ont = load_ontology(ontology)
    sg = load_shapes(shapes)
    with _prepared_queries():
        conforms, results, _ = pyshacl.validate(data, shacl_graph=sg, ont_graph=ont, inference="none",
                                                abort_on_first=False, allow_warnings=False, advanced=False)
    names = _names(data)
    findings = sorted(_finding(results, r, sg, names) for r in results.subjects(RDF.type, SH.ValidationResult))
    counts = Counter(f"{f.shape} {f.path}".strip() for f in findings)
    violations = dict(sorted(counts.items()))
    return ValidationReport(bool(conforms), _shacl_text(bool(conforms), violations, findings), violations, findings,
                            results)


def _finding(results: Graph, r, shapes: Graph, names: Graph) -> Finding:
    source = results.value(r, SH.sourceShape)
    shape = source
    if isinstance(source, BNode):
        shape = shapes.value(None, SH.property, source) or results.value(None, SH.property, source)
    path = results.value(r, SH.resultPath)
    inverse = results.value(path, SH.inversePath) if isinstance(path, BNode) else None
    messages = sorted(str(m) for m in results.objects(r, SH.resultMessage))
    path_text = (_short(path, names) if isinstance(path, URIRef) else
                 f"^{_short(inverse, names)}" if isinstance(inverse, URIRef) else "(path)" if path else "")
    return Finding(shape=_short(shape, names) if shape is not None else "(anonymous shape)",
                   path=path_text,
                   focus=_short(results.value(r, SH.focusNode), names),
                   value=_short(results.value(r, SH.value), names),
                   message=" / ".join(messages),
                   severity=_short(results.value(r, SH.resultSeverity), names).replace("sh:", ""))


def _shacl_text(conforms: bool, violations: dict[str, int], findings: list[Finding]) -> str:
    if conforms and not findings:
        return "SHACL: conforms"
    lines = [f"SHACL: {'conforms' if conforms else 'does not conform'} — {len(findings)} result(s)"]
    shown: Counter = Counter()
    for key, n in violations.items():
        lines.append(f"  {n:5d}  {key}")
    lines.append("")
    for f in findings:
        key = f"{f.shape} {f.path}".strip()
        shown[key] += 1
        if shown[key] > _EXAMPLES:
            continue
        where = " ".join(x for x in (f.focus, f.path) if x)
        value = f" = {f.value}" if f.value and f.value != f.focus else ""
        lines.append(f"  [{f.severity}] {where}{value}: {f.message}  ({f.shape})")
    hidden = sum(max(0, n - _EXAMPLES) for n in shown.values())
    if hidden:
        lines.append(f"  … and {hidden} more")
    return "\n".join(lines)


@dataclass
class OwlReport:
    """What the OWL RL closure found; ``ok`` when it found nothing."""

    inconsistencies: list[str] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    closure_size: int = 0

    @property
    def ok(self) -> bool:
        return not (self.inconsistencies or self.misplaced or self.merged)

    @property
    def text(self) -> str:
        if self.ok:
            return f"OWL RL: consistent, every node within its declared class ({self.closure_size} triples in the closure)"
        lines = ["OWL RL: problems found"]
        for title, items in (("inconsistencies", self.inconsistencies),
                             ("inferred outside the declared class", self.misplaced),
                             ("distinct entities made one by owl:sameAs", self.merged)):
            if items:
                lines.append(f"  {title} ({len(items)}):")
                lines.extend(f"    {item}" for item in items)
        return "\n".join(lines)


def _axioms(ont: Graph) -> list:
    """The ontology without its annotations, which the closure does not need."""
    skip = {RDFS.isDefinedBy, RDFS.seeAlso}
    return [t for t in ont if not isinstance(t[2], Literal) and t[1] not in skip]


def _entity_layer(graph: Graph, ont: Graph) -> list:
    types: dict = {}
    for s, o in graph.subject_objects(RDF.type):
        types.setdefault(s, set()).add(o)
    evidence = {s for s, ts in types.items() if ts <= EVIDENCE_CLASSES}
    object_props = set(ont.subjects(RDF.type, OWL.ObjectProperty)) - EVIDENCE_LINKS
    return [t for t in graph
            if t[1] == OWL.sameAs
            or (t[0] not in evidence and (t[1] == RDF.type
                                          or (t[1] in object_props and not isinstance(t[2], Literal))))]


def owl_check(graph: Graph | Path | str, ontology: Graph | Path | str | None = None,
              full: bool = False) -> OwlReport:
    """OWL RL closure of ontology + graph: inconsistencies, nodes outside their declared class, merged entities."""
    import owlrl
    from owlrl.Namespaces import ERRNS

    data = load_graph(graph)
    ont = load_ontology(ontology)
    triples = list(data) if full else _entity_layer(data, ont)
    closure = Graph()
    for t in _axioms(ont):
        closure.add(t)
    for t in triples:
        closure.add(t)
    asserted: dict = {}
    for s, p, o in triples:
        if p == RDF.type:
            asserted.setdefault(s, set()).add(o)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)

    names = _names(data)
    report = OwlReport(closure_size=len(closure))
    report.inconsistencies = sorted(_shorten_iris(str(closure.value(m, ERRNS.error)), names)
                                    for m in closure.subjects(RDF.type, ERRNS.ErrorMessage))
    ont_classes = {c for c in ont.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}

    def supers(c) -> set:
        return {c, *closure.objects(c, RDFS.subClassOf)}

    kg_ns = str(KG._NS)
    typed = sorted({s for s, o in closure.subject_objects(RDF.type)
                    if isinstance(o, URIRef) and str(o).startswith(kg_ns) and not isinstance(s, Literal)}, key=str)
    for node in typed:
        same = {node, *closure.objects(node, OWL.sameAs)}
        if node not in asserted and len(same) > 1:
            continue
        declared = set().union(*(asserted.get(m, set()) for m in same))
        allowed = set().union(*(supers(d) for d in declared)) if declared else set()
        for t in sorted(o for o in closure.objects(node, RDF.type) if str(o).startswith(kg_ns)):
            if t not in ont_classes:
                report.misplaced.append(f"{_short(node, names)} is typed {_short(t, names)}, "
                                        "which the ontology does not declare")
            elif t not in allowed:
                was = ", ".join(sorted(_short(d, names) for d in declared)) or "nothing"
                report.misplaced.append(f"{_short(node, names)} (declared {was}) is inferred to be "
                                        f"{_short(t, names)}")
    entities = {s for s, ts in asserted.items() if ts & ENTITY_CLASSES}
    for node in sorted(entities, key=str):
        for other in sorted((o for o in closure.objects(node, OWL.sameAs) if o in entities and str(o) > str(node)),
                            key=str):
            report.merged.append(f"{_short(node, names)} owl:sameAs {_short(other, names)}")
    return report


def _shorten_iris(message: str, names: Graph) -> str:
    for prefix, ns in sorted(names.namespaces(), key=lambda pn: (-len(str(pn[1])), pn[0])):
        if prefix and str(ns):
            message = message.replace(str(ns), f"{prefix}:")
    return message
