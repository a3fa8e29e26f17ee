"""Field rules shared by the readers: one record's fields -> a Paper, dates, names, code links.

:func:`paper_from_fields` turns the fields of the JSON Lines and CSV readers into a
:class:`~kg.records.Paper` (see :mod:`kg.readers.jsonl` for the fields); the other helpers
(:func:`find_code_urls`, :func:`iso_date`, :func:`clean`, :func:`warning`, :func:`json_kind`)
serve every reader.

Examples
--------
>>> from kg.records import Source
>>> paper, = paper_from_fields({"title": " BERT ", "date": "2019-06"}, Source("x.jsonl", 1, "jsonl"))
>>> paper.title, paper.date, paper.year
('BERT', '2019-06', 2019)
>>> iso_date("2021-06-17T13:46:39Z")
('2021-06-17', 2021)
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator, Mapping

from kg.records import Paper, Problem, Source

# A GitHub repository link; tolerates the stray spaces PDF extraction leaves in URLs
# ("https: // github. com/ owner/ repo", "github.com/owner/ repo/tree/...").
_GITHUB = re.compile(
    r"(?<![\w.-])(?:https?:\s?//\s?)?(?:www\.)?github\s?\.\s?com\s?/\s?"
    r"(?P<owner>[A-Za-z0-9][A-Za-z0-9-]*)/"
    r"(?:(?P<repo>[A-Za-z0-9_.-]+)|\s(?P<spaced>[A-Za-z0-9_.-]+)(?=[/.,;:)\]}]|\s*$))"
)
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?")


def paper_from_fields(fields: Mapping[str, object], source: Source) -> Iterator[Paper | Problem]:
    """Yield the Paper for one record's fields, after a warning for each field dropped.

    Missing fields, ``None`` and empty text count as absent. Without a usable title the
    record is skipped and the only item yielded is a Problem.
    """
    title = fields.get("title")
    if not isinstance(title, str) or not title.strip():
        yield Problem(source.path, source.line, _title_reason(title))
        return
    values: dict[str, object] = {}
    for name, convert in _CONVERTERS.items():
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            values[name] = convert(value)
        except ValueError as error:
            yield _warning(source, f"field {name!r} dropped: {error}")
    yield from _year_conflict(values, source)
    yield _paper(" ".join(title.split()), values, source)


def find_code_urls(text: str) -> tuple[str, ...]:
    """The GitHub repositories linked in ``text``, as ``https://github.com/owner/repo``, in order.

    Trailing sentence punctuation and ``.git`` are dropped, deeper paths are cut to the
    repository, and each repository is listed once.
    """
    urls: dict[str, str] = {}
    for match in _GITHUB.finditer(text):
        repo = _clean_repo(match.group("repo") or match.group("spaced"))
        if repo:
            url = f"https://github.com/{match.group('owner')}/{repo}"
            urls.setdefault(url.lower(), url)
    return tuple(urls.values())


def _clean_repo(repo: str) -> str:
    return repo.rstrip(".").removesuffix(".git").rstrip(".")


def _title_reason(title: object) -> str:
    if title is None or isinstance(title, str):
        return "record has no title"
    return f"record's title is not text but {_json_kind(title)}"


def _warning(source: Source, reason: str) -> Problem:
    return Problem(source.path, source.line, reason, skipped=False)


def _json_kind(value: object) -> str:
    """How JSON would name the type of ``value``: 'a JSON list', 'a number', ..."""
    if isinstance(value, bool):
        return "true or false"
    kinds = {dict: "a JSON object", list: "a JSON list", str: "text", type(None): "null"}
    return kinds.get(type(value), "a number")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_json_kind(value)}")
    return " ".join(value.split())


def _identifier(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected text or a whole number, got {_json_kind(value)}")
    return value.strip()


def _names(value: object) -> tuple[str, ...]:
    """A list of texts, or one text separated by ``;``, without blank or ``null`` items."""
    return tuple(name for name in (_text(item) for item in _items(value)) if name)


def _identifiers(value: object) -> tuple[str, ...]:
    """A list of ids (texts or whole numbers), or one text separated by ``;``; ``null`` items left out."""
    return tuple(ident for ident in (_identifier(item) for item in _items(value)) if ident)


def _items(value: object) -> list:
    """The items of a list or of ``;``-separated text; ``null`` items (no value, as a missing
    field is) are left out.

    >>> _items(["a", None, "b"]), _items("a; b")
    (['a', 'b'], ['a', ' b'])
    """
    items = value.split(";") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ValueError(f"expected a list or ';'-separated text, got {_json_kind(value)}")
    return [item for item in items if item is not None]


def _year(value: object) -> int:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.isdigit():
        text = int(text)
    if not isinstance(text, int) or isinstance(text, bool):
        raise ValueError(f"{value!r} is not a year")
    if not 1000 <= text <= 9999:
        raise ValueError(f"{value!r} is not a four-digit year")
    return text


def _count(value: object) -> int:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.isdigit():
        text = int(text)
    if not isinstance(text, int) or isinstance(text, bool) or text < 1:
        raise ValueError(f"{value!r} is not a positive whole number")
    return text


def _iso_date(value: object) -> tuple[str | None, int]:
    """``(date, year)`` from ISO text; a bare year gives ``(None, year)``."""
    match = _ISO_DATE.fullmatch(_text(value))
    if not match:
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    return "-".join(part for part in (year, month, day) if part) if month else None, int(year)


_CONVERTERS: dict[str, Callable[[object], object]] = {
    "id": _identifier,
    "abstract": _text,
    "authors": _names,
    "date": _iso_date,
    "year": _year,
    "url": _text,
    "doi": _text,
    "arxiv_id": _text,
    "references": _identifiers,
    "openalex_id": _text,
    "s2_id": _text,
    "mag_id": _identifier,
    "pmid": _identifier,
    "venue": _text,
    "author_count": _count,
    "organization": _text,
    "listed": _text,
    "code_urls": _names,
}
CONVERTERS = _CONVERTERS
"""The optional fields :func:`paper_from_fields` reads, each with its converter."""


def _year_conflict(values: dict[str, object], source: Source) -> Iterator[Problem]:
    date_year = values.get("date", (None, None))[1]
    year = values.get("year")
    if date_year and year and date_year != year:
        reason = f"year {year} does not match date's year {date_year}; kept {date_year}"
        yield _warning(source, reason)


def _paper(title: str, values: dict[str, object], source: Source) -> Paper:
    date, date_year = values.get("date", (None, None))
    authors = values.get("authors", ())
    abstract = values.get("abstract", "")
    return Paper(
        title=title,
        abstract=abstract,
        authors=authors,
        author_count=len(authors) or values.get("author_count"),
        organization=values.get("organization"),
        date=date,
        year=date_year or values.get("year"),
        url=values.get("url"),
        doi=values.get("doi"),
        arxiv_id=values.get("arxiv_id"),
        local_id=values.get("id") or None,
        references=values.get("references", ()),
        listed=values.get("listed"),
        code_urls=tuple(dict.fromkeys((*values.get("code_urls", ()), *find_code_urls(abstract)))),
        sources=(source,),
        venue=values.get("venue"),
        openalex_id=values.get("openalex_id"),
        s2_id=values.get("s2_id"),
        mag_id=values.get("mag_id"),
        pmid=values.get("pmid"),
    )


def clean(text: object) -> str:
    """``text`` with runs of white space (newlines included) as one space; non-text gives ``""``."""
    return " ".join(text.split()) if isinstance(text, str) else ""


def iso_date(value: object) -> tuple[str | None, int]:
    """``(date, year)`` from ISO text (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, a time may follow);
    a bare year gives ``(None, year)``. Raises ValueError for anything else."""
    return _iso_date(value)


warning = _warning
json_kind = _json_kind
