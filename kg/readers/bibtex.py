"""Read BibTeX (Zotero, JabRef, Better BibTeX, Google Scholar exports) with bibtexparser 2.

bibtexparser splits the file into entries; the values are then resolved here as BibTeX does:
``@string`` macros (defined anywhere before use, case-insensitive, one macro may use another),
``#`` concatenation, the month macros ``jan`` ... ``dec``, and ``crossref`` (an entry takes every
field it lacks from the entry it names, and that entry's ``title`` as its ``booktitle``). LaTeX
is then decoded with pylatexenc: accents and escapes (``{\\"u}``, ``\\'e``, ``\\&``, ``\\%``),
braces (``{LoRA}``), ``\\textit{...}`` and math (``$\\alpha$`` -> ``α``).

=============================== ===================================================================
``title``                       required
``author``                      ``Last, First`` or ``First Last`` names split on ``and``; a braced
                                name (``{Google Research}``) is one name; ``and others`` is dropped
``year``, ``month``, ``date``   the date (``YYYY``, ``YYYY-MM`` or biblatex's ISO ``date``)
``doi``                         with or without ``https://doi.org/``
arXiv id                        ``eprint`` (with ``archiveprefix``/``eprinttype`` arXiv or an arXiv-
                                like id), ``arxivid``, an arXiv DOI, or ``arXiv:...`` in ``journal``,
                                ``note``, ``howpublished`` or ``url``
``url``, ``abstract``, ``pmid`` as written (decoded)
the citation key                kept as ``local_id``
=============================== ===================================================================

``@proceedings`` entries are volumes, not papers, and are only read as ``crossref`` targets.
An entry that is not valid BibTeX, or has no title, is skipped with a Problem naming its line;
an undefined macro or a second entry with the same key is reported as a warning.

Examples
--------
>>> import io
>>> bib = '''@string{iclr = "International Conference on Learning Representations"}
... @inproceedings{hu2022lora,
...   title = {{LoRA}: Low-Rank Adaptation of Large Language Models},
...   author = {Hu, Edward J. and M{\\\\"u}ller, Zo{\\\\'e} and {Google Research} and others},
...   booktitle = iclr # " 2022", year = 2022, month = apr,
...   eprint = {2106.09685}, archivePrefix = {arXiv}}'''
>>> paper, = read(io.StringIO(bib), "zotero.bib")
>>> paper.title, paper.authors
('LoRA: Low-Rank Adaptation of Large Language Models', ('Edward J. Hu', 'Zoé Müller', 'Google Research'))
>>> paper.arxiv_id, paper.date, paper.local_id, str(paper.sources[0])
('2106.09685', '2022-04', 'hu2022lora', 'zotero.bib:2')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from kg.corpus.identity import arxiv_of_doi, find_arxiv, normalise_arxiv, normalise_doi, normalise_number
from kg.readers._fields import find_code_urls, iso_date, warning
from kg.readers._latex import latex_to_text
from kg.records import Paper, Problem, Source

NAME = "bibtex"

MONTHS = {name: index for index, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
NOT_PAPERS = frozenset({"proceedings", "mvproceedings"})
"""Entry types that are volumes, read only as ``crossref`` targets."""

_ENTRY = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.M)
_MONTH_NAMES = {**MONTHS, **{name: i for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), 1)}}


_READ = frozenset({"title", "abstract", "year", "month", "date", "doi", "url", "pmid", "eprint", "archiveprefix",
                   "eprinttype", "arxivid", "arxiv", "journal", "note", "howpublished"})
"""The fields read (``author`` is read name by name)."""


class _Unresolved(ValueError):
    """A value uses a macro that no ``@string`` defines."""


def sniff(head: str) -> bool:
    """Whether ``head`` holds BibTeX: a line starting with ``@type{`` (after optional comments)."""
    return bool(_ENTRY.search(head))


def read(stream: TextIO, path: str) -> Iterator[Paper | Problem]:
    """Yield a Paper for each entry, and a Problem for each entry that cannot be read."""
    import bibtexparser

    with _quiet("bibtexparser"):
        library = bibtexparser.parse_string(stream.read().lstrip("\ufeff"), parse_stack=[])
    problems, more_entries = _failed_blocks(library, path)
    yield from problems
    strings, problems = _strings(library, path)
    yield from problems
    raw = {entry.key.lower(): entry for entry in library.entries}
    for entry in sorted(library.entries + more_entries, key=lambda e: e.start_line or 0):
        if entry.entry_type.lower() not in NOT_PAPERS:
            yield from _entry(entry, raw, strings, Source(path, entry.start_line + 1, NAME))


@contextmanager
def _quiet(logger_name: str):
    """Silence a library's log messages; what they say is reported here as Problems."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _failed_blocks(library, path: str) -> tuple[list[Problem], list]:
    """Problems for the blocks bibtexparser could not take, and the entries still worth reading
    (a second entry with a key already used, an entry with a field given twice)."""
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

    problems, entries = [], []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            entries.append(block.ignore_error_block)
            reason = f"a second entry with key {block.key!r}; read as a record of its own"
        elif isinstance(block, DuplicateFieldKeyBlock):
            entries.append(block.ignore_error_block)
            line = block.ignore_error_block.start_line + 1
            keys = ", ".join(sorted(block.duplicate_keys))
            reason = f"entry {block.ignore_error_block.key!r} gives {keys} twice; the last value is kept"
        else:
            first = ((block.raw or "").strip().splitlines() or [""])[0][:60]
            error = getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__
            problems.append(Problem(path, line, f"entry is not valid BibTeX ({' '.join(error.split())}): {first!r}"))
            continue
        problems.append(Problem(path, line, reason, skipped=False))
    return problems, [entry for entry in entries if entry is not None]


def _strings(library, path: str) -> tuple[dict[str, str], list[Problem]]:
    """``@string`` macros by lower-case name, each resolved with those defined before it."""
    strings: dict[str, str] = {}
    problems = []
    for block in library.strings:
        try:
            strings[block.key.lower()] = resolve(block.value, strings)
        except _Unresolved as error:
            problems.append(warning(Source(path, block.start_line + 1, NAME), f"@string {block.key}: {error}"))
    return strings, problems


def resolve(raw: str, strings: dict[str, str]) -> str:
    """A raw BibTeX value (``{...}``, ``"..."``, a number, a macro, or parts joined with ``#``)
    as its LaTeX text, outer delimiters removed.

    >>> resolve('iclr # " 2022"', {"iclr": "ICLR"})
    'ICLR 2022'
    """
    text = []
    for part in _parts(raw):
        if part[:1] in ("{", '"') and part[-1:] == ("}" if part[0] == "{" else '"'):
            text.append(part[1:-1])
        elif part.isdigit():
            text.append(part)
        elif part.lower() in strings:
            text.append(strings[part.lower()])
        elif part.lower() in MONTHS:
            text.append(str(MONTHS[part.lower()]))
        else:
            raise _Unresolved(f"macro {part!r} is not defined")
    return "".join(text)


def _parts(raw: str) -> list[str]:
    """The parts of a value joined by ``#`` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start:index].strip())
            start = index + 1
    parts.append(raw[start:].strip())
    return [part for part in parts if part]


def _fields(entry, raw_entries: dict, strings: dict[str, str], source: Source) -> tuple[dict[str, str], list[Problem]]:
    """The entry's fields by lower-case name, resolved, with those inherited through ``crossref``."""
    fields, problems = {}, []
    for field in entry.fields:
        try:
            fields[field.key.lower()] = resolve(field.value, strings)
        except _Unresolved as error:
            problems.append(warning(source, f"field {field.key!r} of {entry.key!r} dropped: {error}"))
    parent = raw_entries.get(fields.get("crossref", "").strip().lower())
    if parent is not None and parent is not entry:
        inherited, _ = _fields(_without_crossref(parent), raw_entries, strings, source)
        if "title" in inherited:
            inherited.setdefault("booktitle", inherited.pop("title"))
        fields = {**inherited, **fields}
    elif "crossref" in fields:
        problems.append(warning(source, f"crossref {fields['crossref']!r} of {entry.key!r} names no entry"))
    return fields, problems


def _without_crossref(entry):
    """The parent entry as read, ignoring its own crossref (BibTeX follows one level)."""
    from bibtexparser.model import Entry

    return Entry(entry.entry_type, entry.key, [f for f in entry.fields if f.key.lower() != "crossref"])


def _entry(entry, raw_entries: dict, strings: dict[str, str], source: Source) -> Iterator[Paper | Problem]:
    fields, problems = _fields(entry, raw_entries, strings, source)
    yield from problems
    text = {name: latex_to_text(value) for name, value in fields.items() if name in _READ}
    if not text.get("title"):
        yield Problem(source.path, source.line, f"entry {entry.key!r} has no title")
        return
    date, year = _date(text, source)
    if isinstance(date, Problem):
        yield date
        date = None
    doi = normalise_doi(text.get("doi"))
    yield Paper(
        title=text["title"],
        abstract=text.get("abstract", ""),
        authors=authors(fields.get("author", "")),
        date=date,
        year=year,
        url=text.get("url") or (f"https://doi.org/{doi}" if doi else None),
        doi=doi,
        arxiv_id=_arxiv(text, doi),
        local_id=entry.key,
        pmid=normalise_number(text.get("pmid")),
        code_urls=find_code_urls(" ".join(text.get(k, "") for k in ("abstract", "url", "note", "howpublished"))),
        sources=(source,),
    )


def authors(value: str) -> tuple[str, ...]:
    """Author names from a BibTeX ``author`` value, each ``First von Last, Jr``, LaTeX decoded.

    >>> authors(r"Hu, Edward J. and de la Fuente, Ana and {Google Research} and others")
    ('Edward J. Hu', 'Ana de la Fuente', 'Google Research')
    """
    from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

    names = []
    for written in split_multiple_persons_names(value):
        if written.strip().lower() == "others":
            continue
        try:
            parts = parse_single_name_into_parts(written, strict=False)
        except ValueError:
            names.append(latex_to_text(written))
            continue
        words = parts.first + parts.von + parts.last
        name = " ".join(words) + (", " + " ".join(parts.jr) if parts.jr else "")
        names.append(latex_to_text(name))
    return tuple(name for name in names if name)


def _date(text: dict[str, str], source: Source) -> tuple[str | Problem | None, int | None]:
    """``(date, year)`` from ``date`` (biblatex), else ``year`` and ``month``."""
    try:
        if text.get("date"):
            return iso_date(text["date"].split("/")[0])
        if not text.get("year"):
            return None, None
        year = int(text["year"].strip())
    except ValueError:
        written = text.get("date") or text.get("year")
        return warning(source, f"date {written!r} is not a year or ISO date; dropped"), None
    month = _month(text.get("month", ""))
    return (f"{year:04d}-{month:02d}" if month else None), year


def _month(written: str) -> int | None:
    written = written.strip().lower().rstrip(".")
    if written.isdigit() and 1 <= int(written) <= 12:
        return int(written)
    return _MONTH_NAMES.get(written) or _MONTH_NAMES.get(written[:3])


def _arxiv(text: dict[str, str], doi: str | None) -> str | None:
    prefix = (text.get("archiveprefix") or text.get("eprinttype") or "").lower()
    eprint = text.get("eprint", "")
    if eprint and (prefix == "arxiv" or not prefix):
        found = normalise_arxiv(eprint)
        if found:
            return found
    for name in ("arxivid", "arxiv"):
        if normalise_arxiv(text.get(name)):
            return normalise_arxiv(text[name])
    return arxiv_of_doi(doi) or next(
        filter(None, (find_arxiv(text.get(k)) for k in ("journal", "note", "howpublished", "url"))), None)
