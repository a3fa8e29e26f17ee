"""Read papers from CSV: a header row, then one paper per row.

The columns are the fields of the JSON Lines reader (:mod:`kg.readers.jsonl`): ``title``
(required), ``id``, ``abstract``, ``authors``, ``date``, ``year``, ``url``, ``doi``,
``arxiv_id`` and ``references``, with ``authors`` and ``references`` separated by ``;``.
Column names are matched without regard to case or surrounding spaces, other columns are
ignored and empty cells count as absent. A quoted cell may span several lines; the paper's
source line is the line where its row starts. Blank rows (no text in any cell) are not records.

Without a ``title`` column the file yields a single :class:`~kg.records.Problem` and nothing
else; a row without a title, or that is not valid CSV (such as a quote never closed), is
skipped with a Problem naming its first line.

Examples
--------
>>> import io
>>> text = 'id,title,authors\\n1,"Deep\\nResidual Learning","He; Zhang"\\n2,,Nobody\\n'
>>> paper, problem = read(io.StringIO(text), "papers.csv")
>>> paper.title, paper.authors, paper.local_id, str(paper.sources[0])
('Deep Residual Learning', ('He', 'Zhang'), '1', 'papers.csv:2')
>>> print(problem)
papers.csv:4: record has no title
>>> print(*read(io.StringIO("id,name\\n1,BERT\\n"), "other.csv"))
other.csv:1: no 'title' column; columns are: id, name
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from kg.readers._fields import paper_from_fields
from kg.records import Paper, Problem, Source

NAME = "csv"

_Row = tuple[int, list[str] | None, str | None]


def sniff(head: str) -> bool:
    """Whether ``head`` looks like CSV: a comma-separated first line with a ``title`` column."""
    lines = head.lstrip("\ufeff \t\r\n").splitlines()
    if not lines or "," not in lines[0]:
        return False
    try:
        header = next(csv.reader(lines[:1]))
    except csv.Error:
        return False
    return "title" in _column_names(header)


def read(stream: TextIO, path: str) -> Iterator[Paper | Problem]:
    """Yield a Paper for each row of ``stream`` and a Problem for each row that cannot be read."""
    rows = (row for row in _numbered_rows(stream) if row[1] != [])
    first = next(rows, None)
    if first is None:
        return
    header_problem = _header_problem(path, first)
    if header_problem:
        yield header_problem
        return
    columns = _column_names(first[1])
    for row in rows:
        yield from _read_row(row, columns, path)


def _numbered_rows(stream: TextIO) -> Iterator[_Row]:
    """``(first line, cells, None)`` for each row, or ``(first line, None, error)``."""
    reader = csv.reader(stream, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, None, _csv_error(error, start, reader.line_num)
        else:
            yield start, cells, None
        start = reader.line_num + 1


def _csv_error(error: csv.Error, start: int, end: int) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return f"row has a quote that is never closed; lines {start}-{end} were not read"
    return f"row is not valid CSV: {message}"


def _header_problem(path: str, first: _Row) -> Problem | None:
    line, header, error = first
    if error:
        return Problem(path, line, f"header {error.removeprefix('row ')}")
    if "title" not in _column_names(header):
        shown = ", ".join(name.lstrip("\ufeff").strip() for name in header) or "(none)"
        return Problem(path, line, f"no 'title' column; columns are: {shown}")
    return None


def _column_names(header: list[str]) -> list[str]:
    return [name.lstrip("\ufeff").strip().lower() for name in header]


def _read_row(row: _Row, columns: list[str], path: str) -> Iterator[Paper | Problem]:
    line, cells, error = row
    if error:
        yield Problem(path, line, error)
        return
    if not any(cell.strip() for cell in cells):
        return
    source = Source(path, line, NAME)
    if len(cells) != len(columns):
        yield _width_warning(source, len(cells), len(columns))
    yield from paper_from_fields(dict(zip(columns, cells)), source)


def _width_warning(source: Source, cells: int, columns: int) -> Problem:
    effect = "the extra ones were ignored" if cells > columns else "the missing ones count as empty"
    reason = f"row has {cells} values but the header has {columns} columns; {effect}"
    return Problem(source.path, source.line, reason, skipped=False)
