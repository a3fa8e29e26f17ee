"""The graph page in a real browser: Debian's chromium driven by Playwright for Python.

Every page is opened from ``file://`` with every other request aborted and recorded; each test
checks that no script error was logged, that nothing was requested outside ``file://`` and that
no dialog opened, and saves a screenshot in its temporary folder. ``make test`` installs
chromium where it is missing; these tests skip, saying why, only where it could not be.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.exporters import html
from kg.exporters import json as json_export

CHROMIUM = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
READY_MS = 60_000
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
CLOSE_PAYLOAD = "</script><script>alert(2)</script>"
LINK_PAYLOAD = "javascript:alert(3)"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless chromium with a fresh profile for this module's pages."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not installed: pip install -e '.[dev]'")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium is not at {CHROMIUM} and could not be installed here "
                    "(make test installs it with apt-get when run as root)")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 800}, timeout=READY_MS)
        context.set_default_timeout(20_000)
        yield context
        context.close()


class Opened:
    """A page opened from file://, with what it logged, requested and tried to show."""

    def __init__(self, browser, path: Path):
        self.errors, self.requests, self.dialogs = [], [], []
        self.page = page = browser.new_page()
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("dialog", self._dialog)
        page.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
        page.goto(path.as_uri())
        page.wait_for_function("window.kg && window.kg.ready", timeout=READY_MS)
        self.ready = page.evaluate("window.kg.ready")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def drawn(self) -> tuple[int, int]:
        """Nodes and edges vis-network has to draw now."""
        return tuple(self.page.evaluate(
            "[kg.network.body.nodeIndices.length, kg.network.body.edgeIndices.length]"))

    def panel_text(self) -> str:
        self.page.wait_for_selector("#kg-panel:not([hidden])")
        return self.page.inner_text("#kg-panel")

    def close(self, screenshot: Path) -> None:
        """Save a screenshot, check the page stayed clean, and close it."""
        self.page.screenshot(path=str(screenshot))
        self.page.close()
        assert self.errors == []
        assert [url for url in self.requests if not url.startswith("file://")] == []
        assert self.dialogs == []


def open_graph(browser, graph, tmp_path: Path, name: str = "graph.html") -> Opened:
    path = tmp_path / name
    html.write(graph, path)
    return Opened(browser, path)


def mention(graph, paper: str, entity: str, surface: str, kind: str = "mentions", field: str = "abstract"):
    """A paper -> entity edge with evidence, as kg.graph.build writes it (offsets into the field)."""
    text = graph.nodes[paper][field]
    start = re.search(rf"(?<!\w){re.escape(surface)}(?!\w)", text).start()
    sent_start = text.rfind(". ", 0, start) + 2 if ". " in text[:start] else 0
    sent_end = text.find(". ", start) + 1 or len(text)
    graph.add_edge(paper, entity, key=kind, kind=kind, sentence=text[sent_start:sent_end], field=field,
                   start=start, end=start + len(surface), sent_start=sent_start, sent_end=sent_end,
                   surface=surface, extractor="test", confidence=0.9, count=1)


def lora_graph() -> nx.MultiDiGraph:
    """Three papers and four entities, with markup where a page could be tricked into running it."""
    graph = nx.MultiDiGraph(name="browser test")
    graph.add_node("paper:a", kind="paper", label=IMG_PAYLOAD, title=IMG_PAYLOAD, year=2021,
                   abstract=f"We propose Low-Rank Adaptation (LoRA) for GPT-3. It runs {CLOSE_PAYLOAD} fast.",
                   url=LINK_PAYLOAD, authors=["E. Hu", IMG_PAYLOAD], code_urls=["https://github.com/microsoft/LoRA"])
    graph.add_node("paper:b", kind="paper", label="QLoRA: Efficient Finetuning", year=2023,
                   title="QLoRA: Efficient Finetuning", url="https://arxiv.org/abs/2305.14314",
                   abstract="QLoRA backpropagates through a frozen model into LoRA adapters. It is tested on MMLU.")
    graph.add_node("paper:c", kind="paper", label="An undated note", title="An undated note",
                   abstract="A note on MMLU.")
    graph.add_node("method:Low-Rank Adaptation", kind="method", label="Low-Rank Adaptation",
                   aliases=["LoRA", "low rank adaptation"], paper_count=2)
    graph.add_node("method:QLoRA", kind="method", label="QLoRA", aliases=[], paper_count=1)
    graph.add_node("dataset:MMLU", kind="dataset", label="MMLU", aliases=[IMG_PAYLOAD], paper_count=2)
    graph.add_node("task:x", kind="task", label=CLOSE_PAYLOAD, aliases=[], paper_count=0)
    mention(graph, "paper:a", "method:Low-Rank Adaptation", "Low-Rank Adaptation")
    mention(graph, "paper:a", "method:Low-Rank Adaptation", "Low-Rank Adaptation", kind="proposes")
    mention(graph, "paper:b", "method:Low-Rank Adaptation", "LoRA")
    mention(graph, "paper:b", "method:QLoRA", "QLoRA")
    mention(graph, "paper:b", "dataset:MMLU", "MMLU")
    mention(graph, "paper:c", "dataset:MMLU", "MMLU")
    graph.add_edge("method:Low-Rank Adaptation", "method:QLoRA", key="co_occurs", kind="co_occurs", weight=1)
    graph.add_edge("paper:b", "paper:a", key="builds_on", kind="builds_on", sentence="QLoRA builds on LoRA.",
                   entities=["method:Low-Rank Adaptation"], undated=False, inferred=True)
    graph.add_edge("method:QLoRA", "task:x", key="used_for", kind="used_for", sentence=IMG_PAYLOAD)
    return graph


def node_index(opened: Opened, node_id: str) -> int:
    return opened.page.evaluate("id => kg.data.nodes.findIndex(n => n.id === id)", node_id)


def test_every_node_is_drawn_with_its_place(browser, tmp_path):
    graph = lora_graph()
    opened = open_graph(browser, graph, tmp_path)
    assert opened.ready["nodes"] == graph.number_of_nodes()
    assert opened.drawn() == (7, graph.number_of_edges() - 1)  # co-occurrence links start hidden
    placed = opened.page.evaluate(
        "kg.data.nodes.every((n, i) => { const p = kg.network.getPositions([i])[i];"
        " return p.x === n.x && p.y === n.y; })")
    assert placed
    opened.close(tmp_path / "graph.png")


def test_search_finds_an_entity_by_alias_and_the_panel_shows_evidence(browser, tmp_path):
    opened = open_graph(browser, lora_graph(), tmp_path)
    page = opened.page
    page.fill("#kg-search", "lora")
    first = page.locator("#kg-results li[data-node]").first
    assert "Low-Rank Adaptation" in first.inner_text() and "alias LoRA" in first.inner_text()
    page.press("#kg-search", "Enter")
    text = opened.panel_text()
    assert "Low-Rank Adaptation" in text and "Also called: LoRA, low rank adaptation" in text
    assert "Papers and evidence (2)" in text and "proposes" in text
    quotes = page.locator("#kg-panel blockquote")
    assert quotes.count() == 2
    assert page.locator("#kg-panel blockquote mark").all_inner_texts() == ["LoRA", "Low-Rank Adaptation"]
    assert "into LoRA adapters" in page.locator("#kg-panel blockquote mark").first.evaluate(
        "mark => mark.parentNode.textContent")
    assert "QLoRA backpropagates through a frozen model into LoRA adapters." in text
    assert page.evaluate("kg.network.getSelectedNodes()") == [node_index(opened, "method:Low-Rank Adaptation")]
    opened.close(tmp_path / "entity-panel.png")


def test_a_paper_panel_highlights_its_entities_and_links_only_the_web(browser, tmp_path):
    opened = open_graph(browser, lora_graph(), tmp_path)
    page = opened.page
    page.evaluate("i => kg.show(i)", node_index(opened, "paper:b"))
    text = opened.panel_text()
    assert "QLoRA backpropagates" in text and "built on by" not in text and "builds on" in text
    marks = page.locator("#kg-panel .kg-abstract mark").all_inner_texts()
    assert marks == ["QLoRA", "LoRA", "MMLU"]
    assert page.locator("#kg-panel a").evaluate_all("links => links.map(a => a.href)") == [
        "https://arxiv.org/abs/2305.14314"]
    page.locator("#kg-panel .kg-abstract mark", has_text="MMLU").click()
    assert "Papers and evidence (2)" in opened.panel_text()
    opened.close(tmp_path / "paper-panel.png")


def test_markup_in_the_data_is_shown_as_text_and_never_runs(browser, tmp_path):
    opened = open_graph(browser, lora_graph(), tmp_path)
    page = opened.page
    paper = node_index(opened, "paper:a")
    page.evaluate("i => kg.show(i)", paper)
    text = opened.panel_text()
    assert IMG_PAYLOAD in text and CLOSE_PAYLOAD in text
    assert page.locator("#kg-panel a").evaluate_all("links => links.map(a => a.href)") == [
        "https://github.com/microsoft/LoRA"]
    page.evaluate("i => kg.show(i)", node_index(opened, "task:x"))
    assert CLOSE_PAYLOAD in opened.panel_text()
    page.evaluate("i => kg.show(i)", node_index(opened, "method:QLoRA"))
    assert IMG_PAYLOAD in opened.panel_text()  # a used_for link's sentence, shown generically
    page.fill("#kg-search", "onerror")
    assert IMG_PAYLOAD in page.inner_text("#kg-results")
    hover_tooltip = _hover(page, paper)
    assert IMG_PAYLOAD in hover_tooltip
    assert page.locator("img, svg, iframe, object").count() == 0
    assert page.locator("script").count() == 3
    assert page.evaluate("document.querySelectorAll('a[href^=\"javascript\" i]').length") == 0
    opened.close(tmp_path / "markup.png")


def _hover(page, node: int) -> str:
    """Move the mouse onto a node and return the tooltip vis-network shows."""
    page.evaluate("i => kg.network.moveTo({position: kg.network.getPositions([i])[i], scale: 1})", node)
    point = page.evaluate(
        "i => { const p = kg.network.canvasToDOM(kg.network.getPositions([i])[i]);"
        " const r = document.querySelector('#kg-graph canvas').getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }", node)
    page.mouse.move(point[0] + 2, point[1] + 2)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible")
    assert tooltip.evaluate("t => [...t.querySelectorAll('*')].every(e => e.tagName === 'BR')")
    return tooltip.inner_text()


def test_filters_by_type_year_and_link_kind(browser, tmp_path):
    graph = lora_graph()
    opened = open_graph(browser, graph, tmp_path)
    page = opened.page
    page.uncheck("#kg-node-legend input[data-kind=method]")
    assert opened.drawn()[0] == 5
    page.check("#kg-node-legend input[data-kind=method]")
    page.fill("#kg-year-from", "2022")
    page.dispatch_event("#kg-year-from", "change")
    page.uncheck("#kg-undated")
    visible = page.evaluate("Array.from(kg.visible)")
    shown = {node["id"] for node, on in zip(page.evaluate("kg.data.nodes"), visible) if on}
    assert shown == {"paper:b", "method:Low-Rank Adaptation", "method:QLoRA", "dataset:MMLU", "task:x"}
    assert opened.drawn()[0] == 5
    assert "Showing 5 of 7 nodes" in page.inner_text("#kg-status")
    before = opened.drawn()[1]
    page.check("#kg-edge-legend input[data-kind=co_occurs]")
    page.wait_for_function(f"kg.network.body.edgeIndices.length === {before + 1}")
    opened.close(tmp_path / "filters.png")


def test_kg_view_max_nodes_draws_that_many_and_says_so(browser, tmp_path):
    export = tmp_path / "graph.json"
    json_export.write(lora_graph(), export)
    page_path = tmp_path / "top.html"
    result = CliRunner().invoke(main, ["view", str(export), "--max-nodes", "4", "-o", str(page_path)])
    assert result.exit_code == 0, result.output
    opened = Opened(browser, page_path)
    assert opened.ready["nodes"] == opened.drawn()[0] == 4
    notes = opened.page.inner_text("#kg-notes")
    assert "Showing 4 of 7 nodes: 3 left out." in notes and "--max-nodes 7" in notes
    opened.close(tmp_path / "max-nodes.png")


def test_kg_view_focus_opens_on_the_focus_node(browser, tmp_path):
    export = tmp_path / "graph.json"
    json_export.write(lora_graph(), export)
    page_path = tmp_path / "focus.html"
    result = CliRunner().invoke(main, ["view", str(export), "--focus", "mmlu", "-o", str(page_path)])
    assert result.exit_code == 0, result.output
    opened = Opened(browser, page_path)
    assert opened.drawn()[0] == 3
    assert "Papers and evidence (2)" in opened.panel_text()
    opened.close(tmp_path / "focus.png")


def test_the_corpus_graph_is_drawn_whole(browser, tmp_path, corpus_graph):
    graph = corpus_graph.graph
    opened = open_graph(browser, graph, tmp_path)
    assert opened.ready["nodes"] == opened.drawn()[0] == graph.number_of_nodes()
    page = opened.page
    page.fill("#kg-search", "LoRA")
    page.press("#kg-search", "Enter")
    text = opened.panel_text()
    assert "Low-Rank Adaptation" in text and "Papers and evidence" in text
    assert page.locator("#kg-panel blockquote mark").count() > 0
    opened.page.locator("#kg-panel .kg-node").first.click()
    assert "Abstract" in opened.panel_text()
    assert page.locator("#kg-panel .kg-abstract mark").count() > 0
    opened.close(tmp_path / "corpus.png")
