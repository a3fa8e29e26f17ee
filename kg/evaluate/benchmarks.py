"""Score the extractor against human annotation: SciERC (abstracts) and TDMSci (sentences).

Readers turn a benchmark file into :class:`GoldDoc` records (pre-tokenised words, sentence
starts, typed spans, relations); :func:`predict` runs the same extractor ``kg build`` uses over
those words; :func:`score` counts exact matches (span boundaries and type). Types are mapped
to ``kg``'s: SciERC Method -> method, Task -> task, Metric -> metric, Material -> dataset,
OtherScientificTerm -> concept (scored on its own, outside the micro average), Generic
ignored; TDMSci TASK, DATASET, METRIC -> task, dataset, metric.

Examples
--------
>>> gold = [GoldDoc("d", ("BERT", "on", "GLUE"), (0,), frozenset({(0, 1, "method"), (2, 3, "dataset")}))]
>>> pred = [PredDoc("d", frozenset({(0, 1, "method"), (2, 3, "task")}))]
>>> report = score(gold, pred, ("method", "dataset", "task"))
>>> report["micro"]["f1"], report["types"]["method"]["f1"]
(50.0, 100.0)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Iterator

from kg.errors import InputError, UnknownFormatError
from kg.extract import Extractor, Sentences, doc_relations
from kg.extract.bio import bio_spans
from kg.extract.candidates import Candidate
from kg.extract.nlp import load_pipeline
from kg.extract.transformer import FACTORY
from kg.records import Paper

SCIERC_TYPES = {"Method": "method", "Task": "task", "Metric": "metric", "Material": "dataset",
                "OtherScientificTerm": "concept"}
TDMSCI_TYPES = {"TASK": "task", "DATASET": "dataset", "METRIC": "metric"}
SCIERC_RELATIONS = {"USED-FOR": "used_for", "EVALUATE-FOR": "evaluated_on", "COMPARE": "compares",
                    "HYPONYM-OF": "narrower"}
MODE = {"scierc": "abstract", "tdmsci": "fulltext"}
MICRO = {"scierc": ("method", "task", "metric", "dataset"), "tdmsci": ("task", "dataset", "metric")}
PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
       "``": '"', "''": '"'}


@dataclass(frozen=True)
class GoldDoc:
    """One annotated text: its words, the word index of each sentence start, typed spans
    ``(start, end, type)`` with an exclusive end, and relations ``(head span, tail span, kind)``
    where a span is ``(start, end)``."""

    id: str
    words: tuple[str, ...]
    sent_starts: tuple[int, ...]
    entities: frozenset
    relations: frozenset = frozenset()


@dataclass(frozen=True)
class PredDoc:
    """What the extractor found in one GoldDoc's words, in the same shape."""

    id: str
    entities: frozenset
    relations: frozenset = frozenset()


def read_scierc(lines: Iterable[str], path: str = "<scierc>") -> Iterator[GoldDoc]:
    """GoldDocs from SciERC's JSON lines (document-level token offsets, inclusive ends)."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            sentences = record["sentences"]
            ner, relations = record["ner"], record["relations"]
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(path, number, f"not a SciERC record: {e}") from e
        words = tuple(PTB.get(w, w) for s in sentences for w in s)
        starts, total = [], 0
        for sentence in sentences:
            starts.append(total)
            total += len(sentence)
        entities = frozenset((s, e + 1, SCIERC_TYPES[t]) for sent in ner for s, e, t in sent if t in SCIERC_TYPES)
        rels = frozenset(_ordered((s1, e1 + 1), (s2, e2 + 1), SCIERC_RELATIONS[k])
                         for sent in relations for s1, e1, s2, e2, k in sent if k in SCIERC_RELATIONS)
        yield GoldDoc(record.get("doc_key", str(number)), words, tuple(starts), entities, rels)


def read_tdmsci(lines: Iterable[str], path: str = "<tdmsci>") -> Iterator[GoldDoc]:
    """GoldDocs from TDMSci's CoNLL file (token, offset, BIO tag; a blank line ends a sentence),
    one GoldDoc per sentence."""
    words, tags, count = [], [], 0
    for number, line in enumerate(list(lines) + [""], 1):
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 3:
            words.append(parts[0])
            tags.append(parts[-1])
            continue
        if line.strip():
            raise InputError(path, number, "expected three tab-separated columns: token, offset, tag")
        if words:
            count += 1
            yield GoldDoc(f"s{count}", tuple(words), (0,), frozenset(bio_spans(tags, TDMSCI_TYPES)))
            words, tags = [], []


READERS = {"scierc": read_scierc, "tdmsci": read_tdmsci}


def read_benchmark(name: str, path: str) -> list[GoldDoc]:
    """The GoldDocs of a benchmark file (``name`` is ``"scierc"`` or ``"tdmsci"``)."""
    if name not in READERS:
        raise UnknownFormatError(f"No benchmark '{name}'. Available: {', '.join(sorted(READERS))}")
    try:
        with open(path, encoding="utf-8") as handle:
            return list(READERS[name](handle, str(path)))
    except OSError as e:
        raise InputError(path, None, f"cannot read: {e.strerror}") from e


def to_doc(nlp, gold: GoldDoc):
    """A spaCy Doc of the gold words (spaces guessed), with the gold sentence starts."""
    from spacy.tokens import Doc

    no_space_before = {".", ",", ")", "]", ";", ":", "?", "!", "'s", "%", "n't"}
    spaces = [i + 1 < len(gold.words) and gold.words[i + 1] not in no_space_before and w not in "([{"
              for i, w in enumerate(gold.words)]
    starts = set(gold.sent_starts)
    return Doc(nlp.vocab, words=list(gold.words), spaces=spaces,
               sent_starts=[i in starts for i in range(len(gold.words))])


def predict(golds: list[GoldDoc], nlp=None, extractor=None, batch_size: int = 64,
            mode: str = "abstract") -> list[PredDoc]:
    """Run the extractor over each GoldDoc's words; spans as ``(start, end, type)`` word offsets.

    ``mode`` is the kind of text (see :data:`kg.extract.ner.MODES`): SciERC is abstracts,
    TDMSci sentences from papers' full text."""
    nlp = nlp if nlp is not None else load_pipeline(mode=mode)
    extractor = extractor or Extractor(nlp, mode=mode)
    docs = nlp.pipe((to_doc(nlp, g) for g in golds), batch_size=batch_size)
    found = []
    for gold, doc in zip(golds, docs):
        result = extractor(gold.id, Paper(gold.id), [("abstract", doc)])
        spans = {}
        for m in result.mentions:
            span = doc.char_span(m.start, m.end)
            if span is not None:
                spans[(m.start, m.end, m.type)] = (span.start, span.end, m.type)
        found.append(PredDoc(gold.id, frozenset(spans.values()), scierc_relations(doc, result.relations)))
    return found


def predict_relations(golds: list[GoldDoc]) -> list[PredDoc]:
    """The relation stage alone, given each GoldDoc's gold entity spans (the entities are
    predicted as gold): what ``kg``'s relations reach when every entity is right."""
    import spacy

    nlp = spacy.blank("en")
    found = []
    for gold in golds:
        doc = to_doc(nlp, gold)
        kept = [Candidate(s, e, doc[s:e].text, kind, "gold", 1.0) for s, e, kind in sorted(gold.entities)]
        relations = doc_relations(doc, "abstract", kept, Sentences(doc))
        found.append(PredDoc(gold.id, gold.entities, scierc_relations(doc, relations)))
    return found


def scierc_relations(doc, relations) -> frozenset:
    """kg :class:`~kg.records.Relation` records of ``doc`` as SciERC-scored word-span triples."""
    return frozenset(
        to_scierc(_tokens(doc, r.head_start, r.head_end), _tokens(doc, r.tail_start, r.tail_end), r.kind)
        for r in relations)


def to_scierc(head, tail, kind: str) -> tuple:
    """A kg relation as SciERC states it: ``(head span, tail span, scored kind)``.

    SciERC's EVALUATE-FOR runs from the dataset or metric to what is evaluated, so
    ``evaluated_on`` is reversed and ``measures`` counts as ``evaluated_on``; HYPONYM-OF runs
    from the narrower term, so ``narrower`` is reversed; COMPARE is scored in either order.

    >>> to_scierc((0, 1), (5, 6), "evaluated_on"), to_scierc((0, 1), (5, 6), "measures")
    (((5, 6), (0, 1), 'evaluated_on'), ((0, 1), (5, 6), 'evaluated_on'))
    """
    if kind == "evaluated_on":
        return tail, head, kind
    if kind == "measures":
        return head, tail, "evaluated_on"
    if kind == "narrower":
        return tail, head, kind
    return _ordered(head, tail, kind)


def _ordered(head, tail, kind: str) -> tuple:
    if kind == "compares" and tail < head:
        return tail, head, kind
    return head, tail, kind


def _tokens(doc, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end)
    return (span.start, span.end) if span is not None else None


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    """Precision, recall and F1 in percent, with the counts."""
    p = 100 * tp / n_pred if n_pred else 0.0
    r = 100 * tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 2), "r": round(r, 2), "f1": round(f, 2), "tp": tp, "pred": n_pred, "gold": n_gold}


def score(golds: list[GoldDoc], preds: list[PredDoc], micro_types, extra_types=("concept",)) -> dict:
    """Exact-match scores per type, micro over ``micro_types``, and per relation kind."""
    counts: dict[str, list[int]] = {}
    rel_counts: dict[str, list[int]] = {}
    generic: dict[str, int] = {}  # gold relations with an argument that is no scored entity (Generic)
    for gold, pred in zip(golds, preds):
        _count(counts, gold.entities, pred.entities, lambda item: item[2])
        if gold.relations:
            _count(rel_counts, gold.relations, pred.relations, lambda item: item[2])
            spans = {(s, e) for s, e, _ in gold.entities}
            for head, tail, kind in gold.relations:
                generic[kind] = generic.get(kind, 0) + (head not in spans or tail not in spans)
    types = {t: prf(*counts.get(t, [0, 0, 0])) for t in (*micro_types, *extra_types)}
    micro = [sum(counts.get(t, [0, 0, 0])[i] for t in micro_types) for i in range(3)]
    report = {"types": types, "micro": prf(*micro)}
    if any(g.relations for g in golds):
        kinds = sorted(set(rel_counts) | set(SCIERC_RELATIONS.values()))
        report["relations"] = {k: {**prf(*rel_counts.get(k, [0, 0, 0])), "generic": generic.get(k, 0)}
                               for k in kinds}
        report["relations"]["all"] = {**prf(*[sum(c[i] for c in rel_counts.values()) for i in range(3)]),
                                      "generic": sum(generic.values())}
    return report


def _count(counts, gold: Iterable, pred: Iterable, kind_of) -> None:
    gold, pred = set(gold), set(pred)
    for item in pred:
        row = counts.setdefault(kind_of(item), [0, 0, 0])
        row[0] += item in gold
        row[1] += 1
    for item in gold:
        counts.setdefault(kind_of(item), [0, 0, 0])[2] += 1


def evaluate(benchmark: str, path: str, nlp=None, recogniser: str = "cnn",
             gold_entities: bool = False) -> dict:
    """Score the extractor on a benchmark file: ``{"benchmark", "path", "docs", "recogniser",
    "types", "micro", "relations"?}``. ``recogniser`` picks the trained entity recogniser
    (``"cnn"`` or ``"transformer"``) when ``nlp`` is not given; the report names the one ``nlp`` has.
    ``gold_entities`` scores the relation stage alone on the gold entity spans (recogniser
    ``"gold"``). A relation's ``generic`` is how many of its gold relations have a Generic
    argument, which ``kg`` does not extract."""
    golds = read_benchmark(benchmark, path)
    if gold_entities:
        preds, used = predict_relations(golds), "gold"
    else:
        nlp = nlp if nlp is not None else load_pipeline(mode=MODE[benchmark], recogniser=recogniser)
        preds = predict(golds, nlp, mode=MODE[benchmark])
        used = "transformer" if FACTORY in nlp.pipe_names else "cnn"
    report = score(golds, preds, MICRO[benchmark], ("concept",) if benchmark == "scierc" else ())
    return {"benchmark": benchmark, "path": str(path), "docs": len(golds), "recogniser": used, **report}


def format_report(report: dict) -> str:
    """The report as a plain-text table."""
    used = report.get("recogniser", "cnn")
    lines = [f"{report['benchmark']} {report['path']} ({report['docs']} docs, "
             + ("gold entities: relations alone)" if used == "gold" else f"{used} recogniser)"),
             f"{'entities':<16}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}"]
    rows = list(report["types"].items())
    rows.insert(len([t for t in rows if t[0] != "concept"]), ("micro", report["micro"]))
    for name, s in rows:
        lines.append(f"{name:<16}{s['p']:>8.1f}{s['r']:>8.1f}{s['f1']:>8.1f}{s['gold']:>8}{s['pred']:>8}")
    if "relations" in report:
        lines.append("relations (SciERC direction; evaluated_on includes measures; "
                     "generic: gold with a Generic argument)")
        lines.append(f"{'':<16}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}{'generic':>8}")
        for name, s in report["relations"].items():
            lines.append(f"{name:<16}{s['p']:>8.1f}{s['r']:>8.1f}{s['f1']:>8.1f}{s['gold']:>8}{s['pred']:>8}"
                         f"{s.get('generic', 0):>8}")
    return "\n".join(lines)
