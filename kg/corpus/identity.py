"""Paper identity: normalised identifiers, typed ids and the stable key of a paper.

An identifier is kept in one spelling whatever the source wrote:

========== ==================================================== ===================
scheme     written as                                           kept as
========== ==================================================== ===================
``arxiv``  ``arXiv:2106.09685v2``, ``https://arxiv.org/abs/...`` ``2106.09685``
``doi``    ``https://doi.org/10.18653/V1/N19-1423``, ``doi:...`` ``10.18653/v1/n19-1423``
``openalex`` ``https://openalex.org/W2963403868``               ``W2963403868``
``s2``     Semantic Scholar ``paperId`` (40 hex digits)          lower case
``mag``    Microsoft Academic Graph id                           digits
``pmid``   ``https://pubmed.ncbi.nlm.nih.gov/31452104``          digits
========== ==================================================== ===================

A DOI of arXiv's own (``10.48550/arXiv.2106.09685``) is the arXiv id, not a DOI. A typed id
is ``scheme:value`` (``arxiv:2106.09685``). A paper's key is its first typed id in the order
of the table, else ``title:<16 hex digits>``, a hash of the normalised title.

Examples
--------
>>> normalise_title("  $\\\\textit{Trans-LoRA}$: Towards Data-free ")
'trans lora towards data free'
>>> normalise_arxiv("arXiv:2106.09685v2")
'2106.09685'
>>> normalise_doi("https://doi.org/10.1145/3292500.3330701")
'10.1145/3292500.3330701'
>>> paper_key(title="Attention Is All You Need", arxiv_id="1706.03762v7")
'arxiv:1706.03762'
>>> typed_id("https://doi.org/10.48550/arXiv.2106.09685"), typed_id("https://openalex.org/W42")
('arxiv:2106.09685', 'openalex:W42')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from difflib import SequenceMatcher
from urllib.parse import unquote

SCHEMES = ("arxiv", "doi", "openalex", "s2", "mag", "pmid")
"""Identifier schemes, in the order a paper's key prefers them."""

FIELDS = {"arxiv": "arxiv_id", "doi": "doi", "openalex": "openalex_id", "s2": "s2_id",
          "mag": "mag_id", "pmid": "pmid"}
"""The :class:`~kg.records.Paper` field holding each scheme's identifier."""

TITLES_AGREE = 0.8
"""Two titles of one paper agree when their normalised forms are at least this similar."""

_LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+\s*")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?$")
_ARXIV_URL = re.compile(r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/", re.I)
_ARXIV_IN_TEXT = re.compile(r"(?:arxiv\s*:\s*|arxiv\.org/(?:abs|pdf)/)"
                            r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.I)
_OPENALEX = re.compile(r"^(?:(?:https?://)?(?:api\.)?openalex\.org/(?:works/)?|openalex:)?([Ww]\d+)$")
_S2 = re.compile(r"^(?:s2:|(?:https?://)?(?:www\.|api\.)?semanticscholar\.org/\S*/)?([0-9a-fA-F]{40})$")
_DIGITS = re.compile(r"^(?:mag:|pmid:|(?:https?://)?pubmed\.ncbi\.nlm\.nih\.gov/)?(\d+)/?$", re.I)
_PREFIXED = re.compile(r"^(arxiv|doi|openalex|s2|mag|pmid)\s*:\s*(.+)$", re.I)


def normalise_title(title: str) -> str:
    """Lower case, accents and LaTeX commands removed, runs of non-word characters as one space."""
    if not title:
        return ""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _LATEX_COMMAND.sub(" ", text)
    return _NON_WORD.sub(" ", text).strip().lower()


def title_hash(title: str) -> str:
    """The first 16 hex digits of the SHA-1 of the normalised title."""
    return hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]


def title_similarity(a: str, b: str) -> float:
    """How alike two titles are once normalised, from 0 to 1: difflib's ``SequenceMatcher`` ratio.

    >>> title_similarity("Attention is all you need", "Attention Is All You Need!")
    1.0
    """
    a, b = normalise_title(a), normalise_title(b)
    return 1.0 if a == b else SequenceMatcher(None, a, b).ratio()


def titles_agree(a: str, b: str) -> bool:
    """Whether two titles name one paper: equal once normalised, or nearly so (a typo, a subtitle
    rendered differently), by :data:`TITLES_AGREE`. An unknown title agrees with any."""
    return not normalise_title(a) or not normalise_title(b) or title_similarity(a, b) >= TITLES_AGREE


def normalise_arxiv(value: str | None) -> str | None:
    """An arXiv id without ``arXiv:`` prefix, URL or version, or None if it is not one."""
    if not value:
        return None
    text = _ARXIV_URL.sub("", value.strip())
    text = re.sub(r"^arxiv\s*:\s*", "", text, flags=re.I)
    text = (text.split() or [""])[0].removesuffix(".pdf")
    match = _ARXIV_NEW.match(text) or _ARXIV_OLD.match(text)
    return match.group(1) if match else None


def find_arxiv(text: str | None) -> str | None:
    """The arXiv id named in free text (``arXiv:2106.09685 [cs]``, an arxiv.org link), or None."""
    match = _ARXIV_IN_TEXT.search(text or "")
    return match.group(1) if match else None


def normalise_doi(value: str | None) -> str | None:
    """A DOI in lower case without resolver prefix or trailing punctuation, or None."""
    if not value:
        return None
    match = _DOI.search(unquote(value.strip()))
    if not match:
        return None
    doi = match.group(0).rstrip(".,;").lower()
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1]
    return doi


def arxiv_of_doi(doi: str | None) -> str | None:
    """The arXiv id of a DOI that arXiv itself minted (``10.48550/arXiv.2106.09685``), or None."""
    match = _ARXIV_DOI.match(normalise_doi(doi) or "")
    return normalise_arxiv(match.group(1)) if match else None


def normalise_openalex(value: str | None) -> str | None:
    """An OpenAlex work id as ``W`` and digits (from a URL or bare), or None."""
    match = _OPENALEX.match((value or "").strip())
    return "W" + match.group(1)[1:] if match else None


def normalise_s2(value: str | None) -> str | None:
    """A Semantic Scholar paper id (40 hex digits, lower case), or None."""
    match = _S2.match((value or "").strip())
    return match.group(1).lower() if match else None


def normalise_number(value: str | int | None) -> str | None:
    """A numeric id (MAG, PubMed) as digits, from a number, text or PubMed URL; or None."""
    if isinstance(value, bool) or value is None:
        return None
    match = _DIGITS.match(str(value).strip())
    return match.group(1).lstrip("0") or None if match else None


_NORMALISERS = {"arxiv": normalise_arxiv, "doi": normalise_doi, "openalex": normalise_openalex,
                "s2": normalise_s2, "mag": normalise_number, "pmid": normalise_number}


def normalise(scheme: str, value) -> str | None:
    """``value`` normalised as an identifier of ``scheme`` (one of :data:`SCHEMES`), or None."""
    if scheme == "doi" and arxiv_of_doi(value):
        return None
    return _NORMALISERS[scheme](value)


def identifiers(paper) -> tuple[str, ...]:
    """The typed ids of a paper record, in key order; an arXiv DOI counts as its arXiv id.

    ``paper`` is anything with the :data:`FIELDS` attributes (a :class:`~kg.records.Paper`).
    """
    return _typed_ids({field: getattr(paper, field, None) for field in FIELDS.values()})


def _typed_ids(values: dict) -> tuple[str, ...]:
    found = []
    arxiv = normalise_arxiv(values["arxiv_id"]) or arxiv_of_doi(values["doi"])
    if arxiv:
        found.append(f"arxiv:{arxiv}")
    for scheme in SCHEMES[1:]:
        value = values[FIELDS[scheme]] and normalise(scheme, values[FIELDS[scheme]])
        if value:
            found.append(f"{scheme}:{value}")
    return tuple(found)


def typed_id(text: str | None) -> str | None:
    """The typed id a reference names, or None for text that is no global identifier.

    Accepts ``scheme:value`` prefixes, the schemes' URLs, a bare DOI, a bare arXiv id and a bare
    Semantic Scholar id. A bare ``W123`` or number is not taken as an id: inputs use such
    text for their own local ids.
    """
    text = unquote((text or "").strip())
    prefixed = _PREFIXED.match(text)
    if prefixed:
        scheme, value = prefixed.group(1).lower(), prefixed.group(2)
        if scheme == "doi" and arxiv_of_doi(value):
            return f"arxiv:{arxiv_of_doi(value)}"
        value = _NORMALISERS[scheme](value)
        return f"{scheme}:{value}" if value else None
    if arxiv_of_doi(text):
        return f"arxiv:{arxiv_of_doi(text)}"
    for scheme, test in (("doi", _DOI.search), ("arxiv", normalise_arxiv),
                         ("openalex", re.compile(r"openalex\.org/").search), ("s2", normalise_s2),
                         ("pmid", re.compile(r"pubmed\.ncbi").search)):
        if test(text):
            value = _NORMALISERS[scheme](text)
            if value:
                return f"{scheme}:{value}"
    return None


def paper_key(title: str, doi: str | None = None, arxiv_id: str | None = None, **others: str | None) -> str:
    """The stable key of a paper: its first typed id (arXiv, DOI, OpenAlex, S2, MAG, PubMed),
    else a hash of its title. ``others`` are the remaining :data:`FIELDS` by field name."""
    values = {field: others.get(field) for field in FIELDS.values()} | {"doi": doi, "arxiv_id": arxiv_id}
    ids = _typed_ids(values)
    return ids[0] if ids else f"title:{title_hash(title)}"


def key_of(paper) -> str:
    """The key of a :class:`~kg.records.Paper` record (see :func:`paper_key`)."""
    ids = identifiers(paper)
    return ids[0] if ids else f"title:{title_hash(paper.title)}"
