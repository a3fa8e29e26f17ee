"""The graph page as a map, in a real browser (chromium through Playwright, as in test_browser):
labels readable at load, topics, focus and back, years, titles, colours and search."""

from __future__ import annotations

import networkx as nx
from test_browser import Opened, browser, lora_graph, node_index, open_graph  # noqa: F401 (browser: a fixture)

from kg.exporters import html

TOPICS = ("vision", "speech", "robotics", "proteins", "graphs", "music")
LABEL_CHECK = """() => {
  const boxes = kg.labels.concat(kg.topicLabels);
  const overlaps = [];
  for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) {
    const p = boxes[a], q = boxes[b];
    if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h) overlaps.push([p.text, q.text]);
  }
  return overlaps;
}"""


def map_graph(papers: int = 24, terms: int = 8) -> nx.MultiDiGraph:
    """Six topics, each with its own papers and terms, and two generic terms every paper names."""
    graph = nx.MultiDiGraph(name="A field in six topics")
    for hub in ("deep learning", "accuracy"):
        graph.add_node(f"concept:{hub}", kind="concept", label=hub, aliases=[], paper_count=0)
    for t, topic in enumerate(TOPICS):
        names = [f"{topic} {kind} {k}" for k, kind in zip(range(terms), ["method", "dataset", "task"] * terms)]
        for name in names:
            graph.add_node(f"{name.split()[1]}:{name}", kind=name.split()[1], label=name.title(), aliases=[])
        for p in range(papers):
            paper = f"paper:{topic}:{p}"
            year = 2018 + (p + t) % 7 if p % 6 else None
            graph.add_node(paper, kind="paper", label=f"{topic.title()} study {p}: a long subtitle",
                           title=f"{topic.title()} study {p}: a long subtitle", **({"year": year} if year else {}))
            for name in (names[p % terms], names[(p + 1) % terms], names[(p + 3) % terms]):
                graph.add_edge(paper, f"{name.split()[1]}:{name}", key="mentions", kind="mentions")
            for hub in ("deep learning", "accuracy"):
                graph.add_edge(paper, f"concept:{hub}", key="mentions", kind="mentions")
            if p:
                graph.add_edge(paper, f"paper:{topic}:{p - 1}", key="cites", kind="cites")
    return graph


def test_the_first_screen_has_readable_labels_that_do_not_overlap(browser, tmp_path):
    opened = open_graph(browser, map_graph(), tmp_path)
    page = opened.page
    labels = page.evaluate("kg.labels")
    assert len(labels) >= 60
    assert min(label["px"] for label in labels) >= 11
    assert page.evaluate(LABEL_CHECK) == []
    scores = page.evaluate("kg.labels.map(l => kg.data.nodes[l.node].score)")
    sizes = [label["px"] for label in labels]
    assert sizes[0] == max(sizes) and scores[0] == max(scores)  # the most salient is drawn largest
    biggest = {label["text"] for label in labels if label["px"] == max(sizes)}
    assert not biggest & {"deep learning", "accuracy"}  # generic terms do not lead
    opened.close(tmp_path / "labels.png")


def test_topics_are_placed_apart_coloured_labelled_and_listed(browser, tmp_path):
    opened = open_graph(browser, map_graph(), tmp_path)
    page = opened.page
    topics = page.evaluate("kg.data.topics")
    assert len(topics) == len(TOPICS)
    drawn = page.evaluate("kg.topicLabels.map(t => t.text)")
    assert len(drawn) == len(TOPICS)
    assert {text.split()[0].lower() for text in drawn} == set(TOPICS)
    legend = page.locator("#kg-topic-legend button").all_inner_texts()
    assert len(legend) == len(TOPICS) and all(text.split()[0].lower() in TOPICS for text in legend)
    nodes = page.evaluate("kg.data.nodes")
    colours = page.evaluate("kg.network.body.data.nodes.get().map(n => n.color.background)")
    nearest = 0
    for node, colour in zip(nodes, colours):
        if "topic" not in node:
            continue
        assert colour == topics[node["topic"]]["color"]
        gaps = [(node["x"] - t["x"]) ** 2 + (node["y"] - t["y"]) ** 2 for t in topics]
        nearest += gaps.index(min(gaps)) == node["topic"]
    assert nearest >= 0.9 * sum("topic" in node for node in nodes)  # a topic's nodes sit round its middle
    page.locator("#kg-topic-legend button").first.click()
    assert page.evaluate("kg.network.getScale()") > opened.ready.get("scale", 0)
    opened.close(tmp_path / "topics.png")


def test_focus_draws_a_neighbourhood_round_the_node_and_back_restores_the_map(browser, tmp_path):
    graph = map_graph()
    opened = open_graph(browser, graph, tmp_path)
    page = opened.page
    center = node_index(opened, "method:vision method 0")
    page.evaluate("i => kg.show(i)", center)
    page.click("#kg-panel button[data-depth='1']")
    shown = {node["id"] for node, on in zip(page.evaluate("kg.data.nodes"), page.evaluate("Array.from(kg.visible)"))
             if on}
    assert shown == {"method:vision method 0"} | set(graph.predecessors("method:vision method 0"))
    assert opened.drawn()[0] == len(shown)
    assert page.evaluate(f"kg.network.getPositions([{center}])[{center}]") == {"x": 0, "y": 0}
    spots = page.evaluate("Object.values(kg.network.getPositions())")
    assert sum(1 for spot in spots if spot["x"] ** 2 + spot["y"] ** 2 < 100 ** 2) == 1  # nothing covers it
    assert page.evaluate("kg.labels[0].node") == center
    assert page.is_visible("#kg-back") and "Around Vision Method 0" in page.inner_text("#kg-focus-note")
    page.click("#kg-panel button[data-depth='2']")
    assert opened.drawn()[0] > len(shown)
    page.click("#kg-back")
    assert opened.drawn()[0] == graph.number_of_nodes()
    assert page.evaluate("kg.data.nodes.every((n, i) => { const p = kg.network.getPositions([i])[i];"
                         " return p.x === n.x && p.y === n.y; })")
    assert not page.is_visible("#kg-back")
    opened.close(tmp_path / "focus.png")


def test_the_year_filter_hides_old_papers_and_fit_frames_what_is_left(browser, tmp_path):
    opened = open_graph(browser, map_graph(), tmp_path)
    page = opened.page
    assert "24 papers without a year" in page.inner_text("#kg-years")
    page.select_option("#kg-color", "year")
    nodes = page.evaluate("kg.data.nodes")
    colours = page.evaluate("kg.network.body.data.nodes.get().map(n => n.color.background)")
    by_year = {node.get("year"): colour for node, colour in zip(nodes, colours) if node["kind"] == "paper"}
    assert len(set(by_year.values())) == len(by_year) == 8  # each year (and undated) its own colour
    before = page.evaluate("kg.network.getScale()")
    page.evaluate("() => { const s = document.getElementById('kg-year-from'); s.value = 2024;"
                  " s.dispatchEvent(new Event('change')); }")
    page.uncheck("#kg-undated")
    nodes, visible = page.evaluate("kg.data.nodes"), page.evaluate("Array.from(kg.visible)")
    papers = [node for node, on in zip(nodes, visible) if on and node["kind"] == "paper"]
    assert papers and all(node["year"] == 2024 for node in papers)
    assert page.evaluate("kg.network.getScale()") != before
    inside = page.evaluate(
        "() => { const c = document.querySelector('#kg-graph canvas'); return kg.data.nodes.every((n, i) =>"
        " !kg.visible[i] || (p => p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight)"
        "(kg.network.canvasToDOM(kg.network.getPositions([i])[i]))); }")
    assert inside
    opened.close(tmp_path / "years.png")


def test_entity_panel_gives_first_and_last_year_and_counts(browser, tmp_path):
    opened = open_graph(browser, lora_graph(), tmp_path)
    opened.page.evaluate("i => kg.show(i)", node_index(opened, "dataset:MMLU"))
    text = opened.panel_text()
    assert "First year 2023, last year 2023 (1 undated)" in text
    assert opened.page.locator("#kg-panel .kg-year").count() == 1
    opened.close(tmp_path / "entity-years.png")


def test_papers_named_in_links_show_their_titles_not_ids(browser, tmp_path):
    graph = lora_graph()
    graph.edges["method:QLoRA", "task:x", "used_for"]["paper"] = "paper:b"
    opened = open_graph(browser, graph, tmp_path)
    page = opened.page
    page.evaluate("i => kg.show(i)", node_index(opened, "method:QLoRA"))
    text = opened.panel_text()
    assert "QLoRA: Efficient Finetuning" in text and "paper:b" not in text
    page.locator("#kg-panel .kg-attrs .kg-node", has_text="QLoRA: Efficient Finetuning").click()
    assert "QLoRA backpropagates" in opened.panel_text()
    tips = page.evaluate("kg.network.body.data.edges.get().map(e => e.title.split('\\n')[0])")
    assert "QLoRA: Efficient Finetuning \u2192 mentions \u2192 MMLU" in tips
    opened.close(tmp_path / "titles.png")


def test_every_page_gives_a_kind_the_same_colour(browser, tmp_path):
    first = open_graph(browser, lora_graph(), tmp_path, "first.html")
    second = open_graph(browser, map_graph(), tmp_path, "second.html")
    styles = []
    for opened in (first, second):
        opened.page.select_option("#kg-color", "kind")
        data = opened.page.evaluate("kg.data")
        colours = opened.page.evaluate("kg.network.body.data.nodes.get().map(n => n.color.background)")
        assert all(colour == next(k["color"] for k in data["nodeKinds"] if k["kind"] == node["kind"])
                   for node, colour in zip(data["nodes"], colours))
        styles.append(({k["kind"]: k["color"] for k in data["nodeKinds"]},
                       {k["kind"]: k["color"] for k in data["edgeKinds"]}))
    for kinds_a, kinds_b in zip(styles[0], styles[1]):
        shared = kinds_a.keys() & kinds_b.keys()
        assert shared and all(kinds_a[kind] == kinds_b[kind] for kind in shared)
    node_colours = set(styles[0][0].values()) | set(styles[1][0].values())
    link_colours = set(styles[0][1].values()) | set(styles[1][1].values())
    assert not node_colours & link_colours and len(set(styles[0][1].values())) == len(styles[0][1])
    first.close(tmp_path / "first.png")
    second.close(tmp_path / "second.png")


def test_a_page_without_years_hides_the_years_row_and_is_titled_by_the_graph(browser, tmp_path):
    graph = nx.MultiDiGraph(name="My reading list")
    graph.add_node("paper:a", kind="paper", title="A paper")
    graph.add_node("method:m", kind="method", label="Exploration")
    graph.add_edge("paper:a", "method:m", key="mentions", kind="mentions")
    opened = open_graph(browser, graph, tmp_path)
    page = opened.page
    assert not page.is_visible("#kg-years")
    assert page.title() == "My reading list" and page.inner_text("h1") == "My reading list"
    opened.close(tmp_path / "no-years.png")


def test_search_matches_whole_words_and_prefixes(browser, tmp_path):
    graph = lora_graph()
    graph.add_node("concept:exploration", kind="concept", label="Exploration", aliases=[])
    opened = open_graph(browser, graph, tmp_path)
    page = opened.page
    found = lambda query: [page.evaluate("kg.data.nodes")[hit["node"]]["name"]  # noqa: E731
                           for hit in page.evaluate("q => kg.search(q)", query)]
    assert "Exploration" not in found("lora") and found("lora")[0] == "Low-Rank Adaptation"
    assert "Low-Rank Adaptation" in found("adapt") and "Low-Rank Adaptation" in found("rank adapt")
    assert found("xplor") == []
    opened.close(tmp_path / "search.png")


def test_the_map_page_is_deterministic():
    assert html.dumps(map_graph()) == html.dumps(map_graph())
