"""What the ``kg`` commands share: error handling, reusable options and problem lines."""

from __future__ import annotations

import functools
import sys

import click

from kg.errors import KgError
from kg.fetch.client import default_cache_dir
from kg.extract.ner import RECOGNISERS


def reports_errors(command):
    """Turn the library's errors into one line on stderr and exit status 1; Ctrl-C exits 130."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KgError as error:
            click.echo(f"kg: error: {error}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("kg: interrupted; run the same command again to resume", err=True)
            sys.exit(130)

    return wrapper


format_option = click.option(
    "--format", "format_", metavar="FMT", default=None,
    help="Read every input as this format (see README, Inputs, for the names) instead of telling "
    "by suffix and content.",
)

recogniser_option = click.option(
    "--recogniser", type=click.Choice(RECOGNISERS), default=RECOGNISERS[0], show_default=True,
    envvar="KG_RECOGNISER",
    help="Trained entity recogniser: the shipped CNN, or the more accurate, slower transformer "
    "(needs the extra: pip install 'kg-papers[transformer]', or pip install -e '.[transformer]' in a clone). "
    "Also read from $KG_RECOGNISER.",
)

graph_option = click.option(
    "--graph", "-g", "graph_path", default="exports/graph.json", show_default=True, type=click.Path(dir_okay=False),
    help="The graph.json export to read (kg build writes it).",
)


def web_options(command):
    """The options of a command that asks the web services: contact, key, cache, rate, retries, root URL."""
    options = [
        click.option("--mailto", envvar="KG_MAILTO", metavar="EMAIL",
                     help="Your e-mail, sent as the contact the services ask for (default $KG_MAILTO)."),
        click.option("--api-key", envvar="S2_API_KEY", metavar="KEY",
                     help="Semantic Scholar API key (default $S2_API_KEY)."),
        click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
                     help="Folder of cached pages (default ~/.cache/kg/fetch)."),
        click.option("--no-cache", is_flag=True,
                     help="Neither read nor write cached pages (kg build: nor cached extraction results)."),
        click.option("--delay", type=click.FloatRange(min=0), metavar="SECONDS",
                     help="Seconds between requests (default: arxiv 3, openalex 0.1, s2 1)."),
        click.option("--retries", default=5, show_default=True, type=click.IntRange(0, 20),
                     help="Retries of a request that fails with 429, 5xx, a network error or an unreadable page."),
        click.option("--base-url", metavar="URL", help="Root URL of every service (a mirror or a local test server)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def cache_folder(cache_dir: str | None, no_cache: bool):
    """The folder of cached pages that ``--cache`` and ``--no-cache`` ask for (None: no cache)."""
    return None if no_cache else (cache_dir or default_cache_dir())


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def count_option(default: int):
    """``-k``: how many rows to print."""
    return click.option("-k", "--count", "k", default=default, show_default=True, type=click.IntRange(min=1),
                        help="How many rows to print.")


def echo_problems(problems) -> None:
    """One line on stderr per input problem: ``kg: skipped: FILE:LINE: why`` (or ``warning``)."""
    for problem in problems:
        click.echo(f"kg: {'skipped' if problem.skipped else 'warning'}: {problem}", err=True)
