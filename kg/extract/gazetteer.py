"""The curated gazetteer: well-known methods, datasets, tasks and metrics with their aliases.

``kg/data/gazetteer.tsv`` has one row per entity: ``name``, ``type``, ``aliases`` (``|``
separated) and ``source`` (where the fact comes from). Names match case-insensitively;
aliases written with capitals beyond the first letter (acronyms such as ``LoRA``) match
their exact case, so ``lora`` in running text is not taken for the method.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg.names import is_acronym


@dataclass(frozen=True)
class GazetteerEntry:
    """One row of the gazetteer."""

    name: str
    type: str
    aliases: tuple[str, ...]
    source: str


def parse_gazetteer(lines) -> list[GazetteerEntry]:
    """Parse gazetteer rows (an iterable of TSV lines with a header)."""
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [
        GazetteerEntry(
            row["name"].strip(),
            row["type"].strip(),
            tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()),
            (row.get("source") or "").strip(),
        )
        for row in rows
        if row.get("name")
    ]


@lru_cache(maxsize=1)
def default_gazetteer() -> tuple[GazetteerEntry, ...]:
    """The gazetteer shipped with ``kg``."""
    text = resources.files("kg").joinpath("data/gazetteer.tsv").read_text(encoding="utf-8")
    return tuple(parse_gazetteer(text.splitlines()))


def build_matcher(vocab, entries):
    """A ``PhraseMatcher`` pair (case-insensitive names, exact-case acronyms) over the entries.

    Match ids are the entry's index in ``entries``, as a string.
    """
    from spacy.lang.en import English
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    tokenizer = English(vocab=vocab).tokenizer if vocab is not None else None
    lower, exact = PhraseMatcher(vocab, attr="LOWER"), PhraseMatcher(vocab, attr="ORTH")
    for index, entry in enumerate(entries):
        for form in (entry.name, *entry.aliases):
            matcher = exact if is_acronym(form) else lower
            doc = tokenizer(form) if tokenizer else Doc(vocab, words=form.split())
            matcher.add(str(index), [doc])
    return lower, exact


def gazetteer_matches(doc, matchers, entries):
    """Yield ``(span, entry)`` for every gazetteer name or alias in ``doc``."""
    for matcher in matchers:
        for match_id, start, end in matcher(doc):
            yield doc[start:end], entries[int(doc.vocab.strings[match_id])]
