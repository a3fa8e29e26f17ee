"""When a work a service returns is the paper looked up: by id, or by title, first author and year.

============================ ==================================================================
found by                     taken when
============================ ==================================================================
an id (DOI, arXiv id,        its title agrees with the paper's: at least
OpenAlex or S2 id)           :data:`~kg.corpus.identity.TITLES_AGREE` (80%) alike once
                             normalised, the rule that merging papers uses
a title search               its title is at least :data:`MATCH_THRESHOLD` (90%) alike once
                             normalised; its year is within :data:`YEAR_SLACK` of the paper's
                             (when both are known: a preprint is often published the year
                             after); its authors include the surname of the paper's first
                             author (when both are known)
============================ ==================================================================

Similarity is the ratio of difflib's ``SequenceMatcher`` (the standard library) on titles
normalised by :func:`~kg.corpus.identity.normalise_title` (case, accents, LaTeX and punctuation
ignored). When a title search leaves several works, the one whose normalised title equals the
paper's is taken if it is the only such; otherwise the lookup is **ambiguous** and nothing is
taken: a wrong match would give the paper another paper's date and references.

Examples
--------
>>> paper = Paper("Attention Is All You Need", year=2017)
>>> works = [Paper("Attention is all you need", year=2017, openalex_id="W1"),
...          Paper("Attention is all you need", year=2023, openalex_id="W2")]
>>> match = by_title(paper, works, "openalex")
>>> match.status, match.work.openalex_id, match.similarity
('matched', 'W1', 1.0)
>>> by_title(Paper("Attention Is All You Need"), works, "openalex").status
'ambiguous'
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.corpus.identity import normalise_title, title_similarity, titles_agree
from kg.records import Paper

MATCH_THRESHOLD = 0.9
"""A work found by a title search is the paper only if their normalised titles are this alike."""

YEAR_SLACK = 1
"""A work found by title is the paper only if their years (when both known) differ by at most this."""

MATCHED, AMBIGUOUS, NONE = "matched", "ambiguous", "none"


@dataclass(frozen=True)
class Match:
    """What one service said of a paper: ``status`` (:data:`MATCHED`, :data:`AMBIGUOUS` or
    :data:`NONE`), the ``work`` taken, the ``service``, how it was found (``by``: an id scheme or
    ``title``), the title similarity, and the works that were left (ambiguous) or refused."""

    status: str
    service: str
    work: Paper | None = None
    by: str = ""
    similarity: float = 0.0
    others: tuple[Paper, ...] = ()


def by_id(paper: Paper, works: list[Paper], service: str, scheme: str) -> Match:
    """The first of ``works`` (found by the paper's ``scheme`` id) whose title agrees with the paper's."""
    for work in works:
        if titles_agree(paper.title, work.title):
            return Match(MATCHED, service, work, scheme, round(title_similarity(paper.title, work.title), 3))
    return Match(NONE, service, by=scheme, others=tuple(works))


def by_title(paper: Paper, works: list[Paper], service: str) -> Match:
    """The work of a title search that is the paper, by the rules above."""
    scored = [(title_similarity(paper.title, work.title), work) for work in works]
    fitting = [(score, work) for score, work in scored
               if score >= MATCH_THRESHOLD and _years_fit(paper, work) and _authors_fit(paper, work)]
    fitting = _distinct(fitting)
    exact = [(score, work) for score, work in fitting if score == 1.0]
    chosen = exact if len(exact) == 1 else fitting
    if len(chosen) == 1:
        score, work = chosen[0]
        return Match(MATCHED, service, work, "title", round(score, 3))
    if chosen:
        return Match(AMBIGUOUS, service, by="title", others=tuple(work for _, work in chosen))
    return Match(NONE, service, by="title")


def first_surname(paper: Paper) -> str:
    """The normalised surname of the paper's first author (``Hu, Edward J.`` or ``Edward J. Hu``), or ``""``.

    >>> first_surname(Paper("x", authors=("Edward J. Hu",))), first_surname(Paper("x", authors=("Hu, E.",)))
    ('hu', 'hu')
    """
    if not paper.authors:
        return ""
    name = paper.authors[0]
    name = name.split(",")[0] if "," in name else (name.split() or [""])[-1]
    return normalise_title(name)


def _years_fit(paper: Paper, work: Paper) -> bool:
    return not paper.year or not work.year or abs(paper.year - work.year) <= YEAR_SLACK


def _authors_fit(paper: Paper, work: Paper) -> bool:
    surname = first_surname(paper)
    if not surname or not work.authors:
        return True
    return any(surname in normalise_title(name).split() for name in work.authors)


def _distinct(scored: list[tuple[float, Paper]]) -> list[tuple[float, Paper]]:
    """One entry per work: a service may list a work twice (two pages, two versions of one id)."""
    seen, kept = set(), []
    for score, work in scored:
        ids = (work.openalex_id, work.s2_id, work.arxiv_id, work.doi)
        if ids not in seen or ids == (None, None, None, None):
            seen.add(ids)
            kept.append((score, work))
    return kept
