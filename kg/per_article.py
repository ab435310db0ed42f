"""Scores article by article, as ``../shared/tools/perdoc.py`` gives them.

Each gold document is scored alone (built alone from its text, or read from a
built graph by what it states) and the counts are summed over articles, so
two bodies that share a short name in two articles are not merged by the
scorer. Cross-document identity is measured by scoring a whole build
(:func:`kg.evaluate.evaluate`).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from rdflib import Graph

from kg.evaluate import format_item, score_graph, chosen_stems, document_view, evaluate, f1, graph_documents, load_gold

KINDS = ("entities_core", "relations_core")


def evaluate_texts(texts_dir: Path | str, gold_dir: Path | str, docs: set[str] | None = None,
                   settings=None) -> dict:
    """Per-article scores as ``../shared/tools/perdoc.py`` gives them: each gold document's
    text (``STEM.txt`` or ``STEM.md`` in ``texts_dir``) built alone and scored alone, the
    counts summed over the articles. Building alone keeps two bodies that share a short
    name in two articles (two provinces' 省总工会) apart; cross-document identity is
    measured by scoring a whole build."""
    import shutil
    import tempfile

    from kg.build import build_graph
    from kg.settings import Settings

    settings = settings or Settings(progress=False, jobs=1)
    results, missing = {}, []
    for stem in chosen_stems(gold_dir, docs):
        text = next((p for p in (Path(texts_dir) / f"{stem}.txt", Path(texts_dir) / f"{stem}.md")
                     if p.is_file()), None)
        if text is None:
            missing.append(stem)
            continue
        work = Path(tempfile.mkdtemp(prefix="kg-eval-"))
        try:
            shutil.copy(text, work / text.name)
            results[stem] = evaluate(build_graph(work, settings).graph, gold_dir, {stem})
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return combine_articles(results, missing)


def evaluate_per_document(graph: Graph | Path | str, gold_dir: Path | str, docs: set[str] | None = None) -> dict:
    """Per-article scores of one built graph: each gold document scored on what that
    document states in the graph (its entities keep the names the whole build gave them)."""
    if not isinstance(graph, Graph):
        from kg.graphio import read_graph

        graph = read_graph(graph)
    documents = graph_documents(graph)
    if not documents:
        raise ValueError("the graph names no source documents (kg:SourceDocument): it cannot be scored per article")
    results, missing = {}, []
    for stem in chosen_stems(gold_dir, docs):
        if stem not in documents:
            missing.append(stem)
            continue
        results[stem] = score_graph(document_view(graph, documents[stem]), load_gold(gold_dir, {stem}))
    return combine_articles(results, missing)


def combine_articles(results: dict[str, dict], missing: list[str]) -> dict:
    """Counts summed over articles, micro-averaged as perdoc.py does (recall: tp / gold)."""
    totals = {k: Counter() for k in KINDS}
    by_type: dict[str, Counter] = defaultdict(Counter)
    for res in results.values():
        for k in KINDS:
            totals[k].update({x: res["summary"][k][x] for x in ("gold", "tp", "fp")})
            for name, t in res[k.split("_")[0]].items():
                by_type[name].update({x: t.get(x, 0) for x in ("gold", "tp", "fp", "dup")})
    summary = {}
    for k, c in totals.items():
        p, r = _pr(c["tp"], c["fp"], c["gold"])
        summary[k] = {"gold": c["gold"], "tp": c["tp"], "fp": c["fp"], "p": p, "r": r, "f1": f1(p, r)}
    return {"summary": summary, "per_doc": {s: {k: r["summary"][k] for k in KINDS} for s, r in results.items()},
            "by_type": {k: dict(v) for k, v in sorted(by_type.items())}, "missing": missing,
            "articles": results}


def _pr(tp: int, fp: int, gold: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / gold if gold else 0.0)


def format_articles(combined: dict, show_errors: bool = False) -> str:
    """One line per article, then per class and relation, then the micro-averaged summary."""
    lines = []
    for stem, res in combined["per_doc"].items():
        lines.append(f"{stem:28s} " + "  ".join(f"{k.split('_')[0][:3]} F1 {res[k]['f1']:.3f}" for k in KINDS))
        if show_errors:
            art = combined["articles"][stem]
            for kind in ("entities", "relations"):
                for item in art["misses"][kind]:
                    lines.append(f"    miss  {'entity' if kind == 'entities' else 'relation'}: {format_item(item)}")
                for item in art["false_hits"][kind]:
                    lines.append(f"    false {'entity' if kind == 'entities' else 'relation'}: {format_item(item)}")
    for name, t in combined["by_type"].items():
        if t["gold"] or t["fp"]:
            p, r = _pr(t["tp"], t["fp"] + t["dup"], t["gold"])
            lines.append(f"  {name:18s} gold {t['gold']:4d} tp {t['tp']:4d} fp {t['fp'] + t['dup']:4d}  "
                         f"P {p:.3f} R {r:.3f} F1 {f1(p, r):.3f}")
    if combined["missing"]:
        lines.append(f"not scored (no text or not in the graph): {', '.join(combined['missing'])}")
    e, r = combined["summary"]["entities_core"], combined["summary"]["relations_core"]
    lines.append(f"{len(combined['per_doc'])} docs: entities_core F1 {e['f1']:.3f} (P {e['p']:.3f} R {e['r']:.3f}); "
                 f"relations_core F1 {r['f1']:.3f} (P {r['p']:.3f} R {r['r']:.3f})")
    return "\n".join(lines)
