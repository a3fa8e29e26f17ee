"""The colours and shapes of the graph page: one fixed style per node kind and per link kind,
the same on every page, chosen to stay distinct for colour-blind readers.

Node kinds take the Okabe-Ito palette (distinct under the common colour-vision deficiencies)
and a shape each; link kinds take the darker colours of Paul Tol's "muted" scheme, so a link
never wears the colour of a node kind. A link kind this module does not know gets a colour
picked by a hash of its name, so it too keeps its colour from page to page. Topics (when the
page colours nodes by topic) take :data:`TOPIC_COLORS` in order of size.

Examples
--------
>>> edge_style("used_for")["color"] == edge_style("used_for")["color"] != edge_style("mentions")["color"]
True
>>> edge_style("some_new_kind") == edge_style("some_new_kind")
True
"""

from __future__ import annotations

import zlib

from kg.schema import (BUILDS_ON, CITES, CO_OCCURS, COMPARES, EVALUATED_ON, MEASURES, MENTIONS, NARROWER, PROPOSES,
                       USED_FOR)

NODE_STYLES = {
    "paper": {"color": "#0072B2", "shape": "square"},
    "method": {"color": "#E69F00", "shape": "dot"},
    "dataset": {"color": "#009E73", "shape": "diamond"},
    "task": {"color": "#D55E00", "shape": "triangle"},
    "metric": {"color": "#CC79A7", "shape": "triangleDown"},
    "concept": {"color": "#56B4E9", "shape": "dot"},
    "other": {"color": "#999999", "shape": "dot"},
}
EDGE_STYLES = {
    MENTIONS: {"color": "#BBBBBB", "width": 1, "dashes": False, "arrows": "to"},
    PROPOSES: {"color": "#332288", "width": 2, "dashes": False, "arrows": "to"},
    CITES: {"color": "#882255", "width": 1.5, "dashes": False, "arrows": "to"},
    BUILDS_ON: {"color": "#44AA99", "width": 2, "dashes": [2, 4], "arrows": "to"},
    USED_FOR: {"color": "#117733", "width": 1.5, "dashes": False, "arrows": "to"},
    EVALUATED_ON: {"color": "#AA4499", "width": 1.5, "dashes": False, "arrows": "to"},
    MEASURES: {"color": "#661100", "width": 1.5, "dashes": False, "arrows": "to"},
    COMPARES: {"color": "#CC6677", "width": 1.5, "dashes": [6, 3], "arrows": ""},
    NARROWER: {"color": "#6699CC", "width": 1.5, "dashes": False, "arrows": "to"},
    CO_OCCURS: {"color": "#999933", "width": 1, "dashes": True, "arrows": ""},
    "other": {"color": "#777777", "width": 1.5, "dashes": False, "arrows": "to"},
}
OTHER_EDGE_COLORS = ("#5D3A9B", "#1A85FF", "#994F00", "#40B0A6", "#E1BE6A", "#DC3220", "#005AB5", "#4B0092")
TOPIC_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#EE8866", "#44BB99",
                "#994455", "#997700", "#6699CC", "#BBCC33")
REST_COLOR = "#BBBBBB"  # nodes of the smaller topics, and of none


def node_style(kind: str) -> dict:
    """The colour and shape of a node kind (``other``'s for a kind this module does not know)."""
    return NODE_STYLES.get(kind, NODE_STYLES["other"])


def edge_style(kind: str) -> dict:
    """The colour, width, dashes and arrows of a link kind; an unknown kind gets the ``other``
    style in a colour chosen by its name (the same on every page)."""
    if kind in EDGE_STYLES:
        return EDGE_STYLES[kind]
    color = OTHER_EDGE_COLORS[zlib.crc32(kind.encode("utf-8")) % len(OTHER_EDGE_COLORS)]
    return {**EDGE_STYLES["other"], "color": color}


def topic_color(index: int) -> str:
    """The colour of the topic ranked ``index`` by size (grey past the palette's end)."""
    return TOPIC_COLORS[index] if 0 <= index < len(TOPIC_COLORS) else REST_COLOR
