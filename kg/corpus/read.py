"""Read the inputs into one corpus: files found, formats told, records merged into papers.

This is the thin file-handling layer over the readers: it expands folders, decodes bytes,
picks a reader by suffix and content, collects every skipped or repaired record as a
:class:`~kg.records.Problem`, then merges the records of one paper and resolves references into
citations and stub papers by the rules of :mod:`kg.corpus.merge`.
"""

from __future__ import annotations

import codecs
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kg import registry
from kg.corpus.clean import clean_paper
from kg.corpus.merge import CONFLICT, Citations, Matcher, combine, merge_records, resolve_references  # noqa: F401
from kg.records import Paper, PaperMerge, Problem

BINARY_SNIFF = 8192
MAX_LINE_PROBLEMS = 100
"""Lines of one file reported one by one for bad bytes; the rest are counted in one warning."""
BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass
class Corpus:
    """Merged papers by key (in first-seen order), every problem met, merges, and counts."""

    papers: dict[str, Paper] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    records: int = 0
    files: list[str] = field(default_factory=list)
    citations: Citations = field(default_factory=Citations)
    merges: list[PaperMerge] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        """How many records were merged into a paper read before."""
        return self.records - len(self.papers)

    @property
    def skipped(self) -> list[Problem]:
        """The problems that cost a record or a file."""
        return [p for p in self.problems if p.skipped]

    @property
    def stubs(self) -> dict[str, Paper]:
        """Cited papers outside the corpus, by key."""
        return self.citations.stubs


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
    """The file's text, or None (with a problem recorded) for empty, binary or unreadable files.

    UTF-8 is assumed unless a byte order mark says UTF-16 or UTF-32; bytes that do not decode
    are replaced with U+FFFD, with a warning for each line that had any.
    """
    encoding, data = _encoding(data)
    if not data.strip(b"\x00 \t\r\n"):
        problems.append(Problem(str(path), None, "file is empty"))
        return None
    if encoding == "utf-8" and b"\x00" in data[:BINARY_SNIFF]:
        problems.append(Problem(str(path), None, "binary file, not text; skipped"))
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
    bad = bad_lines(data, encoding)
    for number in bad[:MAX_LINE_PROBLEMS]:
        problems.append(Problem(str(path), number, f"invalid {encoding.upper()}; bad bytes replaced with U+FFFD",
                                skipped=False))
    if len(bad) > MAX_LINE_PROBLEMS:
        problems.append(Problem(str(path), None, f"invalid {encoding.upper()} on {len(bad) - MAX_LINE_PROBLEMS} "
                                "more line(s); bad bytes replaced with U+FFFD", skipped=False))
    return text


def bad_lines(data: bytes, encoding: str) -> list[int]:
    """The numbers of the lines of ``data`` holding bytes that do not decode.

    >>> bad_lines(b"ok\\n\\xff\\nok\\n\\xfe\\xfe\\n", "utf-8")
    [2, 4]
    """
    view, pos, line, bad = memoryview(data), 0, 1, []
    while pos < len(data):
        try:
            codecs.decode(view[pos:], encoding)
            break
        except UnicodeDecodeError as error:
            line += codecs.decode(view[pos:pos + error.start], encoding).count("\n")
            if not bad or bad[-1] != line:
                bad.append(line)
            pos += max(error.end, error.start + 1)
    return bad


def _encoding(data: bytes) -> tuple[str, bytes]:
    """The encoding a byte order mark names (UTF-8 without one), and the bytes after the mark."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding, data[len(mark):]
    return "utf-8", data


def choose_reader(path: Path, text: str, format: str | None):
    """The reader plugin for this file: ``format`` if given; else the first reader, in sniff
    priority order, that recognises the content (the file's suffix breaks ties); else by suffix."""
    if format:
        return registry.reader(format)
    head = text[:4096]
    suffix = path.suffix.lower()
    sniffing = [r for r in registry.readers() if r.load().sniff(head)]
    if sniffing:
        return min(sniffing, key=lambda r: (r.priority, suffix not in r.suffixes))
    return next((r for r in registry.readers() if suffix in r.suffixes), None)


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
        if isinstance(item, Paper):
            item = _clean(item, path, corpus.problems)
        (records if isinstance(item, Paper) else corpus.problems).append(item)
    if not records and not any(p.path == str(path) and p.skipped for p in corpus.problems):
        corpus.problems.append(Problem(str(path), None, f"no paper records found (read as {plugin.name})"))
    return records


def _clean(record: Paper, path: Path, problems: list[Problem]) -> Paper:
    """The record with lone surrogates replaced (:mod:`kg.corpus.clean`), with a warning when it had any."""
    cleaned, dirty = clean_paper(record)
    if dirty:
        line = record.sources[0].line if record.sources else None
        problems.append(Problem(str(path), line, f"lone surrogate code point(s) in {', '.join(dirty)}; "
                                "replaced with U+FFFD", skipped=False))
    return cleaned


def read_corpus(paths: Iterable[str | os.PathLike], format: str | None = None, stubs: bool = True) -> Corpus:
    """Read every input, merge records of the same paper and resolve references.

    ``stubs=False`` leaves out the papers cited from outside the corpus.

    Examples
    --------
    >>> import kg.corpus.read, importlib.resources as r
    >>> corpus = read_corpus([r.files("kg") / "data/example/papers.jsonl"])
    >>> corpus.records == len(corpus.papers), corpus.skipped, corpus.stubs
    (True, [], {})
    """
    corpus = Corpus()
    records = []
    for path in input_files(paths, corpus.problems):
        corpus.files.append(str(path))
        records += read_file(path, format, corpus)
    corpus.records = len(records)
    matcher = Matcher()
    for record in records:
        matcher.add(record)
    corpus.papers, corpus.merges = matcher.papers()
    corpus.conflicts = matcher.conflicts
    corpus.problems += matcher.conflicts
    corpus.citations = resolve_references(matcher, corpus.problems, stubs=stubs)
    return corpus


def citation_summary(graph, problems: Iterable[Problem]) -> list[str]:
    """The build summary's line on citations and identity conflicts (none when there are neither).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper:a", kind="paper"); g.add_node("paper:b", kind="paper", stub=True)
    >>> _ = g.add_edge("paper:a", "paper:b", key="cites")
    >>> citation_summary(g, [])
    ['Citations: 0 between papers of the input, 1 to 1 paper(s) outside it (stub nodes); 0 identity conflicts']
    """
    stubs = {n for n, stub in graph.nodes(data="stub") if stub}
    cites = [(u, v) for u, v, kind in graph.edges(keys=True) if kind == "cites"]
    conflicts = sum(p.reason.startswith(CONFLICT) for p in problems)
    if not cites and not conflicts:
        return []
    outside = sum(v in stubs for _, v in cites)
    return [f"Citations: {len(cites) - outside} between papers of the input, {outside} to {len(stubs)} paper(s) "
            f"outside it (stub nodes); {conflicts} identity conflicts" + (" (see the warnings)" if conflicts else "")]
