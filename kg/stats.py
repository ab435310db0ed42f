"""The build summary: counts per class and per relation, overall and per document."""
from __future__ import annotations

from collections import Counter

from kg.model import ENTITY_TYPES, RELATIONS
from kg.resolve import Resolution


def summarise(res: Resolution, skipped: list[dict], triples: int) -> dict:
    per_doc = {}
    facts_by_doc: dict[str, Counter] = {}
    for f in res.facts:
        facts_by_doc.setdefault(f.doc_id, Counter())[f.predicate] += 1
    for d in res.documents:
        ents = {res.entity_of(d.doc_id, m).key for m in d.mentions}
        classes = Counter(res.entities[k].label for k in ents)
        rels = facts_by_doc.get(d.doc_id, Counter())
        per_doc[d.name] = {"sha256": d.sha256, "encoding": d.encoding, "characters": d.text_length,
                           "mentions": len(d.mentions), "entities": _ordered(classes, ENTITY_TYPES),
                           "relations": _ordered(rels, RELATIONS)}
    classes = Counter(e.label for e in res.entities.values())
    rels = Counter((f.subject, f.predicate, f.object) for f in res.facts)
    return {
        "documents": len(res.documents),
        "skipped": skipped,
        "entities": _ordered(classes, ENTITY_TYPES),
        "relations": _ordered(Counter(p for _, p, _ in rels), RELATIONS),
        "evidence": len(res.facts),
        "triples": triples,
        "per_document": dict(sorted(per_doc.items())),
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
