"""Where the page puts each node: a map of topics, computed once in Python, seeded.

Each topic (see :mod:`kg.view.topics`) is laid out on its own in a disc whose area grows with
its size; a node in no topic joins the topic most of its neighbours are in, and nodes linked to
no topic share one more disc. The discs are then arranged by a spring layout of the topics,
pulled together by the links between them (a link to a generic hub weighs less, so that hubs do
not glue topics together) and pushed apart until no two discs overlap.

Inside a disc, up to ``CORE_NODES`` nodes get a spring layout; a bigger topic gets one for its
best-connected nodes and every other node is placed beside the nodes it links to, so the cost
grows with the number of links, not its square. The result is in whole pixels, scaled so that
the median gap between a node and its nearest neighbour is ``NODE_SPACING``, and stretched
``ASPECT`` times as wide as high to fill a wide window.

Examples
--------
>>> import networkx as nx
>>> skeleton = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
>>> spots = layout(skeleton, ["a", "b", "c", "x", "y"], [["a", "b", "c"], ["x", "y"]])
>>> spots == layout(skeleton, ["a", "b", "c", "x", "y"], [["a", "b", "c"], ["x", "y"]]), len(set(spots.values()))
(True, 5)
"""

from __future__ import annotations

import math

SEED = 42
CORE_NODES, SATELLITE_ROUNDS, SPRING_ROUNDS = 300, 4, 50
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
NODE_SPACING, CORE_PERCENT, RING_FACTOR = 60.0, 90, 1.15
DISC_MARGIN, SEPARATION_ROUNDS = 1.12, 400
ASPECT = 1.5  # the map is stretched to fill a wide window


def layout(skeleton, order: list, groups: list[list]) -> dict:
    """Pixel positions of the nodes in ``order`` (the undirected ``skeleton``'s nodes), one
    disc per group in ``groups`` (lists of nodes; the rest are placed as the module says)."""
    if not order:
        return {}
    groups = _complete(skeleton, order, groups)
    local = [_disc(skeleton, members) for members in groups]
    radii = [math.sqrt(len(members)) for members in groups]
    centres = _arrange(skeleton, groups, radii)
    positions = {}
    for members, spots, radius, centre in zip(groups, local, radii, centres):
        for node in members:
            positions[node] = (ASPECT * (centre[0] + radius * spots[node][0]), centre[1] + radius * spots[node][1])
    return _to_pixels({node: positions[node] for node in order})


def _complete(skeleton, order: list, groups: list[list]) -> list[list]:
    """The groups with every other node added: to the group most of its neighbours are in
    (ties to the earlier group), or to one last group of its own."""
    group_of = {node: g for g, members in enumerate(groups) for node in members}
    joined = [list(members) for members in groups]
    alone = []
    for node in order:
        if node in group_of:
            continue
        votes: dict[int, int] = {}
        for other in skeleton[node]:
            if other in group_of:
                votes[group_of[other]] = votes.get(group_of[other], 0) + 1
        if votes:
            joined[min(votes, key=lambda g: (-votes[g], g))].append(node)
        else:
            alone.append(node)
    return [members for members in joined + [alone] if members]


def _disc(skeleton, members: list) -> dict:
    """Positions of ``members`` in a disc of radius about 1 round (0, 0)."""
    import numpy as np

    if len(members) == 1:
        return {members[0]: (0.0, 0.0)}
    inner = _inside(skeleton, members)
    positions = _spring(inner) if len(members) <= CORE_NODES else _core_and_satellites(inner)
    xy = np.array([positions[node] for node in members], dtype=float)
    xy -= np.median(xy, axis=0)
    radius = np.hypot(xy[:, 0], xy[:, 1])
    edge = float(np.percentile(radius, CORE_PERCENT)) or 1.0
    xy /= edge
    radius /= edge
    far = radius > RING_FACTOR
    xy[far] *= (RING_FACTOR / radius[far])[:, None]
    return {node: (float(x), float(y)) for node, (x, y) in zip(members, xy.tolist())}


def _inside(skeleton, members: list):
    """The links among ``members``, as a new graph with nodes and edges in a fixed order."""
    import networkx as nx

    inner = nx.Graph()  # not skeleton.subgraph(): a view of a small part iterates a set
    inner.add_nodes_from(members)
    inner.add_edges_from((u, v) for u in members for v in skeleton[u] if v in inner)
    return inner


def _spring(graph) -> dict:
    return spring(graph)


def spring(graph, weight: str | None = None, iterations: int = SPRING_ROUNDS) -> dict:
    """A Fruchterman-Reingold spring layout of ``graph`` in [-1, 1], from seeded starting points.

    Written here rather than taken from ``networkx.spring_layout``, whose results changed
    between networkx releases (3.4, the last for Python 3.10, and 3.5 place nodes differently),
    so that the page is the same byte for byte whichever networkx is installed. Only
    elementwise arithmetic and sums along rows, whose results NumPy does not change between releases.

    Examples
    --------
    >>> import networkx as nx
    >>> spots = spring(nx.path_graph(3))
    >>> {node: (round(x, 6), round(y, 6)) for node, (x, y) in spots.items()}
    {0: (0.129059, 0.998904), 1: (0.000142, 0.001096), 2: (-0.129201, -1.0)}
    """
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    pull = np.zeros((n, n))
    for u, v, w in graph.edges(data=weight, default=1.0):
        if u != v:
            pull[index[u], index[v]] = pull[index[v], index[u]] = 1.0 if weight is None else float(w)
    xy = np.random.RandomState(SEED).rand(n, 2)  # the legacy generator: its stream never changes
    k = math.sqrt(1.0 / n)
    step = 0.1 * max(float(np.ptp(xy[:, 0])), float(np.ptp(xy[:, 1])))
    cooling = step / (iterations + 1)
    for _ in range(iterations):
        dx, dy = xy[:, 0][:, None] - xy[:, 0][None, :], xy[:, 1][:, None] - xy[:, 1][None, :]
        distance = np.maximum(np.sqrt(dx * dx + dy * dy), 0.01)
        force = k * k / (distance * distance) - pull * distance / k
        move = np.stack([(dx * force).sum(axis=1), (dy * force).sum(axis=1)], axis=1)
        length = np.sqrt(move[:, 0] * move[:, 0] + move[:, 1] * move[:, 1])
        length = np.where(length < 0.01, 0.1, length)
        move *= (step / length)[:, None]
        xy += move
        step -= cooling
        if math.sqrt(float((move * move).sum())) / n < 1e-4:
            break
    xy -= xy.mean(axis=0)
    xy /= float(np.abs(xy).max()) or 1.0
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, xy.tolist())}


def _core_and_satellites(graph) -> dict:
    """Spring layout of the best-connected nodes, the rest placed around their neighbours."""
    ranked = sorted(graph, key=lambda node: (-graph.degree(node), str(node)))
    positions = _spring(_inside(graph, ranked[:CORE_NODES]))
    gap = 1.0 / math.sqrt(CORE_NODES)
    crowd: dict[object, int] = {}
    pending = ranked[CORE_NODES:]
    for _ in range(SATELLITE_ROUNDS):
        pending = [node for node in pending if not _place_beside(graph, node, positions, crowd, gap)]
    for index, node in enumerate(pending):
        angle = index * GOLDEN_ANGLE
        positions[node] = (1.3 * math.cos(angle), 1.3 * math.sin(angle))
    return positions


def _place_beside(graph, node, positions: dict, crowd: dict, gap: float) -> bool:
    """Put ``node`` near its placed neighbours (on a spiral round the nearest one's spot)."""
    anchors = sorted((str(m), m) for m in graph[node] if m in positions)
    if not anchors:
        return False
    x = sum(float(positions[m][0]) for _, m in anchors) / len(anchors)
    y = sum(float(positions[m][1]) for _, m in anchors) / len(anchors)
    spot = (round(x / gap * 4), round(y / gap * 4))
    count = crowd[spot] = crowd.get(spot, 0) + 1
    radius = gap * (0.35 + 0.22 * math.sqrt(count))
    angle = count * GOLDEN_ANGLE
    positions[node] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    return True


def _arrange(skeleton, groups: list[list], radii: list[float]) -> list[tuple[float, float]]:
    """Centres for the discs: a spring layout of the groups (links between two groups pull
    them together, a link weighing ``1 / sqrt(degree * degree)`` of its ends), then pushes
    apart until no two discs overlap, with a slight pull to the middle to stay compact."""
    import networkx as nx
    import numpy as np

    if len(groups) == 1:
        return [(0.0, 0.0)]
    group_of = {node: g for g, members in enumerate(groups) for node in members}
    pulls: dict[tuple[int, int], float] = {}
    for u, v in skeleton.edges():
        a, b = group_of[u], group_of[v]
        if a != b:
            pair = (a, b) if a < b else (b, a)
            pulls[pair] = pulls.get(pair, 0.0) + 1.0 / math.sqrt(skeleton.degree(u) * skeleton.degree(v))
    between = nx.Graph()
    between.add_nodes_from(range(len(groups)))
    between.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(pulls.items()))
    spots = spring(between, weight="weight")
    xy = np.array([spots[g] for g in range(len(groups))], dtype=float)
    size = np.array(radii) * DISC_MARGIN
    xy *= 2 * float(size.sum()) / max(len(groups), 1)
    for _ in range(SEPARATION_ROUNDS):
        moved = _separate(xy, size)
        xy *= 0.995  # the pull to the middle
        if not moved:
            break
    for _ in range(SEPARATION_ROUNDS):
        if not _separate(xy, size):
            break
    return [(float(x), float(y)) for x, y in xy.tolist()]


def _separate(xy, size) -> bool:
    """Push every overlapping pair of discs half the overlap apart each; True if any moved."""
    import numpy as np

    delta = xy[:, None, :] - xy[None, :, :]
    distance = np.hypot(delta[..., 0], delta[..., 1])
    np.fill_diagonal(distance, np.inf)
    overlap = size[:, None] + size[None, :] - distance
    overlap[overlap < 0] = 0
    if not overlap.any():
        return False
    distance[~np.isfinite(distance)] = 1.0
    direction = delta / np.maximum(distance, 1e-9)[..., None]
    index = np.arange(len(xy))
    same = distance < 1e-9  # discs on one spot: part them along a fixed direction
    direction[same] = np.stack([np.cos(index), np.sin(index)], axis=1)[np.nonzero(same)[0]]
    xy += 0.5 * (direction * overlap[..., None]).sum(axis=1)
    return True


def _to_pixels(positions: dict) -> dict:
    """Scale a layout so the median gap to a node's nearest neighbour is NODE_SPACING pixels."""
    import numpy as np

    xy = np.array(list(positions.values()), dtype=float).reshape(-1, 2)
    xy -= np.median(xy, axis=0)
    xy *= NODE_SPACING / (_median_gap(xy) or 1.0)
    return {node: (int(round(x)), int(round(y))) for node, (x, y) in zip(positions, xy.tolist())}


def _median_gap(xy) -> float:
    """Median distance from a point to its nearest neighbour (0 for fewer than two points)."""
    import numpy as np
    from scipy.spatial import cKDTree

    if len(xy) < 2:
        return 0.0
    distances, _ = cKDTree(xy).query(xy, k=2)
    return float(np.median(distances[:, 1]))
