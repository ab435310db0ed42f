"""Where the page's nodes go: whole-pixel positions for any size of graph, computed in Python.

The page runs no physics, so it draws at once however large the graph: each
connected component is laid out alone (networkx's spring layout for small
ones, a grid-accelerated Fruchterman–Reingold for large ones), scaled to one
edge length, its node bodies pushed apart until none overlap, and the
components packed in rows. Seeded and fed in a fixed order, so the same
graph gives the same positions whatever the hash seed.
"""
from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np

NX_LAYOUT_MAX_NODES = 400
LABEL_MAX = 16
NODE_GAP = 6
EDGE_LENGTH_PX = 110
SINGLE_DX, SINGLE_DY = 80, 60
LAYOUT_SEED = 7


def _force_layout(n: int, edges: np.ndarray, seed: int, iterations: int = 100) -> np.ndarray:
    """Fruchterman–Reingold in the unit square, with far repulsion taken from grid-cell centroids.

    networkx's spring layout needs scipy from 500 nodes on and costs O(n²)
    per step (about 100 s for 5,000 nodes here). This one keeps exact
    repulsion only between nodes of one cell and treats every other cell as
    a point mass at its centroid. The grid's rows and columns are quantiles
    of the positions, so no cell holds more than n/side nodes however the
    nodes bunch up, and one step costs O(n·side² + n²/side).
    """
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k2 = 1.0 / n
    k = math.sqrt(k2)
    side = int(min(24, max(2, round(math.sqrt(n) / 4))))
    cells = side * side
    src, dst = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    quantiles = np.linspace(0, 1, side + 1)[1:-1]
    rows = np.arange(n)
    for step in range(iterations):
        temperature = 0.1 * (1 - step / iterations) + 0.002
        col = np.searchsorted(np.quantile(pos[:, 0], quantiles), pos[:, 0], side="right")
        row = np.searchsorted(np.quantile(pos[:, 1], quantiles), pos[:, 1], side="right")
        cell = row * side + col
        mass = np.bincount(cell, minlength=cells).astype(float)
        occupied = np.flatnonzero(mass)
        m = mass[occupied]
        cx = np.bincount(cell, weights=pos[:, 0], minlength=cells)[occupied] / m
        cy = np.bincount(cell, weights=pos[:, 1], minlength=cells)[occupied] / m
        dx = pos[:, 0:1] - cx[None, :]
        dy = pos[:, 1:2] - cy[None, :]
        w = (k2 * m)[None, :] / np.maximum(dx * dx + dy * dy, 1e-9)
        w[rows, np.searchsorted(occupied, cell)] = 0.0
        fx, fy = (dx * w).sum(axis=1), (dy * w).sum(axis=1)
        order = np.argsort(cell, kind="stable")
        counts = mass.astype(np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        per = counts[cell[order]]
        i = np.repeat(order, per)
        j = order[np.repeat(starts[cell[order]] - np.cumsum(per) + per, per) + np.arange(per.sum())]
        near = i != j
        i, j = i[near], j[near]
        ddx, ddy = pos[i, 0] - pos[j, 0], pos[i, 1] - pos[j, 1]
        wn = k2 / np.maximum(ddx * ddx + ddy * ddy, 1e-9)
        fx += np.bincount(i, weights=ddx * wn, minlength=n)
        fy += np.bincount(i, weights=ddy * wn, minlength=n)
        if len(src):
            ex, ey = pos[dst, 0] - pos[src, 0], pos[dst, 1] - pos[src, 1]
            dist = np.sqrt(ex * ex + ey * ey) / k
            ax, ay = ex * dist, ey * dist
            fx += np.bincount(src, weights=ax, minlength=n) - np.bincount(dst, weights=ax, minlength=n)
            fy += np.bincount(src, weights=ay, minlength=n) - np.bincount(dst, weights=ay, minlength=n)
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-12)
        scale = np.minimum(length, temperature) / length
        pos[:, 0] += fx * scale
        pos[:, 1] += fy * scale
    return pos


def _spring_batch(n: int, pairs_per_component: list[list[tuple[int, int]]], seed: int = LAYOUT_SEED,
                  iterations: int = 100, threshold: float = 1e-4) -> np.ndarray:
    """networkx's ``spring_layout`` (its dense Fruchterman–Reingold and rescaling, as in networkx
    3.6) for many components of ``n`` nodes at once: ``(components, n, 2)`` positions.

    networkx starts every component of one size from the same seeded positions and lays each
    out alone, ~5 ms per call however small; a page of a million characters has ~900 components
    of 2 to 400 nodes, most of 2 or 3, which took 4.5 s one by one. Stacked by size, every step is
    one set of array operations for all of them; a component stops where networkx stops it (its
    step below the threshold)."""
    count = len(pairs_per_component)
    adjacency = np.zeros((count, n, n))
    for c, pairs in enumerate(pairs_per_component):
        for a, b in pairs:
            adjacency[c, a, b] = adjacency[c, b, a] = 1.0
    start = np.random.RandomState(seed).rand(n, 2)
    pos = np.repeat(start[None], count, axis=0)
    k = math.sqrt(1.0 / n)
    t = max(start[:, 0].max() - start[:, 0].min(), start[:, 1].max() - start[:, 1].min()) * 0.1
    dt = t / (iterations + 1)
    active = np.arange(count)
    for _ in range(iterations):
        if not len(active):
            break
        p = pos[active]
        delta = p[:, :, None, :] - p[:, None, :, :]
        distance = np.linalg.norm(delta, axis=-1)
        np.clip(distance, 0.01, None, out=distance)
        displacement = np.einsum("cijk,cij->cik", delta, k * k / distance ** 2 - adjacency[active] * distance / k)
        length = np.clip(np.linalg.norm(displacement, axis=-1), 0.01, None)
        step = displacement * (t / length)[..., None]
        pos[active] = p + step
        t -= dt
        moved = np.sqrt((step ** 2).sum(axis=(1, 2))) / n
        active = active[moved >= threshold]
    pos -= pos.mean(axis=1, keepdims=True)
    lim = np.abs(pos).max(axis=(1, 2))
    lim[lim == 0] = 1.0
    return pos / lim[:, None, None]


def _push_apart(pts: np.ndarray, radius: list[float], gap: float, rounds: int) -> tuple[np.ndarray, bool]:
    """Rounds of moving both nodes of every overlapping pair apart (a little more than half the missing
    distance each, which settles in fewer rounds); True when no pair overlaps any more."""
    n = len(pts)
    cell = 2 * max(radius) + gap
    for round_ in range(rounds):
        xy = pts.tolist()
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (x, y) in enumerate(xy):
            grid[(math.floor(x / cell), math.floor(y / cell))].append(i)
        push = defaultdict(lambda: [0.0, 0.0])
        for (cx, cy), members in grid.items():
            near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in grid.get((cx + dx, cy + dy), ())]
            for i in members:
                xi, yi, ri = xy[i][0], xy[i][1], radius[i]
                for j in near:
                    if j <= i:
                        continue
                    ex, ey = xy[j][0] - xi, xy[j][1] - yi
                    dist = math.hypot(ex, ey)
                    need = ri + radius[j] + gap
                    if dist >= need:
                        continue
                    if dist < 1e-6:
                        angle = 2.399963 * (i + 1) + 0.7 * j
                        ex, ey, dist = math.cos(angle), math.sin(angle), 1.0
                    shift = 0.8 * (need - dist) / dist + 1e-3
                    push[i][0] -= ex * shift
                    push[i][1] -= ey * shift
                    push[j][0] += ex * shift
                    push[j][1] += ey * shift
        if not push:
            return pts, True
        if round_ == 0 and len(push) > n / 2:
            return pts, False
        for i, (px, py) in push.items():
            pts[i, 0] += px
            pts[i, 1] += py
    return pts, False


def _separate(pts: np.ndarray, radii: np.ndarray, gap: float = NODE_GAP) -> np.ndarray:
    """The layout spread (from its centre, by the least of 1, 1.5, 2, 3, … that is enough) and node
    bodies pushed apart, so no two are closer than their radii plus ``gap``.

    A force layout draws a hub's leaves into a tight cluster: at 5,000
    entities 11 % of the bodies overlapped, and in the dense middle there was
    no room to push them apart without spreading the whole. vis-network's own
    overlap avoidance is a physics setting, which large pages do not run.
    """
    if len(pts) < 2:
        return pts
    radius = radii.astype(float).tolist()
    centre = pts.mean(axis=0)
    for spread in (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0):
        moved, done = _push_apart((pts - centre) * spread + centre, radius, gap, 60)
        if done:
            return moved
    return moved


def body_radius(size: int) -> float:
    """The radius of a circle that holds the body vis-network draws for any of the page's shapes at ``size``
    (its triangles reach furthest: 1.51 × size)."""
    return size * 1.55 + 1


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[int, int]]:
    """Whole-pixel positions: each connected component laid out alone, then packed in rows, largest first.

    Entities with no relation at all go last, in rows as tight as their
    (shown, so at most :data:`LABEL_MAX` characters) names allow, so they do
    not spread the picture of the connected part.

    Components up to :data:`NX_LAYOUT_MAX_NODES` nodes use networkx's spring
    layout (its algorithm, run for all components of one size at once: :func:`_spring_batch`); larger ones :func:`_force_layout`. Every component is scaled so an
    edge is about :data:`EDGE_LENGTH_PX` long, and :func:`_separate` then
    moves overlapping bodies apart. Every edge is fed to the layouts in one
    order (its two ends sorted), so neither the hash seed nor the order of
    the graph's adjacency changes a position.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted({(s, o) if s < o else (o, s) for s, o in g.edges() if s != o}))
    degree = dict(g.degree())
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    component_pairs = []
    for comp in components:
        index = {v: i for i, v in enumerate(comp)}
        component_pairs.append(sorted((min(index[s], index[o]), max(index[s], index[o]))
                                      for s, o in simple.edges(comp)) if len(comp) > 1 else [])
    by_size: dict[int, list[int]] = defaultdict(list)
    for i, comp in enumerate(components):
        if 1 < len(comp) <= NX_LAYOUT_MAX_NODES:
            by_size[len(comp)].append(i)
    spring: dict[int, np.ndarray] = {}
    for n, members in by_size.items():
        for at in range(0, len(members), max(1, 4_000_000 // (n * n))):  # bounded arrays for big sizes
            batch = members[at:at + max(1, 4_000_000 // (n * n))]
            for i, pts in zip(batch, _spring_batch(n, [component_pairs[i] for i in batch])):
                spring[i] = pts
    boxes = []
    for ci, comp in enumerate(components):
        n = len(comp)
        if n == 1:
            pts = np.zeros((1, 2))
        else:
            pairs = component_pairs[ci]
            if n <= NX_LAYOUT_MAX_NODES:
                pts = spring[ci]
            else:
                pts = _force_layout(n, np.array(pairs, dtype=np.int64), LAYOUT_SEED)
            pts = pts - pts.min(axis=0)
            extent = max(float(pts.max()), 1e-9)
            pts = pts / extent * (EDGE_LENGTH_PX * 1.6 * math.sqrt(n))
            pts = _separate(pts, np.array([body_radius(node_size(degree[v])) for v in comp]))
            pts = pts - pts.min(axis=0)
        boxes.append((comp, pts, pts.max(axis=0) if n > 1 else np.zeros(2)))
    singles = [comp[0] for comp, *_ in boxes if len(comp) == 1]
    boxes = [box for box in boxes if len(box[0]) > 1]
    gap = EDGE_LENGTH_PX
    area = sum((w + gap) * (h + gap) for _, _, (w, h) in boxes) + len(singles) * SINGLE_DX * SINGLE_DY
    row_width = max(max((w for _, _, (w, _h) in boxes), default=0), math.sqrt(area) * 1.2)
    x = y = row_height = 0.0
    positions = {}
    for comp, pts, (w, h) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for v, (px, py) in zip(comp, pts, strict=True):
            positions[v] = (px + x, py + y)
        x += w + gap
        row_height = max(row_height, h)
    if singles:
        y += (row_height + gap) if boxes else 0.0
        x = 0.0
        for v in singles:
            width = max(SINGLE_DX, 15 * min(LABEL_MAX, len(g.nodes[v].get("label", ""))) + 30)
            if x > 0 and x + width > row_width:
                x, y = 0.0, y + SINGLE_DY
            positions[v] = (x + width / 2, y)
            x += width
    if not positions:
        return {}
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {v: (int(round(px - mx)), int(round(py - my))) for v, (px, py) in positions.items()}


def node_size(degree: int) -> int:
    """Grows with the square root of the degree, so hubs stand out without swallowing the page."""
    return min(48, int(round(10 + 4 * math.sqrt(degree))))


def label_size(degree: int) -> int:
    """Hubs' names stay legible in the zoomed-out overview, where the others' are not drawn."""
    return min(30, int(round(14 + 3 * math.sqrt(degree))))
