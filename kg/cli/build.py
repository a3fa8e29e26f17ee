"""``kg build``: read, extract, build the graph and write its exports."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kg import pipeline
from kg.cli.enrich import summary as enrich_summary
from kg.batch.cache import default_cache_dir as default_extract_cache
from kg.batch.pool import default_jobs
from kg.cli.options import cache_folder, echo_problems, format_option, recogniser_option, reports_errors, web_options
from kg.corpus.read import citation_summary
from kg.fetch.enrich import enrich
from kg.rdf.mapping import RDF_FORMATS, export_formats

ENRICHED = "papers.enriched.jsonl"
"""The file ``kg build --enrich`` writes in the output folder and builds from."""


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--output", default="exports", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write graph.ttl, graph.html and graph.json into; it is replaced at once.")
@format_option
@click.option("--rdf-format", "rdf_formats", multiple=True, default=("turtle",), show_default=True,
              type=click.Choice(RDF_FORMATS), help="RDF export(s) to write; repeat for several.")
@click.option("--no-stubs", is_flag=True, help="Leave out cited papers that are not in the inputs.")
@click.option("--title", metavar="TEXT",
              help="The graph's name, shown as the title of its page.  [default: from the inputs' file or folder name]")
@click.option("--enrich", "enrich_first", is_flag=True,
              help=f"First enrich INPUTS from the web services into OUTPUT/{ENRICHED} (as kg enrich does) "
              "and build from that file.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out stated relations (used_for, evaluated_on, measures, compares, narrower) "
              "whose confidence is lower.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), envvar="KG_JOBS",
              help="Processes that extract entities; the exports are the same whatever it is (also read from "
              "$KG_JOBS).  [default: the machine's cores]")
@click.option("--extract-cache", type=click.Path(file_okay=False), envvar="KG_EXTRACT_CACHE",
              help="Folder of per-paper extraction results, so a rebuild extracts only new or changed papers "
              "(also read from $KG_EXTRACT_CACHE; kg cache clear empties it).  [default: ~/.cache/kg/extract]")
@web_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@recogniser_option
@reports_errors
def build(inputs, output, format_, rdf_formats, no_stubs, title, enrich_first, min_confidence, jobs, extract_cache,
          mailto, api_key, cache_dir, no_cache, delay, retries, base_url, quiet, recogniser):
    """Build the graph of INPUTS (files or folders; none: the bundled example corpus).

    Example: kg build ../shared/corpus/hf-daily-papers/*.txt -o exports/
    """
    started = time.perf_counter()
    inputs = list(inputs) or None
    title = title or pipeline.corpus_title(inputs)
    if enrich_first:
        enriched = enrich(inputs or [pipeline.example_corpus()], Path(output) / ENRICHED, format=format_,
                          mailto=mailto, api_key=api_key, base_url=base_url, delay=delay, retries=retries,
                          cache_dir=cache_folder(cache_dir, no_cache), progress=not quiet)
        echo_problems(enriched.problems)
        click.echo(enrich_summary(enriched))
        inputs, format_ = [enriched.path], "jsonl"
    graph = pipeline.build(inputs, format=format_, progress=not quiet, stubs=not no_stubs, recogniser=recogniser,
                           title=title, min_confidence=min_confidence, jobs=jobs or default_jobs(),
                           cache=None if no_cache else (extract_cache or default_extract_cache()))
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
    if "extracted" in stats:
        lines.append(f"Extracted {stats['extracted']} paper(s); {stats['cached']} read from the extraction cache")
    lines += citation_summary(graph.graph, graph.problems)
    entities = {k: v for k, v in counts["nodes"].items() if k != "paper"}
    lines.append("Entities: " + ", ".join(f"{k} {v}" for k, v in entities.items()))
    lines.append("Edges: " + ", ".join(f"{k} {v}" for k, v in counts["edges"].items()))
    for path in written:
        lines.append(f"Wrote {path} ({Path(path).stat().st_size:,} bytes)")
    lines.append(f"Done in {seconds:.1f} s")
    return "\n".join(lines)
