"""SPARQL over an export: the query library, the embedded store, endpoints and the server.

>>> from kg import sparql
>>> "top-methods-for-task" in sparql.library()
True
"""

from kg.sparql.engine import format_result, library, query
from kg.sparql.result import Result

__all__ = ["query", "format_result", "library", "Result"]
