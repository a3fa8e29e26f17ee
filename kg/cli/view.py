"""``kg view``: write a graph page for a saved graph, or for part of it (a thin layer over
:func:`kg.view.select.select` and :func:`kg.exporters.html.render`)."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

import kg
from kg.cli.options import reports_errors
from kg.exporters import html
from kg.exporters.html import PAGE_MAX_NODES
from kg.fileio import write_atomic
from kg.view.select import select


@click.command()
@click.argument("export", default="exports/graph.json", type=click.Path(dir_okay=False))
@click.option("--focus", metavar="NAME",
              help="Draw the neighbourhood of this entity or paper (id, name, title or alias).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="How many links away from --focus to go (co-occurrence links are not followed).")
@click.option("--types", metavar="T,...",
              help="Node types to draw, comma-separated: paper, method, dataset, task, metric, concept.")
@click.option("--since", type=int, metavar="YEAR",
              help="Only papers from YEAR on (papers without a year are left out) and what they link to.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=PAGE_MAX_NODES, show_default=True,
              help="Draw at most N nodes: the most important ones (PageRank in the whole graph).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The page to write.  [default: view.html beside EXPORT]")
@reports_errors
def view(export, focus, depth, types, since, max_nodes, output):
    """Write an HTML page that draws EXPORT (a graph.json written by kg build), or part of it.

    The page works offline: search, filters, and a panel with the evidence for every link.

    Example: kg view exports/graph.json --focus LoRA --depth 2 -o lora.html
    """
    graph = kg.load(export).graph
    kinds = [kind.strip() for kind in (types or "").split(",") if kind.strip()]
    command = _command(export, focus, depth, types, since)
    selection = select(graph, focus=focus, depth=depth, types=kinds or None, since=since,
                       max_nodes=max_nodes, command=command)
    path = write_atomic(output or Path(export).with_name("view.html"), html.render(selection))
    drawn = selection.graph
    click.echo(f"Wrote {path} ({path.stat().st_size:,} bytes): {drawn.number_of_nodes():,} of "
               f"{selection.total_nodes:,} nodes, {drawn.number_of_edges():,} of {selection.total_edges:,} edges")
    for note in selection.notes:
        click.echo(f"  {note}")


def _command(export, focus, depth, types, since) -> str:
    """The command that draws this selection again (the notes add --max-nodes or --focus)."""
    words = ["kg", "view", str(export)]
    if focus is not None:
        words += ["--focus", focus, "--depth", str(depth)]
    if types:
        words += ["--types", types]
    if since is not None:
        words += ["--since", str(since)]
    return shlex.join(words)
