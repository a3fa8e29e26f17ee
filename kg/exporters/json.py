"""JSON export: networkx node-link JSON of the whole graph, loadable back with :func:`loads`."""

from __future__ import annotations

import json

from kg.fileio import write_atomic


def to_data(graph) -> dict:
    """The node-link data of the graph (edges carry their ``key``), nodes and edges sorted."""
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def dumps(graph) -> str:
    """The graph as node-link JSON text: deterministic, sorted keys, one node or edge per line
    (so two exports diff line by line)."""
    data = to_data(graph)
    lines = ["{"]
    for name in sorted(data):
        if isinstance(data[name], list):
            items = ",\n".join(_compact(item) for item in data[name])
            lines.append(f"{json.dumps(name)}: [\n{items}\n],")
        else:
            lines.append(f"{json.dumps(name)}: {_compact(data[name])},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads(text: str):
    """The ``MultiDiGraph`` back from node-link JSON text."""
    import networkx as nx

    return nx.node_link_graph(json.loads(text), directed=True, multigraph=True, edges="edges")


def write(graph, path) -> None:
    """Write the JSON export atomically."""
    write_atomic(path, dumps(graph))
