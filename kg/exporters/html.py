"""Export the graph as one interactive HTML page that needs no network at all.

The page carries vis-network (the copy that ships with pyvis, licence header kept) and its CSS
inline, and the graph as JSON in a ``<script type="application/json">`` block in which ``<``,
``>``, ``&``, U+2028 and U+2029 are escaped, so no text in the graph can end the block. Tooltips
are plain strings, which vis-network shows as text, never as markup; page text is HTML-escaped.
Positions come from a seeded spring layout computed here and physics starts switched off, so a
large graph draws at once and the same graph always gives a byte-identical page.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("method:lora", kind="method", label="<b>LoRA</b>")
>>> page = dumps(G)
>>> page.startswith("<!DOCTYPE html>") and "<b>LoRA" not in page
True
"""

from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KgError
from kg.fileio import write_atomic

if TYPE_CHECKING:
    import networkx as nx

VIS_DIR = ("templates", "lib", "vis-9.1.2")
LAYOUT_SEED = 42
CORE_NODES, SATELLITE_ROUNDS = 400, 4
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
NODE_SPACING, CORE_PERCENT, RING_FACTOR = 60.0, 90, 1.15
NODE_STYLES = {
    "paper": {"color": "#4e79a7", "shape": "square"},
    "method": {"color": "#f28e2b", "shape": "dot"},
    "dataset": {"color": "#59a14f", "shape": "dot"},
    "task": {"color": "#e15759", "shape": "dot"},
    "metric": {"color": "#b07aa1", "shape": "dot"},
    "concept": {"color": "#edc948", "shape": "dot"},
    "other": {"color": "#bab0ac", "shape": "dot"},
}
EDGE_STYLES = {
    "mentions": {"color": "#c7c7c7", "width": 1, "dashes": False, "arrows": "to"},
    "proposes": {"color": "#d4661a", "width": 2, "dashes": False, "arrows": "to"},
    "co_occurs": {"color": "#d9b84a", "width": 1, "dashes": True},
    "cites": {"color": "#4e79a7", "width": 1.5, "dashes": False, "arrows": "to"},
    "builds_on": {"color": "#76b7b2", "width": 2, "dashes": [2, 4], "arrows": "to"},
    "other": {"color": "#999999", "width": 1, "dashes": False},
}
MIN_SIZE, MAX_SIZE, SIZE_STEP = 8, 40, 3
LABEL_CHARS, SENTENCE_CHARS, ABSTRACT_CHARS, LIST_ITEMS = 40, 240, 300, 5
_SCRIPT_ESCAPES = {
    "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"
}


def dumps(graph: nx.MultiDiGraph) -> str:
    """The whole HTML page for ``graph``: self-contained, escaped and deterministic."""
    data = graph_data(graph)
    return _template().render(
        heading=str(graph.graph.get("name") or "Knowledge graph"),
        node_count=len(data["nodes"]),
        edge_count=len(data["edges"]),
        node_legend=_node_legend(),
        edge_legend=_edge_legend(),
        vis_js=_vis_asset("vis-network.min.js", "script"),
        vis_css=_vis_asset("vis-network.css", "style"),
        data_json=_markup(script_json(data)),
    )


def write(graph: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    """Write the page for ``graph`` to ``path`` atomically; returns the path."""
    return write_atomic(path, dumps(graph))


def graph_data(graph: nx.MultiDiGraph) -> dict:
    """Everything the page script needs: vis nodes and edges (sorted), edge styles and options."""
    order = sorted(graph.nodes, key=str)
    positions = _layout(graph, order)
    return {
        "nodes": [_node(graph, node, positions[node]) for node in order],
        "edges": [_edge(i, *edge) for i, edge in enumerate(_sorted_edges(graph))],
        "edgeStyles": EDGE_STYLES,
        "options": _options(),
    }


def script_json(value: object) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element (and decodes unchanged).

    >>> script_json({"t": "</script>"})
    '{"t":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return text


# Layout


def _layout(graph: nx.MultiDiGraph, order: list) -> dict:
    """Seeded layout of the undirected skeleton, in whole pixels.

    Up to CORE_NODES nodes get a spring layout. A bigger graph gets one for its CORE_NODES
    best-connected nodes; every other node is placed beside the nodes it links to (a paper's
    own terms circle it), so the cost grows with the number of edges, not its square.
    """
    import networkx as nx

    skeleton = nx.Graph()
    skeleton.add_nodes_from(order)
    skeleton.add_edges_from(sorted({_pair(u, v) for u, v in graph.edges() if u != v}, key=str))
    if len(skeleton) <= CORE_NODES:
        positions = nx.spring_layout(skeleton, seed=LAYOUT_SEED, weight=None)
    else:
        positions = _core_and_satellites(skeleton, order)
    positions = {node: positions[node] for node in order}
    return _to_pixels(positions) if positions else {}


def _core_and_satellites(skeleton, order: list) -> dict:
    """Spring layout of the best-connected nodes, the rest placed around their neighbours."""
    import networkx as nx

    ranked = sorted(order, key=lambda node: (-skeleton.degree(node), str(node)))
    positions = dict(nx.spring_layout(skeleton.subgraph(ranked[:CORE_NODES]), seed=LAYOUT_SEED, weight=None))
    gap = 1.0 / math.sqrt(CORE_NODES)
    crowd: dict[object, int] = {}
    pending = ranked[CORE_NODES:]
    for _ in range(SATELLITE_ROUNDS):
        pending = [node for node in pending if not _place_beside(skeleton, node, positions, crowd, gap)]
    for index, node in enumerate(pending):
        angle = index * GOLDEN_ANGLE
        positions[node] = (1.3 * math.cos(angle), 1.3 * math.sin(angle))
    return positions


def _place_beside(skeleton, node, positions: dict, crowd: dict, gap: float) -> bool:
    """Put ``node`` near its placed neighbours (on a spiral round the nearest one's spot)."""
    anchors = sorted((str(m), m) for m in skeleton[node] if m in positions)
    if not anchors:
        return False
    x = sum(float(positions[m][0]) for _, m in anchors) / len(anchors)
    y = sum(float(positions[m][1]) for _, m in anchors) / len(anchors)
    spot = (round(x / gap * 4), round(y / gap * 4))
    count = crowd[spot] = crowd.get(spot, 0) + 1
    radius = gap * (0.35 + 0.22 * math.sqrt(count))
    angle = count * GOLDEN_ANGLE
    positions[node] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    return True


def _pair(u: object, v: object) -> tuple:
    return (u, v) if str(u) <= str(v) else (v, u)


def _to_pixels(positions: dict) -> dict:
    """Scale a layout so the median gap to a node's nearest neighbour is NODE_SPACING pixels.

    Nodes far outside the core (isolated nodes and small components, which the spring layout
    pushes away) are pulled in onto a ring just outside it, so the page opens zoomed on the graph.
    """
    import numpy as np

    xy = np.array(list(positions.values()), dtype=float).reshape(-1, 2)
    xy -= np.median(xy, axis=0)
    xy *= NODE_SPACING / (_median_gap(xy) or 1.0)
    radius = np.hypot(xy[:, 0], xy[:, 1])
    ring = RING_FACTOR * float(np.percentile(radius, CORE_PERCENT))
    far = radius > ring
    xy[far] *= (ring / radius[far])[:, None]
    return {node: (int(round(x)), int(round(y))) for node, (x, y) in zip(positions, xy.tolist())}


def _median_gap(xy) -> float:
    """Median distance from a point to its nearest neighbour (0 for fewer than two points)."""
    import numpy as np
    from scipy.spatial import cKDTree

    if len(xy) < 2:
        return 0.0
    distances, _ = cKDTree(xy).query(xy, k=2)
    return float(np.median(distances[:, 1]))


# Nodes and edges


def _node(graph: nx.MultiDiGraph, node: object, position: tuple[int, int]) -> dict:
    attrs = graph.nodes[node]
    kind = str(attrs.get("kind") or "other")
    return {
        "id": str(node),
        "label": _shorten(_text(attrs.get("label")) or str(node), LABEL_CHARS),
        "title": _node_tooltip(node, attrs),
        "group": kind if kind in NODE_STYLES else "other",
        "size": _node_size(graph.degree(node)),
        "x": position[0],
        "y": position[1],
    }


def _node_size(degree: int) -> int:
    """Grows with the square root of the degree, between MIN_SIZE and MAX_SIZE."""
    return min(MAX_SIZE, round(MIN_SIZE + SIZE_STEP * math.sqrt(degree)))


def _sorted_edges(graph: nx.MultiDiGraph) -> list[tuple]:
    edges = graph.edges(keys=True, data=True)
    return sorted(edges, key=lambda edge: (str(edge[0]), str(edge[1]), str(edge[2])))


def _edge(index: int, source: object, target: object, key: object, attrs: dict) -> dict:
    kind = str(attrs.get("kind") or key)
    edge = {"id": index, "from": str(source), "to": str(target), "kind": kind}
    edge["title"] = _edge_tooltip(kind, attrs)
    weight = _number(attrs.get("weight"))
    if kind == "co_occurs" and weight:
        edge["width"] = min(6, 1 + round(math.log2(max(weight, 1)), 1))
    return edge


# Tooltips: plain text only (vis-network sets a string title with innerText).


def _node_tooltip(node: object, attrs: dict) -> str:
    if attrs.get("kind") == "paper":
        return _paper_tooltip(node, attrs)
    return _entity_tooltip(node, attrs)


def _paper_tooltip(node: object, attrs: dict) -> str:
    when = _text(attrs.get("year") or attrs.get("date"))
    lines = [
        _text(attrs.get("title") or attrs.get("label")) or str(node),
        _join(" \u00b7 ", when, _names(attrs.get("authors"))),
        _text(attrs.get("url")),
        _labelled("code", _names(attrs.get("code_urls"))),
        _shorten(_text(attrs.get("abstract")), ABSTRACT_CHARS),
        _labelled("from", _names(attrs.get("sources"))),
    ]
    return "\n".join(line for line in lines if line)


def _entity_tooltip(node: object, attrs: dict) -> str:
    name = _text(attrs.get("label")) or str(node)
    lines = [
        _join(" ", name, f"({_text(attrs.get('kind'))})" if attrs.get("kind") else ""),
        _labelled("also", _names(attrs.get("aliases"))),
        _labelled("papers", _text(attrs.get("paper_count"))),
    ]
    return "\n".join(line for line in lines if line)


def _edge_tooltip(kind: str, attrs: dict) -> str:
    confidence = _number(attrs.get("confidence"))
    lines = [
        kind.replace("_", " "),
        _labelled("confidence", f"{confidence:.2f}" if confidence is not None else ""),
        _labelled("weight", _text(attrs.get("weight"))),
        _shorten(_text(attrs.get("sentence")), SENTENCE_CHARS),
    ]
    return "\n".join(line for line in lines if line)


# Small text helpers


def _text(value: object) -> str:
    """A plain one-line string for any attribute value; ``""`` for a missing one."""
    if value is None or isinstance(value, float) and not math.isfinite(value):
        return ""
    return " ".join(str(value).split())


def _names(values: object) -> str:
    """The first LIST_ITEMS items of a list attribute, comma-separated."""
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        return _text(values)
    items = [_text(item) for item in values]
    more = len(items) - LIST_ITEMS
    return ", ".join(items[:LIST_ITEMS]) + (f" and {more} more" if more > 0 else "")


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _join(separator: str, *parts: str) -> str:
    return separator.join(part for part in parts if part)


def _labelled(label: str, text: str) -> str:
    return f"{label}: {text}" if text else ""


# Page pieces


def _options() -> dict:
    """vis-network options: fixed positions, physics off (the checkbox turns it on)."""
    return {
        "groups": {kind: dict(style) for kind, style in NODE_STYLES.items()},
        "nodes": {"font": {"size": 12}, "borderWidth": 1},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.5}}},
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": False, "solver": "forceAtlas2Based", "stabilization": {"enabled": False}
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
    }


def _node_legend() -> list[dict]:
    return [{"label": kind, **style} for kind, style in NODE_STYLES.items()]


def _edge_legend() -> list[dict]:
    return [
        {"label": kind.replace("_", " "), "color": s["color"], "line": _css_line(s["dashes"])}
        for kind, s in EDGE_STYLES.items()
        if kind != "other"
    ]


def _css_line(dashes: object) -> str:
    if isinstance(dashes, list):
        return "dotted"
    return "dashed" if dashes else "solid"


@lru_cache(maxsize=1)
def _template():
    """The page template, with HTML autoescaping on."""
    from importlib.resources import files

    import jinja2

    source = (files("kg") / "templates" / "graph.html.j2").read_text(encoding="utf-8")
    return jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(source)


@lru_cache(maxsize=2)
def _vis_asset(name: str, element: str):
    """A vis-network file from pyvis, as Markup that cannot close its ``<script>``/``<style>``."""
    text = _pyvis_dir().joinpath(*VIS_DIR, name).read_text(encoding="utf-8")
    return _markup(_no_end_tag(text, element))


def _pyvis_dir() -> Path:
    """Where pyvis is installed, found without importing it (its import pulls in IPython)."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KgError("The HTML exporter needs pyvis for vis-network: pip install pyvis")
    return Path(next(iter(spec.submodule_search_locations)))


def _no_end_tag(text: str, element: str) -> str:
    """Break any ``</script``/``</style`` in inline code (``<\\/`` means ``</`` in JS and CSS)."""
    return re.sub(f"</(?={element})", "<\\\\/", text, flags=re.IGNORECASE)


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)
