"""The embedded SPARQL store: a pyoxigraph (RocksDB) store on disk beside the export,
rebuilt only when the export changed.

For ``exports/graph.ttl`` the store is the folder ``exports/graph.ttl.oxigraph/``. Inside,
``stamp.json`` remembers the export's size, modification time and SHA-256, and each store
lives in a folder named after the SHA-256 of the export it was loaded from. A changed export
(new hash) gets a new store, bulk-loaded into a temporary folder and renamed into place, so
a reader never sees half a store; older stores are then removed. Stores are opened
read-only, so any number of ``kg query`` and ``kg serve`` processes can read one at once.

Examples
--------
>>> import kg, tempfile, pathlib
>>> export = kg.build().write_turtle(pathlib.Path(tempfile.mkdtemp()) / "graph.ttl")
>>> len(open_store(export)) > 1000, store_path(export).name
(True, 'graph.ttl.oxigraph')
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from kg.errors import InputError

#: pyoxigraph's format name for each export suffix.
SUFFIXES = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD"}


#: The files ``kg build`` writes its RDF export to, in the order :func:`find_export` looks for them.
EXPORT_NAMES = tuple(f"graph{suffix}" for suffix in SUFFIXES)
#: The folder ``kg build`` writes to by default.
DEFAULT_FOLDER = "exports"


def find_export(path: str | os.PathLike | None = None) -> Path:
    """The RDF export at ``path``: the file itself, or in a folder (``exports/`` when ``path``
    is None) whichever of ``graph.ttl``, ``graph.nt`` and ``graph.jsonld`` is there, in that order.

    Raises :class:`~kg.errors.InputError` naming the files looked for when there is none.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> find_export(kg.build().write("ntriples", folder / "graph.nt")) == find_export(folder) == folder / "graph.nt"
    True
    """
    path = Path(DEFAULT_FOLDER if path is None else path)
    if path.is_file() or (path.suffix in SUFFIXES and not path.is_dir()):
        return path
    for name in EXPORT_NAMES:
        if (path / name).is_file():
            return path / name
    raise InputError(str(path), None, f"no RDF export in this folder (looked for {', '.join(EXPORT_NAMES)}); "
                                      f"run `kg build -o {path}` first, or give the export's path")


def store_path(export: str | os.PathLike) -> Path:
    """The folder that holds the stores of ``export``."""
    export = Path(export)
    return export.parent / f"{export.name}.oxigraph"


def open_store(export: str | os.PathLike):
    """A read-only pyoxigraph ``Store`` of ``export``, built first if the export changed."""
    from pyoxigraph import Store

    return Store.read_only(str(current_store(export)))


def current_store(export: str | os.PathLike) -> Path:
    """The folder of the up-to-date store of ``export`` (built now if needed)."""
    export = _checked(Path(export))
    root = store_path(export)
    target = root / digest(export)[:16]
    if not (target / "LOADED").is_file():
        _build(export, target)
    _remove_stale(root, keep=target.name)
    return target


def _checked(export: Path) -> Path:
    if export.suffix not in SUFFIXES:
        raise InputError(str(export), None, f"not an RDF export; use a file ending in {', '.join(SUFFIXES)}")
    if not export.is_file():
        raise InputError(str(export), None, "no such export (run `kg build` first, or give --data)")
    return export


def digest(export: Path) -> str:
    """The SHA-256 of the export, taken from ``stamp.json`` while size and mtime are unchanged."""
    stat, stamp_file = export.stat(), store_path(export) / "stamp.json"
    try:
        stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
        if (stamp["size"], stamp["mtime_ns"]) == (stat.st_size, stat.st_mtime_ns):
            return stamp["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    sha = hashlib.sha256()
    with export.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha.hexdigest()}
    _write_json(stamp_file, stamp)
    return stamp["sha256"]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".stamp.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(tmp, path)


def _build(export: Path, target: Path) -> None:
    """Bulk-load ``export`` into a new store folder and rename it to ``target``."""
    import gc

    from pyoxigraph import RdfFormat, Store

    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        store = Store(str(tmp))
        try:
            store.bulk_load(path=str(export), format=getattr(RdfFormat, SUFFIXES[export.suffix]))
        except (SyntaxError, ValueError) as error:
            raise InputError(str(export), None, f"cannot be loaded into the SPARQL store: {error}") from error
        store.flush()
        count = len(store)
        del store
        gc.collect()  # closes the RocksDB instance before the folder is renamed
        (tmp / "LOADED").write_text(json.dumps({"export": export.name, "triples": count}), encoding="utf-8")
        try:
            tmp.rename(target)
        except OSError:  # another process finished the same store first
            if not (target / "LOADED").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _remove_stale(root: Path, keep: str) -> None:
    """Remove stores of older versions of the export (a process still reading one keeps its
    open files on POSIX systems)."""
    for folder in root.iterdir():
        if folder.is_dir() and folder.name != keep and not folder.name.startswith("."):
            shutil.rmtree(folder, ignore_errors=True)


def triple_count(store_folder: Path) -> int:
    """How many triples the store in ``store_folder`` holds (from its ``LOADED`` marker)."""
    return json.loads((Path(store_folder) / "LOADED").read_text(encoding="utf-8"))["triples"]
