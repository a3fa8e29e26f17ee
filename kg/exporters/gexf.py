"""GEXF 1.2 export for Gephi.

Lists are JSON text as in GraphML (:mod:`kg.exporters.graphml`); ``start`` and ``end`` mean
time in GEXF, so the name offsets are written as ``name_start`` and ``name_end``. No
modification date is written, so the same graph gives the same text on any day.

Examples
--------
>>> import kg
>>> text = dumps(kg.example_graph().graph)
>>> 'defaultedgetype="directed"' in text and "name_start" in text
True
"""

from __future__ import annotations

import re

from kg.exporters.graphml import flat
from kg.fileio import write_atomic

RENAMES = {"start": "name_start", "end": "name_end"}


def dumps(graph) -> str:
    """The graph as GEXF text."""
    import networkx as nx

    text = "\n".join(nx.generate_gexf(flat(graph, RENAMES), version="1.2draft")) + "\n"
    return re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)


def write(graph, path) -> None:
    """Write the GEXF export atomically."""
    write_atomic(path, dumps(graph))
