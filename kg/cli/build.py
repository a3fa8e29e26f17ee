"""``kg build``: read, extract, build the graph and write its exports."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kg import pipeline
from kg.cli.options import echo_problems, format_option, recogniser_option, reports_errors
from kg.corpus.read import citation_summary
from kg.rdf.mapping import RDF_FORMATS, export_formats


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--output", default="exports", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write graph.ttl, graph.html and graph.json into; it is replaced at once.")
@format_option
@click.option("--rdf-format", "rdf_formats", multiple=True, default=("turtle",), show_default=True,
              type=click.Choice(RDF_FORMATS), help="RDF export(s) to write; repeat for several.")
@click.option("--no-stubs", is_flag=True, help="Leave out cited papers that are not in the inputs.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@recogniser_option
@reports_errors
def build(inputs, output, format_, rdf_formats, no_stubs, quiet, recogniser):
    """Build the graph of INPUTS (files or folders; none: the bundled example corpus).

    Example: kg build ../shared/corpus/hf-daily-papers/*.txt -o exports/
    """
    started = time.perf_counter()
    graph = pipeline.build(list(inputs) or None, format=format_, progress=not quiet, stubs=not no_stubs,
                           recogniser=recogniser)
    echo_problems(graph.problems)
    written = graph.write_all(output, formats=export_formats(rdf_formats), on_wait=lambda: click.echo(
        f"kg: another kg process is writing into {output}; waiting for it to finish", err=True))
    click.echo(summary(graph, written, time.perf_counter() - started))


def summary(graph, written, seconds: float) -> str:
    """The text printed after a build: counts, problems, files written and time."""
    stats, counts = graph.stats, graph.counts()
    skipped = [p for p in graph.problems if p.skipped]
    lines = [
        f"Read {stats['files']} file(s): {stats['records']} paper records -> {stats['papers']} papers "
        f"({stats['duplicates']} duplicates merged)",
        f"Skipped {len(skipped)} record(s) or file(s); {len(graph.problems) - len(skipped)} warning(s)",
    ]
    lines += [f"  {p}" for p in skipped]
    lines += citation_summary(graph.graph, graph.problems)
    entities = {k: v for k, v in counts["nodes"].items() if k != "paper"}
    lines.append("Entities: " + ", ".join(f"{k} {v}" for k, v in entities.items()))
    lines.append("Edges: " + ", ".join(f"{k} {v}" for k, v in counts["edges"].items()))
    for path in written:
        lines.append(f"Wrote {path} ({Path(path).stat().st_size:,} bytes)")
    lines.append(f"Done in {seconds:.1f} s")
    return "\n".join(lines)
