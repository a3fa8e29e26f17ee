"""Train the entity decider (kg/extract/decide.py) on hand-annotated papers.

    python training/train_decider.py training/annotations/batch_*.jsonl \
        -o kg/data/models/entity_decider.json

Runs the extractor without the decider over the annotated papers, labels each name of each
paper with the type of the gold entity it matches (the scoring rules of ``kg eval gold``) or
``none``, and fits a multinomial logistic regression (scikit-learn; ``pip install -e '.[train]'``).
The regularisation and the keep threshold are chosen by 5-fold cross-validation over papers
(micro F1 of the core types at the name level; of the settings within 0.005 of the best, the
most precise); the dev papers are never seen. Deterministic.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from kg import pipeline
from kg.evaluate.gold import CORE_TYPES, normalise, read_gold
from kg.extract.decide import FEATURES, LABELS, NONE, names, words
from kg.extract.spans import tidy_mentions
from kg.records import Paper

MIN_WORD_COUNT = 3  # a word feature seen on fewer names is left out
THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(13)]
CS = [0.1, 0.3, 1.0, 3.0]
TIE = 0.005  # F1 differences below this are noise on 240 papers


def examples(paths: list[str]):
    """(paper index, numeric features, word features, label) for every name of every paper, and
    the number of gold entities of the core types in each paper."""
    golds = [g for path in paths for g in read_gold(path)]
    extracted, _ = pipeline.extract_papers([(g.id, Paper(g.title, g.abstract)) for g in golds], decide=False)
    rows, gold_counts = [], []
    for index, (gold, item) in enumerate(zip(golds, extracted)):
        keys = {t: [{normalise(n) for n in names} for names in gold.entities.get(t, ())] for t in LABELS[:-1]}
        item, _ = tidy_mentions(item)
        for _, mentions, vector in names(item, {"vocabulary": {}}):
            forms = {normalise(m.name) for m in mentions}
            label = next((t for t in CORE_TYPES + ("concept",) if any(k & forms for k in keys.get(t, ()))), NONE)
            rows.append((index, vector, words(mentions), label))
        gold_counts.append(sum(len(gold.entities.get(t, ())) for t in CORE_TYPES))
    return rows, gold_counts


def vocabulary(rows) -> list[str]:
    """The word features seen on at least :data:`MIN_WORD_COUNT` names, sorted."""
    counts = Counter(word for row in rows for word in row[2])
    return sorted(word for word, n in counts.items() if n >= MIN_WORD_COUNT)


def matrix(rows, vocab: list[str]):
    """The feature matrix and labels: numeric features, then one 0/1 column per word feature."""
    import numpy as np

    index = {word: i for i, word in enumerate(vocab)}
    X = np.zeros((len(rows), len(FEATURES) + len(vocab)))
    for r, (_, vector, found, _) in enumerate(rows):
        X[r, :len(FEATURES)] = vector
        X[r, [len(FEATURES) + index[w] for w in found if w in index]] = 1.0
    return X, np.array([row[3] for row in rows])


def fit(X, y, c):
    """A scaler (numeric features standardised, 0/1 word features left as they are) and the model."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    scaler.mean_[len(FEATURES):], scaler.scale_[len(FEATURES):] = 0.0, 1.0
    model = LogisticRegression(C=c, max_iter=5000, random_state=0).fit(scaler.transform(X), y)
    return scaler, model


def name_f1(labels, probs, classes, threshold, n_gold):
    """Micro P/R/F1 of the core types at the name level for a keep threshold."""
    tp = pred = 0
    for label, p in zip(labels, probs):
        scores = {c: v for c, v in zip(classes, p) if c != NONE}
        best = max(scores, key=lambda c: (scores[c], c))
        if scores[best] >= threshold and best in CORE_TYPES:
            pred += 1
            tp += best == label
    precision, recall = tp / pred if pred else 0.0, tp / n_gold
    return precision, recall, 2 * precision * recall / (precision + recall) if tp else 0.0


def choose(rows, gold_counts, vocab, folds: int = 5):
    import numpy as np

    papers = np.array([r[0] for r in rows])
    X, y = matrix(rows, vocab)
    scores = []
    for c in CS:
        probs = np.zeros((len(rows), len(LABELS)))
        for fold in range(folds):
            test = papers % folds == fold
            scaler, model = fit(X[~test], y[~test], c)
            part = model.predict_proba(scaler.transform(X[test]))
            probs[np.ix_(test, [LABELS.index(k) for k in model.classes_])] = part
        for threshold in THRESHOLDS:
            p, r, f = name_f1(y, probs, LABELS, threshold, sum(gold_counts))
            print(f"C={c:<4} threshold={threshold:<5} P={p:.3f} R={r:.3f} F1={f:.3f}")
            scores.append((f, p, c, threshold))
    # Precision first: of the settings within TIE of the best F1, the most precise.
    top = max(f for f, *_ in scores)
    f, _, c, threshold = max((s for s in scores if s[0] >= top - TIE), key=lambda s: s[1])
    return f, c, threshold


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("annotations", nargs="+")
    parser.add_argument("-o", "--output", default="kg/data/models/entity_decider.json")
    args = parser.parse_args()
    rows, gold_counts = examples(args.annotations)
    print(f"{len(rows)} names from {len(gold_counts)} papers")
    vocab = vocabulary(rows)
    f1, c, threshold = choose(rows, gold_counts, vocab)
    print(f"chosen: C={c} threshold={threshold} (cross-validated name-level F1 {f1:.3f}, {len(vocab)} word features)")
    X, y = matrix(rows, vocab)
    scaler, model = fit(X, y, c)
    order = [list(model.classes_).index(label) for label in LABELS]
    out = {"labels": list(LABELS), "features": [*FEATURES, *vocab],
           "weights": [[round(float(w), 6) for w in model.coef_[i]] for i in order],
           "bias": [round(float(model.intercept_[i]), 6) for i in order],
           "mean": [round(float(v), 6) for v in scaler.mean_], "scale": [round(float(v), 6) for v in scaler.scale_],
           "threshold": threshold, "trained_on": sorted(Path(p).name for p in args.annotations),
           "command": "python training/train_decider.py training/annotations/batch_*.jsonl"}
    Path(args.output).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
