"""Export the graph as one interactive HTML page that needs no network at all.

The page carries vis-network (the copy that ships with pyvis, licence header kept), its CSS and
the viewer's own script and style (``kg/templates/viewer.js``, ``viewer.css``) inline, and the
graph as JSON in a ``<script type="application/json">`` block in which ``<``, ``>``, ``&``,
U+2028 and U+2029 are escaped, so no text in the graph can end the block. The viewer builds
every element from the data with ``createElement``/``textContent`` (never as markup) and links
only ``http(s)`` addresses; page text from the template is HTML-escaped.

Positions come from a seeded layout computed here and physics starts switched off, so a large
graph draws at once and the same graph always gives a byte-identical page. Node size grows
with importance (PageRank, see :mod:`kg.view.select`). A graph of more than ``PAGE_MAX_NODES`` nodes
is drawn with its most important nodes only, and the page says how to see the rest.

The data block holds ``nodes`` (objects sorted by id: ``id``, ``kind``, ``name``, ``x``,
``y``, ``size``, ``rank``; papers add ``title``/``abstract`` as highlighted segments, ``year``,
``date``, ``authors``, ``organization``, ``links``, ``sources``; entities ``aliases`` and
``paperCount``; any other attribute is in ``attrs``, ``[name, text or node indexes]``),
``edges`` (``[from, to, kind]`` node and edge-kind indexes, plus a detail object when there is
one: ``s`` sentence index, ``h`` [offset, length] of the name in it in UTF-16 units, ``c``
confidence, ``w`` weight, ``attrs``), ``sentences`` (each once), ``nodeKinds`` and
``edgeKinds`` (style, count, shown at start). A segment is a string or ``[text, node index]``.

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
from urllib.parse import quote, urlsplit

from kg.errors import KgError
from kg.fileio import write_atomic
from kg.schema import CO_OCCURS
from kg.view.layout import layout
from kg.view.palette import EDGE_STYLES, NODE_STYLES, edge_style, topic_color
from kg.view.select import importance, node_kind, paper_year, select, undirected
from kg.view.topics import MIN_TOPIC, Topic, salience, topics

if TYPE_CHECKING:
    import networkx as nx

    from kg.view.select import Selection

PAGE_MAX_NODES = 10_000
VIS_DIR = ("templates", "lib", "vis-9.1.2")
HIDDEN_AT_START = frozenset({CO_OCCURS})  # thousands of them: the drawing becomes a hairball
MIN_SIZE, MAX_SIZE, SIZE_STEP = 2.5, 14, 1.6  # radius in pixels at the opening view
OPENING_RADIUS = 430  # pixels from the middle of the opening view to its edge (of a 1600 x 1000 window)
CO_OCCURS_DRAWN = 1_500  # the strongest co-occurrence links drawn when they are switched on
TEXT_CHARS, LIST_ITEMS = 600, 50
PAPER_FIELDS = frozenset({"title", "abstract", "year", "date", "listed", "authors", "author_count",
                          "organization", "url", "doi", "arxiv_id", "code_urls", "sources"})
ENTITY_FIELDS = frozenset({"aliases", "paper_count"})
NOT_SHOWN = frozenset({"kind", "label", "pagerank", "local_id"})
EDGE_FIELDS = frozenset({"kind", "sentence", "start", "end", "sent_start", "sent_end", "field", "surface",
                         "count", "weight", "confidence", "extractor"})
_SCRIPT_ESCAPES = {
    "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"
}


def dumps(graph: nx.MultiDiGraph) -> str:
    """The whole HTML page for ``graph``: self-contained, escaped and deterministic."""
    skeleton = undirected(graph)
    selection = select(graph, max_nodes=PAGE_MAX_NODES, ranks=importance(graph, skeleton))
    return render(selection, skeleton=skeleton if selection.graph is graph else None)


def write(graph: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    """Write the page for ``graph`` to ``path`` atomically; returns the path."""
    return write_atomic(path, dumps(graph))


def render(selection: Selection, heading: str | None = None, skeleton=None) -> str:
    """The page drawing a :class:`kg.view.select.Selection`, with its notes shown above the graph
    (``skeleton``: ``kg.view.select.undirected(selection.graph)`` when the caller has it already)."""
    data = page_data(selection, skeleton)
    name = heading or title(selection.source if selection.source is not None else selection.graph)
    return _template().render(
        heading=name,
        node_count=f"{len(data['nodes']):,}",
        edge_count=f"{len(data['edges']):,}",
        notes=selection.notes,
        node_kinds=data["nodeKinds"],
        edge_kinds=data["edgeKinds"],
        topics=data["topics"],
        vis_js=_asset(VIS_DIR, "vis-network.min.js", "script"),
        vis_css=_asset(VIS_DIR, "vis-network.css", "style"),
        labels_js=_asset(("templates",), "labels.js", "script", package=True),
        viewer_js=_asset(("templates",), "viewer.js", "script", package=True),
        viewer_css=_asset(("templates",), "viewer.css", "style", package=True),
        data_json=_markup(script_json(data)),
    )


def title(graph) -> str:
    """The page title: the graph's ``name`` (``kg build --title``), else "Knowledge graph"."""
    name = _text(graph.graph.get("name"))
    return name if name and name != "kg" else "Knowledge graph"


def page_data(selection: Selection, skeleton=None) -> dict:
    """Everything the page script needs (described in the module docstring)."""
    graph = selection.graph
    source = selection.source if selection.source is not None else graph
    order = sorted(graph.nodes, key=str)
    index = {node: i for i, node in enumerate(order)}
    edges = _sorted_edges(graph, order, index)
    edge_kinds = _edge_kinds(edges)
    kind_index = {item["kind"]: i for i, item in enumerate(edge_kinds)}
    sentences: dict[str, int] = {}
    weights = salience(source, selection.importance)
    shown_topics = _page_topics(topics(source, weights), index)
    positions = layout(skeleton if skeleton is not None else undirected(graph, order), order,
                       [list(topic.members) for topic in shown_topics])
    spans = _highlights(graph, edges, index)
    scale = max(selection.total_nodes, 1)
    refs = _References(index, source)
    unit = _pixel(positions)
    nodes = [
        _node(node, graph.nodes[node], positions[node], selection.importance.get(node, 0.0) * scale,
              weights.get(node, 0.0) * scale, unit, spans.get(node, {}), refs)
        for node in order
    ]
    for topic in shown_topics:
        for node in topic.members:
            nodes[index[node]]["topic"] = topic.index
    return {
        "nodes": nodes,
        "edges": [_edge(edge, refs, kind_index, sentences) for edge in edges],
        "sentences": list(sentences),
        "nodeKinds": _node_kinds(nodes),
        "edgeKinds": edge_kinds,
        "topics": [_topic(topic, positions) for topic in shown_topics],
        "options": _options(),
        "focus": index.get(selection.focus),
        "total": {"nodes": selection.total_nodes, "edges": selection.total_edges},
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


def web_link(url: object) -> str:
    """``url`` when it is an absolute http(s) address, else ``""`` (never a ``javascript:`` link).

    >>> web_link("https://arxiv.org/abs/1706.03762"), web_link("javascript:alert(1)")
    ('https://arxiv.org/abs/1706.03762', '')
    """
    text = str(url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"]", text):
        return ""
    return text


# Nodes


def _pixel(positions: dict) -> float:
    """How many layout units make a pixel of the opening view (which frames the whole layout),
    at least 1: node sizes are given in these, so they read the same on any page."""
    if not positions:
        return 1.0
    xs = sorted(x for x, _ in positions.values())
    ys = sorted(y for _, y in positions.values())
    x0, y0 = xs[len(xs) // 2], ys[len(ys) // 2]
    reach = sorted(math.hypot(x - x0, y - y0) for x, y in positions.values())
    return max(1.0, reach[int(0.99 * (len(reach) - 1))] / OPENING_RADIUS)


def _node(node: object, attrs: dict, position: tuple, rank: float, score: float, unit: float, spans: dict,
          refs) -> dict:

    kind = node_kind(attrs)
    item = {
        "id": str(node),
        "kind": kind,
        "name": _text(attrs.get("label") or attrs.get("title")) or str(node),
        "x": position[0],
        "y": position[1],
        "size": _node_size(score, unit),
        "rank": float(f"{rank:.4g}"),
        "score": float(f"{score:.4g}"),
    }
    if kind == "paper":
        item.update(_paper_fields(attrs, spans))
        known = PAPER_FIELDS
    else:
        item.update(_entity_fields(attrs))
        known = ENTITY_FIELDS
    extra = _extra(attrs, attrs.keys() - known - NOT_SHOWN, refs)
    if extra:
        item["attrs"] = extra
    return item


def _node_size(score: float, unit: float = 1.0) -> int:
    """Grows with the square root of salience (1 = an average node's PageRank), between MIN_SIZE
    and MAX_SIZE pixels at the opening view (``unit`` layout units to a pixel)."""
    return max(1, round(unit * min(MAX_SIZE, MIN_SIZE + SIZE_STEP * math.sqrt(max(score, 0.0)))))


def _paper_fields(attrs: dict, spans: dict) -> dict:

    fields = {
        "title": _segments(_plain(attrs.get("title")), spans.get("title", [])),
        "abstract": _segments(_plain(attrs.get("abstract")), spans.get("abstract", [])),
        "year": paper_year(attrs),
        "date": _text(attrs.get("date") or attrs.get("listed")),
        "authors": _strings(attrs.get("authors")),
        "authorCount": attrs.get("author_count") if _number(attrs.get("author_count")) else None,
        "organization": _text(attrs.get("organization")),
        "links": _paper_links(attrs),
        "sources": _strings(attrs.get("sources")),
    }
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def _paper_links(attrs: dict) -> list[list[str]]:
    """[label, address] for each http(s) link of a paper: its page, DOI, arXiv and code."""
    links = [["page", web_link(attrs.get("url"))]]
    if attrs.get("doi"):
        links.append(["DOI", web_link("https://doi.org/" + quote(str(attrs["doi"]).strip(), safe="/:;()._-"))])
    if attrs.get("arxiv_id"):
        links.append(["arXiv", web_link("https://arxiv.org/abs/" + quote(str(attrs["arxiv_id"]).strip(), safe="/.-"))])
    links += [["code", web_link(url)] for url in _strings(attrs.get("code_urls"))]
    seen, result = set(), []
    for label, url in links:
        if url and url not in seen:
            seen.add(url)
            result.append([label, url])
    return result


def _entity_fields(attrs: dict) -> dict:
    fields = {"aliases": _strings(attrs.get("aliases")), "paperCount": _number(attrs.get("paper_count"))}
    if fields["paperCount"] is not None:
        fields["paperCount"] = int(fields["paperCount"])
    return {key: value for key, value in fields.items() if value not in (None, [])}


def _node_kinds(nodes: list[dict]) -> list[dict]:
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["kind"]] = counts.get(node["kind"], 0) + 1
    kinds = [kind for kind in NODE_STYLES if kind in counts]
    kinds += sorted(kind for kind in counts if kind not in NODE_STYLES)
    return [{"kind": kind, "count": counts[kind], **NODE_STYLES.get(kind, NODE_STYLES["other"])} for kind in kinds]


def _page_topics(found: list[Topic], index: dict) -> list[Topic]:
    """The topics with at least MIN_TOPIC nodes on the page (only those nodes), largest first."""
    shown = [[node for node in topic.members if node in index] for topic in found]
    kept = sorted(((members, topic) for members, topic in zip(shown, found) if len(members) >= MIN_TOPIC),
                  key=lambda pair: (-len(pair[0]), pair[1].index))
    return [Topic(i, topic.terms, tuple(members)) for i, (members, topic) in enumerate(kept)]


def _topic(topic: Topic, positions: dict) -> dict:
    """A topic as the page draws it: terms, colour, size and the middle of its nodes."""
    xs = sorted(positions[node][0] for node in topic.members)
    ys = sorted(positions[node][1] for node in topic.members)
    middle = len(xs) // 2
    return {"terms": list(topic.terms), "color": topic_color(topic.index), "size": len(topic.members),
            "x": xs[middle], "y": ys[middle]}


# Edges


def _sorted_edges(graph: nx.MultiDiGraph, order: list, index: dict) -> list[tuple]:
    """(source, target, key, attributes) ordered by source id, target id and key (``order``
    holds the nodes in id order, ``index`` numbers them so)."""
    edges = []
    for source in order:
        targets = graph.adj[source]
        for target in sorted(targets, key=index.__getitem__):
            keyed = targets[target]
            for key in sorted(keyed, key=str) if len(keyed) > 1 else keyed:
                edges.append((source, target, key, keyed[key]))
    return edges


def _edge_kind(key: object, attrs: dict) -> str:
    return str(attrs.get("kind") or key)


def _edge_kinds(edges: list[tuple]) -> list[dict]:
    counts: dict[str, int] = {}
    for _, _, key, attrs in edges:
        kind = _edge_kind(key, attrs)
        counts[kind] = counts.get(kind, 0) + 1
    kinds = [kind for kind in EDGE_STYLES if kind in counts]
    kinds += sorted(kind for kind in counts if kind not in EDGE_STYLES)
    found = []
    for kind in kinds:
        item = {"kind": kind, "count": counts[kind], "shown": kind not in HIDDEN_AT_START, **edge_style(kind)}
        if kind == CO_OCCURS and counts[kind] > CO_OCCURS_DRAWN:
            item["limit"] = CO_OCCURS_DRAWN
        found.append(item)
    return found


def _edge(edge: tuple, refs, kind_index: dict, sentences: dict) -> list:
    source, target, key, attrs = edge
    item = [refs.index[source], refs.index[target], kind_index[_edge_kind(key, attrs)]]
    detail = {}
    sentence = attrs.get("sentence")
    if sentence and isinstance(sentence, str):
        detail["s"] = sentences.setdefault(sentence, len(sentences))
        mark = _name_in_sentence(sentence, attrs)
        if mark:
            detail["h"] = mark
    for short, name in (("c", "confidence"), ("w", "weight")):
        value = attrs.get(name)
        if value is not None and _number(value) is not None:
            detail[short] = value if type(value) is int else float(f"{value:.4g}")
    extra = [name for name in attrs if name not in EDGE_FIELDS]
    if extra:
        extra = _extra(attrs, extra, refs)
        if extra:
            detail["attrs"] = extra
    return item + [detail] if detail else item


def _name_in_sentence(sentence: str, attrs: dict) -> list[int] | None:
    """[offset, length] of the entity's name in the evidence sentence, in UTF-16 code units."""
    surface = _plain(attrs.get("surface"))
    if not surface:
        return None
    start, sent_start = attrs.get("start"), attrs.get("sent_start")
    at = start - sent_start if isinstance(start, int) and isinstance(sent_start, int) else -1
    if not (0 <= at and sentence[at:at + len(surface)] == surface):
        at = sentence.find(surface)
    if at < 0:
        return None
    return [_utf16_length(sentence[:at]), _utf16_length(surface)]


# Highlights: where a paper's title and abstract name the entities it links to


def _highlights(graph, edges: list[tuple], index: dict) -> dict:
    """paper -> field -> [(start, end, entity index)]: each linked entity's name, at the
    recorded offsets and wherever else the same words appear in that field."""
    found: dict = {}
    for source, target, key, attrs in edges:
        field, surface = attrs.get("field"), _plain(attrs.get("surface"))
        if field not in ("title", "abstract") or not surface or target not in index:
            continue
        text = _plain(graph.nodes[source].get(field))
        spans = found.setdefault(source, {}).setdefault(field, set())
        start = attrs.get("start")
        if isinstance(start, int) and text[start:start + len(surface)] == surface:
            spans.add((start, start + len(surface), index[target]))
        spans.update((at, end, index[target]) for at, end in _whole_words(text, surface))
    return found


def _whole_words(text: str, words: str):
    """Where ``words`` occurs in ``text`` with no letter, digit or ``_`` right before or after it.

    >>> list(_whole_words("ViT and ViTs, ViT", "ViT"))
    [(0, 3), (14, 17)]
    """
    at = text.find(words)
    while at >= 0:
        end = at + len(words)
        if not (_word_char(text, at - 1) or _word_char(text, end)):
            yield at, end
        at = text.find(words, at + 1)


def _word_char(text: str, at: int) -> bool:
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


def _segments(text: str, spans) -> list:
    """``text`` cut into plain strings and ``[name, entity index]`` pieces (longest name first
    where two overlap)."""
    if not text:
        return []
    pieces, at = [], 0
    for start, end, entity in sorted(spans, key=lambda span: (span[0], -span[1], span[2])):
        if start < at:
            continue
        if start > at:
            pieces.append(text[at:start])
        pieces.append([text[start:end], entity])
        at = end
    if at < len(text):
        pieces.append(text[at:])
    return pieces


# Small text helpers


def _plain(value: object) -> str:
    """A string attribute as it is (``""`` for anything else), so offsets into it hold."""
    return value if isinstance(value, str) else ""


def _text(value: object) -> str:
    """A plain one-line string for any attribute value; ``""`` for a missing one."""
    if value is None or isinstance(value, float) and not math.isfinite(value):
        return ""
    return " ".join(str(value).split())


def _strings(values: object) -> list[str]:
    """A list attribute as a list of one-line strings (a lone string is a list of one)."""
    if isinstance(values, (list, tuple)):
        return [text for text in map(_text, values) if text]
    return [_text(values)] if _text(values) else []


class _References:
    """Node ids in attributes: a node of the page by its index, another node of the graph by its
    name or title (never by its raw id)."""

    def __init__(self, index: dict, source):
        self.index, self.source = index, source

    def name(self, value: object) -> str:
        if isinstance(value, str) and value not in self.index and self.source.has_node(value):
            attrs = self.source.nodes[value]
            return _text(attrs.get("title") or attrs.get("label")) or value
        return _text(value)


def _extra(attrs: dict, names, refs: _References) -> list[list]:
    """[name, value] for each of these attributes that has something to show, sorted by name."""
    pairs = [[str(name), _value(attrs[name], refs)] for name in sorted(names, key=str)] if names else []
    return [pair for pair in pairs if pair[1]]


def _value(value: object, refs: _References) -> str | list[int]:
    """Any attribute as short text, or as node indexes when it names nodes of the page."""
    index = refs.index
    if isinstance(value, str) and value in index:
        return [index[value]]
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(item, str) and item in index for item in value):
            return [index[item] for item in value]
        items = [text for text in map(refs.name, value) if text]
        more = len(items) - LIST_ITEMS
        return ", ".join(items[:LIST_ITEMS]) + (f" and {more} more" if more > 0 else "")
    return _shorten(refs.name(value), TEXT_CHARS)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


# Page pieces


def _options() -> dict:
    """vis-network options: fixed positions, physics off (the checkbox turns it on)."""
    return {
        "groups": {kind: dict(style) for kind, style in NODE_STYLES.items()},
        "nodes": {"borderWidth": 1.5},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.5}}},
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": False, "solver": "forceAtlas2Based", "stabilization": {"enabled": False}
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "hideEdgesOnZoom": True},
    }


@lru_cache(maxsize=1)
def _template():
    """The page template, with HTML autoescaping on."""
    from importlib.resources import files

    import jinja2

    source = (files("kg") / "templates" / "graph.html.j2").read_text(encoding="utf-8")
    return jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(source)


@lru_cache(maxsize=8)
def _asset(folder: tuple, name: str, element: str, package: bool = False):
    """A script or stylesheet (from kg's templates, or vis-network from pyvis) as Markup that
    cannot close its ``<script>``/``<style>`` element."""
    if package:
        from importlib.resources import files

        text = files("kg").joinpath(*folder, name).read_text(encoding="utf-8")
    else:
        text = _pyvis_dir().joinpath(*folder, name).read_text(encoding="utf-8")
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
