"""Benchmark: how fast the graph page draws in headless chromium, for the corpus graph and a
synthetic graph of 50,000 nodes, and how long ``kg.exporters.html.dumps`` takes to write it.

Usage: python benchmarks/viewer_bench.py [exports/graph.json] [--nodes 50000] [--repeat 3]

The first figure is the time from navigation start to the first frame drawn with every node
placed: the page's ``kg.ready.firstFrameMs``, taken in the first animation frame after
vis-network's first ``afterDrawing``. Each page is opened ``--repeat`` times in a fresh tab; the
script checks that every node is drawn at the position the page was given. Chromium is Debian's
(``/usr/bin/chromium`` or ``$KG_CHROMIUM``), driven by Playwright, with no network, in a
1600 x 1000 window.

Then, on the last run of each page: the labels at load (how many, their smallest size in
pixels, how many pairs overlap); the zoom frame rate (``ZOOM_STEPS`` wheel events on the canvas,
each waited for until vis-network has drawn its frame); and with co-occurrence links switched
on, the time from the click to their first frame and the time from asking for a frame to the
next animation frame after it is drawn and painted (median of ``REDRAWS``; at least two frames
of the display, about 33 ms). Targets: first frame < 3 s for the corpus graph, < 10 s for the synthetic graph;
zoom >= 20 frames/s; a frame with co-occurrence links <= 200 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

CHROMIUM = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
KINDS = ["method"] * 43 + ["task"] * 20 + ["dataset"] * 6 + ["metric"] * 1 + ["concept"] * 15  # corpus mix
PAPER_SHARE, MENTIONS_PER_PAPER = 0.16, 11
TARGETS = {"corpus": 3.0, "synthetic": 10.0}
ZOOM_STEPS, REDRAWS = 30, 7
WINDOW = {"width": 1600, "height": 1000}
ZOOM_SCRIPT = """async (steps) => {
  const canvas = document.querySelector('#kg-graph canvas'), box = canvas.getBoundingClientRect();
  const frame = () => new Promise(done => kg.network.once('afterDrawing', done));
  const started = performance.now();
  for (let k = 0; k < steps; k++) {
    const drawn = frame();
    canvas.dispatchEvent(new WheelEvent('wheel', {deltaY: -60, clientX: box.left + box.width / 2,
      clientY: box.top + box.height / 2, bubbles: true, cancelable: true}));
    await drawn;
  }
  return steps / ((performance.now() - started) / 1000);
}"""
CO_OCCURS_SCRIPT = """async (redraws) => {
  const box = document.querySelector('#kg-edge-legend input[data-kind=co_occurs]');
  if (!box) return null;
  const before = kg.network.body.edgeIndices.length, started = performance.now();
  box.click();
  await new Promise(done => { const wait = () => kg.network.body.edgeIndices.length > before ? done()
    : requestAnimationFrame(wait); wait(); });
  await new Promise(done => kg.network.once('afterDrawing', done));
  const switched = performance.now() - started, times = [];
  for (let k = 0; k < redraws; k++) {
    const began = performance.now(), drawn = new Promise(done => kg.network.once('afterDrawing', done));
    kg.network.redraw();
    await drawn;  // chromium paints a canvas after the script: wait for the frame that shows it
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  return {switchMs: switched, frameMs: times[times.length >> 1],
          links: kg.network.body.edgeIndices.length - before};
}"""
LABELS_SCRIPT = """() => {
  const boxes = kg.labels.concat(kg.topicLabels);
  let overlaps = 0;
  for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) {
    const p = boxes[a], q = boxes[b];
    if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h) overlaps++;
  }
  return {labels: kg.labels.length, topics: kg.topicLabels.length, overlaps: overlaps,
          smallest: Math.min(...kg.labels.map(l => l.px)), largest: Math.max(...kg.labels.map(l => l.px))};
}"""


def synthetic_graph(n_nodes: int, seed: int = 7):
    """A graph shaped like the corpus graph: 16% papers, each mentioning about 11 entities of
    Zipf-like popularity (every entity at least once), with evidence sentences, abstracts and
    the co-occurrence links ``kg.graph.build`` derives."""
    import networkx as nx

    rng = random.Random(seed)
    graph = nx.MultiDiGraph(name=f"synthetic {n_nodes:,} nodes")
    n_papers = max(1, round(n_nodes * PAPER_SHARE))
    entities = [f"{KINDS[i % len(KINDS)]}:entity {i}" for i in range(n_nodes - n_papers)]
    for i, node in enumerate(entities):
        graph.add_node(node, kind=node.split(":")[0], label=f"Entity {i}", aliases=[f"E{i}"], paper_count=0)
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(entities))]
    chosen = [set(rng.choices(range(len(entities)), weights, k=MENTIONS_PER_PAPER)) for _ in range(n_papers)]
    for entity in set(range(len(entities))) - set().union(*chosen):
        chosen[rng.randrange(n_papers)].add(entity)
    pairs: dict[tuple[str, str], int] = {}
    for p, picked in enumerate(chosen):
        _add_paper(graph, f"paper:synthetic:{p}", p, [entities[e] for e in sorted(picked)], rng)
        named = sorted(entities[e] for e in picked if not entities[e].startswith("concept:"))
        for pair in itertools.combinations(named, 2):
            pairs[pair] = pairs.get(pair, 0) + 1
    for (a, b), weight in sorted(pairs.items()):
        graph.add_edge(a, b, key="co_occurs", kind="co_occurs", weight=weight)
    return graph


def _add_paper(graph, node: str, number: int, entities: list[str], rng) -> None:
    sentences = [f"We study {graph.nodes[e]['label']} in a setting that is new and hard to model well."
                 for e in entities]
    abstract = " ".join(sentences)
    graph.add_node(node, kind="paper", label=f"Paper {number}", title=f"Paper {number}", abstract=abstract,
                   year=2015 + rng.randrange(11), url=f"https://example.org/{number}", authors=["A. Author"])
    at = 0
    for entity, sentence in zip(entities, sentences):
        surface = graph.nodes[entity]["label"]
        graph.add_edge(node, entity, key="mentions", kind="mentions", sentence=sentence, field="abstract",
                       start=at + 9, end=at + 9 + len(surface), sent_start=at, sent_end=at + len(sentence),
                       surface=surface, extractor="synthetic", confidence=0.9, count=1)
        graph.nodes[entity]["paper_count"] += 1
        at += len(sentence) + 1


def time_dumps(graph, repeat: int) -> tuple[float, str]:
    from kg.exporters import html

    times, page = [], ""
    for _ in range(repeat):
        started = time.perf_counter()
        page = html.dumps(graph)
        times.append(time.perf_counter() - started)
    return min(times), page


def time_pages(pages: dict[str, Path], repeat: int) -> dict[str, list[dict]]:
    """Open every page ``repeat`` times (interleaved) in a fresh tab; return kg.ready of each run
    (the last run of each page adds labels, zoom and co-occurrence figures)."""
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[dict]] = {name: [] for name in pages}
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport=WINDOW)
        for run in range(repeat):
            for name, path in pages.items():
                runs[name].append(_open(browser, path, measure=run == repeat - 1))
        browser.close()
    return runs


def _open(browser, path: Path, measure: bool = False) -> dict:
    page = browser.new_page()
    outside, errors = [], []
    page.on("request", lambda request: request.url.startswith("file:") or outside.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
    page.goto(path.as_uri(), timeout=120_000)
    page.wait_for_function("window.kg && window.kg.ready", timeout=120_000, polling=50)
    ready = page.evaluate("kg.ready")
    ready["placed"] = page.evaluate(
        "(() => { const p = kg.network.getPositions();"
        " return kg.data.nodes.filter((n, i) => p[i] && p[i].x === n.x && p[i].y === n.y).length; })()")
    ready["expected"] = page.evaluate("kg.data.nodes.length")
    if measure:
        ready["labels"] = page.evaluate(LABELS_SCRIPT)
        ready["zoomFps"] = page.evaluate(ZOOM_SCRIPT, ZOOM_STEPS)
        ready["coOccurs"] = page.evaluate(CO_OCCURS_SCRIPT, REDRAWS)
    page.close()
    if outside or errors:
        raise SystemExit(f"{path}: requests outside file:// {outside}, script errors {errors}")
    return ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", nargs="?", default="exports/graph.json", help="graph.json of the corpus graph")
    parser.add_argument("--nodes", type=int, default=50_000, help="nodes in the synthetic graph")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import kg

    graphs = {"corpus": kg.load(args.export).graph, "synthetic": synthetic_graph(args.nodes)}
    with tempfile.TemporaryDirectory() as folder:
        pages = {}
        for name, graph in graphs.items():
            seconds, page = time_dumps(graph, args.repeat)
            pages[name] = Path(folder) / f"{name}.html"
            pages[name].write_text(page, encoding="utf-8")
            print(f"{name:9s}: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges; "
                  f"dumps() {seconds:.2f} s (best of {args.repeat}); page {len(page.encode()):,} bytes")
        runs = time_pages(pages, args.repeat)
    for name, results in runs.items():
        frames = [run["firstFrameMs"] / 1000 for run in results]
        last = results[-1]
        verdict = "ok" if min(frames) < TARGETS[name] else "OVER TARGET"
        print(f"{name:9s}: first frame with all nodes placed {min(frames):.2f} s best, "
              f"{statistics.median(frames):.2f} s median of {len(frames)} "
              f"(target < {TARGETS[name]:.0f} s: {verdict}); drawn {last['nodes']:,} nodes "
              f"({last['placed']:,} of {last['expected']:,} at their given place), {last['edges']:,} links")
        labels, co = last["labels"], last["coOccurs"]
        print(f"{name:9s}: labels at load {labels['labels']} ({labels['smallest']}-{labels['largest']} px) and "
              f"{labels['topics']} topic labels, {labels['overlaps']} overlapping pairs; zoom "
              f"{last['zoomFps']:.1f} frames/s (target >= 20)")
        if co:
            print(f"{name:9s}: co-occurrence links on: {co['links']:,} drawn, first frame {co['switchMs']:.0f} ms "
                  f"after the click, then {co['frameMs']:.0f} ms a frame (target <= 200 ms)")


if __name__ == "__main__":
    main()
