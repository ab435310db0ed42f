"""Mentions by position: what lies in a span, what came last before an offset.

Relation rules ask these questions for every sentence; answering them by
scanning every mention made extraction quadratic in an article's length.
"""
from __future__ import annotations

import bisect
from typing import Iterable

from kg.model import Mention


def _start(m: Mention) -> int:
    return m.start


def _end_then_earliest(m: Mention) -> tuple[int, int]:
    return (m.end, -m.start)


class MentionIndex:
    def __init__(self, mentions: Iterable[Mention]):
        self.mentions = sorted(mentions, key=_start)
        self.starts = [m.start for m in self.mentions]
        self.longest = max((m.end - m.start for m in self.mentions), default=0)
        self._by_labels: dict[tuple[str, ...], tuple[list[int], list[Mention]]] = {}
        #: what a reader derives once from the whole article (the contest it is about)
        self.memo: dict = {}

    def within(self, start: int, end: int) -> list[Mention]:
        """The mentions that lie inside ``start``–``end``, in text order."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end, lo)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The mentions that share a character with ``start``–``end``, in text order."""
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end, lo)
        return [m for m in self.mentions[lo:hi] if m.end > start]

    def last_before(self, labels: tuple[str, ...], offset: int) -> Mention | None:
        """The mention of one of ``labels`` that ends last at or before ``offset`` (of two
        ending together, the longer)."""
        table = self._by_labels.get(labels)
        if table is None:
            ms = sorted((m for m in self.mentions if m.label in labels), key=_end_then_earliest)
            table = self._by_labels[labels] = ([m.end for m in ms], ms)
        ends, ms = table
        i = bisect.bisect_right(ends, offset)
        return ms[i - 1] if i else None

    def first_of(self, labels: tuple[str, ...]) -> Mention | None:
        return next((m for m in self.mentions if m.label in labels), None)

    def last_starting_in(self, labels: tuple[str, ...], lo: int, hi: int,
                         not_by: frozenset[str] = frozenset(), passed_over=None) -> Mention | None:
        """The last mention of one of ``labels`` that starts in ``lo``–``hi`` (exclusive), found
        by a rule not in ``not_by`` and not one ``passed_over(mention)`` is true of."""
        i = bisect.bisect_left(self.starts, hi) - 1
        while i >= 0 and self.mentions[i].start >= lo:
            m = self.mentions[i]
            if m.label in labels and m.rule not in not_by and not (passed_over and passed_over(m)):
                return m
            i -= 1
        return None
