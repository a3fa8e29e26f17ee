"""Benchmark: words per second of the whole extractor (spaCy pipeline + rules + relations).

Usage: python benchmarks/extract_speed.py ../shared/corpus/hf-daily-papers/*.txt [--repeat N]
       [--recogniser transformer] [--threads N]

Runs on one core (thinc numpy ops without blis, one thread, one process; the transformer
recogniser's ONNX Runtime session uses one thread too). Words are whitespace-separated words of
every title and abstract. Prints the best of N runs for ``kg.extract.extract`` followed by the
entity decider and, for reference, for bare ``nlp.pipe`` with the same pipeline. ``--threads``
sets the BLAS thread count (OMP/OpenBLAS/MKL).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

SHARED_HINT = ("the benchmarks read a corpus, such as the shared one in ../shared/corpus/hf-daily-papers/ "
               "beside the repository; give existing files")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--base-only", action="store_true", help="without the trained recognisers")
    parser.add_argument("--recogniser", choices=["cnn", "transformer"], default="cnn")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads")
    args = parser.parse_args()
    check_inputs(parser, args.inputs)
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, str(args.threads))  # before numpy and torch load (torch reads OMP_NUM_THREADS)

    from kg.corpus.read import read_corpus
    from kg.extract import extract
    from kg.extract.decide import decide, load_model
    from kg.extract.nlp import load_pipeline

    nlp = load_pipeline(base_only=args.base_only, recogniser=args.recogniser)
    items = list(read_corpus(args.inputs).papers.items())
    texts = [t for _, p in items for t in (p.title, p.abstract) if t]
    words = sum(len(t.split()) for t in texts)
    if not words:
        sys.exit(f"extract_speed.py: no title or abstract could be read from {' '.join(args.inputs)}")
    list(nlp.pipe(texts[:50]))  # warm up

    def bare():
        for _ in nlp.pipe(texts, batch_size=64):
            pass

    model = load_model()

    def extractor():
        for item in extract(items, nlp=nlp):
            decide(item, model)

    pipe = [timed(bare) for _ in range(args.repeat)]
    full = [timed(extractor) for _ in range(args.repeat)]
    print(f"pipeline: {', '.join(nlp.pipe_names)}")
    print(f"{len(items)} papers, {words:,} words; best of {args.repeat}; CPU = this process's CPU time")
    for name, runs in (("nlp.pipe", pipe), ("extract", full)):
        wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
        print(f"{name:9s} wall {wall:6.2f} s {words / wall:8,.0f} words/s   CPU {cpu:6.2f} s {words / cpu:8,.0f} words/s")


def check_inputs(parser: argparse.ArgumentParser, inputs: list[str]) -> None:
    """Exit with a message (status 2) when an input does not exist: an unexpanded glob, or no ../shared."""
    missing = [path for path in inputs if not Path(path).exists()]
    if missing:
        parser.error(f"no such input: {', '.join(missing)} ({SHARED_HINT})")


def timed(function) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU time is robust to a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


if __name__ == "__main__":
    main()
