"""CLI commands for extraction: ``kg eval``, ``kg extract`` and ``kg explain``.

Thin adapters: each parses options, calls the library (:mod:`kg.evaluate`,
:mod:`kg.extract.jsonl`, :func:`kg.canonical.explain`) and prints the result.
"""

from __future__ import annotations

import functools
import json

import click

from kg.extract.ner import RECOGNISERS

# kg.cli imports this module to register the commands, so nothing is imported from it at
# import time: the error handler is looked up when a command runs.
format_option = click.option(
    "--format", "format_", metavar="FMT", default=None,
    help="Read every input as this format instead of telling by suffix and content.",
)


def reports_errors(command):
    """kg.cli's error handling (one line on stderr, exit status 1), bound at call time."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from kg.cli import reports_errors as handle

        return handle(command)(*args, **kwargs)

    return wrapper


recogniser_option = click.option(
    "--recogniser", type=click.Choice(RECOGNISERS), default="cnn", show_default=True,
    envvar="KG_RECOGNISER",
    help="Trained entity recogniser: the shipped CNN, or the more accurate, slower transformer "
    "(needs the extra kg[transformer]). Also read from $KG_RECOGNISER.",
)


def echo_problems(problems) -> None:
    """One line on stderr per input problem: ``kg: skipped: FILE:LINE: why`` (or ``warning``)."""
    for problem in problems:
        click.echo(f"kg: {'skipped' if problem.skipped else 'warning'}: {problem}", err=True)


def extract_corpus(inputs, format_=None, recogniser: str = "cnn"):
    """Read, extract and canonicalise ``inputs`` (none: the example corpus) -> (extracted, canon)."""
    from kg.canonical import canonicalise
    from kg.corpus import read_corpus
    from kg.errors import NoInputError
    from kg.extract import extract
    from kg.extract.gazetteer import default_gazetteer
    from kg.nlp import load_pipeline, one_blas_thread
    from kg.pipeline import example_corpus

    corpus = read_corpus(list(inputs) or [example_corpus()], format_)
    echo_problems(corpus.problems)
    if not corpus.papers:
        raise NoInputError("nothing could be read from the inputs")
    gazetteer = default_gazetteer()
    with one_blas_thread():
        extracted = list(extract(corpus.papers.items(), nlp=load_pipeline(recogniser=recogniser),
                                 gazetteer=gazetteer))
    return extracted, canonicalise(extracted, gazetteer)


@click.command("eval")
@click.argument("benchmark", type=click.Choice(["scierc", "tdmsci"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
@click.option("--gold-entities", is_flag=True,
              help="Score the relations alone, given the gold entity spans "
                   "(what they reach when every entity is right).")
@recogniser_option
@reports_errors
def eval_(benchmark, path, as_json, gold_entities, recogniser):
    """Score the extractor on a benchmark file: P/R/F1 per type, micro, and relations.

    Example: kg eval scierc ../shared/benchmarks/scierc/dev.json
    """
    from kg.evaluate import evaluate, format_report

    report = evaluate(benchmark, path, recogniser=recogniser, gold_entities=gold_entities)
    click.echo(json.dumps(report, indent=2, sort_keys=True) if as_json else format_report(report))


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@format_option
@click.option("--jsonl", is_flag=True, default=True, help="One JSON object per paper (the default and only output).")
@recogniser_option
@reports_errors
def extract(inputs, format_, jsonl, recogniser):
    """Print the entities, proposals and relations of each paper in INPUTS as JSON lines.

    Example: kg extract ../shared/corpus/hf-daily-papers/*.txt --jsonl > entities.jsonl
    """
    from kg.extract.jsonl import paper_record

    extracted, canon = extract_corpus(inputs, format_, recogniser)
    for item in sorted(extracted, key=lambda p: p.key):
        click.echo(json.dumps(paper_record(item, canon), ensure_ascii=False, sort_keys=True))


@click.command()
@click.argument("name")
@click.argument("inputs", nargs=-1, type=click.Path())
@format_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@recogniser_option
@reports_errors
def explain(name, inputs, format_, as_json, recogniser):
    """Explain entity NAME in INPUTS (none: the example corpus): canonical name, type,
    aliases, papers and the evidence behind each alias and merge.

    Example: kg explain LoRA
    """
    from kg.canonical import explain as explain_entity

    _, canon = extract_corpus(inputs, format_, recogniser)
    found = explain_entity(canon, name)
    click.echo(json.dumps(found, indent=2, ensure_ascii=False) if as_json else format_explanation(found))


def format_explanation(found: dict) -> str:
    """An explanation as readable lines."""
    lines = [f"{found['name']}  ({found['type']}, {found['id']})",
             f"aliases: {', '.join(found['aliases']) or '-'}",
             f"papers ({len(found['papers'])}): {', '.join(found['papers'][:20])}"
             + (" ..." if len(found["papers"]) > 20 else "")]
    for merge in found["merges"]:
        where = f" in {merge['paper']}: \"{merge['sentence']}\"" if merge["paper"] else ""
        lines.append(f"  {merge['alias']!r} merged: {merge['reason']}{where}")
    for link in found["broader"]:
        lines.append(f"  narrower than {link['name']} ({link['reason']})")
    for link in found["narrower"]:
        lines.append(f"  broader than {link['name']} ({link['reason']})")
    return "\n".join(lines)
