"""Print a seeded random sample of relation edges with their evidence, for judging by hand.

Usage: python benchmarks/relation_sample.py ../shared/corpus/hf-daily-papers/*.txt
       [--kind used_for] [-n 40] [--seed 0] [--recogniser transformer]

Builds the graph of the inputs as ``kg build`` does, counts the edges of each relation kind
(``used_for``, ``evaluated_on``, ``measures``, ``compares``, ``narrower``, ``builds_on``) and
prints, per kind, ``n`` edges drawn at random with the seed: head, kind, tail, confidence,
extractor, the paper and the sentence the edge rests on (for ``builds_on``, the entity and
sentence behind it). Judge each line: does the sentence state this relation, in this
direction and of this kind, between two usable names? Then the edges are ordered by confidence
and each line's tercile is printed, so the judged precision of the top third can be set
against the bottom third.
"""

from __future__ import annotations

import argparse
import random

from extract_speed import check_inputs

KINDS = ("used_for", "evaluated_on", "measures", "compares", "narrower", "builds_on")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--kind", action="append", choices=KINDS, help="only these kinds (default: all)")
    parser.add_argument("-n", type=int, default=40, help="edges per kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--recogniser", choices=["cnn", "transformer"], default="cnn")
    args = parser.parse_args()
    check_inputs(parser, args.inputs)

    import kg

    graph = kg.build(args.inputs, recogniser=args.recogniser)
    g = graph.graph
    names = {node: data.get("name") or data.get("title") or node for node, data in g.nodes(data=True)}
    for kind in args.kind or KINDS:
        edges = sorted((u, v, data) for u, v, k, data in g.edges(keys=True, data=True) if k == kind)
        print(f"\n=== {kind}: {len(edges)} edges; sample of {min(args.n, len(edges))} (seed {args.seed})")
        if not edges:
            continue
        ranked = sorted(range(len(edges)), key=lambda i: -float(edges[i][2].get("confidence", 0.0)))
        tercile = {i: 1 + 3 * rank // len(edges) for rank, i in enumerate(ranked)}
        sample = sorted(random.Random(args.seed).sample(range(len(edges)), min(args.n, len(edges))))
        for number, i in enumerate(sample, 1):
            u, v, data = edges[i]
            paper = data.get("paper") or (data.get("papers") or [""])[0]
            print(f"{number:3d}. [{names[u]}] -{kind}-> [{names[v]}]  conf={data.get('confidence', '')} "
                  f"third={tercile[i]} by={data.get('extractor', '')}"
                  + (f" via={data['entity']}" if data.get("entity") else ""))
            print(f"     paper: {names.get(paper, paper)}")
            print(f"     \"{' '.join(str(data.get('sentence', '')).split())}\"")


if __name__ == "__main__":
    main()
