"""``kg fetch arxiv|openalex|s2 QUERY -o FILE``: the command line of :func:`kg.fetch.fetch`."""

from __future__ import annotations

import click

import kg.fetch
from kg.cli.options import reports_errors
from kg.fetch import SERVICES
from kg.fetch.client import default_cache_dir


@click.command()
@click.argument("service", type=click.Choice(sorted(SERVICES)))
@click.argument("query", required=False)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write: JSON Lines (openalex, s2) or an Atom feed (arxiv).")
@click.option("--max", "max_results", default=100, show_default=True, type=click.IntRange(min=1),
              help="Stop after this many papers.")
@click.option("--mailto", envvar="KG_MAILTO", metavar="EMAIL",
              help="Your e-mail, sent as the contact the services ask for (default $KG_MAILTO).")
@click.option("--references-of", multiple=True, type=click.Path(exists=True), metavar="FILE",
              help="openalex: fetch the works FILE cites (not in FILE) instead of a query; repeatable.")
@click.option("--bulk", is_flag=True, help="s2: bulk search (token paging, past 1,000 results, no references).")
@click.option("--api-key", envvar="S2_API_KEY", metavar="KEY", help="s2: API key (default $S2_API_KEY).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
              help="Folder of cached pages (default ~/.cache/kg/fetch).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write cached pages.")
@click.option("--restart", is_flag=True, help="Start over instead of resuming an unfinished fetch into FILE.")
@click.option("--delay", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Seconds between requests (default: arxiv 3, openalex 0.1, s2 1).")
@click.option("--retries", default=5, show_default=True, type=click.IntRange(0, 20),
              help="Retries of a request that fails with 429, 5xx, a network error or an unreadable page.")
@click.option("--deadline", default=3600, show_default=True, type=click.IntRange(min=1), metavar="SECONDS",
              help="Stop after this long (the same command resumes).")
@click.option("--base-url", metavar="URL", help="The service's root URL (a mirror or a local test server).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@reports_errors
def fetch(service, query, output, max_results, mailto, references_of, bulk, api_key, cache_dir, no_cache,
          restart, delay, retries, deadline, base_url, quiet):
    """Fetch papers matching QUERY from SERVICE into a file that kg build reads.

    Pages are cached, requests are spaced and retried, and an interrupted fetch resumes
    when the same command runs again. kg build itself never touches the network.

    Example: kg fetch openalex "parameter-efficient fine-tuning" --max 500 -o peft.jsonl
    """
    result = kg.fetch.fetch(
        service, query, output, max_results=max_results, mailto=mailto, references_of=references_of,
        bulk=bulk, api_key=api_key, base_url=base_url, restart=restart, delay=delay, retries=retries, deadline=deadline,
        cache_dir=None if no_cache else (cache_dir or default_cache_dir()), progress=not quiet,
    )
    for note in result.notes:
        click.echo(f"kg: note: {note}", err=True)
    of_total = f" of {result.total:,}" if result.total is not None else ""
    resumed = ", resumed" if result.resumed else ""
    click.echo(f"Wrote {result.path}: {result.records:,} paper(s){of_total}{resumed} ({result.requests} request(s))")
