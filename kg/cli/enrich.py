"""``kg enrich INPUTS -o FILE.jsonl``: the command line of :func:`kg.fetch.enrich.enrich`."""

from __future__ import annotations

import click

from kg.cli.options import cache_folder, echo_problems, format_option, reports_errors, web_options
from kg.fetch.enrich import SERVICES, enrich as enrich_papers


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="JSON Lines file to write: every paper, enriched where a service knows it.")
@click.option("--service", "services", multiple=True, type=click.Choice(SERVICES), default=SERVICES,
              show_default=True, help="Services to ask, in order (a later one only where the earlier found nothing).")
@format_option
@web_options
@click.option("--restart", is_flag=True, help="Start over instead of resuming an unfinished run into FILE.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@reports_errors
def enrich(inputs, output, services, format_, mailto, api_key, cache_dir, no_cache, delay, retries, base_url,
           restart, quiet):
    """Look each paper of INPUTS up in OpenAlex (then arXiv, Semantic Scholar) and write it with
    its ids, date, authors, venue and references to a file that kg build reads.

    Only a paper's ids and its title are sent. A work is taken only when its title is at least
    90% alike (and its year and first author fit, when known); ambiguous and missing matches are
    reported and the paper is written as read. Pages are cached, so a second run asks nothing.

    Example: kg enrich daily-papers.txt -o papers.enriched.jsonl --mailto you@example.org
    """
    result = enrich_papers(inputs, output, services=services, format=format_, mailto=mailto, api_key=api_key,
                           base_url=base_url, cache_dir=cache_folder(cache_dir, no_cache), restart=restart, delay=delay,
                           retries=retries, progress=not quiet)
    echo_problems(result.problems)
    for note in result.notes:
        click.echo(f"kg: note: {note}", err=True)
    click.echo(summary(result))


def summary(result) -> str:
    """The line printed after an enrichment."""
    matched = sum(result.matched.values())
    by_service = ", ".join(f"{name} {n}" for name, n in sorted(result.matched.items()))
    resumed = ", resumed" if result.resumed else ""
    return (f"Wrote {result.path}: {result.papers:,} paper(s), {matched:,} matched"
            f"{f' ({by_service})' if by_service else ''}, {result.ambiguous:,} ambiguous, "
            f"{result.unmatched:,} without a match{resumed} ({result.requests} request(s))")
