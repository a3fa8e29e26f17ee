"""Benchmark: extraction with --jobs, rebuilds from the extraction cache, and peak memory of builds.

Usage: python benchmarks/scale_build.py papers.jsonl [--jobs 1 2] [--skip-jobs] [--skip-cache] [--rss]

Make ``papers.jsonl`` with ``benchmarks/synthetic_corpus.py``. Prints, for the papers in the file:

* extraction (``kg.pipeline.extract_papers``, worker start-up included) with each ``--jobs``, its
  papers/s, its speed-up over the first, the CPU time of all processes (on a shared machine, the
  load average says how many cores others took) and whether the records are identical;
* a full ``kg.build`` into an empty cache, then the rebuild after one paper is added (the last
  line of the file is held back from the first build), and whether their exports are the same bytes;
* with ``--rss``, the peak resident memory of ``kg build --jobs 1 --no-cache`` in a child process,
  in total and per paper.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def extraction(path: str, jobs_list: list[int]) -> None:
    from kg import pipeline
    from kg.corpus.read import read_corpus

    papers = list(read_corpus([path]).papers.items())
    first, records = None, None
    for jobs in jobs_list:
        started, cpu = time.perf_counter(), _cpu()
        extracted, _ = pipeline.extract_papers(papers, jobs=jobs)
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        first = first or seconds
        same = "" if records is None else f", records identical: {extracted == records}"
        records = records or extracted
        print(f"extract {len(papers)} papers --jobs {jobs}: {seconds:6.1f} s, {len(papers) / seconds:5.1f} papers/s, "
              f"speed-up {first / seconds:.2f}x, CPU {cpu:.1f} s in all processes, load average "
              f"{os.getloadavg()[0]:.1f}{same}", flush=True)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the workers)."""
    import resource

    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def exports(graph, folder: Path) -> dict[str, bytes]:
    graph.write_all(folder, formats=["turtle", "json", "html"])
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def incremental(path: str, jobs: int) -> None:
    import kg

    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as folder:
        work, cache = Path(folder), Path(folder) / "cache"
        (work / "papers.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")
        started = time.perf_counter()
        kg.build([str(work / "papers.jsonl")], cache=cache, jobs=jobs, title="bench")
        full = time.perf_counter() - started
        (work / "papers.jsonl").write_text("".join(lines), encoding="utf-8")
        started = time.perf_counter()
        again = kg.build([str(work / "papers.jsonl")], cache=cache, jobs=jobs, title="bench")
        rebuild = time.perf_counter() - started
        print(f"full build of {len(lines) - 1} papers into an empty cache (--jobs {jobs}): {full:6.1f} s", flush=True)
        print(f"rebuild after adding 1 paper: {rebuild:6.1f} s ({100 * rebuild / full:.1f}% of the full build; "
              f"extracted {again.stats['extracted']}, cached {again.stats['cached']})", flush=True)
        clean = kg.build([str(work / "papers.jsonl")], jobs=jobs, title="bench")
        same = exports(again, work / "again") == exports(clean, work / "clean")
        print(f"rebuild's exports identical to a clean build's: {same}", flush=True)


def peak_rss(path: str) -> None:
    papers = sum(1 for _ in open(path, encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "kg.cli", "build", path, "-o", folder, "-q", "--jobs", "1", "--no-cache"]
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        sizes = {p.name: p.stat().st_size for p in Path(folder).iterdir() if p.is_file()}
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    print(f"kg build of {papers} papers: exit {os.waitstatus_to_exitcode(status)}, {seconds:.1f} s, peak RSS "
          f"{peak:,.0f} MiB ({1024 * peak / papers:,.0f} KiB per paper); exports "
          + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sorted(sizes.items())), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="a JSON Lines file of papers")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--skip-cache", action="store_true")
    parser.add_argument("--rss", action="store_true")
    args = parser.parse_args()
    if not args.skip_jobs:
        extraction(args.input, args.jobs)
    if not args.skip_cache:
        incremental(args.input, max(args.jobs))
    if args.rss:
        peak_rss(args.input)


if __name__ == "__main__":
    main()
