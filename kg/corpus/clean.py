"""Text that no encoder can write: lone surrogates, replaced in every field of a record.

JSON allows a ``\\ud800`` escape with no partner; Python keeps it as a lone surrogate, which
UTF-8 (and so every export) refuses to encode. A record read with one keeps all its fields,
each lone surrogate replaced with U+FFFD, and the reader's caller gets a warning naming the
fields.

Examples
--------
>>> from kg.records import Paper
>>> paper, fields = clean_paper(Paper("A\\ud800B", authors=("Ann", "Bo\\udfff")))
>>> paper.title, paper.authors, fields
('A\ufffdB', ('Ann', 'Bo\ufffd'), ['title', 'authors'])
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace

from kg.records import Paper

SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD."""
    return SURROGATE.sub(REPLACEMENT, text)


def clean_paper(paper: Paper) -> tuple[Paper, list[str]]:
    """The record with lone surrogates replaced in every text field (cited works and sources
    included), and the names of the fields that had one."""
    return _clean_record(paper)


def _clean_record(record):
    changes, dirty = {}, []
    for f in fields(record):
        value = getattr(record, f.name)
        cleaned = _clean_value(value)
        if cleaned is not value:
            changes[f.name] = cleaned
            dirty.append(f.name)
    return (replace(record, **changes) if changes else record), dirty


def _clean_value(value):
    """The value cleaned, or the very same object when nothing needed cleaning."""
    if isinstance(value, str):
        return clean_text(value) if SURROGATE.search(value) else value
    if is_dataclass(value) and not isinstance(value, type):
        cleaned, dirty = _clean_record(value)
        return cleaned if dirty else value
    if isinstance(value, tuple):
        items = [_clean_value(item) for item in value]
        return tuple(items) if any(a is not b for a, b in zip(items, value)) else value
    return value
