"""Plain records that flow between the stages: read -> extract -> build graph -> export.

They are frozen dataclasses with tuples, so they hash, compare and never change under a stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES = ("method", "dataset", "task", "metric", "concept")


@dataclass(frozen=True)
class Source:
    """Where a paper record was read: file path, 1-based line where it starts, reader name."""

    path: str
    line: int
    format: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Paper:
    """One paper as a reader yields it (before merging duplicates across files).

    ``date`` is an ISO ``YYYY-MM-DD`` (or ``YYYY-MM``) date when the input gives a year;
    ``listed`` keeps a date without a year exactly as written (``"Sep 9"``).
    ``local_id`` is the input's own ``id`` field; ``references`` are ids of other papers.
    """

    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    organization: str | None = None
    date: str | None = None
    year: int | None = None
    listed: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    local_id: str | None = None
    references: tuple[str, ...] = ()
    code_urls: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Something in the input that was skipped (``skipped=True``) or repaired with a warning."""

    path: str
    line: int | None
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Mention:
    """One place where a paper's text names an entity.

    ``field`` is ``"title"`` or ``"abstract"``; ``start``/``end`` are character offsets of the
    name in that field and ``sent_start``/``sent_end`` of the sentence holding it.
    """

    name: str
    type: str
    field: str
    start: int
    end: int
    sentence: str
    sent_start: int
    sent_end: int
    extractor: str
    confidence: float
    proposed: bool = False


@dataclass(frozen=True)
class Alias:
    """A short form defined in the text: ``long`` (``short``), with the sentence that defines it."""

    short: str
    long: str
    sentence: str


@dataclass(frozen=True)
class ExtractedPaper:
    """A paper (after merging) with what extraction found in its title and abstract."""

    key: str
    paper: Paper
    mentions: tuple[Mention, ...] = ()
    aliases: tuple[Alias, ...] = field(default=())
