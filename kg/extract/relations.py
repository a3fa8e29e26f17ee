"""Relations between two entities in one sentence, with the sentence as evidence.

Kinds (head -> tail):

``used_for``      a method (or material) used for a task or another method ("X for Y", "Y using X")
``evaluated_on``  a method or task evaluated on a dataset ("we evaluate X on Y")
``measures``      a metric measures a method, task or dataset ("X in terms of BLEU")
``narrower``      a broader term to a narrower one ("tasks such as Y", "Y, a X")
``compares``      a method compared with another ("A outperforms B")

Two extractors: ``relation_model``, a multinomial logistic regression over hashed features of
the pair (types, words between, heads, distance) trained on SciERC train by
``training/train_relations.py`` and shipped in ``kg/data/models/relations.npz``; and
``pattern`` rules for "such as" and "outperforms", which work without a model.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from importlib import resources

from kg.extract.candidates import Candidate
from kg.schema import COMPARES, EVALUATED_ON, MEASURES, NARROWER, USED_FOR

# SciERC labels the model predicts, in both directions where SciERC's has one.
LABELS = ("none", "USED-FOR", "USED-FOR<", "EVALUATE-FOR", "EVALUATE-FOR<", "HYPONYM-OF",
          "HYPONYM-OF<", "COMPARE", "CONJUNCTION", "PART-OF", "PART-OF<", "FEATURE-OF", "FEATURE-OF<")
BUCKETS = 1 << 18
MAX_GAP = 25  # tokens between the two entities
THRESHOLD = 0.5
COMPARE_VERBS = frozenset("outperform outperforms outperformed surpass surpasses surpassed beat beats "
                          "exceeds exceed outperforming surpassing".split())


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
    if label == "COMPARE":
        return COMPARES, a, b
    return None


def pattern_relations(doc, entities: list[Candidate], sentence_of, pairs=None, lowers=None):
    """``(kind, head, tail, confidence)`` from "X such as Y" and "A outperforms (the) B"."""
    lowers = lowers if lowers is not None else [t.lower_ for t in doc]
    for a, b, _ in pairs if pairs is not None else candidate_pairs(doc, entities, sentence_of):
        between = lowers[a.end : b.start]
        if between in (["such", "as"], [",", "such", "as"]):
            yield NARROWER, a, b, 0.7
        elif 1 <= len(between) <= 3 and (between[-1] in COMPARE_VERBS or
                                         (between[0] in COMPARE_VERBS and between[-1] == "the")):
            yield COMPARES, a, b, 0.7


def find_relations(doc, entities: list[Candidate], sentence_of, weights=None):
    """Relations among the entities of a doc: patterns first, then the model on other pairs."""
    if len(entities) < 2:
        return []
    lowers = [t.lower_ for t in doc]
    pairs = list(candidate_pairs(doc, entities, sentence_of))
    seen, found = set(), []
    for kind, head, tail, confidence in pattern_relations(doc, entities, sentence_of, pairs, lowers):
        seen.add(frozenset(((head.start, head.end), (tail.start, tail.end))))
        found.append((kind, head, tail, confidence, "pattern"))
    rest = [p for p in pairs if frozenset(((p[0].start, p[0].end), (p[1].start, p[1].end))) not in seen]
    for kind, head, tail, confidence in model_relations(doc, entities, sentence_of, weights, rest, lowers):
        found.append((kind, head, tail, confidence, "relation_model"))
    return found
