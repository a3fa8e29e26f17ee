"""Read the inputs into one corpus: files found, formats told, records merged into papers.

This is the thin file-handling layer over the readers: it expands folders, decodes bytes,
picks a reader by suffix and content, collects every skipped or repaired record as a
:class:`~kg.records.Problem`, and merges records of the same paper (same arXiv id, DOI or
normalised title) into one, keeping all their sources.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from kg import registry
from kg.identity import normalise_arxiv, normalise_doi, normalise_title, paper_key
from kg.records import Paper, Problem

BINARY_SNIFF = 8192


@dataclass
class Corpus:
    """Merged papers by key (in first-seen order), every problem met, and counts."""

    papers: dict[str, Paper] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    records: int = 0
    files: list[str] = field(default_factory=list)
    citations: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def duplicates(self) -> int:
        """How many records were merged into a paper read before."""
        return self.records - len(self.papers)

    @property
    def skipped(self) -> list[Problem]:
        """The problems that cost a record or a file."""
        return [p for p in self.problems if p.skipped]


def input_files(paths: Iterable[str | os.PathLike], problems: list[Problem]) -> list[Path]:
    """The files to read: files as given, folders searched for files of a registered suffix."""
    suffixes = {s for plugin in registry.readers() for s in plugin.suffixes}
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
            if not inside:
                problems.append(Problem(str(path), None, f"folder has no readable file (looked for {', '.join(sorted(suffixes))})"))
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(str(path), None, "no such file or folder"))
    return found


def decode(path: Path, data: bytes, problems: list[Problem]) -> str | None:
    """The file's text, or None (with a problem recorded) for empty, binary or unreadable files."""
    if not data.strip():
        problems.append(Problem(str(path), None, "file is empty"))
        return None
    if b"\x00" in data[:BINARY_SNIFF]:
        problems.append(Problem(str(path), None, "binary file, not text; skipped"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(Problem(str(path), line, f"invalid UTF-8 (byte 0x{data[error.start]:02x}); "
                                "bad bytes replaced with U+FFFD", skipped=False))
        return data.decode("utf-8-sig", errors="replace")


def choose_reader(path: Path, text: str, format: str | None):
    """The reader plugin for this file: ``format`` if given, else by suffix confirmed by content."""
    if format:
        return registry.reader(format)
    head = text[:4096]
    by_suffix = [r for r in registry.readers() if path.suffix.lower() in r.suffixes]
    sniffing = [r for r in registry.readers() if r.load().sniff(head)]
    for plugin in by_suffix:
        if plugin in sniffing or not sniffing:
            return plugin
    return sniffing[0] if sniffing else None


def read_file(path: Path, format: str | None, corpus: Corpus) -> list[Paper]:
    """The paper records of one file; problems go to ``corpus.problems``."""
    text = decode(path, path.read_bytes(), corpus.problems)
    if text is None:
        return []
    plugin = choose_reader(path, text, format)
    if plugin is None:
        names = ", ".join(r.name for r in registry.readers())
        corpus.problems.append(Problem(str(path), None, f"cannot tell the format; give --format (one of {names})"))
        return []
    records = []
    for item in plugin.load().read(io.StringIO(text, newline=None), str(path)):
        (records if isinstance(item, Paper) else corpus.problems).append(item)
    if not records and not any(p.path == str(path) and p.skipped for p in corpus.problems):
        corpus.problems.append(Problem(str(path), None, f"no paper records found (read as {plugin.name})"))
    return records


def read_corpus(paths: Iterable[str | os.PathLike], format: str | None = None) -> Corpus:
    """Read every input, merge records of the same paper and resolve references.

    Examples
    --------
    >>> import kg.corpus, importlib.resources as r
    >>> corpus = read_corpus([r.files("kg") / "data/example/papers.jsonl"])
    >>> corpus.records == len(corpus.papers), corpus.skipped
    (True, [])
    """
    corpus = Corpus()
    records = []
    for path in input_files(paths, corpus.problems):
        corpus.files.append(str(path))
        records += read_file(path, format, corpus)
    corpus.records = len(records)
    corpus.papers = merge_records(records)
    corpus.citations = resolve_references(corpus.papers, corpus.problems)
    return corpus


def _identities(paper: Paper) -> list[str]:
    ids = [f"title:{normalise_title(paper.title)}"]
    if normalise_arxiv(paper.arxiv_id):
        ids.append(f"arxiv:{normalise_arxiv(paper.arxiv_id)}")
    if normalise_doi(paper.doi):
        ids.append(f"doi:{normalise_doi(paper.doi)}")
    return ids


def merge_records(records: list[Paper]) -> dict[str, Paper]:
    """Merge records that share a normalised title, arXiv id or DOI; keyed by paper key."""
    owner: dict[str, int] = {}
    groups: list[list[Paper]] = []
    for record in records:
        hits = sorted({owner[i] for i in _identities(record) if i in owner})
        if hits:
            target = hits[0]
            for other in hits[1:]:
                groups[target] += groups[other]
                groups[other] = []
        else:
            target = len(groups)
            groups.append([])
        groups[target].append(record)
        for group_record in groups[target]:
            for identity in _identities(group_record):
                owner[identity] = target
    merged = [combine(group) for group in groups if group]
    return {paper_key(p.title, p.doi, p.arxiv_id): p for p in merged}


def combine(records: list[Paper]) -> Paper:
    """One paper from several records of it: the first value of each field, all sources."""
    first = records[0]
    values = {}
    for name in ("abstract", "author_count", "organization", "date", "year", "listed", "url",
                 "doi", "arxiv_id", "local_id"):
        values[name] = next((getattr(r, name) for r in records if getattr(r, name) not in (None, "")), None)
    values["abstract"] = values["abstract"] or ""
    values["authors"] = max((r.authors for r in records), key=len)
    values["references"] = tuple(dict.fromkeys(x for r in records for x in r.references))
    values["code_urls"] = tuple(dict.fromkeys(x for r in records for x in r.code_urls))
    values["sources"] = tuple(s for r in records for s in r.sources)
    return replace(first, **values)


def resolve_references(papers: dict[str, Paper], problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    """Paper key -> keys of the cited papers; a reference to no paper in the input is reported."""
    index = {}
    for key, paper in papers.items():
        for name in (paper.local_id, paper.doi and normalise_doi(paper.doi),
                     paper.arxiv_id and normalise_arxiv(paper.arxiv_id), key):
            if name:
                index.setdefault(name, key)
    citations = {}
    for key, paper in papers.items():
        targets = []
        for ref in paper.references:
            target = index.get(ref) or index.get(normalise_arxiv(ref) or "") or index.get(normalise_doi(ref) or "")
            if target and target != key:
                targets.append(target)
            else:
                source = paper.sources[0] if paper.sources else None
                problems.append(Problem(source.path if source else "", source.line if source else None,
                                        f"reference {ref!r} is not a paper in the input; not linked", skipped=False))
        if targets:
            citations[key] = tuple(dict.fromkeys(targets))
    return citations
