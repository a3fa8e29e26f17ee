"""The answer of a SPARQL query, the same from the embedded store and from an endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Result:
    """A query's answer: ``variables`` and ``rows`` of pyoxigraph terms (None when unbound)
    for SELECT, ``boolean`` for ASK, ``triples`` for CONSTRUCT and DESCRIBE."""

    variables: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    boolean: bool | None = None
    triples: tuple = field(default=())

    def records(self) -> list[dict]:
        """The rows as dicts of plain values (``term.value``; None when unbound)."""
        return [{v: (t.value if t is not None else None) for v, t in zip(self.variables, row)} for row in self.rows]
