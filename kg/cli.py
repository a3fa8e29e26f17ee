"""The ``kg`` command line: a thin layer over the library.

Each command parses its options, calls the library function of the same name, prints the
result and turns a :class:`~kg.errors.KgError` into one clear line and exit status 1.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from kg.cli_extract import echo_problems, recogniser_option
from kg.errors import KgError


def reports_errors(command):
    """Turn the library's errors into one line on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KgError as error:
            click.echo(f"kg: error: {error}", err=True)
            sys.exit(1)

    return wrapper


format_option = click.option(
    "--format", "format_", metavar="FMT", default=None,
    help="Read every input as this format (see README, Inputs, for the names) instead of telling "
    "by suffix and content.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg", prog_name="kg")
def main():
    """kg: build a knowledge graph of methods, datasets, tasks and metrics from papers."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--output", default="exports", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write graph.ttl, graph.html and graph.json into.")
@format_option
@click.option("--rdf-format", "rdf_formats", multiple=True, default=("turtle",), show_default=True,
              type=click.Choice(["turtle", "ntriples", "jsonld"]), help="RDF export(s) to write; repeat for several.")
@click.option("--no-stubs", is_flag=True, help="Leave out cited papers that are not in the inputs.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@recogniser_option
@reports_errors
def build(inputs, output, format_, rdf_formats, no_stubs, quiet, recogniser):
    """Build the graph of INPUTS (files or folders; none: the bundled example corpus).

    Example: kg build ../shared/corpus/hf-daily-papers/*.txt -o exports/
    """
    import time

    import kg

    started = time.perf_counter()
    graph = kg.build(list(inputs) or None, format=format_, progress=not quiet, stubs=not no_stubs,
                     recogniser=recogniser)
    echo_problems(graph.problems)
    from kg.rdf import export_formats

    written = graph.write_all(output, formats=export_formats(rdf_formats))
    click.echo(summary(graph, written, time.perf_counter() - started))


def summary(graph, written, seconds: float) -> str:
    """The text printed after a build: counts, problems, files written and time."""
    from kg.corpus import citation_summary

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


# Commands defined in other modules: one registration line each, below this comment.
from kg.cli_view import view  # noqa: E402

main.add_command(view)
from kg.cli_extract import eval_, explain, extract  # noqa: E402

main.add_command(eval_)
main.add_command(extract)
main.add_command(explain)

from kg.cli_api import communities, path, related, top, trend  # noqa: E402

for _command in (top, related, path, trend, communities):
    main.add_command(_command)

from kg.cli_fetch import fetch  # noqa: E402

main.add_command(fetch)

from kg.cli_sparql import query, serve, validate  # noqa: E402

main.add_command(query)
main.add_command(serve)
main.add_command(validate)


if __name__ == "__main__":  # pragma: no cover
    main()
