"""Bounds on the work one paper may cost: how much of its text is read and how many names it keeps.

A paper is a title and an abstract. An input that puts a whole book into one abstract would
take minutes and gigabytes in the parser and give a co-occurrence clique of thousands of
names, so extraction reads at most :data:`MAX_TEXT_CHARS` characters of a field (cut at the
last space before the limit) and keeps at most :data:`MAX_ENTITIES` distinct names of a
paper (the first in text order, title first). The paper record itself keeps its full text.

Examples
--------
>>> from kg.records import Paper
>>> clipped, cut = clip_text(Paper("T", "word " * 30_000))
>>> cut, len(clipped.abstract) <= MAX_TEXT_CHARS
(['abstract'], True)
"""

from __future__ import annotations

from dataclasses import replace

from kg.names import name_key
from kg.records import ExtractedPaper, Paper

MAX_TEXT_CHARS = 100_000
"""Characters of one field (title or abstract) read by extraction; spaCy's own limit is 1,000,000."""
MAX_ENTITIES = 250
"""Distinct names kept per paper."""


def clip_text(paper: Paper, limit: int = MAX_TEXT_CHARS) -> tuple[Paper, list[str]]:
    """The paper with each field cut to at most ``limit`` characters, and the fields cut."""
    changes, cut = {}, []
    for field in ("title", "abstract"):
        text = getattr(paper, field)
        if len(text) > limit:
            space = text.rfind(" ", limit // 2, limit)
            changes[field] = text[: space if space > 0 else limit]
            cut.append(field)
    return (replace(paper, **changes) if changes else paper), cut


def cap_entities(item: ExtractedPaper, limit: int = MAX_ENTITIES) -> tuple[ExtractedPaper, int]:
    """The paper with the mentions of its first ``limit`` distinct names only (relations between
    kept names only), and how many names were dropped.

    >>> from kg.records import Mention
    >>> ms = tuple(Mention(n, "method", "abstract", 0, 1, "", 0, 1, "gazetteer", 0.9) for n in "ABCA")
    >>> capped, dropped = cap_entities(ExtractedPaper("p", Paper("T"), ms), limit=2)
    >>> [m.name for m in capped.mentions], dropped
    (['A', 'B', 'A'], 1)
    """
    order = sorted(item.mentions, key=lambda m: (m.field != "title", m.start))
    keys = list(dict.fromkeys(name_key(m.name) for m in order))
    if len(keys) <= limit:
        return item, 0
    kept = set(keys[:limit])
    mentions = tuple(m for m in item.mentions if name_key(m.name) in kept)
    relations = tuple(r for r in item.relations if name_key(r.head) in kept and name_key(r.tail) in kept)
    return replace(item, mentions=mentions, relations=relations), len(keys) - limit
