"""Read Hugging Face "Daily Papers" listing pages saved or pasted as plain text.

Two layouts occur, and both are read line by line (blank lines carry no meaning):

* Layout A has no blank lines: two header lines (``Get trending papers in your email
  inbox...``), then ``Subscribe`` with the first title glued to it, then lines
  alternating title / abstract.
* Layout B has blank-line separated blocks: page chrome (``new``, ``Subscribe``,
  ``Daily Papers``, ``byAK and the research community``, a bare listing date such as
  ``Nov 11``), then per paper a title, an abstract and optionally a details block::

      • 7 authors                        Alibaba-DAMO-Academy DAMO Academy
      ·                          or      ·
      Mar 24, 2024                       Oct 12 2

  A date may lack the year (``Sep 9``, kept as ``listed``) and may end in an upvote
  count (``Sep 17, 2024 7``), which is not part of the date.

A line is an abstract when it is long (titles are short), or when it follows a title and reads
as a sentence (eight words or more, ending in a full stop), so a title without an abstract is
still read, and so is a short abstract. A line that looks like chrome or a date is read as a title when an abstract
follows it. LaTeX in titles is made readable (``$\\textit{Trans-LoRA}$`` -> ``Trans-LoRA``,
``Adapt-$\\infty$`` -> ``Adapt-infty``, as the site itself renders it); in abstracts only
escaped characters and accents are resolved (``9.4\\%`` -> ``9.4%``, ``Poincar\\'e`` ->
``Poincaré``). GitHub links in abstracts become ``code_urls``.

Examples
--------
>>> import io
>>> page = '''Subscribe
...
... Adapters: A Study
...
... We study adapters at length and release https://github.com/acme/adapters. ''' + 200 * "x" + '''
...
...   • 3 authors
... ·
... Mar 24, 2024 7
... '''
>>> paper, = read(io.StringIO(page), "daily.txt")
>>> paper.title, paper.author_count, paper.date, paper.year, paper.code_urls
('Adapters: A Study', 3, '2024-03-24', 2024, ('https://github.com/acme/adapters',))
>>> clean_title(r"$\\textit{Trans-LoRA}$: towards data-free   Transfer")
'Trans-LoRA: towards data-free Transfer'
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TextIO

from kg.readers._fields import find_code_urls
from kg.records import Paper, Problem, Source

NAME = "hf-daily"

ABSTRACT_MIN_CHARS = 250
"""A line at least this long is an abstract; the longest arXiv titles stay well below it."""

SHORT_ABSTRACT_WORDS = 8
"""A shorter line right after a title is its abstract when it has this many words and ends in a full stop."""

_CHROME = frozenset(
    {
        "new",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
    }
)
_GLUED_PREFIX = "Subscribe"
_SEPARATOR = "·"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_AUTHORS = re.compile(r"•\s*(\d+)\s+authors?")
_DATE = re.compile(
    rf"(?P<listed>(?P<month>{'|'.join(_MONTHS)}) (?P<day>\d{{1,2}}))"
    r"(?:, (?P<year>\d{4}))?(?: (?P<upvotes>\d+))?"
)
_MATH_DELIMITER = re.compile(r"(?<!\\)\$")
_ESCAPED_CHARACTER = re.compile(r"\\([%&_#$])")
_ACCENT = re.compile(r"\\(['\"`^~])\{?([A-Za-z])\}?")
_ACCENT_MARKS = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303"}
_WRAPPER = re.compile(r"\\[A-Za-z]+\s*\{([^{}]*)\}")
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def sniff(head: str) -> bool:
    """Whether ``head`` looks like a Daily Papers listing: page chrome or long abstract lines.

    Text that looks like JSON or XML is never claimed; BibTeX and CSV are asked first (this
    reader's sniff priority is late, see :mod:`kg.registry`).
    """
    if head.lstrip("\ufeff \t\r\n")[:1] in ("{", "[", "<"):
        return False
    lines = [line.strip() for line in head.splitlines()]
    has_chrome = any(line.startswith(_GLUED_PREFIX) or line in _CHROME for line in lines)
    return has_chrome or any(len(line) >= ABSTRACT_MIN_CHARS for line in lines)


def read(stream: TextIO, path: str) -> Iterator[Paper | Problem]:
    """Yield a Paper for each title in the listing, and a Problem for text that fits nowhere."""
    listing = _Listing(path)
    for (line, text), following in _with_following(_nonblank_lines(stream)):
        yield from listing.feed(line, text, following)
    yield from listing.finish()


def clean_title(title: str) -> str:
    """``title`` with LaTeX made readable.

    Math ``$`` are dropped, ``\\textit{x}`` becomes ``x``, ``\\infty`` becomes ``infty``,
    escaped characters and accents are resolved and runs of spaces become one.
    """
    text = _MATH_DELIMITER.sub("", title)
    text = unescape_latex(text)
    while _WRAPPER.search(text):
        text = _WRAPPER.sub(r"\1", text)
    text = _COMMAND.sub(r"\1", text).replace("{", "").replace("}", "")
    return " ".join(text.split())


def unescape_latex(text: str) -> str:
    """``text`` with LaTeX-escaped characters (``\\%``) and accents (``\\'e``) resolved."""
    text = _ACCENT.sub(_accented, text)
    return _ESCAPED_CHARACTER.sub(r"\1", text)


def _accented(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", match.group(2) + _ACCENT_MARKS[match.group(1)])


def _nonblank_lines(stream: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, 1):
        text = (line.lstrip("\ufeff") if number == 1 else line).strip()
        if text:
            yield number, text


def _with_following(
    lines: Iterable[tuple[int, str]],
) -> Iterator[tuple[tuple[int, str], str | None]]:
    """Each line with the text of the line after it (None for the last)."""
    previous = None
    for item in lines:
        if previous is not None:
            yield previous, item[1]
        previous = item
    if previous is not None:
        yield previous, None


def _looks_like_abstract(text: str | None) -> bool:
    return text is not None and len(text) >= ABSTRACT_MIN_CHARS


def _looks_like_short_abstract(text: str) -> bool:
    """A line after a title that reads as a sentence or more: at least :data:`SHORT_ABSTRACT_WORDS`
    words, ending in a full stop (titles do not; questions may be titles)."""
    return text.endswith(".") and len(text.split()) >= SHORT_ABSTRACT_WORDS


class _Listing:
    """The state of one listing while it is read: the paper being filled and what came before."""

    def __init__(self, path: str):
        self.path = path
        self.draft: dict | None = None
        self.previous_kind = ""

    def feed(self, line: int, text: str, following: str | None) -> Iterator[Paper | Problem]:
        """Take one non-blank line, given the text of the next one."""
        kind = self._kind(text, following)
        self.previous_kind = kind
        yield from getattr(self, f"_on_{kind}")(line, text)

    def finish(self) -> Iterator[Paper | Problem]:
        """Yield the last paper, once the listing has ended."""
        if self.draft:
            yield from self._emit()

    def _kind(self, text: str, following: str | None) -> str:
        if text == _SEPARATOR:
            return "separator"
        if _AUTHORS.fullmatch(text):
            return "authors"
        if _looks_like_abstract(text):
            return "abstract"
        if self.previous_kind in ("title", "glued_title") and _looks_like_short_abstract(text):
            return "abstract"
        if following == _SEPARATOR:
            return "organization"
        if self._is_glued(text):
            return "glued_title"
        if _looks_like_abstract(following):
            return "title"
        if self.previous_kind == "separator":
            return "date"
        return "chrome" if text in _CHROME or _DATE.fullmatch(text) else "title"

    def _is_glued(self, text: str) -> bool:
        """Layout A's first title, glued to the ``Subscribe`` button after the header lines."""
        glued = text.startswith(_GLUED_PREFIX) and text != _GLUED_PREFIX
        return glued and self.previous_kind == "chrome"

    def _on_separator(self, line: int, text: str) -> Iterator[Problem]:
        return iter(())

    def _on_chrome(self, line: int, text: str) -> Iterator[Problem]:
        return iter(())

    def _on_glued_title(self, line: int, text: str) -> Iterator[Paper | Problem]:
        return self._on_title(line, text.removeprefix(_GLUED_PREFIX))

    def _on_title(self, line: int, text: str) -> Iterator[Paper | Problem]:
        if self.draft:
            yield from self._emit()
        self.draft = {"title": text, "line": line}

    def _on_abstract(self, line: int, text: str) -> Iterator[Problem]:
        if self.draft and "abstract" not in self.draft:
            self.draft["abstract"] = text
            return iter(())
        reason = "text looks like an abstract but no title line comes before it"
        return iter((Problem(self.path, line, reason),))

    def _on_authors(self, line: int, text: str) -> Iterator[Problem]:
        return self._set_detail(line, text, author_count=int(_AUTHORS.fullmatch(text).group(1)))

    def _on_organization(self, line: int, text: str) -> Iterator[Problem]:
        return self._set_detail(line, text, organization=text)

    def _on_date(self, line: int, text: str) -> Iterator[Problem]:
        try:
            fields = _parse_date(text)
        except ValueError as error:
            return iter((self._warning(line, f"{error}; ignored"),))
        return self._set_detail(line, text, **fields)

    def _set_detail(self, line: int, text: str, **fields: object) -> Iterator[Problem]:
        """Put paper details (authors, organisation, date) into the paper being read."""
        if self.draft is None:
            reason = f"paper details {text!r} have no title before them"
            return iter((Problem(self.path, line, reason),))
        if any(name in self.draft for name in fields):
            return iter((self._warning(line, f"paper already has details like {text!r}; ignored"),))
        self.draft.update(fields)
        return iter(())

    def _warning(self, line: int, reason: str) -> Problem:
        return Problem(self.path, line, reason, skipped=False)

    def _emit(self) -> Iterator[Paper | Problem]:
        draft, self.draft = self.draft, None
        line = draft.pop("line")
        title = clean_title(draft.pop("title"))
        if not title:
            yield Problem(self.path, line, "title line has no readable text")
            return
        abstract = unescape_latex(draft.pop("abstract", ""))
        source = Source(self.path, line, NAME)
        yield Paper(title, abstract, code_urls=find_code_urls(abstract), sources=(source,), **draft)


def _parse_date(text: str) -> dict[str, object]:
    """Paper fields from a date line: ``date`` and ``year``, or ``listed`` when it has no year.

    An upvote count at the end (``Sep 17, 2024 7``, ``Oct 12 2``) is not part of the date.
    """
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a date like 'Mar 24, 2024'")
    month = _MONTHS.index(match.group("month")) + 1
    day, year = int(match.group("day")), match.group("year")
    try:
        day_in_year = datetime.date(int(year or 2000), month, day)
    except ValueError:
        raise ValueError(f"{match.group(0)!r} is not a real date") from None
    if year is None:
        return {"listed": match.group("listed")}
    return {"date": day_in_year.isoformat(), "year": day_in_year.year}
