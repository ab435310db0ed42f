"""The ontology's vocabulary as data: labels, domains and ranges, read from ``ontology/kg.ttl``.

The ontology is the one place where a class or relation is named in Chinese
and English and where a relation's domain and range are written down; the
page, the reports and the checks ask this module instead of keeping copies.
The file is parsed once per process, on first use (pyoxigraph: a few
milliseconds).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import resources

KG_NS = "https://w3id.org/cn-union-kg/ontology#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_KINDS = {_OWL + "Class": "class", _OWL + "ObjectProperty": "object", _OWL + "DatatypeProperty": "data"}


@dataclass(frozen=True)
class Term:
    """One term of the ontology: ``kind`` is ``class``, ``object`` or ``data`` (property)."""

    name: str
    kind: str
    labels: dict[str, str]
    comment: str
    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.name


@lru_cache(maxsize=4)
def _terms(path: str) -> dict[str, Term]:
    import pyoxigraph as ox

    triples = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append((t.predicate.value, t.object))

    def members(node) -> tuple[str, ...]:
        """A class, or the classes of an owl:unionOf, as local names of ours (IRIs for others)."""
        if isinstance(node, ox.NamedNode):
            return (_local(node.value),)
        union = next((o for p, o in by_subject.get(node, ()) if p == _OWL + "unionOf"), None)
        out = []
        while isinstance(union, ox.BlankNode):
            props = dict(by_subject.get(union, ()))
            first = props.get(_RDF + "first")
            if first is not None:
                out.extend(members(first))
            union = props.get(_RDF + "rest")
        return tuple(out)

    terms = {}
    for subject, props in by_subject.items():
        if not (isinstance(subject, ox.NamedNode) and subject.value.startswith(KG_NS)):
            continue
        kinds = [_KINDS[o.value] for p, o in props if p == _RDF + "type" and o.value in _KINDS]
        if not kinds:
            continue
        labels = {o.language: o.value for p, o in props if p == _RDFS + "label" and isinstance(o, ox.Literal)}
        comment = next((o.value for p, o in props if p == _RDFS + "comment" and isinstance(o, ox.Literal)), "")
        domain = next((members(o) for p, o in props if p == _RDFS + "domain"), ())
        range_ = next((members(o) for p, o in props if p == _RDFS + "range"), ())
        parents = tuple(sorted(_local(o.value) for p, o in props
                               if p in (_RDFS + "subClassOf", _RDFS + "subPropertyOf") and isinstance(o, ox.NamedNode)))
        name = subject.value[len(KG_NS):]
        terms[name] = Term(name, kinds[0], labels, comment, domain, range_, parents)
    return dict(sorted(terms.items()))


def _local(iri: str) -> str:
    return iri[len(KG_NS):] if iri.startswith(KG_NS) else iri


def terms(ontology: Path | str | None = None) -> dict[str, Term]:
    """Every class and property of the ontology by local name."""
    return _terms(str(ontology or resources.ontology_file("kg.ttl")))


def term(name: str, ontology: Path | str | None = None) -> Term:
    try:
        return terms(ontology)[name]
    except KeyError:
        raise KeyError(f"kg:{name} is not a term of the ontology") from None


def class_labels(lang: str = "zh", ontology: Path | str | None = None) -> dict[str, str]:
    """Label of every class, by local name."""
    return {n: t.label(lang) for n, t in terms(ontology).items() if t.kind == "class"}


def relation_labels(lang: str = "zh", ontology: Path | str | None = None) -> dict[str, str]:
    """Label of every property (object and data), by local name."""
    return {n: t.label(lang) for n, t in terms(ontology).items() if t.kind != "class"}


def subclasses(name: str, ontology: Path | str | None = None) -> tuple[str, ...]:
    """The classes directly below ``name`` (``Organization`` -> the four organisation classes)."""
    return tuple(n for n, t in terms(ontology).items() if t.kind == "class" and name in t.parents)
