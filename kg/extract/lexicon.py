"""Head words that type a term, and words that are never part of a term's name.

A term is typed by its last word (its head): "the COCO dataset" is a dataset, "object
detection" a task, "top-1 accuracy" a metric, "a contrastive framework" a method. Words not
listed here leave a term as a ``concept``.
"""

from __future__ import annotations

HEAD_TYPES: dict[str, str] = {}


def _add(kind: str, words: str) -> None:
    for word in words.split():
        HEAD_TYPES[word] = kind


_add("dataset", """dataset datasets data-set corpus corpora benchmark benchmarks treebank suite
    testbed leaderboard collection""")
_add("task", """classification segmentation detection recognition translation answering
    generation summarization summarisation retrieval parsing estimation tracking prediction
    forecasting captioning reasoning localization localisation grounding synthesis completion
    labeling labelling tagging extraction matching alignment inpainting restoration
    super-resolution denoising editing planning navigation manipulation control recommendation
    diagnosis verification understanding comprehension identification attribution
    transcription adaptation generalization generalisation transfer task tasks problem""")
_add("metric", """accuracy precision recall f1 f1-score f-score f-measure bleu rouge meteor cider
    perplexity auc auroc miou iou fid psnr ssim lpips wer cer error-rate mse rmse
    metric metrics""")
_add("method", """model models network networks net method methods approach approaches algorithm
    algorithms framework frameworks architecture architectures transformer transformers encoder
    decoder autoencoder module mechanism technique techniques strategy strategies optimizer
    optimiser attention adapter adapters pipeline system systems layer embedding embeddings
    regularization regularisation normalization normalisation distillation tuning fine-tuning
    pre-training pretraining prompting learning policy agent classifier detector generator
    discriminator learner estimator solver scheme procedure paradigm objective loss""")

# A term may not start or end with these (determiners, vague adjectives, pronouns).
EDGE_STOPWORDS = frozenset(
    """a an the this that these those our their its his her my your we they it such some any
    each every all both other another several many much more most few various different new
    novel simple proposed existing previous prior recent current standard typical popular
    well-known state-of-the-art strong general specific key main first second
    efficient effective robust unified generic same overall additional further most more less best largest than""".split()
)

# Terms that are never entities, however they are found.
NON_TERMS = frozenset(
    """paper work approach method methods model models framework task tasks problem result
    results performance experiment experiments study analysis way ways data dataset benchmark
    number set lot part use end time case cases example examples state art baseline baselines
    improvement improvements effectiveness efficiency ability abilities capability
    capabilities advantage advantages challenge challenges issue issues setting settings
    field fields area areas step steps order terms type types level levels variety range
    scale impact role need needs aspect aspects method-level code""".split()
)

PROPOSE_VERBS = frozenset(
    "propose proposes proposed introduce introduces introduced present presents presented "
    "develop develops developed design designs designed release releases released "
    "curate curates curated construct constructs constructed build builds".split()
)

NAMING_WORDS = frozenset("called named dubbed termed coined".split())

# Vague modifiers trimmed from the left of a noun chunk ("extensive experiments").
VAGUE_MODIFIERS = frozenset(
    """extensive significant important future comprehensive challenging multiple diverse high
    superior various numerous remarkable impressive promising substantial notable great
    considerable competitive consistent total whole entire full overall average better
    following corresponding respective relevant suitable specific certain given original
    downstream target unseen complex practical real-world large-scale""".split()
)
