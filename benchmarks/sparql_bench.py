"""Benchmark: the query library on a synthetic export of about 1M triples, pyoxigraph vs rdflib.

Usage: python benchmarks/sparql_bench.py [--papers 5400] [--rdflib-timeout 60] [--folder DIR]

The synthetic graph is shaped like the corpus graph (about 190 triples per paper): papers with
titles, abstracts, dates and identifiers; methods, datasets, tasks and metrics named with a
Zipf-like popularity; mentions and proposals with evidence sentences and offsets; citations,
builds-on links and entity-entity relations. It is exported with kg's own Turtle exporter, so
every statement record is there. Then:

1. Turtle export time, and load time into the on-disk pyoxigraph store (``kg query``'s) and
   into rdflib's in-memory graph;
2. each library query on pyoxigraph (best of 3) and on rdflib's SPARQL engine (one run in a
   forked process, stopped after ``--rdflib-timeout`` seconds), the ratio of the two, and
   whether both gave the same number of rows.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path

KINDS = {"method": 0.45, "dataset": 0.2, "task": 0.25, "metric": 0.1}
WORDS = ("neural deep sparse graph vision language retrieval robust efficient latent contrastive diffusion "
         "transformer adaptive federated causal multimodal generative recurrent spectral temporal").split()


def synthetic_graph(papers: int, seed: int = 7):
    """A graph shaped like the corpus graph, with ``papers`` papers."""
    import networkx as nx

    rng = random.Random(seed)
    g = nx.MultiDiGraph(name="synthetic")
    entities = {kind: [f"{kind}:{kind[:2].upper()}-{i}" for i in range(int(papers * 2 * share))]
                for kind, share in KINDS.items()}
    for kind, ids in entities.items():
        for i, node in enumerate(ids):
            g.add_node(node, kind=kind, label=node.split(":", 1)[1], aliases=[f"{kind} {i}"] if i % 3 == 0 else [],
                       paper_count=0)
    pool, seen = [(kind, ids) for kind, ids in entities.items()], set()
    for p in range(papers):
        node, year = f"paper:arxiv:{2000 + p}.{p:05d}", 2015 + p * 10 // papers
        chosen = {}
        for kind, ids in pool:
            for _ in range(rng.randint(1, 4)):
                chosen[ids[min(int(rng.paretovariate(1.1)) - 1, len(ids) - 1)]] = kind
        words = [rng.choice(WORDS) for _ in range(8)]
        sentences = [f"We study {' '.join(words[:3])} with {g.nodes[e]['label']} for better results."
                     for e in chosen]
        abstract = " ".join(sentences)
        g.add_node(node, kind="paper", title=f"{' '.join(words).title()} {p}", abstract=abstract,
                   date=f"{year}-0{1 + p % 9}-1{p % 9}", arxiv_id=f"{2000 + p}.{p:05d}", authors=["A. Author", "B. Author"])
        offset = 0
        for (entity, kind), sentence in zip(chosen.items(), sentences):
            start = offset + sentence.index(g.nodes[entity]["label"])
            end = start + len(g.nodes[entity]["label"])
            evidence = dict(sentence=sentence, field="abstract", start=start, end=end, sent_start=offset,
                            sent_end=offset + len(sentence), surface=g.nodes[entity]["label"], extractor="gazetteer",
                            confidence=0.9, count=1)
            g.add_edge(node, entity, key="mentions", kind="mentions", **evidence)
            if entity not in seen and rng.random() < 0.5:  # proposed by the first paper naming it, as in real data
                g.add_edge(node, entity, key="proposes", kind="proposes", **evidence)
            seen.add(entity)
            offset += len(sentence) + 1
        for q in rng.sample(range(max(p, 1)), min(p, 3)):
            g.add_edge(node, f"paper:arxiv:{2000 + q}.{q:05d}", key="cites", kind="cites")
        methods = [e for e, k in chosen.items() if k == "method"]
        tasks = [e for e, k in chosen.items() if k == "task"]
        if methods and tasks and rng.random() < 0.3:
            g.add_edge(methods[0], tasks[0], key="used_for", kind="used_for", sentence=sentences[0], field="abstract",
                       start=0, end=2, sent_start=0, sent_end=len(sentences[0]), extractor="relation_model",
                       confidence=0.7, paper=node, support=1)
    return g


def timed(function, repeat: int = 1):
    best, value = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - started)
    return best, value


def params_for(graph) -> dict:
    """Parameters that find something in the synthetic graph (the most mentioned names)."""
    counts = {}
    for _, entity, kind in graph.edges(keys=True):
        if kind == "mentions":
            counts[entity] = counts.get(entity, 0) + 1
    top = {kind: max((e for e in counts if e.startswith(kind + ":")), key=counts.get) for kind in KINDS}
    label = lambda node: graph.nodes[node]["label"]  # noqa: E731
    proposed = {e for _, e, kind in graph.edges(keys=True) if kind == "proposes"}
    top["proposed"] = max((e for e in counts if e.startswith("method:") and e in proposed), key=counts.get)
    paper = next(iter(sorted(n for n in graph if n.startswith("paper:"))))
    return {"task": label(top["task"]), "dataset": label(top["dataset"]), "entity": label(top["method"]),
            "method": label(top["proposed"]),
            "paper": graph.nodes[paper]["arxiv_id"]}


def _rdflib_child(rdf, text, bindings, pipe):
    started = time.perf_counter()
    rows = len(list(rdf.query(text, initBindings=bindings)))
    pipe.send((time.perf_counter() - started, rows))


def rdflib_query(rdf, text, bindings, timeout):
    """(seconds, rows) of one rdflib query in a forked process, or (None, None) on timeout."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_rdflib_child, args=(rdf, text, bindings, send))
    child.start()
    answer = receive.recv() if receive.poll(timeout) else (None, None)
    child.kill()
    child.join()
    return answer


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=5400, help="synthetic papers (5,400 give about 1M triples)")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0, help="seconds before an rdflib query is stopped")
    parser.add_argument("--folder", default=None, help="where to write the export and its store")
    args = parser.parse_args(argv)

    import rdflib
    from pyoxigraph import RdfFormat, Store

    from kg import sparql
    from kg.exporters import turtle
    from kg.sparql.store import current_store, open_store

    folder = Path(args.folder or tempfile.mkdtemp(prefix="kg-sparql-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    graph = synthetic_graph(args.papers)
    seconds, text = timed(lambda: turtle.dumps(graph))
    export = folder / "graph.ttl"
    export.write_text(text, encoding="utf-8")
    memory_s, memory_store = timed(lambda: _load_in_memory(Store, RdfFormat, export))
    print(f"synthetic export: {args.papers:,} papers, {len(memory_store):,} triples, "
          f"{export.stat().st_size / 1e6:,.0f} MB Turtle (written in {seconds:.1f} s)")
    disk_s, _ = timed(lambda: current_store(export))
    print(f"load into pyoxigraph: {memory_s:.1f} s in memory, {disk_s:.1f} s bulk load to the on-disk store")
    rdflib_s, rdf = timed(lambda: rdflib.Graph().parse(export, format="turtle"))
    print(f"load into rdflib: {rdflib_s:.1f} s")

    store, values = open_store(export), params_for(graph)
    print(f"\n{'query':22} {'pyoxigraph':>11} {'rdflib':>10} {'ratio':>8}  rows")
    for name, query in sparql.library().items():
        bindings = sparql.bind(query, {p.name: values[p.name] for p in query.parameters})
        ox_s, result = timed(lambda: sparql.run(store, query.text, bindings), repeat=3)
        rd_s, rd_rows = rdflib_query(rdf, query.text, {rdflib.Variable(k): rdflib.Literal(v.value)
                                                       for k, v in bindings.items()}, args.rdflib_timeout)
        rd_text = f"{rd_s:9.2f}s" if rd_s is not None else f">{args.rdflib_timeout:.0f}s".rjust(10)
        ratio = f"{rd_s / ox_s:7.0f}x" if rd_s is not None else f">{args.rdflib_timeout / ox_s:6.0f}x"
        same = "" if rd_rows is None else (" (same)" if rd_rows == len(result.rows) else f" (rdflib {rd_rows})")
        print(f"{name:22} {ox_s:10.3f}s {rd_text} {ratio}  {len(result.rows)}{same}", flush=True)


def _load_in_memory(Store, RdfFormat, export):
    store = Store()
    store.bulk_load(path=str(export), format=RdfFormat.TURTLE)
    return store


if __name__ == "__main__":
    sys.exit(main())
