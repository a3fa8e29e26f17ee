"""The HTML exporter: offline, escaped, deterministic, and complete."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg import registry
from kg.exporters import html

SCRIPT_PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
CLOSE_PAYLOAD = "</script><script>alert(2)</script>"
LINK_PAYLOAD = '<a href="javascript:alert(3)">click</a>'
PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "span", "label", "input",
    "ul", "li", "div", "script",
}
KG_SOURCE = Path(__file__).resolve().parents[1] / "kg"


def contract_graph(reverse: bool = False) -> nx.MultiDiGraph:
    """A small graph following the graph contract, with markup in every kind of text."""
    nodes = [
        ("paper:arxiv:1706.03762", {
            "kind": "paper", "label": SCRIPT_PAYLOAD, "title": SCRIPT_PAYLOAD,
            "abstract": f"We propose {CLOSE_PAYLOAD} and \u2028 more.", "year": 2017,
            "date": "2017-06-12", "url": "https://arxiv.org/abs/1706.03762",
            "authors": ["A. Vaswani", IMG_PAYLOAD], "code_urls": [], "sources": ["in.txt:3"]}),
        ("paper:title:0123456789abcdef", {"kind": "paper", "label": LINK_PAYLOAD}),
        ("method:transformer", {"kind": "method", "label": IMG_PAYLOAD,
                                "aliases": [LINK_PAYLOAD], "paper_count": 2}),
        ("dataset:wmt 2014", {"kind": "dataset", "label": "WMT 2014", "paper_count": 1}),
        ("task:<svg onload=alert(4)>", {"kind": "task"}),
        ("metric:bleu", {"kind": "metric", "label": "BLEU"}),
        ("concept:attention", {"kind": "concept", "label": "attention"}),
        ("concept:line\u2028para\u2029end", {"kind": "concept"}),
        ("thing:unknown", {}),
    ]
    edges = [
        ("paper:arxiv:1706.03762", "method:transformer", "proposes",
         {"sentence": CLOSE_PAYLOAD}),
        ("paper:arxiv:1706.03762", "method:transformer", "mentions",
         {"sentence": IMG_PAYLOAD, "confidence": 0.87}),
        ("paper:arxiv:1706.03762", "dataset:wmt 2014", "mentions", {"confidence": float("nan")}),
        ("method:transformer", "dataset:wmt 2014", "co_occurs", {"weight": 12}),
        ("paper:title:0123456789abcdef", "paper:arxiv:1706.03762", "cites", {}),
        ("paper:title:0123456789abcdef", "method:transformer", "builds_on", {}),
    ]
    graph = nx.MultiDiGraph(name=f"Graph {SCRIPT_PAYLOAD}")
    for node, attrs in reversed(nodes) if reverse else nodes:
        graph.add_node(node, **attrs)
    for source, target, kind, attrs in reversed(edges) if reverse else edges:
        graph.add_edge(source, target, key=kind, **({"kind": kind} | attrs if attrs else {}))
    return graph


class Elements(HTMLParser):
    """The start tags of a page as a browser tokenizes it (script and style bodies are text)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def page() -> str:
    return html.dumps(contract_graph())


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "no data block in the page"
    return json.loads(match.group(1))


def all_text(data: dict) -> str:
    items = data["nodes"] + data["edges"]
    return "\n".join(str(value) for item in items for value in item.values())


def test_registered_as_html_exporter():
    plugin = registry.exporter("html")
    assert plugin.filename == "graph.html"
    assert plugin.load().dumps is html.dumps


def test_no_remote_scripts_links_or_sources(page):
    for tag, attrs in Elements(page).tags:
        for name in ("src", "href"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, attrs)
    remote = r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//"
    assert not re.search(remote, page, re.IGNORECASE)


def test_all_code_is_inline(page):
    scripts = [attrs for tag, attrs in Elements(page).tags if tag == "script"]
    assert scripts == [{}, {"type": "application/json", "id": "kg-data"}, {}]
    assert not any(tag == "link" for tag, _ in Elements(page).tags)
    assert "vis.Network" in page and ".vis-network" in page


def test_vis_network_licence_is_kept(page):
    assert "vis.js is dual licensed under both" in page
    assert "The Apache 2.0 License" in page and "The MIT License" in page
    assert "@copyright (c) 2011-2017 Almende B.V" in page


@pytest.mark.parametrize("needle", ["cdn.", "cdnjs", "unpkg.com", "jsdelivr"])
def test_no_cdn_address_in_kg_sources(needle):
    sources = [*KG_SOURCE.rglob("*.py"), *KG_SOURCE.rglob("*.j2")]
    assert sources
    for path in sources:
        assert needle not in path.read_text(encoding="utf-8").lower(), path


def test_markup_in_data_makes_no_elements(page):
    assert {tag for tag, _ in Elements(page).tags} <= PAGE_TAGS
    for raw in ("<img src=x onerror", CLOSE_PAYLOAD, SCRIPT_PAYLOAD, "<svg onload", "<a href="):
        assert raw not in page


def test_markup_decodes_to_the_original_text(page):
    data = page_data(page)
    text = all_text(data)
    for payload in (SCRIPT_PAYLOAD, IMG_PAYLOAD, CLOSE_PAYLOAD, LINK_PAYLOAD):
        assert payload in text
    assert "task:<svg onload=alert(4)>" in {node["id"] for node in data["nodes"]}
    assert "concept:line\u2028para\u2029end" in {node["id"] for node in data["nodes"]}
    assert "\u2028" not in page and "\u2029" not in page


def test_tooltips_are_plain_strings(page):
    data = page_data(page)
    for item in data["nodes"] + data["edges"]:
        assert isinstance(item["title"], str)
    paper = next(node for node in data["nodes"] if node["id"] == "paper:arxiv:1706.03762")
    assert paper["title"].splitlines()[0] == SCRIPT_PAYLOAD
    assert "2017" in paper["title"] and IMG_PAYLOAD in paper["title"]


def test_page_text_is_html_escaped(page):
    assert "<h1>Graph &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "<title>Graph &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


def test_same_graph_gives_identical_page():
    assert html.dumps(contract_graph()) == html.dumps(contract_graph())


def test_insertion_order_does_not_matter(page):
    assert html.dumps(contract_graph(reverse=True)) == page


def test_every_node_and_edge_is_in_the_data(page):
    graph, data = contract_graph(), page_data(page)
    assert [node["id"] for node in data["nodes"]] == sorted(graph.nodes)
    edges = {(edge["from"], edge["to"], edge["kind"]) for edge in data["edges"]}
    assert edges == set(graph.edges(keys=True))
    assert len({edge["id"] for edge in data["edges"]}) == graph.number_of_edges()


def test_nodes_are_grouped_by_kind_with_a_legend(page):
    groups = {node["id"]: node["group"] for node in page_data(page)["nodes"]}
    assert groups["method:transformer"] == "method"
    assert groups["paper:title:0123456789abcdef"] == "paper"
    assert groups["thing:unknown"] == "other"
    legend = re.search(r'<ul class="kg-legend" id="kg-node-legend">(.*?)</ul>', page, re.S).group(1)
    for kind in ("paper", "method", "dataset", "task", "metric", "concept"):
        assert f"</span>{kind}</li>" in legend
        assert html.NODE_STYLES[kind]["color"] in legend
    assert set(page_data(page)["options"]["groups"]) == set(html.NODE_STYLES)


def test_edges_are_styled_by_kind(page):
    data = page_data(page)
    assert {edge["kind"] for edge in data["edges"]} <= set(data["edgeStyles"])
    assert data["edgeStyles"]["co_occurs"]["dashes"] is True
    weighted = next(edge for edge in data["edges"] if edge["kind"] == "co_occurs")
    assert 1 < weighted["width"] <= 6


def test_layout_is_fixed_and_physics_starts_off(page):
    data = page_data(page)
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(node["x"], int) and isinstance(node["y"], int) for node in data["nodes"])
    assert len({(node["x"], node["y"]) for node in data["nodes"]}) == len(data["nodes"])
    assert '<input type="checkbox" id="kg-physics">' in page


def test_node_size_grows_with_degree_and_is_bounded():
    star = nx.MultiDiGraph()
    star.add_edges_from(("concept:hub", f"concept:{i}", "co_occurs") for i in range(200))
    sizes = {node["id"]: node["size"] for node in html.graph_data(star)["nodes"]}
    assert sizes["concept:0"] < sizes["concept:hub"] == html.MAX_SIZE
    assert html.MIN_SIZE <= sizes["concept:0"]


def test_missing_and_odd_attributes_do_not_break_the_page():
    graph = nx.MultiDiGraph()
    graph.add_node("paper:x", kind="paper", authors="not a list", year=None, abstract=math.inf)
    graph.add_node("method:y", kind="method", aliases=None, paper_count="many")
    graph.add_edge("paper:x", "method:y", key="mentions", confidence="high", sentence=None)
    graph.add_edge("method:y", "method:y", key="co_occurs", weight=float("nan"))
    data = page_data(html.dumps(graph))
    assert [node["label"] for node in data["nodes"]] == ["method:y", "paper:x"]
    assert len(data["edges"]) == 2


def test_empty_graph_gives_a_valid_page():
    page = html.dumps(nx.MultiDiGraph())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page_data(page)["nodes"] == [] and page_data(page)["edges"] == []
    assert "0 nodes, 0 edges" in page
    assert {tag for tag, _ in Elements(page).tags} <= PAGE_TAGS


def test_script_json_escapes_what_could_end_a_script():
    text = html.script_json({"a": "</script>&<!--\u2028\u2029"})
    assert not set(text) & set("<>&\u2028\u2029")
    assert json.loads(text) == {"a": "</script>&<!--\u2028\u2029"}


def test_inline_assets_cannot_close_their_element():
    assert html._no_end_tag('x="</SCRIPT>"', "script") == 'x="<\\/SCRIPT>"'
    assert html._no_end_tag("a</b>", "script") == "a</b>"


def test_write_replaces_the_file_atomically(tmp_path):
    target = tmp_path / "out" / "graph.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    assert html.write(contract_graph(), target) == target
    assert target.read_text(encoding="utf-8") == html.dumps(contract_graph())
    assert [path.name for path in target.parent.iterdir()] == ["graph.html"]


def test_write_keeps_the_old_file_when_export_fails(tmp_path, monkeypatch):
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")

    def broken(graph):
        raise RuntimeError("boom")

    monkeypatch.setattr(html, "dumps", broken)
    with pytest.raises(RuntimeError):
        html.write(contract_graph(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["graph.html"]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_browser_builds_no_element_from_the_data(tmp_path, page):
    target = tmp_path / "graph.html"
    target.write_text(page, encoding="utf-8")
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--dump-dom", target.as_uri()]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout
    assert "<canvas" in dom
    assert {tag for tag, _ in Elements(dom).tags} <= PAGE_TAGS | {"canvas"}
    assert "<img" not in dom and "<svg" not in dom and "alert(1)</script>" not in dom
