"""JSON input as the web services give it: JSON Lines, or one document holding a list of records.

:func:`records` yields each record with the line where it starts, whatever the shape:

* JSON Lines, one record per line (what ``kg fetch`` writes, OpenAlex snapshot files);
* one document: a list of records (a Semantic Scholar batch, a CSL-JSON export), an object
  whose list key (``results``, ``data``) holds them (an OpenAlex ``/works`` page, a Semantic
  Scholar search page), or a single record; pretty-printed or on one line.

A line or document that is not JSON gives a :class:`~kg.records.Problem` naming its line.

Examples
--------
>>> import io
>>> page = '{"meta": {"count": 2},\\n "results": [\\n  {"id": 1},\\n  {"id": 2}\\n]}'
>>> list(records(io.StringIO(page), "page.json"))
[(3, {'id': 1}), (4, {'id': 2})]
>>> list(records(io.StringIO('{"id": 1}\\n{"id": 2}\\n'), "works.jsonl"))
[(1, {'id': 1}), (2, {'id': 2})]
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from typing import TextIO

from kg.records import Problem, Source

LIST_KEYS = ("results", "data")
"""Keys of a response object that hold its records (OpenAlex ``results``, Semantic Scholar ``data``)."""

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def records(stream: TextIO, path: str) -> Iterator[tuple[int, object] | Problem]:
    """``(line, record)`` for each record of a JSON Lines file or JSON document; a Problem
    (skipped) for each line or document that is not valid JSON."""
    lines = iter(stream)
    for number, line in enumerate(lines, 1):
        line = line.lstrip("\ufeff") if number == 1 else line
        if not line.strip():
            continue
        try:
            first = json.loads(line)
        except json.JSONDecodeError:
            text = line + "".join(lines)
            yield from _document(text, number, path)
        except RecursionError:
            yield Problem(path, number, "line is not valid JSON: nested too deeply")
        else:
            yield from _expand(first, number)
            yield from _json_lines(lines, number + 1, path)
        return


def read_records(stream: TextIO, path: str, reader: str, convert) -> Iterator:
    """What a JSON reader yields: each Problem of :func:`records`, and ``convert(record, source)``
    (an iterator of Papers and Problems) for each record, its Source naming ``reader``."""
    for item in records(stream, path):
        if isinstance(item, Problem):
            yield item
        else:
            line, record = item
            yield from convert(record, Source(path, line, reader))


def _json_lines(lines: Iterator[str], start: int, path: str) -> Iterator[tuple[int, object] | Problem]:
    for number, line in enumerate(lines, start):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield Problem(path, number, f"line is not valid JSON: {error.msg} (column {error.colno})")
        except RecursionError:
            yield Problem(path, number, "line is not valid JSON: nested too deeply")
        else:
            yield from _expand(value, number)


def _expand(value: object, line: int) -> Iterator[tuple[int, object]]:
    """The records in one JSON value: a list's items, a response's list, or the value itself."""
    if isinstance(value, list):
        yield from ((line, item) for item in value)
        return
    key = _list_key(value)
    if key:
        yield from ((line, item) for item in value[key])
    else:
        yield line, value


def _list_key(value: object) -> str | None:
    if isinstance(value, dict):
        return next((k for k in LIST_KEYS if isinstance(value.get(k), list)), None)
    return None


def _document(text: str, first_line: int, path: str) -> Iterator[tuple[int, object] | Problem]:
    """The records of one JSON document that starts on ``first_line``, with their lines."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        line = first_line + error.lineno - 1
        yield Problem(path, line, f"not valid JSON: {error.msg} (line {line}, column {error.colno})")
        return
    except RecursionError:
        yield Problem(path, first_line, "not valid JSON: nested too deeply")
        return
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_at(offset: int) -> int:
        return first_line + bisect.bisect_left(newlines, offset)

    start = _SPACE.match(text).end()
    if isinstance(value, list):
        yield from ((line_at(at), item) for at, item in _array_items(text, start))
        return
    key = _list_key(value)
    if not key:
        yield line_at(start), value
        return
    at = dict(_object_members(text, start))[key]
    yield from ((line_at(offset), item) for offset, item in _array_items(text, at))


def _array_items(text: str, at: int) -> Iterator[tuple[int, object]]:
    """``(offset, value)`` of each item of the valid JSON array starting at ``text[at]``."""
    at = _SPACE.match(text, at + 1).end()
    while text[at] != "]":
        value, end = _DECODER.raw_decode(text, at)
        yield at, value
        at = _SPACE.match(text, end).end()
        if text[at] == ",":
            at = _SPACE.match(text, at + 1).end()


def _object_members(text: str, at: int) -> Iterator[tuple[str, int]]:
    """``(key, offset of its value)`` for each member of the valid JSON object at ``text[at]``."""
    at = _SPACE.match(text, at + 1).end()
    while text[at] != "}":
        key, end = _DECODER.raw_decode(text, at)
        at = _SPACE.match(text, _SPACE.match(text, end).end() + 1).end()
        yield key, at
        _, end = _DECODER.raw_decode(text, at)
        at = _SPACE.match(text, end).end()
        if text[at] == ",":
            at = _SPACE.match(text, at + 1).end()
