"""Extraction: typed entity mentions, abbreviations and proposals from titles and abstracts.

:func:`extract` streams ``(key, Paper)`` pairs through ``nlp.pipe(..., as_tuples=True)`` so a
paper's key travels with its text, and yields one :class:`~kg.records.ExtractedPaper` each.
Names stay as written here; merging across the corpus is :mod:`kg.graph.canonical`'s job.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import groupby
from typing import Iterable, Iterator, NamedTuple

from kg.extract import candidates as cand
from kg.extract.abbrev import find_abbreviations
from kg.extract.gazetteer import build_matcher, default_gazetteer, gazetteer_matches
from kg.extract.ner import has_recognisers, ner_candidates
from kg.extract.nlp import load_pipeline
from kg.extract.relations import find_relations
from kg.records import Alias, ExtractedPaper, Mention, Paper, Relation

__all__ = ["extract", "Extractor"]


class Extractor:
    """Callable that turns one paper's title and abstract docs into mentions and aliases.

    Holds the gazetteer matchers built once for the pipeline's vocabulary.
    """

    def __init__(self, nlp, gazetteer=None, mode: str = "abstract"):
        self.entries = tuple(gazetteer if gazetteer is not None else default_gazetteer())
        self.matchers = build_matcher(nlp.vocab, self.entries)
        self.mode = mode

    def __call__(self, key: str, paper: Paper, docs) -> ExtractedPaper:
        mentions, aliases, relations = [], [], []
        for field, doc in docs:
            sentences = Sentences(doc)
            found = find_doc_aliases(doc, sentences)
            aliases.extend(found)
            kept = self.candidates(doc, field, found)
            mentions.extend(to_mention(doc, field, c, sentences) for c in kept)
            relations.extend(doc_relations(doc, field, kept, sentences))
        return ExtractedPaper(key, paper, tuple(mentions), tuple(aliases), tuple(relations))

    def mentions(self, doc, field: str, aliases: list[Alias]) -> list[Mention]:
        """The mentions in one doc (``field`` is ``"title"`` or ``"abstract"``)."""
        sentences = Sentences(doc)
        return [to_mention(doc, field, c, sentences) for c in self.candidates(doc, field, aliases)]

    def candidates(self, doc, field: str, aliases: list[Alias]) -> list[cand.Candidate]:
        """The kept candidates of one doc, overlaps resolved, in text order."""
        found = list(self.gazetteer_candidates(doc))
        found += cand.proposal_candidates(doc)
        if field == "title":
            found += cand.title_candidates(doc)
        recognised = list(ner_candidates(doc, self.mode))
        found += recognised
        found += alias_candidates(doc, aliases, {c.name.lower(): c.type for c in reversed(found)})
        covered = {i for c in found for i in range(c.start, c.end)}  # weak candidates there lose anyway
        chunks = cand.noun_chunk_candidates(doc, covered)
        if recognised or has_recognisers(doc):  # with trained recognisers, noun chunks are concepts
            chunks = [c if c.type == "concept" else cand._as_concept(c) for c in chunks]
        found += chunks
        found += cand.name_candidates(doc, covered)
        return resolve_overlaps(found)

    def gazetteer_candidates(self, doc):
        """Gazetteer hits as candidates (named as written in the text)."""
        for span, entry in gazetteer_matches(doc, self.matchers, self.entries):
            yield cand.Candidate(span.start, span.end, span.text, entry.type, "gazetteer", 0.9)


def find_doc_aliases(doc, sentences: Sentences | None = None) -> list[Alias]:
    """Abbreviation definitions in every sentence of the doc."""
    if "(" not in doc.text:
        return []
    spans = (sentences or Sentences(doc)).spans
    return [alias for sent in spans if "(" in sent.text for alias in find_abbreviations(sent.text)]


def alias_candidates(doc, aliases: list[Alias], known: dict[str, str]):
    """Mentions of each defined long form and every use of its short form in this doc."""
    texts = [t.text for t in doc] if aliases else []
    for alias in aliases:
        kind = known.get(alias.short.lower()) or known.get(alias.long.lower())
        kind = kind or cand.head_type(alias.long.split()[-1]) or "concept"
        for start, end in _occurrences(doc, alias.long) + _short_occurrences(texts, alias.short):
            yield cand.Candidate(start, end, doc[start:end].text, kind, "abbreviation", 0.85)


def _occurrences(doc, phrase: str) -> list[tuple[int, int]]:
    spans, text, lower, begin = [], doc.text.lower(), phrase.lower(), 0
    while (found := text.find(lower, begin)) >= 0:
        span = doc.char_span(found, found + len(phrase), alignment_mode="expand")
        if span is not None:
            spans.append((span.start, span.end))
        begin = found + len(phrase)
    return spans


def _short_occurrences(texts: list[str], short: str) -> list[tuple[int, int]]:
    forms = (short, short + "s")
    return [(i, i + 1) for i, text in enumerate(texts) if text in forms]


def resolve_overlaps(found: list[cand.Candidate]) -> list[cand.Candidate]:
    """Keep strong candidates (trained recognisers, gazetteer, abbreviation, proposal, title),
    nested ones only when their types differ ("ImageNet" in "ImageNet classification"); keep a
    weak one (noun chunk, name) only where no kept candidate overlaps it. Earlier sources and
    longer spans win, except that the name before a title's colon replaces the spans inside it;
    on the very same span the gazetteer gives name and type, and a proposal marks it proposed."""
    kept: dict[tuple[int, int], cand.Candidate] = {}
    order = sorted(found, key=lambda c: (cand.PRIORITY[c.extractor], c.start - c.end, c.start))
    for c in order:
        same = kept.get((c.start, c.end))
        if same is not None:
            if c.extractor == "gazetteer":  # the same span, named by the gazetteer: its type is a fact
                same = cand.Candidate(c.start, c.end, c.name, c.type, c.extractor, c.confidence, same.proposed)
            kept[(c.start, c.end)] = _proposed(same) if c.proposed else same
            continue
        weak = cand.PRIORITY[c.extractor] >= cand.PRIORITY["noun_chunk"]
        clashes = [k for k in kept.values() if k.start < c.end and c.start < k.end]
        if c.extractor == "title" and all(c.start <= k.start and k.end <= c.end for k in clashes):
            for k in clashes:  # the name before a title's colon is whole: "Rep-MTL", not "Rep" and "MTL"
                del kept[(k.start, k.end)]
            clashes = []
        if any(weak or k.type == c.type for k in clashes):
            if c.proposed:
                _mark_proposed(kept, [k for k in clashes if k.start <= c.start and c.end <= k.end])
            continue
        kept[(c.start, c.end)] = c
    return sorted(kept.values(), key=lambda c: (c.start, c.end))


def _mark_proposed(kept, clashes) -> None:
    for k in clashes:
        kept[(k.start, k.end)] = _proposed(k)


def _proposed(c: cand.Candidate) -> cand.Candidate:
    return cand.Candidate(c.start, c.end, c.name, c.type, c.extractor, c.confidence, True)


class Sentence(NamedTuple):
    """A sentence of a doc: token bounds, character bounds and text."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str


class Sentences:
    """The sentences of a doc, found once, looked up by token index."""

    def __init__(self, doc):
        if len(doc) and doc.has_annotation("SENT_START"):
            flags = doc.to_array("SENT_START")
            starts = [0] + [i for i in flags.nonzero()[0].tolist() if i and flags[i] == 1]
        else:
            starts = [0]
        ends = starts[1:] + [len(doc)]
        text, self.spans = doc.text, []
        for start, end in zip(starts, ends):
            if end > start:
                last = doc[end - 1]
                first_char, last_char = doc[start].idx, last.idx + len(last)
                self.spans.append(Sentence(start, end, first_char, last_char, text[first_char:last_char]))
        if not self.spans:
            self.spans.append(Sentence(0, 0, 0, 0, ""))
        self.starts = [s.start for s in self.spans]

    def of(self, token_index: int) -> Sentence:
        """The sentence holding the token."""
        return self.spans[bisect_right(self.starts, token_index) - 1]


def to_mention(doc, field: str, c: cand.Candidate, sentences: Sentences) -> Mention:
    """A Mention with character offsets of the name and its sentence in the field's text."""
    first, last = doc[c.start], doc[c.end - 1]
    sent = sentences.of(c.start)
    return Mention(
        name=" ".join(c.name.split()),
        type=c.type,
        field=field,
        start=first.idx,
        end=last.idx + len(last),
        sentence=sent.text,
        sent_start=sent.start_char,
        sent_end=sent.end_char,
        extractor=c.extractor,
        confidence=c.confidence,
        proposed=c.proposed,
    )


def doc_relations(doc, field: str, kept: list[cand.Candidate], sentences: Sentences) -> list[Relation]:
    """The relations among one doc's kept candidates, with sentence and offsets."""
    found = []
    for kind, head, tail, confidence, extractor in find_relations(doc, kept, sentences.of):
        sent = sentences.of(head.start)
        found.append(Relation(kind, " ".join(head.name.split()), head.type, " ".join(tail.name.split()),
                              tail.type, field, *_char_bounds(doc, head), *_char_bounds(doc, tail),
                              sent.text, sent.start_char, sent.end_char, extractor, confidence))
    return found


def _char_bounds(doc, c: cand.Candidate) -> tuple[int, int]:
    last = doc[c.end - 1]
    return doc[c.start].idx, last.idx + len(last)


def extract(
    papers: Iterable[tuple[str, Paper]], nlp=None, gazetteer=None, batch_size: int = 64
) -> Iterator[ExtractedPaper]:
    """Extract entities from ``(key, paper)`` pairs; yields one ExtractedPaper per paper, in order.

    ``nlp`` defaults to the English pipeline (:func:`kg.extract.nlp.load_pipeline`); a blank pipeline
    works too (no noun chunks then). ``gazetteer`` defaults to the shipped one.

    Examples
    --------
    >>> from kg.extract.nlp import blank_pipeline
    >>> paper = Paper("LoRA: Low-Rank Adaptation of Large Language Models",
    ...               "We propose Low-Rank Adaptation (LoRA). We evaluate on the GLUE benchmark.")
    >>> [found] = extract([("p1", paper)], nlp=blank_pipeline())
    >>> sorted({(m.name, m.type, m.proposed) for m in found.mentions if m.field == "abstract"})
    [('GLUE benchmark', 'dataset', False), ('LoRA', 'method', False), ('Low-Rank Adaptation', 'method', True)]
    >>> [(a.short, a.long) for a in found.aliases]
    [('LoRA', 'Low-Rank Adaptation')]
    """
    nlp = nlp if nlp is not None else load_pipeline()
    extractor = Extractor(nlp, gazetteer)
    texts = (
        (text, (key, paper, field))
        for key, paper in papers
        for field, text in (("title", paper.title), ("abstract", paper.abstract))
        if text
    )
    stream = nlp.pipe(texts, as_tuples=True, batch_size=batch_size)
    for key, group in groupby(stream, key=lambda item: item[1][0]):
        docs = [(doc, context) for doc, context in group]
        paper = docs[0][1][1]
        yield extractor(key, paper, [(context[2], doc) for doc, context in docs])
