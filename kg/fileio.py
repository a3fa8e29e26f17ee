"""Atomic file writing: a reader never sees half a file, and a failed write leaves the old one.

:func:`write_atomic` replaces one file through a temporary file and a rename.
:func:`replace_folder` replaces a whole folder of exports at once: the files are written into a
new folder beside it (``.NAME.new-*``), the other files of the old folder are linked in, and
the new folder is swapped in with one atomic exchange of the two names (Linux
``renameat2(RENAME_EXCHANGE)``; two renames elsewhere). A lock file beside the folder
(``.NAME.lock``) lets one process at a time replace it; the next one waits. Folders left
by a process killed mid-way are removed by the next one that takes the lock.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from kg.errors import ExportError

LEFTOVERS = (".new-", ".old-")
"""What follows ``.NAME`` in the folders a replacement writes beside ``NAME``."""


def write_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` newlines) to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def replace_folder(folder: str | os.PathLike, contents: Iterable[tuple[str, str]], wait: bool = True,
                   on_wait: Callable[[], None] | None = None) -> list[Path]:
    """Replace ``folder`` at once with one holding the files of ``contents`` (``(name, text)``
    pairs, produced one at a time) and every other file of the old folder; the paths written.

    ``wait=False`` raises :class:`~kg.errors.ExportError` instead of waiting while another
    process replaces the folder; ``on_wait`` is called once before waiting.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "exports"
    >>> [p.name for p in replace_folder(folder, [("a.txt", "one")])]
    ['a.txt']
    >>> _ = replace_folder(folder, [("b.txt", "two")])
    >>> sorted(p.name for p in folder.iterdir()), (folder / "a.txt").read_text()
    (['a.txt', 'b.txt'], 'one')
    """
    given = Path(folder)
    target = given.resolve()
    _check_replaceable(given, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(target, wait, on_wait):
        remove_leftovers(target)
        new = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        try:
            names = [_write(new / name, text) for name, text in contents]
            _carry_over(target, new, set(names))
            os.chmod(new, target.stat().st_mode & 0o7777 if target.is_dir() else 0o755)
            _sync(new)
            _swap(new, target)
        finally:
            shutil.rmtree(new, ignore_errors=True)  # after the swap: the old folder
        _sync(target.parent)
    return [given / name for name in names]


@contextmanager
def folder_lock(target: Path, wait: bool = True, on_wait: Callable[[], None] | None = None):
    """Hold the lock file ``.NAME.lock`` beside ``target`` (released when the process ends, however)."""
    import fcntl

    lock = target.parent / f".{target.name}.lock"
    with open(lock, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise ExportError(f"another kg process is writing into {target} (lock {lock}); "
                                  "wait for it or choose another folder") from None
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(target: Path) -> list[Path]:
    """Remove what killed replacements of ``target`` left: ``.NAME.new-*`` and ``.NAME.old-*``
    folders beside it and hidden ``.*.tmp`` files of :func:`write_atomic` inside it. Call it
    holding :func:`folder_lock`."""
    found = [p for p in target.parent.glob(f".{target.name}.*") if p.is_dir() and not p.is_symlink()
             and any(p.name.startswith(f".{target.name}{mark}") for mark in LEFTOVERS)]
    if target.is_dir():
        found += [p for p in target.glob(".*.tmp") if p.is_file()]
    for path in found:
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return found


def _check_replaceable(given: Path, target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise ExportError(f"{given} is a file, not a folder")
    cwd = Path.cwd().resolve()
    if target == cwd or target in cwd.parents or target == Path(target.anchor):
        raise ExportError(f"{given} is the current folder or holds it; kg replaces its export folder "
                          "as a whole, so write the exports into a folder of their own (such as exports/)")


def _write(path: Path, text: str) -> str:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)
    return path.name


def _carry_over(old: Path, new: Path, written: set[str]) -> None:
    """Hard-link (or copy) every entry of ``old`` that ``new`` does not have into ``new``."""
    if not old.is_dir():
        return
    for entry in sorted(old.iterdir()):
        if entry.name in written:
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry), new / entry.name)
        elif entry.is_dir():
            shutil.copytree(entry, new / entry.name, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, new / entry.name)


def _link_or_copy(source, destination) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; the old ``target`` (if any) ends at ``new``."""
    if not target.exists():
        os.rename(new, target)
    elif not _exchange(new, target):
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old)
        os.rename(new, target)
        os.rename(old, new)


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` atomically (Linux ``renameat2``); False where unsupported."""
    import ctypes
    import errno

    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is None:
        return False
    at_cwd, exchange = -100, 2
    if function(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _sync(folder: Path) -> None:
    """Flush a folder's entries to disk (where the platform allows opening folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
