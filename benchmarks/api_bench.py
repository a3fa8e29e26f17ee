"""Time every graph API call on a graph.json export: the first call and the median of repeats.

    python benchmarks/api_bench.py [exports/graph.json] [--repeat 7]

The first call of a kind pays for what is then cached per graph (the name index, PageRank,
the communities); the target is < 100 ms per call after load.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

import kg

TARGET_MS = 100.0


def calls(g) -> list[tuple[str, object]]:
    """(label, zero-argument call) for every API function, on names found in the graph with
    plain networkx (so the first timed call of each kind pays for imports and caches)."""
    G = g.graph
    mentioned = Counter(v for _, v, key in G.edges(keys=True) if key == "mentions")
    method, task, dataset = (G.nodes[_most(G, mentioned, kind)]["label"] for kind in ("method", "task", "dataset"))
    proposals = sorted((mentioned[v], v, u) for u, v, key in G.edges(keys=True) if key == "proposes")
    _, proposed_id, paper = proposals[-1]
    proposed = G.nodes[proposed_id]["label"]
    typo = method[:2] + method[3:] if len(method) > 4 else method
    return [
        (f"find({method!r})", lambda: kg.find(g, method)),
        (f"find({typo!r}) (typo)", lambda: kg.find(g, typo)),
        ("find(title)", lambda: kg.find(g, g.graph.nodes[paper]["title"])),
        ("papers(since=2023)", lambda: kg.papers(g, since=2023)),
        (f"papers(mentions={method!r})", lambda: kg.papers(g, mentions=method)),
        ("entities(type='method', min_papers=3)", lambda: kg.entities(g, type="method", min_papers=3)),
        (f"methods_for({task!r})", lambda: kg.methods_for(g, task)),
        (f"datasets_for({task!r})", lambda: kg.datasets_for(g, task)),
        (f"metrics_for({task!r})", lambda: kg.metrics_for(g, task)),
        (f"tasks_for({method!r})", lambda: kg.tasks_for(g, method)),
        (f"introduced_in({proposed!r})", lambda: kg.introduced_in(g, proposed)),
        ("proposed_by(paper)", lambda: kg.proposed_by(g, paper)),
        ("related_papers(paper, k=10)", lambda: kg.related_papers(g, paper, k=10)),
        (f"path({method!r}, {dataset!r})", lambda: kg.path(g, method, dataset)),
        ("top(by='pagerank')", lambda: kg.top(g)),
        ("top(type='method', by='degree')", lambda: kg.top(g, type="method", by="degree")),
        ("top(type='paper', by='papers')", lambda: kg.top(g, type="paper", by="papers")),
        ("communities(seed=0)", lambda: kg.communities(g, seed=0)),
        (f"trend({method!r})", lambda: kg.trend(g, method)),
        ("emerging(k=20)", lambda: kg.emerging(g, k=20)),
    ]


def _most(G, mentioned: Counter, kind: str) -> str:
    return max((n for n, a in G.nodes(data=True) if a.get("kind") == kind), key=lambda n: (mentioned[n], n))


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", default="exports/graph.json")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    g = kg.load(args.graph)
    load_ms = 1000 * (time.perf_counter() - started)
    counts = g.counts()
    print(f"graph: {args.graph}: {sum(counts['nodes'].values()):,} nodes, {sum(counts['edges'].values()):,} edges "
          f"({', '.join(f'{k} {v}' for k, v in counts['edges'].items())})")
    print(f"load: {load_ms:.0f} ms")
    table = []
    for label, call in calls(g):
        first = timed(call)
        warm = statistics.median(timed(call) for _ in range(args.repeat))
        table.append((label, first, warm))
    width = max(len(label) for label, _, _ in table)
    print(f"{'call':<{width}}  {'first ms':>9}  {'then ms':>8}")
    for label, first, warm in table:
        print(f"{label:<{width}}  {first:9.1f}  {warm:8.2f}")
    worst_warm = max(warm for _, _, warm in table)
    worst_first = max(first for _, first, _ in table)
    print(f"slowest call once cached: {worst_warm:.1f} ms (target < {TARGET_MS:.0f} ms); "
          f"slowest first call: {worst_first:.1f} ms")


if __name__ == "__main__":
    main()
