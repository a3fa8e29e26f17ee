"""Relations between two entities in one sentence, with the sentence as evidence.

Kinds (head -> tail):

``used_for``      a method (or material) used for a task or another method ("X for Y", "Y using X")
``evaluated_on``  a method or task evaluated on a dataset ("we evaluate X on Y")
``measures``      a metric measures a method, task or dataset ("X in terms of BLEU")
``narrower``      a broader term to a narrower one ("tasks such as Y", "Y, a X")
``compares``      a method better than another ("A outperforms B": A -> B)

Two extractors: ``relation_model``, a multinomial logistic regression over hashed features of
the pair (types, words between, heads, distance) trained on SciERC train by
``training/train_relations.py`` and shipped in ``kg/data/models/relations.npz``; and
``pattern`` rules: "such as", "X via/using Y", and the subject and objects of "outperforms"
read from the parse. The relations a paper states about its own proposal ("our method
outperforms ...") come later, once proposals are decided (:mod:`kg.extract.grounding`).
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from importlib import resources

from kg.extract.candidates import Candidate
from kg.schema import COMPARES, EVALUATED_ON, MEASURES, NARROWER, SIGNATURES, USED_FOR, fits

# SciERC labels the model predicts, in both directions where SciERC's has one.
LABELS = ("none", "USED-FOR", "USED-FOR<", "EVALUATE-FOR", "EVALUATE-FOR<", "HYPONYM-OF",
          "HYPONYM-OF<", "COMPARE", "CONJUNCTION", "PART-OF", "PART-OF<", "FEATURE-OF", "FEATURE-OF<")
BUCKETS = 1 << 18
MAX_GAP = 25  # tokens between the two entities
THRESHOLD = 0.5
COMPARE_VERBS = frozenset("outperform outperforms outperformed surpass surpasses surpassed beat beats "
                          "exceeds exceed outperforming surpassing".split())


#: The pair classifier is trusted with less: its ``used_for`` between two methods is right
#: about half the time (the "via"/"using" pattern states those).
MODEL_SIGNATURES = {**SIGNATURES, USED_FOR: ({"method", "dataset"}, {"task"})}


def plausible(kind: str, head_type: str, tail_type: str, extractor: str, tail: str) -> bool:
    """:func:`fits`, and for the pair classifier's ``measures`` a tail written as a name (a
    capital or a digit: "EfficientNet-B7", "MAML", not "fine-tuning" or "prompt engineering",
    whose metric the classifier usually takes from another name in the sentence).

    >>> plausible("measures", "metric", "method", "relation_model", "fine-tuning")
    False
    >>> plausible("measures", "metric", "method", "relation_model", "EfficientNet-B7")
    True
    """
    if extractor == "relation_model":
        if kind == MEASURES and not any(ch.isupper() or ch.isdigit() for ch in tail):
            return False
        heads, tails = MODEL_SIGNATURES.get(kind, (set(), set()))
        if head_type not in heads or tail_type not in tails:
            return False
    return fits(kind, head_type, tail_type)


def pair_features(doc, a: Candidate, b: Candidate, n_between: int, lowers=None) -> list[str]:
    """Features of an ordered pair of entity spans, ``a`` before ``b`` in the same sentence.

    ``lowers`` (the doc's lower-cased tokens) may be passed to save looking them up per pair.
    """
    lowers = lowers if lowers is not None else [t.lower_ for t in doc]
    between = lowers[a.end : b.start]
    feats = [f"types={a.type}|{b.type}", f"gap={min(len(between), 10)}", f"nents={min(n_between, 3)}",
             f"ha={lowers[a.end - 1]}", f"hb={lowers[b.end - 1]}", f"ta={a.type}", f"tb={b.type}",
             f"before={lowers[a.start - 1] if a.start else '<s>'}",
             f"after={lowers[b.end] if b.end < len(lowers) else '</s>'}"]
    if between:
        feats += [f"first={between[0]}", f"last={between[-1]}", f"first2={' '.join(between[:2])}",
                  f"last2={' '.join(between[-2:])}", f"types_first={a.type}|{b.type}|{between[0]}"]
        if len(between) <= 4:
            feats.append(f"all={' '.join(between)}")
        words = sorted(set(between))  # sorted: the same float sum in every process
        feats += [f"bw={w}" for w in words]
        feats += [f"tbw={a.type}|{b.type}|{w}" for w in words]
    else:
        feats.append("adjacent")
    return feats


def hashed(features: list[str]) -> list[int]:
    """Bucket index of each feature (crc32, stable across runs and machines)."""
    return [_bucket(f) for f in features]


@lru_cache(maxsize=1 << 16)
def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % BUCKETS


def candidate_pairs(doc, entities: list[Candidate], sentence_of):
    """Ordered pairs ``(a, b, n_between)`` of non-overlapping entities in one sentence."""
    ordered = sorted(entities, key=lambda c: (c.start, c.end))
    for i, a in enumerate(ordered):
        sent = sentence_of(a.start)
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            if b.start < a.end:
                continue
            if b.start >= sent.end or b.start - a.end > MAX_GAP:
                break
            yield a, b, j - i - 1


@lru_cache(maxsize=1)
def default_weights():
    """The shipped model's weights (``BUCKETS x len(LABELS)``), or None when not trained."""
    import numpy as np

    path = resources.files("kg") / "data" / "models" / "relations.npz"
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        data = np.load(handle)
        return data["weights"].astype("float32"), data["bias"].astype("float32")


def model_relations(doc, entities: list[Candidate], sentence_of, weights=None, pairs=None, lowers=None):
    """``(kind, head, tail, confidence)`` from the trained pair classifier."""
    import numpy as np

    weights = weights if weights is not None else default_weights()
    if weights is None:
        return
    matrix, bias = weights
    lowers = lowers if lowers is not None else [t.lower_ for t in doc]
    pairs = list(pairs if pairs is not None else candidate_pairs(doc, entities, sentence_of))
    if not pairs:
        return
    rows = [hashed(pair_features(doc, a, b, n_between, lowers)) for a, b, n_between in pairs]
    starts = np.cumsum([0] + [len(r) for r in rows[:-1]])
    scores = np.add.reduceat(matrix[np.concatenate(rows)], starts, axis=0) + bias
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = scores / scores.sum(axis=1, keepdims=True)
    for (a, b, _), row in zip(pairs, probs):
        best = int(row.argmax())
        if best and row[best] >= THRESHOLD:
            found = to_kind(LABELS[best], a, b)
            if found:
                yield (*found, round(float(row[best]), 3))


def to_kind(label: str, a: Candidate, b: Candidate):
    """A SciERC label on the pair (a before b; ``<`` means tail first) as ``(kind, head, tail)``
    in kg's direction, or None for labels kg does not keep."""
    head, tail = (b, a) if label.endswith("<") else (a, b)
    label = label.rstrip("<")
    if label == "USED-FOR":
        return USED_FOR, head, tail
    if label == "EVALUATE-FOR":
        if head.type == "metric":
            return MEASURES, head, tail
        return EVALUATED_ON, tail, head
    if label == "HYPONYM-OF":
        return NARROWER, tail, head
    return None  # COMPARE says nothing of which is better: compare_relations reads that from the verb


def pattern_relations(doc, entities: list[Candidate], sentence_of, pairs=None, lowers=None):
    """``(kind, head, tail, confidence)`` from "X such as Y", "A outperforms (the) B" and
    "X via/using/through Y" (Y is used for X)."""
    lowers = lowers if lowers is not None else [t.lower_ for t in doc]
    for a, b, _ in pairs if pairs is not None else candidate_pairs(doc, entities, sentence_of):
        between = lowers[a.end : b.start]
        if between in (["such", "as"], [",", "such", "as"]):
            yield NARROWER, a, b, 0.7
        elif between in (["via"], ["using"], ["through"], ["by", "using"]):
            yield USED_FOR, b, a, 0.75


def compare_relations(doc, entities: list[Candidate]):
    """``(compares, better, worse, confidence)`` from "A outperforms/surpasses/beats B (and C)":
    A is the verb's syntactic subject (or the subject of the clause it continues: "A runs
    faster, outperforming B"), B each object; one direction, never both. Without a parse, only
    "A outperforms (the) B" with A and B right beside the verb."""
    if not doc.has_annotation("DEP"):
        yield from _adjacent_compares(doc, entities)
        return
    at = {i: c for c in entities for i in range(c.start, c.end)}
    for verb in doc:
        if verb.lower_ not in COMPARE_VERBS:
            continue
        clause = verb
        while not _subject(clause) and clause.dep_ in ("conj", "advcl", "xcomp", "acl") and clause.head is not clause:
            clause = clause.head
        subject = _subject(clause)
        better = at.get(subject.i) if subject is not None else None
        objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
        objects += [c for o in objects for c in o.conjuncts]
        for worse in (at.get(o.i) for o in objects):
            if better and worse and better is not worse:
                yield COMPARES, better, worse, 0.8


def such_as_relations(doc, entities: list[Candidate]):
    """``(narrower, broader, each listed, confidence)`` from "B such as A1, A2 and A3" and
    "B, including A1 and A2", read from the parse: the listed names are the object of "as" (or
    "including") and its conjuncts, the broader one the noun the phrase hangs on."""
    if not doc.has_annotation("DEP"):
        return
    at = {i: c for c in entities for i in range(c.start, c.end)}
    for token in doc:
        listing = (token.lower_ == "as" and token.i and doc[token.i - 1].lower_ == "such") or token.lower_ == "including"
        if not listing or token.dep_ != "prep":
            continue
        broader = at.get(token.head.i)
        objects = [c for c in token.children if c.dep_ in ("pobj", "pcomp")]
        objects += [c for o in objects for c in o.children if c.dep_ in ("oprd", "dobj", "pobj")]  # "such as named ..."
        objects += [c for o in objects for c in o.conjuncts]
        for narrower in (at.get(o.i) for o in objects):
            if broader and narrower and broader is not narrower:
                yield NARROWER, broader, narrower, 0.75


def _adjacent_compares(doc, entities: list[Candidate]):
    ordered = sorted(entities, key=lambda c: c.start)
    for a, b in zip(ordered, ordered[1:]):
        between = [t.lower_ for t in doc[a.end:b.start]]
        if between[:1] and between[0] in COMPARE_VERBS and between[1:] in ([], ["the"]):
            yield COMPARES, a, b, 0.8


def _subject(verb):
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def find_relations(doc, entities: list[Candidate], sentence_of, weights=None):
    """Relations among the entities of a doc: patterns first, then the model on other pairs."""
    if len(entities) < 2:
        return []
    lowers = [t.lower_ for t in doc]
    pairs = list(candidate_pairs(doc, entities, sentence_of))
    seen, found = set(), []
    stated = [*pattern_relations(doc, entities, sentence_of, pairs, lowers), *compare_relations(doc, entities),
              *such_as_relations(doc, entities)]
    stated = list({(kind, head.start, tail.start): (kind, head, tail, c) for kind, head, tail, c in stated}.values())
    for kind, head, tail, confidence in stated:
        seen.add(frozenset(((head.start, head.end), (tail.start, tail.end))))
        found.append((kind, head, tail, confidence, "pattern"))
    rest = [p for p in pairs if frozenset(((p[0].start, p[0].end), (p[1].start, p[1].end))) not in seen]
    for kind, head, tail, confidence in model_relations(doc, entities, sentence_of, weights, rest, lowers):
        found.append((kind, head, tail, confidence, "relation_model"))
    return found
