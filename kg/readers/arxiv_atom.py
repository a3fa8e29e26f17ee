"""Read arXiv API responses: Atom feeds from ``/api/query``, in both layouts arXiv has served.

The long-standing layout declares the ``arxiv:`` and ``opensearch:`` namespaces on each element
that uses them and links over ``http``; the newer one declares them once on ``<feed>``, orders
an entry's elements differently and links over ``https``. Elements are found by namespace, so
both read the same. From each ``<entry>``:

========================== ========================================================================
``id``                     the arXiv id, version dropped (``http://arxiv.org/abs/2106.09685v2``)
``title``, ``summary``     title and abstract, line breaks and runs of spaces made one space
``author/name``            author names
``published``              the date of the first version
``arxiv:doi``              the DOI of the published version
``arxiv:journal_ref``      where it was published (the venue), as the authors wrote it
``arxiv:comment``          GitHub links in it (and in the abstract) become ``code_urls``
========================== ========================================================================

The URL is the unversioned abstract page. An error entry (arXiv answers a bad query with an
entry whose id is ``.../api/errors#...``) and an entry without title or id are reported as
Problems; XML that is not well-formed stops the file with a Problem naming the line.
``kg fetch arxiv`` writes one feed holding every page it fetched.

Examples
--------
>>> import io
>>> feed = '''<feed xmlns="http://www.w3.org/2005/Atom"><entry>
... <id>http://arxiv.org/abs/2106.09685v2</id><published>2021-06-17T17:37:18Z</published>
... <title>LoRA: Low-Rank Adaptation of
...   Large Language Models</title><summary>  We propose LoRA.
... </summary><author><name>Edward J. Hu</name></author></entry></feed>'''
>>> paper, = read(io.StringIO(feed), "query.atom")
>>> paper.arxiv_id, paper.title, paper.date, str(paper.sources[0])
('2106.09685', 'LoRA: Low-Rank Adaptation of Large Language Models', '2021-06-17', 'query.atom:1')
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO
from xml.etree import ElementTree

from kg.corpus.identity import normalise_arxiv, normalise_doi
from kg.readers._fields import clean, find_code_urls, iso_date, warning
from kg.records import Paper, Problem, Source

NAME = "arxiv-atom"

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
_NS = {"atom": ATOM, "arxiv": ARXIV}
_ENTRY = f"{{{ATOM}}}entry"


def sniff(head: str) -> bool:
    """Whether ``head`` is an Atom feed from arXiv (the Atom namespace and arXiv's, or arxiv.org)."""
    text = head.lstrip("\ufeff \t\r\n")
    return text.startswith("<") and ATOM in head and ("arxiv.org" in head or ARXIV in head)


def read(stream: TextIO, path: str) -> Iterator[Paper | Problem]:
    """Yield a Paper for each entry of the feed, and a Problem for each entry that is not a paper."""
    for line, entry in entries(stream, path):
        if isinstance(entry, Problem):
            yield entry
        else:
            yield from _entry(entry, Source(path, line, NAME))


def entries(stream: TextIO, path: str) -> Iterator[tuple[int, ElementTree.Element | Problem]]:
    """``(line, <entry> element)`` for each entry as the feed is read, memory staying flat; a
    Problem (with its line) ends the file where the XML stops being well-formed."""
    from xml.parsers import expat

    builder = _EntryBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = lambda name, attrs: builder.start(_tag(name), attrs, parser.CurrentLineNumber)
    parser.EndElementHandler = lambda name: builder.end(_tag(name))
    parser.CharacterDataHandler = builder.data
    empty = True
    try:
        for number, text in enumerate(stream, 1):
            parser.Parse(text.lstrip("\ufeff") if number == 1 else text, False)
            empty = empty and not text.strip()
            yield from builder.take()
        if empty:
            return
        parser.Parse("", True)
    except expat.ExpatError as error:
        yield from builder.take()
        reason = f"not well-formed XML: {expat.errors.messages[error.code]} (line {error.lineno}, " \
                 f"column {error.offset + 1}); the rest of the file was not read"
        yield error.lineno, Problem(path, error.lineno, reason)
        return
    yield from builder.take()


def _tag(name: str) -> str:
    """``{namespace}local`` from expat's ``namespace}local``."""
    return "{" + name if "}" in name else name


class _EntryBuilder:
    """Builds each ``<entry>`` (and nothing outside one), handing it over with its first line."""

    def __init__(self):
        self.tree: ElementTree.TreeBuilder | None = None
        self.line = self.depth = 0
        self.done: list[tuple[int, ElementTree.Element]] = []

    def start(self, tag: str, attrs: dict, line: int) -> None:
        if self.tree is None:
            if tag != _ENTRY:
                return
            self.tree, self.line = ElementTree.TreeBuilder(), line
        self.depth += 1
        self.tree.start(tag, attrs)

    def data(self, text: str) -> None:
        if self.tree is not None:
            self.tree.data(text)

    def end(self, tag: str) -> None:
        if self.tree is None:
            return
        self.tree.end(tag)
        self.depth -= 1
        if self.depth == 0:
            self.done.append((self.line, self.tree.close()))
            self.tree = None

    def take(self) -> list[tuple[int, ElementTree.Element]]:
        """The entries finished since the last call."""
        done, self.done = self.done, []
        return done


def _entry(entry: ElementTree.Element, source: Source) -> Iterator[Paper | Problem]:
    entry_id = entry.findtext("atom:id", "", _NS).strip()
    title = clean(entry.findtext("atom:title", "", _NS))
    summary = clean(entry.findtext("atom:summary", "", _NS))
    if "/api/errors" in entry_id or title == "Error":
        yield Problem(source.path, source.line, f"arXiv error entry: {summary or entry_id}")
        return
    arxiv_id = normalise_arxiv(entry_id)
    if not title or not arxiv_id:
        missing = "title" if arxiv_id else "arXiv id"
        yield Problem(source.path, source.line, f"entry {entry_id or '(no id)'} has no {missing}")
        return
    date, year = None, None
    published = entry.findtext("atom:published", "", _NS).strip()
    if published:
        try:
            date, year = iso_date(published)
        except ValueError as error:
            yield warning(source, f"published date dropped: {error}")
    comment = clean(entry.findtext("arxiv:comment", "", _NS))
    authors = (clean(a.findtext("atom:name", "", _NS)) for a in entry.iterfind("atom:author", _NS))
    yield Paper(
        title=title,
        abstract=summary,
        authors=tuple(name for name in authors if name),
        date=date,
        year=year,
        url=f"https://arxiv.org/abs/{arxiv_id}",
        doi=normalise_doi(entry.findtext("arxiv:doi", "", _NS)),
        venue=clean(entry.findtext("arxiv:journal_ref", "", _NS)) or None,
        arxiv_id=arxiv_id,
        code_urls=find_code_urls(f"{summary} {comment}"),
        sources=(source,),
    )
