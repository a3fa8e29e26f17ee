"""Candidate term spans in one spaCy ``Doc``, each with a type, extractor name and confidence.

Sources, by priority: the gazetteer, abbreviation definitions, proposal patterns ("we propose
X", "X: ..." in a title), noun chunks typed by their head word (needs a parser), and
name-like tokens (acronyms, CamelCase, names with digits; works on a blank pipeline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.lexicon import EDGE_STOPWORDS, HEAD_TYPES, NAMING_WORDS, NON_TERMS, PROPOSE_VERBS, VAGUE_MODIFIERS

GENERIC_HEADS = frozenset(
    "dataset datasets corpus benchmark suite model models framework frameworks network method "
    "approach algorithm architecture system task tasks pipeline technique metric".split()
)
# Heads too vague to name anything on their own or with only adjectives before them.
VAGUE_HEADS = GENERIC_HEADS | frozenset(
    "metrics score scores models networks methods approaches algorithms architectures systems "
    "techniques strategies strategy mechanism module modules layer layers embedding embeddings "
    "collection problem problems transfer adaptation generalization generalisation alignment "
    "prediction predictions understanding control planning objective loss paradigm scheme "
    "procedure learner policy agent solver".split()
)
_NAME_LIKE = re.compile(r"^(?=.*[A-Za-z])(?:[A-Z0-9][\w\-+.]*[A-Z0-9+][\w\-+.]*|[A-Za-z]+-?\d[\w\-.]*|[a-z]+[A-Z][\w\-+]*)$")
_QUANTITY = re.compile(r"^\d[\d.,]*[KMBT]?$|^\d+(?:st|nd|rd|th|[Dd]|x|X|%)$")
_BREAK = frozenset("to for that which with by in on of and or via using from as , . ; : ( ) [ ] \" '".split())
PRIORITY = {"transformer": -1, "ner": -1, "gazetteer": 0, "abbreviation": 1, "proposal": 2, "title": 2, "noun_chunk": 3, "name": 4}


@dataclass(frozen=True)
class Candidate:
    """A typed span: token offsets in the doc, name, type, extractor, confidence, proposed?"""

    start: int
    end: int
    name: str
    type: str
    extractor: str
    confidence: float
    proposed: bool = False


def is_name_like(text: str) -> bool:
    """Acronyms, CamelCase words and names with digits: BERT, RefHCM, GPT-4, ResNet-50.

    >>> [is_name_like(w) for w in ("BERT", "RefHCM", "GPT-4", "method", "The", "ImageNet-100", "175B")]
    [True, True, True, False, False, True, False]
    """
    return bool(_NAME_LIKE.match(text)) and len(text) > 1 and not _QUANTITY.match(text)


def head_type(word: str) -> str | None:
    """The type a head word gives a term, if any (``"datasets"`` -> ``"dataset"``)."""
    if word in ("mAP", "MAP"):
        return "metric"
    word = word.lower()
    return HEAD_TYPES.get(word) or HEAD_TYPES.get(word.rstrip("s"))


def trim(span):
    """The span without edge stopwords, punctuation and numbers at either end (maybe empty)."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and _edge_junk(doc[start]) and not _hyphenated(doc, start):
        start += 1
    while end > start and _edge_junk(doc[end - 1]):
        end -= 1
    return doc[start:end]


def _hyphenated(doc, index: int) -> bool:
    """Is the token joined to the next by a hyphen ("few-shot")?"""
    token = doc[index]
    return not token.whitespace_ and index + 1 < len(doc) and doc[index + 1].text == "-"


def _edge_junk(token) -> bool:
    return (
        token.is_punct
        or token.like_num
        or token.is_space
        or token.lower_ in EDGE_STOPWORDS
        or token.tag_ in ("JJS", "RBS", "JJR", "RBR", "CC", "PRP$", "DT")
    )


def trim_vague(span):
    """The span without vague modifiers on its left ("extensive experiments" -> "experiments")."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in VAGUE_MODIFIERS:
        start += 1
    return span.doc[start : span.end]


def is_specific(span) -> bool:
    """Does the span name something, rather than a vague class ("datasets", "a new model")?

    A lone vague head word is not specific; a vague head is, when a noun or a name modifies it
    ("language models", "COCO dataset"), not with adjectives only ("pre-trained models").
    """
    head = span[-1]
    if is_name_like(head.text) and len(span) == 1:
        return True
    lower = head.lower_
    vague = lower in VAGUE_HEADS or (lower.endswith("s") and lower[:-1] in VAGUE_HEADS)
    if len(span) == 1:
        return not vague and lower not in NON_TERMS
    if not vague:
        return True
    return any(t.pos_ in ("NOUN", "PROPN") or t.text[:1].isupper() for t in span[:-1])


def last_conjunct(span):
    """The part of a coordinated chunk after its last "and"/"or"/comma."""
    cuts = [t.i + 1 for t in span if t.tag_ == "CC" or t.text == ","]
    return span.doc[max(cuts) : span.end] if cuts else span


def typed_span(span, extractor: str, confidence: float, default: str | None = None):
    """A Candidate for a term span: typed by its head, named without a generic head when the
    rest is a name ("the GLUE benchmark" -> GLUE, dataset). None when nothing term-like is left."""
    span = trim(span)
    if not len(span):
        return None
    head = span[-1]
    kind = head_type(head.text) or default
    if head.lower_ in GENERIC_HEADS and len(span) > 1:
        rest = trim(span[:-1])
        if len(rest) and all(is_name_like(t.text) or t.is_punct for t in rest):
            span = rest
        elif len(rest) == 0:
            return None
    name = span.text
    if name.lower() in NON_TERMS or head.lower_ in NON_TERMS and kind == "concept" or not kind or not any(ch.isalpha() for ch in name):
        return None
    return Candidate(span.start, span.end, name, kind, extractor, confidence)


def noun_chunk_candidates(doc, covered=frozenset()):
    """Typed noun chunks (needs a dependency parse); untyped multi-word chunks are concepts.
    Chunks whose head token is in ``covered`` (taken by a stronger candidate) are skipped."""
    if not doc.has_annotation("DEP"):
        return
    for chunk in doc.noun_chunks:
        if chunk.root.i in covered:
            continue
        trimmed = trim_vague(trim(last_conjunct(chunk)))
        if not len(trimmed) or trimmed.root.pos_ == "PRON" or not is_specific(trimmed):
            continue
        technical = len(trimmed) >= 2 or is_name_like(trimmed.text)
        found = typed_span(trimmed, "noun_chunk", 0.6, "concept" if technical else None)
        if found:
            yield found if found.type != "concept" else _as_concept(found)


def _as_concept(candidate: Candidate) -> Candidate:
    return Candidate(candidate.start, candidate.end, candidate.name, "concept", "noun_chunk", 0.4)


def name_candidates(doc, covered=frozenset()):
    """Name-like tokens (acronyms, CamelCase, names with digits) as concepts, outside ``covered``."""
    for i, text in enumerate(t.text for t in doc):
        if i not in covered and is_name_like(text) and text.lower() not in NON_TERMS:
            yield Candidate(i, i + 1, text, "concept", "name", 0.5)


def proposal_candidates(doc):
    """What a paper says it introduces, marked ``proposed``: "we propose/introduce/present ...
    X", "the proposed X", "our X (ABBR)"."""
    lowered = doc.text.lower()
    if not any(cue in lowered for cue in (*PROPOSE_VERBS, "our ")):  # a cheap test before the token walk
        return
    for token in doc:
        found = None
        if token.lower_ in PROPOSE_VERBS and _first_person(token):
            found = _proposed_after(doc, token.i + 1)
        elif token.lower_ == "proposed" and token.i and doc[token.i - 1].lower_ in ("the", "our"):
            found = _proposed_after(doc, token.i + 1)
        elif token.lower_ == "our":
            found = _defined_after(doc, token.i + 1)
        if found:
            yield found


def _first_person(verb) -> bool:
    """Is the verb's subject the authors ("we", "this paper"), also across a coordination
    ("We argue that ..., and hence propose X")?"""
    window = verb.doc[max(verb.sent.start, verb.i - 4) : verb.i]
    if any(t.lower_ in ("we", "paper", "work", "study", "i") for t in window):
        return True
    while verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        verb = verb.head
        if _subjects(verb):
            break
    if not _subjects(verb):  # no subject of its own: the sentence's ("We argue ... and propose X")
        verb = verb.sent.root
    return any(c.lower_ in ("we", "i") for c in _subjects(verb))


def _subjects(verb) -> list:
    return [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]


def _defined_after(doc, index: int):
    """``our X (ABBR)``: the paper's own name for its contribution, defined with a short form."""
    end_of_sentence = doc[index].sent.end if index < len(doc) else index
    for stop in range(index + 1, min(end_of_sentence, index + 7)):
        if doc[stop].text in _BREAK - {"(", "-"}:
            return None
        if doc[stop].text == "(":
            if stop + 2 < len(doc) and doc[stop + 2].text == ")" and is_name_like(doc[stop + 1].text):
                found = typed_span(doc[index:stop], "proposal", 0.8, "method")
                if found and is_specific(doc[found.start : found.end]):
                    return Candidate(found.start, found.end, found.name, found.type, "proposal", 0.8, True)
            return None
    return None


def _proposed_after(doc, index: int):
    """The term introduced right after a proposal verb, typed by its head or an apposition."""
    end_of_sentence = doc[index].sent.end if index < len(doc) else index
    stop = index
    while stop < end_of_sentence and doc[stop].lower_ not in _BREAK and stop - index < 9:
        stop += 1
    span = trim(doc[index:stop])
    named = _named(doc, index, end_of_sentence)
    if named is not None:
        span = named
    if not len(span):
        return None
    if len(span) > 1 and is_name_like(span[-1].text) and all(
            t.tag_ == "JJ" or t.lower_ in GENERIC_HEADS for t in span[:-1]):
        span = span[-1:]  # "a new approach SiSTA" -> SiSTA
    kind = head_type(span[-1].text) or _apposition_type(doc, span.end, end_of_sentence) or "method"
    if kind == "task" and span[-1].lower_ not in ("task", "tasks", "problem", "challenge"):
        kind = "method"  # what a paper proposes is a method, unless it says it is a task
    if head_type(span[-1].text) is None and not any(is_name_like(t.text) for t in span) and not _defined(doc, span):
        return None
    found = typed_span(span, "proposal", 0.8, kind)
    if found is None or not is_specific(doc[found.start : found.end]):
        return None
    return Candidate(found.start, found.end, found.name, kind, "proposal", 0.8, True)


def _defined(doc, span) -> bool:
    """Does a short form in brackets follow the span ("Joint Adaptive Re-Parameterization (JARe)")?"""
    end = span.end
    return end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and is_name_like(doc[end + 1].text)


def _named(doc, index, end):
    """``called X`` / ``named X`` within the proposal clause: the name X."""
    for i in range(index, min(end, index + 10)):
        if doc[i].lower_ in NAMING_WORDS and i + 1 < end:
            stop = i + 1
            while stop < end and doc[stop].lower_ not in _BREAK and stop - i <= 6:
                stop += 1
            return trim(doc[i + 1 : stop])
        if doc[i].text in ".;":
            break
    return None


def _apposition_type(doc, index, end):
    """The type given by an apposition after a name: "SurgLaVi, the largest ... dataset"."""
    if index >= end or doc[index].text not in ",(":
        return None
    for token in doc[index : min(end, index + 14)]:
        kind = head_type(token.text)
        if kind and token.lower_ not in ("task", "tasks", "problem"):
            return kind
    return None


def title_candidates(doc):
    """``Name: subtitle`` in a title introduces Name (a dataset if the subtitle says so)."""
    colon = next((t.i for t in doc if t.text == ":"), None)
    if colon is None or colon == 0 or len(doc[:colon].text.split()) > 5:
        return
    span = trim(doc[:colon])
    rest = doc[colon + 1 :].text.lower()
    if not len(span) or re.search(r"\b(survey|review|overview|tutorial|primer)\b", rest):
        return
    if not (len(span.text.split()) <= 2 or any(is_name_like(t.text) for t in span)):
        return
    if not any(is_name_like(t.text) or t.text[:1].isupper() for t in span):
        return
    kind = "dataset" if re.search(r"\b(dataset|benchmark|corpus|suite)\b", rest) else "method"
    yield Candidate(span.start, span.end, span.text, kind, "title", 0.8, True)
