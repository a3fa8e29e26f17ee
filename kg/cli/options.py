"""What the ``kg`` commands share: error handling, reusable options and problem lines."""

from __future__ import annotations

import functools
import sys

import click

from kg.errors import KgError
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
    "(needs the extra kg[transformer]). Also read from $KG_RECOGNISER.",
)

graph_option = click.option(
    "--graph", "-g", "graph_path", default="exports/graph.json", show_default=True, type=click.Path(dir_okay=False),
    help="The graph.json export to read (kg build writes it).",
)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def count_option(default: int):
    """``-k``: how many rows to print."""
    return click.option("-k", "--count", "k", default=default, show_default=True, type=click.IntRange(min=1),
                        help="How many rows to print.")


def echo_problems(problems) -> None:
    """One line on stderr per input problem: ``kg: skipped: FILE:LINE: why`` (or ``warning``)."""
    for problem in problems:
        click.echo(f"kg: {'skipped' if problem.skipped else 'warning'}: {problem}", err=True)
