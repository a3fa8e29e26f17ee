"""The ``kg`` command line: a thin layer over the library.

Each command parses its options, calls the library function of the same name, prints the
result and turns a :class:`~kg.errors.KgError` into one clear line and exit status 1
(:mod:`kg.cli.options`). One module per command group; one registration line per command below.
"""

from __future__ import annotations

import click

from kg.cli.api import communities, path, related, top, trend
from kg.cli.build import build
from kg.cli.cache import cache
from kg.cli.enrich import enrich
from kg.cli.extract import eval_, explain, extract
from kg.cli.fetch import fetch
from kg.cli.sparql import query, serve, validate
from kg.cli.view import view


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-papers", prog_name="kg")
def main():
    """kg: build a knowledge graph of methods, datasets, tasks and metrics from papers."""


for _command in (build, enrich, extract, explain, eval_, view, top, related, path, trend, communities, fetch, query,
                 serve, validate, cache):
    main.add_command(_command)
