"""Questions a survey writer asks of the graph, as plain functions.

Every function takes the graph first, either a :class:`~kg.KnowledgeGraph` or its
``networkx.MultiDiGraph``, and names where a node is wanted (a name, alias, title, arXiv id or
node id, looked up by :func:`find`). Lists come back as :class:`Table`\\ s of frozen records
(``to_pandas()`` turns one into a DataFrame). What is costly to derive (the name index,
PageRank, communities) is computed once per graph and kept until the graph changes.

Examples
--------
>>> import kg
>>> g = kg.example_graph()
>>> kg.introduced_in(g, "BERT")[0].year
2018
"""

from kg.analytics.clusters import communities
from kg.analytics.lookup import entities, find, papers
from kg.analytics.paths import path
from kg.analytics.ranking import pagerank, top
from kg.analytics.records import (
    Association,
    Community,
    Emerging,
    EntityInfo,
    Explanation,
    Hop,
    PaperInfo,
    Proposal,
    Ranked,
    RelatedPaper,
    Statement,
    Table,
    Trend,
    YearCount,
)
from kg.analytics.related import related_papers
from kg.analytics.relations import (datasets_for, introduced_in, methods_for, metrics_for, proposed_by, statements,
                                    tasks_for)
from kg.analytics.trends import emerging, trend

__all__ = [
    "find", "papers", "entities",
    "methods_for", "datasets_for", "tasks_for", "metrics_for", "introduced_in", "proposed_by", "statements",
    "related_papers", "path", "top", "pagerank", "communities", "trend", "emerging",
    "Table", "EntityInfo", "PaperInfo", "Association", "Proposal", "RelatedPaper", "Hop", "Explanation", "Ranked",
    "Community", "Statement", "YearCount", "Trend", "Emerging",
]
