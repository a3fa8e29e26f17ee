"""``kg cache``: the folder of per-paper extraction results ``kg build`` keeps."""

from __future__ import annotations

import click

from kg.batch.cache import clear_cache, default_cache_dir
from kg.cli.options import reports_errors


@click.group()
def cache():
    """The cache of per-paper extraction results that kg build reads and writes."""


@cache.command()
@click.option("--extract-cache", type=click.Path(file_okay=False), envvar="KG_EXTRACT_CACHE",
              help="The folder kg build --extract-cache was given.  [default: ~/.cache/kg/extract]")
@reports_errors
def clear(extract_cache):
    """Remove every cached extraction result, so the next kg build extracts every paper.

    Example: kg cache clear
    """
    folder = extract_cache or default_cache_dir()
    click.echo(f"Removed {clear_cache(folder)} cached extraction result(s) from {folder}")
