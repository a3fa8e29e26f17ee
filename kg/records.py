"""Plain records that flow between the stages: read -> extract -> build graph -> export.

They are frozen dataclasses with tuples, so they hash, compare and never change under a stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    ``local_id`` is the input's own ``id`` field; ``references`` are ids of other papers as
    written (the input's own ids, DOIs, arXiv ids, ``https://openalex.org/W...``, ...).
    ``openalex_id`` (``W2963403868``), ``s2_id`` (Semantic Scholar's 40 hex digits),
    ``mag_id`` and ``pmid`` are kept as the sources give them, normalised.
    ``cited_works`` are the works this paper cites, each a ``Paper`` holding what the source
    says of it: identifiers, and title and year when given (``title`` is ``""`` when not).
    ``venue`` is the journal, conference or repository that published it, by name.
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
    openalex_id: str | None = None
    s2_id: str | None = None
    mag_id: str | None = None
    pmid: str | None = None
    cited_works: tuple[Paper, ...] = ()
    venue: str | None = None


@dataclass(frozen=True)
class PaperMerge:
    """One record joined to a paper read before it: which records, by which rule, on what value.

    ``rule`` is the identifier scheme they share (``arxiv``, ``doi``, ``openalex``, ``s2``,
    ``mag``, ``pmid``) or ``title+year``; ``value`` is the shared identifier or normalised title.
    """

    key: str
    record: Source
    joined: Source
    rule: str
    value: str

    def __str__(self) -> str:
        return f"{self.record} joined {self.joined} ({self.rule} {self.value}) as {self.key}"


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
class Relation:
    """A typed relation between two entity names in one sentence, with its evidence.

    ``kind`` is ``used_for``, ``evaluated_on``, ``measures``, ``narrower`` or ``compares``
    (head -> tail, see :mod:`kg.extract.relations`). Offsets are characters in the field's
    text: ``head_start``/``head_end`` and ``tail_start``/``tail_end`` of the two names,
    ``sent_start``/``sent_end`` of the sentence.
    """

    kind: str
    head: str
    head_type: str
    tail: str
    tail_type: str
    field: str
    head_start: int
    head_end: int
    tail_start: int
    tail_end: int
    sentence: str
    sent_start: int
    sent_end: int
    extractor: str
    confidence: float


@dataclass(frozen=True)
class ExtractedPaper:
    """A paper (after merging) with what extraction found in its title and abstract."""

    key: str
    paper: Paper
    mentions: tuple[Mention, ...] = ()
    aliases: tuple[Alias, ...] = field(default=())
    relations: tuple[Relation, ...] = ()


@dataclass(frozen=True)
class Entity:
    """A canonical entity: id, type, preferred name, aliases and the papers that mention it."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    papers: tuple[str, ...]


@dataclass(frozen=True)
class Merge:
    """A record that ``alias`` was merged into entity ``entity`` and why."""

    entity: str
    alias: str
    reason: str
    paper: str = ""
    sentence: str = ""
