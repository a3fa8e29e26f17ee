"""``kg query``, ``kg serve`` and ``kg validate``: SPARQL over an export on the command line.

Each parses its options and calls the library function of the same name
(:func:`kg.sparql.engine.query`, :func:`kg.sparql.serve.serve`, :func:`kg.rdf.validate.validate`).
"""

from __future__ import annotations

import signal
import sys

import click

from kg.cli.options import reports_errors
from kg.rdf.validate import validate as check
from kg.sparql.engine import format_result, library
from kg.sparql.engine import query as run_query
from kg.sparql.serve import serve as start
from kg.sparql.store import find_export, triple_count

EXPORT_HELP = "an RDF export (.ttl, .nt or .jsonld) or a folder holding one [default: exports/]"


def _parse_params(values) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        params[name.strip().lstrip("?$")] = value
    return params


def _library_listing() -> str:

    queries = library()
    width = max(len(name) for name in queries)
    lines = []
    for name, q in queries.items():
        params = " ".join(f"--param {p.name}=..." for p in q.parameters)
        lines.append(f"{name.ljust(width)}  {q.question}" + (f"  [{params}]" if params else ""))
    return "\n".join(lines)


@click.command()
@click.argument("query_", metavar="QUERY", required=False)
@click.option("--data", "-d", type=click.Path(), help=f"What to query: {EXPORT_HELP}. Its store is kept beside it.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter, bound as an RDF term (repeat for several).")
@click.option("--format", "-f", "format_", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json"]), help="Output format (csv, tsv, json: SPARQL 1.1 results formats).")
@click.option("--endpoint", "-e", metavar="URL", help="Send the query to this SPARQL 1.1 endpoint instead of --data.")
@click.option("--list", "list_", is_flag=True, help="List the library's queries with their questions and parameters.")
@reports_errors
def query(query_, data, params, format_, endpoint, list_):
    """Run QUERY (a library name, a .rq file or SPARQL text) on an export or an endpoint.

    Examples:

      kg query --list

      kg query top-methods-for-task --param task="question answering"

      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --data exports/graph.nt

      kg query relations --endpoint http://127.0.0.1:7878/query --format csv
    """
    if list_:
        click.echo(_library_listing())
        return
    if not query_:
        raise click.UsageError("give a QUERY (a name from `kg query --list`, a .rq file or SPARQL text)")
    result = run_query(query_, data=data, params=_parse_params(params), endpoint=endpoint)
    click.echo(format_result(result, format_), nl=False)


@click.command()
@click.argument("export", required=False, type=click.Path())
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535), help="TCP port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--timeout", default=60, show_default=True, type=click.IntRange(min=1),
              help="Seconds a query may run before the server cancels it.")
@reports_errors
def serve(export, port, host, timeout):
    """Serve EXPORT read-only over the SPARQL 1.1 Protocol with Oxigraph's server.

    EXPORT is an RDF export (.ttl, .nt or .jsonld) or a folder holding one (default: exports/).

    Prints the endpoint URL once it answers; Ctrl-C stops it. Fails when the port is taken.

    Example: kg serve exports/graph.ttl --port 7878, then
    kg query top-methods --endpoint http://127.0.0.1:7878/query
    """
    export = find_export(export)
    server = start(export, port=port, host=host, query_timeout=timeout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        click.echo(f"Serving {export} ({triple_count(server.store):,} triples, read-only)")
        click.echo(f"SPARQL endpoint: {server.url}")
        click.echo(f"Query page:      {server.url.rsplit('/', 1)[0]}/")
        click.echo("Press Ctrl-C to stop.")
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@click.command()
@click.argument("export", required=False, type=click.Path())
@reports_errors
def validate(export):
    """Check EXPORT (.ttl, .nt or .jsonld, or a folder holding one; default: exports/) against
    kg's SHACL shapes; exit status 1 on a violation.

    Example: kg validate exports/graph.ttl
    """
    export = find_export(export)
    report = check(export)
    for violation in report.violations:
        click.echo(str(violation))
    errors = sum(v.severity == "Violation" for v in report.violations)
    if report.conforms:
        click.echo(f"{export}: conforms ({report.triples:,} triples)")
        return
    click.echo(f"{export}: {errors} violation(s) of the kg shapes ({report.triples:,} triples)", err=True)
    sys.exit(1)
