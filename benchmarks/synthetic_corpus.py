"""A seeded synthetic corpus for scale measurements, written as JSON Lines that ``kg build`` reads.

Usage: python benchmarks/synthetic_corpus.py N ../shared/corpus/hf-daily-papers/*.txt -o papers.jsonl [--seed 0]

Each of the N papers proposes a name of its own ("We propose Vekolari, ...": unique per paper, made
of syllables from the paper's number), and its abstract mixes sentences of several different donor
papers read from the inputs, so entity counts grow with N as in a real field instead of repeating one
abstract. Dates run over ten years in paper order; references point to earlier papers chosen by
preferential attachment (a paper is picked in proportion to the citations it already has, plus one),
so a few papers are cited often and most rarely. The same N, inputs and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import sys
from pathlib import Path

from kg.corpus.read import read_corpus

SYLLABLES = ("ka", "lo", "mi", "ve", "ra", "zu", "to", "ne", "si", "po", "da", "fe", "gu", "ri", "xo", "be",
             "hal", "mor", "tek", "vin", "sar", "dul", "pex", "quo")
FIRST = ("Ana", "Bo", "Chen", "Dara", "Eli", "Femi", "Goro", "Hana", "Ivo", "Jun", "Kira", "Lars", "Mei", "Nils",
         "Omar", "Pia", "Quinn", "Ravi", "Sven", "Tara", "Uma", "Vik", "Wen", "Yara", "Zoe")
LAST = ("Abe", "Berg", "Costa", "Diaz", "Eng", "Fox", "Gupta", "Holm", "Ito", "Jung", "Kaur", "Lund", "Moreau",
        "Nagy", "Ortiz", "Park", "Quist", "Rossi", "Sato", "Tan", "Ueda", "Varga", "Wu", "Xu", "Yilmaz", "Zhou")
START = datetime.date(2015, 1, 1)
SPAN_DAYS = 3650
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def proposed_name(index: int) -> str:
    """A name of three or more syllables, different for every ``index`` (its digits in base 24).

    >>> proposed_name(0), proposed_name(1), proposed_name(24 ** 3)
    ('Kakaka', 'Lokaka', 'Kakakalo')
    """
    digits = []
    while index or len(digits) < 3:
        index, digit = divmod(index, len(SYLLABLES))
        digits.append(SYLLABLES[digit])
    return "".join(digits).capitalize()


def donors(paths: list[str]) -> list[tuple[str, list[str]]]:
    """(topic, sentences) of every input paper with an abstract of two sentences or more."""
    corpus = read_corpus(paths)
    found = []
    for paper in corpus.papers.values():
        sentences = [s.strip() for s in SENTENCE_END.split(paper.abstract or "") if len(s.split()) >= 5]
        if len(sentences) >= 2:
            topic = paper.title.split(":", 1)[-1].strip()
            found.append((topic[:1].lower() + topic[1:], sentences))
    if len(found) < 10:
        sys.exit(f"synthetic_corpus: only {len(found)} usable abstracts in the inputs; give 10 or more")
    return found


def cited(rng: random.Random, pool: list[int], count: int) -> list[int]:
    """``count`` distinct papers from ``pool`` (one entry per paper plus one per citation it has)."""
    chosen: set[int] = set()
    for _ in range(count * 4):
        if len(chosen) == count:
            break
        chosen.add(pool[rng.randrange(len(pool))])
    return sorted(chosen)


def papers(n: int, sources: list[tuple[str, list[str]]], seed: int = 0):
    """Yield ``n`` synthetic paper records (dicts in the JSON Lines reader's fields)."""
    rng = random.Random(seed)
    days = sorted(rng.randrange(SPAN_DAYS) for _ in range(n))
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(max(50, n // 3))]
    pool: list[int] = []
    for index in range(n):
        name = proposed_name(index)
        topic, _ = rng.choice(sources)
        sentences = [f"We propose {name}, a new approach to {topic.rstrip('.')}."]
        for _, donor in rng.sample(sources, rng.randint(4, 7)):
            sentences.append(rng.choice(donor))
        sentences.append(f"{name} is simple to implement and its code is released.")
        date = START + datetime.timedelta(days=days[index])
        references = cited(rng, pool, min(index, max(1, int(rng.expovariate(1 / 10))))) if pool else []
        yield {"id": f"syn-{index:06d}", "title": f"{name}: {topic[:1].upper() + topic[1:]}",
               "authors": sorted({authors[int(len(authors) * rng.random() ** 2)] for _ in range(rng.randint(1, 6))}),
               "date": date.isoformat(), "year": date.year, "abstract": " ".join(sentences),
               "references": [f"syn-{r:06d}" for r in references]}
        pool.append(index)
        pool.extend(references)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many papers")
    parser.add_argument("inputs", nargs="+", help="corpus files whose abstracts lend their sentences")
    parser.add_argument("-o", "--output", default="synthetic.jsonl")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sources = donors(args.inputs)
    with Path(args.output).open("w", encoding="utf-8") as out:
        for record in papers(args.n, sources, args.seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {args.n} papers to {args.output} ({Path(args.output).stat().st_size:,} bytes) "
          f"from {len(sources)} donor abstracts")


if __name__ == "__main__":
    main()
