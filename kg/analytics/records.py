"""The records the graph API returns: frozen dataclasses, and :class:`Table` for lists of them.

A :class:`Table` is a tuple of records that also turns into a ``pandas.DataFrame``
(``to_pandas()``, pandas being an optional extra) or into plain dicts for JSON (``to_dicts()``).

Examples
--------
>>> rows = Table([PaperInfo("paper:x", "A title", 2021, "2021-06-17", None)], PaperInfo)
>>> rows[0].title, rows.to_dicts()[0]["year"]
('A title', 2021)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from kg.records import Entity


class Table(tuple):
    """An immutable sequence of result records of one type, convertible to a table.

    Examples
    --------
    >>> Table([], PaperInfo).columns
    ('id', 'title', 'year', 'date', 'url')
    >>> type(Table([], PaperInfo)[:1]).__name__
    'Table'
    """

    def __new__(cls, rows=(), record=None):
        table = super().__new__(cls, rows)
        table.record = record
        return table

    def __getitem__(self, index):
        found = super().__getitem__(index)
        return Table(found, self.record) if isinstance(index, slice) else found

    def __add__(self, other):
        return Table(tuple(self) + tuple(other), self.record)

    @property
    def columns(self) -> tuple[str, ...]:
        """The field names of the records (also known when the table is empty)."""
        record = self.record or (type(self[0]) if self else None)
        return tuple(f.name for f in fields(record)) if record else ()

    def to_dicts(self) -> list[dict]:
        """The records as dicts (tuples inside stay tuples; ``json.dumps`` writes them as lists).

        Examples
        --------
        >>> Table([PaperInfo("paper:x", "T", None, None, None)]).to_dicts()
        [{'id': 'paper:x', 'title': 'T', 'year': None, 'date': None, 'url': None}]
        """
        return [asdict(row) for row in self]

    def to_pandas(self):
        """The records as a ``pandas.DataFrame``, one column per field (needs the ``pandas`` extra).

        Examples
        --------
        >>> Table([PaperInfo("paper:x", "T", 2020, None, None)]).to_pandas().loc[0, "year"]
        np.int64(2020)
        """
        pandas = require_pandas()
        return pandas.DataFrame(self.to_dicts(), columns=list(self.columns))


def require_pandas():
    """Import pandas, or say how to install it."""
    try:
        import pandas
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("to_pandas() needs pandas: pip install 'kg-papers[pandas]' "
                          "(in a clone: pip install -e '.[pandas]')") from error
    return pandas


EntityInfo = Entity
"""An entity: node id, type, name, aliases and the papers that mention it (the record
:mod:`kg.graph.canonical` makes, under the name the API has always used)."""


@dataclass(frozen=True)
class PaperInfo:
    """A paper in a result: node id, title, year and date (None when unknown), URL."""

    id: str
    title: str
    year: int | None
    date: str | None
    url: str | None


@dataclass(frozen=True)
class Association:
    """An entity found with another one: ``count`` papers (listed in ``papers``) mention both,
    ``stated`` papers state a relation between them, as ``sentence`` does ("" when none)."""

    id: str
    type: str
    name: str
    count: int
    stated: int
    papers: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class Statement:
    """A relation papers state: ``head`` -``kind``-> ``tail`` (ids, with their names), its
    ``confidence``, the ``support`` (papers stating it), and the best ``paper`` and ``sentence``."""

    head: str
    head_name: str
    kind: str
    tail: str
    tail_name: str
    confidence: float
    support: int
    paper: str
    sentence: str
    extractor: str


@dataclass(frozen=True)
class Proposal:
    """Paper ``paper`` proposes entity ``entity``; ``sentence`` is where it says so."""

    paper: str
    title: str
    year: int | None
    entity: str
    type: str
    name: str
    sentence: str


@dataclass(frozen=True)
class RelatedPaper:
    """A paper related to another, its score, the shared entity ids, the direct links
    (``cites``, ``cited by``, ``builds on``, ``built on by``) and the reason in words."""

    id: str
    title: str
    year: int | None
    score: float
    shared: tuple[str, ...]
    links: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Hop:
    """One step of a path: edge ``source -relation-> target`` as stored in the graph, with
    the names of both ends and the evidence (a sentence, or where the link comes from)."""

    source: str
    source_name: str
    relation: str
    target: str
    target_name: str
    evidence: str


@dataclass(frozen=True)
class Explanation:
    """The shortest explanation between two nodes: the nodes in order and the hops between."""

    nodes: tuple[str, ...]
    hops: Table

    def __str__(self) -> str:
        lines = []
        for hop in self.hops:
            lines.append(f"{hop.source_name} -[{hop.relation}]-> {hop.target_name}")
            if hop.evidence:
                lines.append(f"    {hop.evidence}")
        return "\n".join(lines)

    def to_pandas(self):
        """The hops as a ``pandas.DataFrame``."""
        return self.hops.to_pandas()


@dataclass(frozen=True)
class Ranked:
    """A node in a ranking: id, type, name, score, and the number of papers that mention it
    (for an entity) or that cite or build on it (for a paper)."""

    id: str
    type: str
    name: str
    score: float
    papers: int


@dataclass(frozen=True)
class Community:
    """A community of papers and entities: its index (largest first), a label made of its most
    central entities, its size and its members (entities by centrality, papers by id)."""

    index: int
    label: str
    size: int
    entities: tuple[str, ...]
    papers: tuple[str, ...]


@dataclass(frozen=True)
class YearCount:
    """Papers in ``year`` that mention an entity, the year's dated papers, and the share."""

    year: int
    papers: int
    total: int
    share: float


@dataclass(frozen=True)
class Trend:
    """Papers per year mentioning an entity, over every year of the graph's dated papers;
    ``undated`` counts the mentioning papers with no year."""

    id: str
    name: str
    years: Table
    undated: int

    def to_pandas(self):
        """The years as a ``pandas.DataFrame`` indexed by year."""
        return self.years.to_pandas().set_index("year")


@dataclass(frozen=True)
class Emerging:
    """An entity's papers before ``since`` and from it on, and its growth: the change in the
    share of dated papers mentioning it, in percentage points."""

    id: str
    type: str
    name: str
    before: int
    recent: int
    growth: float
