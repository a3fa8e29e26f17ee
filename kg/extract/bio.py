"""BIO tags: the tagging scheme the recognisers are trained and read in."""

from __future__ import annotations


def bio_spans(tags: list[str], types: dict[str, str]) -> set[tuple[int, int, str]]:
    """Typed spans from BIO tags.

    >>> sorted(bio_spans(["B-TASK", "I-TASK", "O", "B-METRIC"], {"TASK": "task", "METRIC": "metric"}))
    [(0, 2, 'task'), (3, 4, 'metric')]
    """
    spans, start, kind = set(), None, None
    for i, tag in enumerate(tags + ["O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == kind):
            spans.add((start, i, types[kind]))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return {s for s in spans}
