"""The build summary (``stats.json``): counts per class and per relation, overall and per document.

Counted once, from the build's stream: each document's line is made where
its triples are (:func:`document_stats`, in a worker), and
:class:`Summary` adds them up in the building process.
"""
from __future__ import annotations

from collections import Counter

from kg.model import ENTITY_TYPES, RELATIONS, DocumentExtraction, Fact


def document_stats(d: DocumentExtraction, keys: dict, label_of: dict, facts: list[Fact]) -> dict:
    """One document's line: its entities by class (each counted once) and its facts by relation."""
    classes = Counter(label_of[k] for k in set(keys.values()))
    relations = Counter(f.predicate for f in facts)
    return {"sha256": d.sha256, "encoding": d.encoding, "characters": d.text_length,
            "mentions": len(d.mentions), "entities": _ordered(classes, ENTITY_TYPES),
            "relations": _ordered(relations, RELATIONS)}


class Summary:
    """The counts of a whole build, added up document by document."""

    def __init__(self):
        self.documents = 0
        self.per_document: dict[str, dict] = {}
        self.relation_triples: set = set()
        self.evidence = 0

    def add_document(self, name: str, line: dict, facts: list[tuple]) -> None:
        """``facts``: the document's ``(subject, predicate, object)`` of each piece of evidence."""
        self.documents += 1
        self.per_document[name] = line
        self.relation_triples.update(facts)
        self.evidence += len(facts)

    def result(self, entity_labels, triples: int, skipped: list[dict]) -> dict:
        relations = Counter(p for _, p, _ in self.relation_triples)
        return {
            "documents": self.documents,
            "skipped": skipped,
            "entities": _ordered(Counter(entity_labels), ENTITY_TYPES),
            "relations": _ordered(relations, RELATIONS),
            "evidence": self.evidence,
            "triples": triples,
            "per_document": dict(sorted(self.per_document.items())),
        }


def _ordered(counter: Counter, keys) -> dict:
    return {k: counter.get(k, 0) for k in keys}


def format_summary(stats: dict) -> str:
    lines = [f"{stats['documents']} documents, {sum(stats['entities'].values())} entities, "
             f"{sum(stats['relations'].values())} relations ({stats['evidence']} pieces of evidence), "
             f"{stats['triples']} triples"]
    lines.append("  entities:  " + "  ".join(f"{k} {v}" for k, v in stats["entities"].items() if v))
    lines.append("  relations: " + "  ".join(f"{k} {v}" for k, v in stats["relations"].items() if v))
    for name, d in stats["per_document"].items():
        ents = sum(d["entities"].values())
        rels = sum(d["relations"].values())
        lines.append(f"  {name}: {ents} entities, {rels} relations ({d['encoding']})")
    for s in stats["skipped"]:
        lines.append(f"  skipped {s['file']}: {s['problem']}")
    return "\n".join(lines)
