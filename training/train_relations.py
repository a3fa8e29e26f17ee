"""Train kg's relation classifier (kg/extract/relations.py) on SciERC train, on CPU.

    python training/train_relations.py            # -> kg/data/models/relations.npz

Every ordered pair of gold entities (Generic excluded) within one sentence and at most
``MAX_GAP`` tokens apart is an example; its label is the SciERC relation between them (with
``<`` when the relation runs from the later span to the earlier) or ``none``. The model is a
multinomial logistic regression over hashed features, fitted by full-batch Adam with L2.
SciERC dev picks the number of steps; the test split is never read. Deterministic.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "scierc"
ALL_RELATIONS = {"USED-FOR", "EVALUATE-FOR", "HYPONYM-OF", "COMPARE", "CONJUNCTION", "PART-OF", "FEATURE-OF"}


def examples(path: Path):
    """(feature buckets, label index) for every candidate pair in the file."""
    import json

    from spacy.lang.en import English
    from spacy.tokens import Doc

    from kg.extract.candidates import Candidate
    from kg.extract.relations import LABELS, candidate_pairs, hashed, pair_features

    vocab = English().vocab
    rows, labels = [], []
    for line in path.read_text().splitlines():
        record = json.loads(line)
        words = [w for s in record["sentences"] for w in s]
        doc = Doc(vocab, words=words)
        sentences, start = [], 0
        for s in record["sentences"]:
            sentences.append(doc[start : start + len(s)])
            start += len(s)
        types = {"Method": "method", "Task": "task", "Metric": "metric", "Material": "dataset",
                 "OtherScientificTerm": "concept"}
        gold = {}
        for sent in record["relations"]:
            for s1, e1, s2, e2, kind in sent:
                gold[((s1, e1 + 1), (s2, e2 + 1))] = kind
        entities = [Candidate(s, e + 1, "", types[t], "gold", 1.0) for sent in record["ner"]
                    for s, e, t in sent if t in types]

        def sentence_of(i, sentences=sentences):
            return next(s for s in sentences if s.start <= i < s.end)

        for a, b, n_between in candidate_pairs(doc, entities, sentence_of):
            ka, kb = (a.start, a.end), (b.start, b.end)
            label = "none"
            if (ka, kb) in gold:
                label = gold[(ka, kb)]
            elif (kb, ka) in gold:
                label = gold[(kb, ka)] + ("<" if gold[(kb, ka)] not in ("COMPARE", "CONJUNCTION") else "")
            rows.append(hashed(pair_features(doc, a, b, n_between)))
            labels.append(LABELS.index(label))
    return rows, np.array(labels)


def to_matrix(rows, buckets):
    from scipy.sparse import csr_matrix

    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.concatenate([np.array(r, dtype=np.int64) for r in rows])
    return csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), buckets))


def fit(X, y, n_labels, steps, l2=1e-4, lr=0.05, dev=None):
    """Full-batch Adam on the softmax loss; returns (weights, bias, dev scores per 25 steps)."""
    W = np.zeros((X.shape[1], n_labels), dtype=np.float32)
    b = np.zeros(n_labels, dtype=np.float32)
    Y = np.eye(n_labels, dtype=np.float32)[y]
    m = [np.zeros_like(W), np.zeros_like(b)]
    v = [np.zeros_like(W), np.zeros_like(b)]
    history = []
    for step in range(1, steps + 1):
        Z = X @ W + b
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = (P - Y) / X.shape[0]
        grads = [np.asarray(X.T @ G) + l2 * W, G.sum(axis=0)]
        for i, (param, grad) in enumerate(zip((W, b), grads)):
            m[i] = 0.9 * m[i] + 0.1 * grad
            v[i] = 0.999 * v[i] + 0.001 * grad * grad
            param -= lr * (m[i] / (1 - 0.9**step)) / (np.sqrt(v[i] / (1 - 0.999**step)) + 1e-8)
        if dev is not None and step % 25 == 0:
            history.append((step, pair_f1(dev[0] @ W + b, dev[1])))
            print(f"step {step} dev pair F1 {history[-1][1]:.1f}", flush=True)
    return W, b, history


def pair_f1(scores, y) -> float:
    """Micro F1 over non-none labels on gold pairs (probability threshold as at run time)."""
    from kg.extract.relations import THRESHOLD

    Z = scores - scores.max(axis=1, keepdims=True)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    pred = P.argmax(axis=1)
    pred[P.max(axis=1) < THRESHOLD] = 0
    tp = ((pred == y) & (y > 0)).sum()
    p, r = tp / max((pred > 0).sum(), 1), tp / max((y > 0).sum(), 1)
    return 200 * p * r / (p + r) if p + r else 0.0


def main(argv=None) -> int:
    from kg.extract.relations import BUCKETS, LABELS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--output", type=Path,
                        default=Path(__file__).resolve().parents[1] / "kg" / "data" / "models" / "relations.npz")
    args = parser.parse_args(argv)
    rows, y = examples(BENCH / "train.json")
    dev_rows, dev_y = examples(BENCH / "dev.json")
    X, dev_X = to_matrix(rows, BUCKETS), to_matrix(dev_rows, BUCKETS)
    print(f"{X.shape[0]} train pairs, {dev_X.shape[0]} dev pairs", flush=True)
    _, _, history = fit(X, y, len(LABELS), args.steps, dev=(dev_X, dev_y))
    best_step = max(history, key=lambda item: item[1])[0]
    W, b, _ = fit(X, y, len(LABELS), best_step)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.output, weights=W.astype(np.float16), bias=b.astype(np.float16))
    print(f"kept {best_step} steps -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
