"""Benchmark: `kg build` end to end against bare `nlp.pipe` over the same texts.

Usage: python benchmarks/build_vs_pipe.py ../shared/corpus/hf-daily-papers/*.txt [--repeat N]

Both runs use the same loaded pipeline in the same process; the reference is `nlp.pipe` over
every title and abstract the build extracts from (no extraction, graph or export work). The
build run includes reading, extraction, canonicalisation, graph building and writing all three
exports. Runs are interleaved (pipe, build, pipe, build, ...). Prints each time (best of N),
words per second and the ratio build / pipe, in wall-clock time and in the process's CPU time
(steadier on a shared or virtual machine).
"""

from __future__ import annotations

import argparse
import resource
import tempfile

from extract_speed import check_inputs, timed  # timed: (wall, CPU) seconds of one call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    check_inputs(parser, args.inputs)

    import kg
    from kg.corpus.read import read_corpus
    from kg.extract.nlp import load_pipeline, one_blas_thread

    nlp = load_pipeline()
    papers = read_corpus(args.inputs).papers.values()
    texts = [t for p in papers for t in (p.title, p.abstract) if t]
    words = sum(len(t.split()) for t in texts)
    list(nlp.pipe(texts[:50]))  # warm up

    def bare():  # with the BLAS setting kg.build uses around its nlp.pipe
        with one_blas_thread():
            for _ in nlp.pipe(texts, batch_size=64):
                pass

    def build():
        graph = kg.build(args.inputs, nlp=nlp)
        with tempfile.TemporaryDirectory() as folder:
            graph.write_all(folder)
        return graph

    pipe_runs, build_runs = [], []
    for _ in range(args.repeat):  # interleaved, so drift in machine speed hits both alike
        pipe_runs.append(timed(bare))
        build_runs.append(timed(build))
    pipe_s, build_s = min(w for w, _ in pipe_runs), min(w for w, _ in build_runs)
    pipe_cpu, build_cpu = min(c for _, c in pipe_runs), min(c for _, c in build_runs)
    graph = build()
    counts = graph.counts()
    print(f"corpus: {len(texts)} texts, {words:,} words, {len(graph.papers)} papers, "
          f"{graph.graph.number_of_nodes():,} nodes, {graph.graph.number_of_edges():,} edges")
    print(f"pipeline: {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']} {nlp.pipe_names}")
    print(f"bare nlp.pipe : {pipe_s:7.2f} s  {words / pipe_s:9,.0f} words/s   CPU {pipe_cpu:6.2f} s")
    print(f"kg build      : {build_s:7.2f} s  {words / build_s:9,.0f} words/s   CPU {build_cpu:6.2f} s"
          "   (read+extract+graph+3 exports)")
    print(f"ratio build / pipe: {build_s / pipe_s:.2f} wall, {build_cpu / pipe_cpu:.2f} CPU  (target <= 1.5; "
          f"best of {args.repeat} interleaved runs; per-run wall ratios "
          f"{', '.join(f'{b[0] / p[0]:.2f}' for p, b in zip(pipe_runs, build_runs))})")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    print(f"edges: {counts['edges']}")


if __name__ == "__main__":
    main()
