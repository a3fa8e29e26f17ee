"""Merge paper records into papers, and resolve their references into citations and stubs.

Merging rules (each merge is kept as a :class:`~kg.records.PaperMerge`):

1. **A shared identifier** (arXiv id, DOI, OpenAlex, Semantic Scholar, MAG or PubMed id, as
   normalised by :mod:`kg.corpus.identity`) makes two records one paper, always. A record that
   shares ids with two papers joins them into one.
2. **Else the same normalised title and year** (equal, or unknown on either side) make one
   paper, unless the two hold different ids of one scheme (two arXiv ids, two DOIs).
3. Records are taken in input order and the first one read decides: its title, and for each
   other field the first record that has a value (date and year from the same record).

Conflicts are reported as warnings that start with ``identity conflict`` and kept in
``Corpus.conflicts``: *one id for two titles* (records merged by rule 1 whose normalised titles
are less than 80% alike: merged, the first title kept), *one paper with two ids of a scheme* (rule 1 joined
records with two DOIs, say: merged, the first id is the key), and *two ids, or two years, for one
title* (rule 2 refused: kept as two papers; the second's key gets ``-<year>`` or ``-2`` when the
titles hash alike).

References (a paper's ``references`` and ``cited_works``) resolve to a paper of the corpus by
the input's own ids, then by any identifier, then by normalised title (with no clashing id);
what does not resolve becomes a *stub*: a paper outside the corpus, known by its identifiers
(and title and year when the source gives them), merged with other references to it by the
same rules. ``read_corpus(..., stubs=False)`` drops them.

An input's own id is **scoped to its file** unless it is a global identifier (a DOI, an arXiv
id, ``https://openalex.org/W...``, ...): a reference ``3`` in ``a.csv`` names the record of
``a.csv`` whose id is ``3``, never a record ``3`` of another file, and each record's references
are resolved in the scope of the file that holds them, also after its paper merged with records
of other files. A reference that is no identifier and names no paper of its file (nor a paper
key) is reported as a warning naming the file and line of the record that holds it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from kg.corpus.identity import FIELDS, identifiers, key_of, normalise_title, titles_agree, typed_id
from kg.records import Paper, PaperMerge, Problem, Source

CONFLICT = "identity conflict"
"""How every identity conflict's reason starts."""


class Citations(dict):
    """Paper key -> keys of the papers it cites, with ``stubs``: key -> Paper record of each
    cited paper outside the corpus (the graph adds those as stub nodes)."""

    def __init__(self, links=(), stubs: dict[str, Paper] | None = None):
        super().__init__(links)
        self.stubs = dict(stubs or {})


def merge_records(records: list[Paper]) -> dict[str, Paper]:
    """Merge the records of one paper by the rules above; keyed by paper key, in first-seen order.

    Examples
    --------
    >>> from kg.records import Source
    >>> a = Paper("LoRA", arxiv_id="2106.09685v2", sources=(Source("a.bib", 3, "bibtex"),))
    >>> b = Paper("LoRA", doi="10.48550/arXiv.2106.09685", year=2021, sources=(Source("b.json", 1, "csl-json"),))
    >>> papers = merge_records([a, b])
    >>> list(papers), [str(s) for s in papers["arxiv:2106.09685"].sources]
    (['arxiv:2106.09685'], ['a.bib:3', 'b.json:1'])
    """
    matcher = Matcher()
    for record in records:
        matcher.add(record)
    return matcher.papers()[0]


class _Group:
    """The records of one paper while they are gathered."""

    def __init__(self, index: int):
        self.index = index
        self.records: list[Paper] = []
        self.ids: dict[str, list[str]] = {}
        self.years: set[int] = set()
        self.parent: _Group | None = None
        self.key = ""
        self.paper: Paper | None = None

    def root(self) -> _Group:
        group = self
        while group.parent is not None:
            group = group.parent
        return group

    def clash(self, ids: Iterable[str]) -> str | None:
        """The first id of ``ids`` whose scheme this paper holds with other values, or None."""
        for typed in ids:
            scheme, value = typed.split(":", 1)
            if self.ids.get(scheme) and value not in self.ids[scheme]:
                return typed
        return None


class Matcher:
    """Groups paper records by the merging rules, recording each merge and conflict."""

    def __init__(self, report: bool = True):
        self.report = report
        self.groups: list[_Group] = []
        self.by_id: dict[str, _Group] = {}
        self.by_title: dict[str, list[_Group]] = {}
        self.joins: list[tuple[_Group, Source, Source, str, str]] = []
        self.refusals: list[tuple[_Group, _Group, Paper, str]] = []
        self.conflicts: list[Problem] = []

    def add(self, record: Paper, ids: tuple[str, ...] | None = None) -> _Group:
        """Put a record with the paper it belongs to (a new one if none) and return that paper;
        ``ids`` are the record's :func:`~kg.corpus.identity.identifiers` when already known."""
        ids = identifiers(record) if ids is None else ids
        hits = sorted({self.by_id[i].root() for i in ids if i in self.by_id}, key=lambda g: g.index)
        if hits:
            target = hits[0]
            typed = next(i for i in ids if i in self.by_id and self.by_id[i].root() is target)
            self._check_title(target, record)
            self._join(target, record, ids, typed)
            for other in hits[1:]:
                bridge = next(i for i in ids if i in self.by_id and self.by_id[i].root() is other)
                self._absorb(target, other, record, bridge)
            return target
        target, reason, refused = self.title_match(record, ids, years=True)
        if target is None:
            target = _Group(len(self.groups))
            self.groups.append(target)
            if refused is not None:
                self.refusals.append((target, refused, record, reason))
            target.records.append(record)
            self._index(target, record, ids)
            return target
        self._join(target, record, ids, f"title+year:{normalise_title(record.title)}")
        return target

    def title_match(self, record: Paper, ids: tuple[str, ...], years: bool):
        """``(paper, "", None)`` for the paper with the record's normalised title and no clashing
        id (nor year, with ``years``); else ``(None, reason, paper refused)`` or ``(None, "", None)``."""
        refusal = (None, "", None)
        for group in self.by_title.get(normalise_title(record.title), ()) if record.title else ():
            group = group.root()
            clash = group.clash(ids)
            if clash:
                scheme, value = clash.split(":", 1)
                reason = f"{scheme} {value} here and {', '.join(group.ids[scheme])} there"
            elif years and record.year and group.years and record.year not in group.years:
                reason = f"year {record.year} here and {', '.join(map(str, sorted(group.years)))} there"
            else:
                return group, "", None
            refusal = refusal if refusal[2] else (None, f"same title as {_first(group)} but {reason}", group)
        return refusal

    def _join(self, target: _Group, record: Paper, ids: tuple[str, ...], typed: str) -> None:
        rule, value = typed.split(":", 1)
        self._check_ids(target, ids, record)
        self.joins.append((target, record.sources[0], _first(target), rule, value))
        target.records.append(record)
        self._index(target, record, ids)

    def _absorb(self, target: _Group, other: _Group, record: Paper, bridge: str) -> None:
        """Join two papers that one record links (it shares ids with both)."""
        rule, value = bridge.split(":", 1)
        other_ids = [f"{s}:{v}" for s, values in other.ids.items() for v in values]
        self._check_ids(target, other_ids, record)
        self.joins.append((target, _first(other), _first(target), rule, value))
        other.parent = target
        target.records += other.records
        for scheme, values in other.ids.items():
            target.ids.setdefault(scheme, []).extend(v for v in values if v not in target.ids.get(scheme, []))
        target.years |= other.years

    def _index(self, group: _Group, record: Paper, ids: Iterable[str]) -> None:
        for typed in ids:
            scheme, value = typed.split(":", 1)
            if value not in group.ids.setdefault(scheme, []):
                group.ids[scheme].append(value)
            self.by_id.setdefault(typed, group)
        if record.year:
            group.years.add(record.year)
        title = normalise_title(record.title)
        if title and group not in self.by_title.setdefault(title, []):
            self.by_title[title].append(group)

    def _check_title(self, target: _Group, record: Paper) -> None:
        first = target.records[0]
        if self.report and not titles_agree(first.title, record.title):
            self._conflict(record, f"one id for two titles: {record.title!r} here, {first.title!r} in "
                                   f"{_first(target)}; merged, the first title kept")

    def _check_ids(self, target: _Group, ids: Iterable[str], record: Paper) -> None:
        for typed in ids:
            scheme, value = typed.split(":", 1)
            held = target.ids.get(scheme, [])
            if held and value not in held:
                self._conflict(record, f"one paper with two {scheme} ids, {held[0]} and {value} (linked by "
                                       f"another identifier); merged, {held[0]} is kept first")

    def _conflict(self, record: Paper, reason: str) -> None:
        if self.report:
            source = record.sources[0] if record.sources else Source("", 0, "")
            self.conflicts.append(Problem(source.path, source.line or None, f"{CONFLICT}: {reason}", skipped=False))

    def papers(self) -> tuple[dict[str, Paper], list[PaperMerge]]:
        """The merged papers by key (first-seen order) and the merges, with keys assigned."""
        papers: dict[str, Paper] = {}
        for group in self.groups:
            if group.parent is None:
                group.paper = combine(group.records)
                group.key = _free_key(key_of(group.paper), group.paper, papers)
                papers[group.key] = group.paper
        merges = [PaperMerge(group.root().key, record, joined, rule, value)
                  for group, record, joined, rule, value in self.joins]
        for group, refused, record, reason in self.refusals:
            if group.root() is not refused.root():
                self._conflict(record, reason + "; kept as two papers")
        self.refusals = []
        return papers, merges

    def find(self, reference: Paper, ids: tuple[str, ...]) -> _Group | None:
        """The paper a reference (with these ids) names: by any identifier, else by title with no
        clashing id."""
        hit = next((self.by_id[i].root() for i in ids if i in self.by_id), None)
        return hit or self.title_match(reference, ids, years=False)[0]


def _first(group: _Group) -> Source:
    return group.records[0].sources[0] if group.records[0].sources else Source("", 0, "")


def _free_key(key: str, paper: Paper, taken: dict[str, Paper]) -> str:
    """``key``, or when another paper has it (same title, kept apart) ``key-<year>`` or ``key-<n>``."""
    if key not in taken:
        return key
    if paper.year and f"{key}-{paper.year}" not in taken:
        return f"{key}-{paper.year}"
    return next(f"{key}-{n}" for n in range(2, len(taken) + 3) if f"{key}-{n}" not in taken)


_FIRST_VALUE = ("abstract", "author_count", "organization", "listed", "url", "local_id", "venue", *FIELDS.values())


def combine(records: list[Paper]) -> Paper:
    """One paper from several records of it: the first record's title, the first value of each
    other field (date and year from one record), every reference, code link and source."""
    first = records[0]
    values = {name: next((getattr(r, name) for r in records if getattr(r, name) not in (None, "")), None)
              for name in _FIRST_VALUE}
    values["abstract"] = values["abstract"] or ""
    dated = next((r for r in records if r.date), None) or next((r for r in records if r.year), first)
    values["date"], values["year"] = dated.date, dated.year
    values["authors"] = max((r.authors for r in records), key=len)
    values["references"] = tuple(dict.fromkeys(x for r in records for x in r.references))
    values["cited_works"] = tuple(dict.fromkeys(x for r in records for x in r.cited_works))
    values["code_urls"] = tuple(dict.fromkeys(x for r in records for x in r.code_urls))
    values["sources"] = tuple(s for r in records for s in r.sources)
    return replace(first, **values)


def resolve_references(matcher: Matcher, problems: list[Problem], stubs: bool = True) -> Citations:
    """Paper key -> keys of the papers it cites, in the corpus or (``stubs``) outside it, once
    ``matcher.papers()`` has given the papers their keys.

    Each record's references are resolved in its own file's scope (see :func:`_scopes`). A
    reference that is no identifier and names no paper of the input is reported as a warning
    naming the file and line that hold it; a cited work known by neither an identifier nor a
    title is left out.
    """
    papers = [group for group in matcher.groups if group.parent is None]
    scopes = _scopes(matcher.groups, papers)
    outside = Matcher(report=False)
    links: dict[str, list[_Group]] = {}
    for group in papers:
        for record in group.records:
            for cited in _cited(record, scopes, problems):
                if isinstance(cited, Paper):
                    ids = identifiers(cited)
                    target = matcher.find(cited, ids)
                    if target is None and stubs and (ids or normalise_title(cited.title)):
                        target = outside.add(cited, ids)
                else:
                    target = cited
                if target is not None and target.root() is not group:
                    links.setdefault(group.key, []).append(target)
    stub_papers, _ = outside.papers()
    for key in {group.key for group in papers} & set(stub_papers):
        del stub_papers[key]  # a stub whose key a paper of the corpus has is that paper
    return Citations({key: tuple(dict.fromkeys(t.root().key for t in targets)) for key, targets in links.items()},
                     stub_papers)


def _scopes(groups: list[_Group], papers: list[_Group]) -> dict[tuple[str, str], _Group]:
    """Where a reference may point, by ``(scope, id)``: a record's own id in its file's scope
    (``(path, "3")``); an own id that is a global identifier (a DOI, ``arxiv:...``) and each
    paper's key in the global scope ``""``."""
    scopes: dict[tuple[str, str], _Group] = {}
    for group in groups:
        for record in group.records:
            if record.local_id:
                typed = typed_id(record.local_id)
                scope = ("", typed) if typed else (_path(record), record.local_id)
                scopes.setdefault(scope, group.root())
    for group in papers:
        scopes.setdefault(("", group.key), group)
    return scopes


def _path(record: Paper) -> str:
    return record.sources[0].path if record.sources else ""


def _cited(record: Paper, scopes: dict[tuple[str, str], _Group], problems: list[Problem]) -> list[Paper | _Group]:
    """The works one record cites: its ``cited_works`` as records, and for each reference the
    paper it names in the record's file (or globally), else a record of the identifier."""
    cited: list[Paper | _Group] = list(record.cited_works)
    source = record.sources[0] if record.sources else Source("", 0, "")
    for ref in record.references:
        typed = typed_id(ref)
        named = scopes.get((source.path, ref)) or scopes.get(("", typed or ref))
        if named is not None:
            cited.append(named)
        elif typed:
            scheme, value = typed.split(":", 1)
            cited.append(Paper("", sources=(source,), **{FIELDS[scheme]: value}))
        else:
            problems.append(Problem(source.path, source.line or None,
                                    f"reference {ref!r} is not a paper in the input; not linked", skipped=False))
    return cited
