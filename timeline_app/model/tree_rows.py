"""Which nodes of a small tree (a filter list's, a few thousand nodes) show, and in what
order under each parent, as numpy over the node arrays: no per-row Python comparison.

A node shows when it is ``wanted`` or any node below it is (as a recursive filter
keeps a parent for its matching children); under each parent the shown nodes come
most counted first, then by ``rank`` (the folded names' order)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(eq=False)
class TreeRows:
    order: np.ndarray  # shown nodes, grouped by parent, each group in its display order
    row: np.ndarray  # per node, its row under its parent (-1: not shown)
    kids: dict[int, list[int]]  # parent (-1: top) -> its shown children, in order

    def same_as(self, other: TreeRows) -> bool:
        return np.array_equal(self.order, other.order)


def name_ranks(folded: list[str]) -> np.ndarray:
    """Each name's place in the order of the folded names (ties in the given order)."""
    ranks = np.empty(len(folded), dtype=np.int64)
    ranks[np.argsort(np.asarray(folded, dtype=np.str_), kind="stable")] = np.arange(len(folded))
    return ranks


def matching(keys: np.ndarray, query: str) -> np.ndarray:
    """The nodes whose search key (folded) holds ``query`` (folded); all for ''."""
    if not query:
        return np.ones(len(keys), dtype=bool)
    return np.asarray(np.strings.find(keys, query) >= 0)


def tree_rows(
    parent: np.ndarray, wanted: np.ndarray, counts: np.ndarray, rank: np.ndarray
) -> TreeRows:
    shown = wanted.copy()
    up = parent[wanted & (parent >= 0)]
    while len(up):  # ancestors of a wanted node show (a tree is a couple of levels deep)
        shown[up] = True
        up = parent[up]
        up = up[up >= 0]
    nodes = np.flatnonzero(shown)
    order = nodes[np.lexsort((rank[nodes], -counts[nodes], parent[nodes]))]
    row = np.full(len(parent), -1, dtype=np.int64)
    kids: dict[int, list[int]] = {-1: []}
    if len(order):
        ups = parent[order]
        starts = np.flatnonzero(np.r_[True, ups[1:] != ups[:-1]])
        sizes = np.diff(np.r_[starts, len(order)])
        row[order] = np.arange(len(order)) - np.repeat(starts, sizes)
        for up_node, group in zip(ups[starts].tolist(), np.split(order, starts[1:]), strict=True):
            kids[up_node] = group.tolist()
    return TreeRows(order, row, kids)
