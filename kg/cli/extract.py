"""CLI commands for extraction: ``kg eval``, ``kg extract`` and ``kg explain``.

Thin adapters: each parses options, calls the library (:mod:`kg.evaluate.benchmarks`,
:mod:`kg.extract.jsonl`, :func:`kg.graph.canonical.explain`) and prints the result.
"""

from __future__ import annotations

import json

import click

from kg import pipeline
from kg.cli.options import echo_problems, format_option, recogniser_option, reports_errors
from kg.evaluate import gold
from kg.evaluate.benchmarks import READERS, evaluate, format_report
from kg.extract.jsonl import paper_record
from kg.graph.canonical import explain as explain_entity
from kg.schema import NARROWER


def extract_corpus(inputs, format_=None, recogniser: str = "cnn"):
    """:func:`kg.pipeline.extract_corpus` of ``inputs``, its input problems printed -> (extracted, canon)."""
    corpus, extracted, canon = pipeline.extract_corpus(list(inputs), format_, recogniser=recogniser)
    echo_problems(corpus.problems)
    return extracted, canon


@click.command("eval")
@click.argument("benchmark", type=click.Choice(["gold", *READERS]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON instead of a table.")
@click.option("--gold-entities", is_flag=True,
              help="Score the relations alone, given the gold entity spans "
                   "(what they reach when every entity is right).")
@recogniser_option
@reports_errors
def eval_(benchmark, path, as_json, gold_entities, recogniser):
    """Score the extractor on an annotated file: P/R/F1 per type, micro, and relations or proposals.

    BENCHMARK is gold (paper-level entity sets annotated by hand, JSON Lines, the rules of the
    annotation guidelines), scierc or tdmsci.

    Example: kg eval gold ../shared/annotation/dev.jsonl
    """
    if benchmark == "gold":
        report = gold.evaluate(path, recogniser=recogniser)
        for line in report["skipped"]:
            click.echo(f"kg: skipped: {line}", err=True)
        click.echo(json.dumps(report, indent=2, sort_keys=True) if as_json else gold.format_report(report))
        return
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
    _, canon = extract_corpus(inputs, format_, recogniser)
    found = explain_entity(canon, name)
    click.echo(json.dumps(found, indent=2, ensure_ascii=False) if as_json else format_explanation(found))


def format_explanation(found: dict) -> str:
    """An explanation as readable lines."""
    votes = ", ".join(f"{kind} {weight:g}" for kind, weight in found.get("type_votes", {}).items())
    lines = [f"{found['name']}  ({found['type']}, {found['id']})",
             f"type vote (summed confidence of the decided mentions): {votes or '-'}",
             f"aliases: {', '.join(found['aliases']) or '-'}",
             f"papers ({len(found['papers'])}): {', '.join(found['papers'][:20])}"
             + (" ..." if len(found["papers"]) > 20 else "")]
    for merge in found["merges"]:
        where = f" in {merge['paper']}: \"{merge['sentence']}\"" if merge["paper"] else ""
        lines.append(f"  {merge['alias']!r} merged: {merge['reason']}{where}")
    for link in found["broader"]:
        lines.append(f"  narrower than {link['name']} ({link['reason']})")
    for link in found[NARROWER]:
        lines.append(f"  broader than {link['name']} ({link['reason']})")
    return "\n".join(lines)
