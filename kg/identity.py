"""Paper identity: normalised identifiers and the stable key of a paper.

A paper's key is ``arxiv:<id>`` (version stripped) or ``doi:<doi>`` when known, else
``title:<16 hex digits>``, a hash of the normalised title. Two records with the same title
(after normalisation) or the same identifier are the same paper.

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
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+\s*")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?$")
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def normalise_title(title: str) -> str:
    """Lower case, accents and LaTeX commands removed, runs of non-word characters as one space."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _LATEX_COMMAND.sub(" ", text)
    return _NON_WORD.sub(" ", text).strip().lower()


def title_hash(title: str) -> str:
    """The first 16 hex digits of the SHA-1 of the normalised title."""
    return hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]


def normalise_arxiv(value: str | None) -> str | None:
    """An arXiv id without ``arXiv:`` prefix, URL or version, or None if it is not one."""
    if not value:
        return None
    text = value.strip()
    text = re.sub(r"^(?:https?://)?(?:www\.)?arxiv\.org/(?:abs|pdf)/", "", text, flags=re.I)
    text = re.sub(r"^arxiv:", "", text, flags=re.I).removesuffix(".pdf")
    match = _ARXIV_NEW.match(text) or _ARXIV_OLD.match(text)
    return match.group(1) if match else None


def normalise_doi(value: str | None) -> str | None:
    """A DOI in lower case without resolver prefix, or None if it is not one."""
    if not value:
        return None
    match = _DOI.search(value.strip())
    return match.group(0).rstrip(".").lower() if match else None


def paper_key(title: str, doi: str | None = None, arxiv_id: str | None = None) -> str:
    """The stable key of a paper: its arXiv id, else its DOI, else a hash of its title."""
    doi = normalise_doi(doi)
    if doi and doi.startswith("10.48550/arxiv."):
        arxiv_id = arxiv_id or doi.split("arxiv.", 1)[1]
    arxiv = normalise_arxiv(arxiv_id)
    if arxiv:
        return f"arxiv:{arxiv}"
    if doi:
        return f"doi:{doi}"
    return f"title:{title_hash(title)}"
