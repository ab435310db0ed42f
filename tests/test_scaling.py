"""Extraction time grows with a document's length, not with its square.

A union paper's archive page can hold a hundred articles in one file; any step
that compares every mention with every other makes such a file take minutes.
Measured as a ratio in one run (CPU time of a document and of one twice as
long), so a busy machine slows both alike.
"""
from __future__ import annotations

import time
from pathlib import Path

from kg.pipeline import shared_nlp
from tests.conftest import SEEDS

DATA = Path(__file__).parent / "data" / "articles"


def _corpus() -> str:
    files = sorted(SEEDS.glob("*.txt")) + sorted(DATA.glob("*.txt"))
    return "\n\n".join(f.read_text(encoding="utf-8") for f in files)


def _cpu_seconds(nlp, text: str) -> float:
    start = time.process_time()
    nlp(text)
    return time.process_time() - start


def _cpu_ratio(nlp, longer: str, shorter: str, rounds: int = 4) -> float:
    """The best CPU time of ``longer`` over the best of ``shorter``, measured in turns, so a
    burst of load on a shared machine falls on both rather than on one of them."""
    best_longer = best_shorter = float("inf")
    for _ in range(rounds):
        best_shorter = min(best_shorter, _cpu_seconds(nlp, shorter))
        best_longer = min(best_longer, _cpu_seconds(nlp, longer))
    return best_longer / best_shorter


def test_doubling_a_document_at_most_about_doubles_its_extraction_time():
    nlp = shared_nlp()
    corpus = _corpus()
    single = corpus[:40_000]
    single = single[: single.rfind("\n") + 1]
    double = single + "\n" + single
    nlp(corpus[:3000])
    ratio = _cpu_ratio(nlp, double, single)
    print(f"extraction time x{ratio:.2f} for x{len(double) / len(single):.2f} the length")
    assert ratio <= 2.5
