"""``kg top``, ``kg related``, ``kg path``, ``kg trend`` and ``kg communities``: the graph API
on the command line.

Each reads a ``graph.json`` export (``--graph``, default ``exports/graph.json``), calls the
library function of the same name and prints a table, or JSON with ``--json``.
"""

from __future__ import annotations

import json

import click

import kg
from kg.analytics.lookup import resolve_paper
from kg.cli.options import count_option, graph_option, json_option, reports_errors
from kg.schema import NODE_KINDS

TEXT_WIDTH = 60
BAR_WIDTH = 30


def load(path: str):
    """The graph of a ``graph.json`` export."""
    return kg.load(path)


def table(rows: list[tuple], headers: tuple[str, ...]) -> str:
    """Rows as aligned text columns under a header; numbers right-aligned, the last column free.

    Examples
    --------
    >>> print(table([(1, "BERT"), (12, "GPT-3")], ("n", "name")))
     n  name
     1  BERT
    12  GPT-3
    """
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]
    numeric = [bool(rows) and all(isinstance(row[i], (int, float)) for row in rows) for i in range(len(headers))]

    def line(values):
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        parts[-1] = parts[-1].rstrip() if not numeric[-1] else parts[-1]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers)] + [line(row) for row in cells])


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}"
    return str(value)


def shorten(text: str, width: int = TEXT_WIDTH) -> str:
    """``text`` cut to ``width`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def echo_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@click.command()
@click.option("--type", "-t", "type_", type=click.Choice(NODE_KINDS, case_sensitive=False),
              help="Only nodes of this type.")
@click.option("--by", type=click.Choice(["pagerank", "degree", "papers"]), default="pagerank", show_default=True,
              help="Rank by PageRank, number of neighbours, or papers mentioning (citing) the node.")
@count_option(20)
@graph_option
@json_option
@reports_errors
def top(type_, by, k, graph_path, as_json):
    """The highest-ranked methods, datasets, tasks, metrics, concepts or papers.

    Example: kg top --type method -k 10
    """
    found = kg.top(load(graph_path), type=type_, by=by, k=k)
    if as_json:
        return echo_json(found.to_dicts())
    rows = [(i, r.name, r.type, r.score, r.papers) for i, r in enumerate(found, 1)]
    headers = ("#", "name", "type", by, "papers")
    if by == "papers":  # the score is the paper count: one column is enough
        rows, headers = [row[:3] + row[4:] for row in rows], headers[:3] + headers[4:]
    click.echo(table(rows, headers))


@click.command()
@click.argument("paper")
@count_option(10)
@graph_option
@json_option
@reports_errors
def related(paper, k, graph_path, as_json):
    """The papers most related to PAPER (a title, arXiv id, or an entity it proposes), each with
    its reason: shared entities, citations and builds-on links.

    Example: kg related "Attention Is All You Need"
    """
    graph = load(graph_path)
    found = kg.related_papers(graph, paper, k=k)
    if as_json:
        return echo_json(found.to_dicts())
    source = resolve_paper(graph, paper)
    click.echo(f"Papers related to: {graph.graph.nodes[source].get('title', source)}")
    click.echo(table([(i, r.score, r.year, shorten(r.title), r.reason) for i, r in enumerate(found, 1)],
                     ("#", "score", "year", "title", "why")))


@click.command()
@click.argument("source")
@click.argument("target")
@graph_option
@json_option
@reports_errors
def path(source, target, graph_path, as_json):
    """The shortest explanation between SOURCE and TARGET (names, titles or node ids), with the
    evidence sentence for every hop.

    Example: kg path LoRA GPT-3
    """
    found = kg.path(load(graph_path), source, target)
    if as_json:
        return echo_json({"nodes": list(found.nodes), "hops": found.hops.to_dicts()})
    click.echo(str(found) if found.hops else f"{source} and {target} are the same node")


@click.command()
@click.argument("entity")
@graph_option
@json_option
@reports_errors
def trend(entity, graph_path, as_json):
    """Papers per year that mention ENTITY, with each year's share of the dated papers.

    Example: kg trend "large language model"
    """
    found = kg.trend(load(graph_path), entity)
    if as_json:
        return echo_json({"id": found.id, "name": found.name, "undated": found.undated,
                          "years": found.years.to_dicts()})
    most = max([y.papers for y in found.years] + [1])
    rows = [(y.year, y.papers, y.total, f"{100 * y.share:.1f}%", "#" * round(BAR_WIDTH * y.papers / most))
            for y in found.years]
    click.echo(f"{found.name} ({found.id})")
    click.echo(table(rows, ("year", "papers", "of", "share", "")))
    click.echo(f"undated papers mentioning it: {found.undated}")


@click.command()
@click.option("--seed", default=0, show_default=True, help="Louvain's random seed (same seed, same communities).")
@click.option("--resolution", default=1.0, show_default=True, help="Above 1: smaller communities; below 1: larger.")
@click.option("--min-size", default=2, show_default=True, type=click.IntRange(min=1), help="Leave out smaller ones.")
@count_option(20)
@graph_option
@json_option
@reports_errors
def communities(seed, resolution, min_size, k, graph_path, as_json):
    """Communities of papers and entities (Louvain), largest first, each labelled by its most
    central entities.

    Example: kg communities -k 10
    """
    found = kg.communities(load(graph_path), seed=seed, resolution=resolution, min_size=min_size)[:k]
    if as_json:
        return echo_json(found.to_dicts())
    click.echo(table([(c.index, c.size, len(c.papers), c.label) for c in found], ("#", "size", "papers", "label")))
