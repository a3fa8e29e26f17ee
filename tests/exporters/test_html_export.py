"""The HTML exporter: offline, escaped, deterministic, and complete."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg import registry
from kg.exporters import html
from kg.view.select import select

SCRIPT_PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
CLOSE_PAYLOAD = "</script><script>alert(2)</script>"
LINK_PAYLOAD = '<a href="javascript:alert(3)">click</a>'
PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "span", "label", "input", "div",
    "ul", "p", "button", "fieldset", "legend", "main", "aside", "noscript", "script", "select", "option", "output",
}
KG_SOURCE = Path(__file__).resolve().parents[2] / "kg"


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


def all_text(value: object) -> str:
    """Every string in the page data, one a line."""
    if isinstance(value, dict):
        return "\n".join(all_text(item) for item in value.values())
    if isinstance(value, list):
        return "\n".join(all_text(item) for item in value)
    return str(value)


def node_of(data: dict, node_id: str) -> dict:
    return next(node for node in data["nodes"] if node["id"] == node_id)


def edges_of(data: dict) -> set[tuple[str, str, str]]:
    ids, kinds = [node["id"] for node in data["nodes"]], [k["kind"] for k in data["edgeKinds"]]
    return {(ids[edge[0]], ids[edge[1]], kinds[edge[2]]) for edge in data["edges"]}


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
    assert "function segments(" in page and "#kg-panel" in page


def test_viewer_files_are_package_data():
    import tomllib

    config = tomllib.loads((KG_SOURCE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert "templates/*" in config["tool"]["setuptools"]["package-data"]["kg"]
    assert {path.name for path in (KG_SOURCE / "templates").iterdir()} >= {"graph.html.j2", "viewer.js", "viewer.css"}


def test_vis_network_licence_is_kept(page):
    assert "vis.js is dual licensed under both" in page
    assert "The Apache 2.0 License" in page and "The MIT License" in page
    assert "@copyright (c) 2011-2017 Almende B.V" in page


@pytest.mark.parametrize("needle", ["cdn.", "cdnjs", "unpkg.com", "jsdelivr", "http://", "fetch(", "xmlhttprequest"])
def test_no_remote_address_in_the_page_sources(needle):
    sources = [KG_SOURCE / "exporters" / "html.py", KG_SOURCE / "view" / "select.py", *(KG_SOURCE / "templates").glob("*.*")]
    assert len(sources) > 3
    for path in sources:
        assert needle not in path.read_text(encoding="utf-8").lower(), path


def test_the_viewer_builds_no_markup_from_strings():
    script = (KG_SOURCE / "templates" / "viewer.js").read_text(encoding="utf-8")
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert risky not in script


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


def test_paper_fields_are_plain_data(page):
    paper = node_of(page_data(page), "paper:arxiv:1706.03762")
    assert paper["name"] == SCRIPT_PAYLOAD and paper["title"] == [SCRIPT_PAYLOAD]
    assert paper["year"] == 2017 and paper["authors"] == ["A. Vaswani", IMG_PAYLOAD]
    assert paper["links"] == [["page", "https://arxiv.org/abs/1706.03762"]]
    assert "".join(part if isinstance(part, str) else part[0] for part in paper["abstract"]) == \
        f"We propose {CLOSE_PAYLOAD} and \u2028 more."


def test_only_web_addresses_become_links():
    graph = nx.MultiDiGraph()
    graph.add_node("paper:x", kind="paper", url="javascript:alert(1)", doi="10.1000/x<y>",
                   code_urls=["https://github.com/a/b", " JAVASCRIPT:alert(2)", "data:text/html,x", "//evil"])
    links = node_of(html.page_data(select(graph)), "paper:x")["links"]
    assert links == [["DOI", "https://doi.org/10.1000/x%3Cy%3E"], ["code", "https://github.com/a/b"]]
    assert html.web_link("https://a.org/x y") == "" and html.web_link("ftp://a.org") == ""


def test_page_text_is_html_escaped(page):
    assert "<h1>Graph &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "<title>Graph &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


def test_notes_and_kind_names_are_escaped():
    graph = nx.MultiDiGraph()
    graph.add_node("x:1", kind='"><img src=x>', label="a")
    graph.add_edge("x:1", "x:1", key="<b>k</b>")
    selection = select(graph)
    page = html.render(replace(selection, notes=(SCRIPT_PAYLOAD,)))
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in page
    assert 'data-kind="&#34;&gt;&lt;img src=x&gt;"' in page and "&lt;b&gt;k&lt;/b&gt;" in page
    assert {tag for tag, _ in Elements(page).tags} <= PAGE_TAGS


def test_same_graph_gives_identical_page():
    assert html.dumps(contract_graph()) == html.dumps(contract_graph())


def test_insertion_order_does_not_matter(page):
    assert html.dumps(contract_graph(reverse=True)) == page


def big_graph() -> nx.MultiDiGraph:
    """1,200 nodes: more than twice the layout's core, so the core and satellite path is taken."""
    graph = nx.MultiDiGraph()
    for i in range(1200):
        graph.add_edge(f"paper:{i}", f"method:{(i * 7) % 300}", key="mentions", sentence=f"s{i % 50}")
        graph.add_edge(f"method:{i % 300}", f"task:{(i * 13) % 600}", key="used_for")
    return graph


def test_identical_across_hash_seeds():
    code = ("import hashlib, sys; sys.path.insert(0, sys.argv[1]); import test_html_export as t;"
            "from kg.exporters import html;"
            "print(*(hashlib.sha256(html.dumps(g()).encode()).hexdigest() for g in (t.contract_graph, t.big_graph)))")
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", code, str(Path(__file__).resolve().parent)], env=env,
                                capture_output=True, text=True, timeout=120, check=True)
        digests.add(result.stdout.strip())
    expected = " ".join(hashlib.sha256(html.dumps(g()).encode()).hexdigest() for g in (contract_graph, big_graph))
    assert digests == {expected}


def test_every_node_and_edge_is_in_the_data(page):
    graph, data = contract_graph(), page_data(page)
    assert [node["id"] for node in data["nodes"]] == sorted(graph.nodes)
    assert edges_of(data) == set(graph.edges(keys=True))
    assert len(data["edges"]) == graph.number_of_edges()
    assert data["total"] == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


def test_node_kinds_have_a_legend_with_toggles(page):
    data = page_data(page)
    assert node_of(data, "method:transformer")["kind"] == "method"
    assert node_of(data, "thing:unknown")["kind"] == "other"
    legend = re.search(r'<fieldset class="kg-legend" id="kg-node-legend">(.*?)</fieldset>', page, re.S).group(1)
    for kind in ("paper", "method", "dataset", "task", "metric", "concept", "other"):
        assert f'<input type="checkbox" data-kind="{kind}" checked>' in legend
        assert html.NODE_STYLES[kind]["color"] in legend
    assert [item["kind"] for item in data["nodeKinds"]] == list(html.NODE_STYLES)
    assert set(data["options"]["groups"]) == set(html.NODE_STYLES)


def test_edge_kinds_have_styles_and_co_occurrence_starts_hidden(page):
    data = page_data(page)
    kinds = {item["kind"]: item for item in data["edgeKinds"]}
    assert set(kinds) == {"mentions", "proposes", "co_occurs", "cites", "builds_on"}
    assert kinds["co_occurs"]["shown"] is False and kinds["mentions"]["shown"] is True
    assert '<input type="checkbox" data-kind="co_occurs"><span' in page
    assert '<input type="checkbox" data-kind="cites" checked>' in page


def test_unknown_edge_kinds_are_shown_generically():
    graph = nx.MultiDiGraph()
    graph.add_node("method:a", kind="method", label="A")
    graph.add_node("task:b", kind="task", label="B")
    graph.add_edge("method:a", "task:b", key="used_for", kind="used_for", sentence="A is used for B.",
                   evidence_from=["task:b", "method:a"], score=0.5)
    graph.add_edge("method:a", "task:b", key="evaluated_on", kind="evaluated_on")
    data = html.page_data(select(graph))
    kinds = {item["kind"]: item for item in data["edgeKinds"]}
    assert kinds["used_for"]["shown"] and kinds["used_for"]["color"] != kinds["evaluated_on"]["color"]
    used = next(edge for edge in data["edges"] if data["edgeKinds"][edge[2]]["kind"] == "used_for")
    assert data["sentences"][used[3]["s"]] == "A is used for B."
    assert used[3]["attrs"] == [["evidence_from", [1, 0]], ["score", "0.5"]]


def test_sentences_are_stored_once_with_the_name_marked():
    graph = nx.MultiDiGraph()
    abstract = "Intro. We use \U0001d4d0 and LoRA here."
    graph.add_node("paper:p", kind="paper", abstract=abstract)
    for name in ("method:lora", "concept:x"):
        graph.add_node(name, kind=name.split(":")[0], label=name)
    sentence = "We use \U0001d4d0 and LoRA here."
    for entity, surface in (("method:lora", "LoRA"), ("concept:x", "\U0001d4d0")):
        start = abstract.index(surface)
        graph.add_edge("paper:p", entity, key="mentions", sentence=sentence, field="abstract", start=start,
                       end=start + len(surface), sent_start=7, sent_end=len(abstract), surface=surface)
    data = html.page_data(select(graph))
    assert data["sentences"] == [sentence]
    marks = {data["nodes"][edge[1]]["id"]: edge[3]["h"] for edge in data["edges"]}
    assert marks == {"method:lora": [14, 4], "concept:x": [7, 2]}  # UTF-16 offsets, as JavaScript counts
    assert node_of(data, "paper:p")["abstract"] == ["Intro. We use ", ["\U0001d4d0", 0], " and ", ["LoRA", 1], " here."]


def test_abstract_marks_every_whole_word_occurrence():
    graph = nx.MultiDiGraph()
    graph.add_node("paper:p", kind="paper", title="ViT", abstract="ViT beats ViTs; a ViT-B is a ViT.")
    graph.add_node("method:vit", kind="method", label="Vision Transformer")
    graph.add_edge("paper:p", "method:vit", key="mentions", field="abstract", start=0, end=3, surface="ViT",
                   sentence="ViT beats ViTs; a ViT-B is a ViT.", sent_start=0, sent_end=33)
    paper = node_of(html.page_data(select(graph)), "paper:p")
    assert paper["abstract"] == [["ViT", 0], " beats ViTs; a ", ["ViT", 0], "-B is a ", ["ViT", 0], "."]
    assert paper["title"] == ["ViT"]


def test_layout_is_fixed_and_physics_starts_off(page):
    data = page_data(page)
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(node["x"], int) and isinstance(node["y"], int) for node in data["nodes"])
    assert len({(node["x"], node["y"]) for node in data["nodes"]}) == len(data["nodes"])
    assert '<input type="checkbox" id="kg-physics">' in page


def test_node_size_grows_with_pagerank_and_is_bounded():
    star = nx.MultiDiGraph()
    star.add_edges_from(("concept:hub", f"concept:{i}", "co_occurs") for i in range(200))
    nodes = {node["id"]: node for node in html.page_data(select(star))["nodes"]}
    sizes = sorted(node["size"] for node in nodes.values())
    assert nodes["concept:0"]["size"] < nodes["concept:hub"]["size"] == sizes[-1]
    assert sizes[-1] / sizes[0] <= html.MAX_SIZE / html.MIN_SIZE + 0.5
    assert nodes["concept:hub"]["rank"] > 50 * nodes["concept:0"]["rank"]


def test_a_pagerank_attribute_is_used_when_present():
    graph = nx.MultiDiGraph([("a", "b")])
    nx.set_node_attributes(graph, {"a": 0.9, "b": 0.1}, "pagerank")
    nodes = html.page_data(select(graph))["nodes"]
    assert [node["rank"] for node in nodes] == [1.8, 0.2]
    assert "attrs" not in nodes[0]


def test_a_big_graph_keeps_its_most_important_nodes_and_says_so(monkeypatch):
    monkeypatch.setattr(html, "PAGE_MAX_NODES", 3)
    page = html.dumps(contract_graph())
    data = page_data(page)
    assert len(data["nodes"]) == 3 and data["total"]["nodes"] == 9
    assert "method:transformer" in {node["id"] for node in data["nodes"]}
    notes = re.search(r'<div id="kg-notes" role="note">(.*?)</div>', page, re.S).group(1)
    assert "Showing 3 of 9 nodes: 6 left out." in notes
    assert "kg view graph.json --max-nodes 9" in notes and "--focus NAME" in notes


def test_missing_and_odd_attributes_do_not_break_the_page():
    graph = nx.MultiDiGraph()
    graph.add_node("paper:x", kind="paper", authors="not a list", year=None, abstract=math.inf, title=3)
    graph.add_node("method:y", kind="method", aliases=None, paper_count="many")
    graph.add_edge("paper:x", "method:y", key="mentions", confidence="high", sentence=None, start="0", surface=5)
    graph.add_edge("method:y", "method:y", key="co_occurs", weight=float("nan"))
    data = page_data(html.dumps(graph))
    assert [node["name"] for node in data["nodes"]] == ["method:y", "3"]
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
