"""The one exception hierarchy of ``kg``.

Every error the library raises on purpose is a :class:`KgError`, so a caller (and the CLI)
can catch one class. Input errors name the file and, where known, the line.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error ``kg`` raises on purpose."""


class InputError(KgError):
    """An input file or record that cannot be read; names the file and line."""

    def __init__(self, path: str, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")


class NoInputError(KgError):
    """Nothing at all could be read from the inputs given."""


class UnknownFormatError(KgError):
    """A format name that no reader or exporter is registered for."""


class ModelNotInstalledError(KgError):
    """The English spaCy pipeline is not installed."""


class NotFoundError(KgError):
    """A lookup (entity, paper, query, file) found nothing."""


class FetchError(KgError):
    """A web service could not be read (after retries), or answered with something unusable."""


class QueryError(KgError):
    """A SPARQL query that cannot run: bad syntax, a wrong parameter, or an endpoint's error."""


class ServeError(KgError):
    """The SPARQL server could not be started (no oxigraph binary, port taken, bad store)."""


class ExportError(KgError):
    """An export folder that cannot be replaced: another process is writing it, or it is no folder of exports."""
