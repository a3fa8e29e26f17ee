"""Entities over time: papers per year, and the entities whose share of papers grows fastest.

Only papers with a year (or a dated listing) count; many listings give a day without a year,
and :class:`~kg.analytics.records.Trend` reports how many such papers mention the entity.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from kg.analytics.base import as_graph, cached, entity_years, kinds, paper_years
from kg.analytics.lookup import resolve
from kg.analytics.records import Emerging, Table, Trend, YearCount
from kg.schema import ENTITY_TYPES


def papers_per_year(graph) -> Counter:
    """The number of dated papers in each year, cached per graph.

    Examples
    --------
    >>> import kg
    >>> papers_per_year(kg.example_graph())[2014]
    5
    """
    graph = as_graph(graph)
    return cached(graph, "papers-per-year", lambda: Counter(
        year for year in paper_years(graph).values() if year is not None))


def trend(graph, entity: str) -> Trend:
    """Papers per year that mention ``entity``, over every year of the graph's dated papers.

    Examples
    --------
    >>> import kg
    >>> t = kg.trend(kg.example_graph(), "BERT")
    >>> [(y.year, y.papers) for y in t.years if y.papers]
    [(2018, 1), (2019, 3)]
    """
    graph = as_graph(graph)
    node = resolve(graph, entity, ENTITY_TYPES)
    totals = papers_per_year(graph)
    years, undated = entity_years(graph).get(node, ([], 0))
    counts = Counter(years)
    span = range(min(totals), max(totals) + 1) if totals else range(0)
    rows = [YearCount(y, counts[y], totals[y], round(counts[y] / totals[y], 4) if totals[y] else 0.0) for y in span]
    return Trend(node, graph.nodes[node].get("label", node), Table(rows, YearCount), undated)


def emerging(graph, since: int | None = None, k: int = 20, type=None, min_papers: int = 2) -> Table:
    """The ``k`` entities whose share of dated papers grew most from ``since`` on (default:
    the last two years of the graph) against the years before, among entities mentioned by at
    least ``min_papers`` papers from ``since`` on.

    Examples
    --------
    >>> import kg
    >>> rising = kg.emerging(kg.example_graph(), since=2020, type="method", k=5)
    >>> "GPT-3" in [e.name for e in rising]
    True
    """
    graph = as_graph(graph)
    totals = papers_per_year(graph)
    if not totals:
        return Table([], Emerging)
    since = max(totals) - 1 if since is None else since
    recent_total = sum(n for y, n in totals.items() if y >= since)
    before_total = sum(n for y, n in totals.items() if y < since)
    wanted = kinds(type) or ENTITY_TYPES
    rows = []
    for node, (years, _) in entity_years(graph).items():
        attrs = graph.nodes[node]
        if attrs.get("kind") not in wanted:
            continue
        before = bisect_left(years, since)
        recent = len(years) - before
        if recent < min_papers:
            continue
        growth = 100 * (recent / recent_total - (before / before_total if before_total else 0.0))
        rows.append(Emerging(node, attrs["kind"], attrs.get("label", node), before, recent, round(growth, 2)))
    rows.sort(key=lambda row: (-row.growth, -row.recent, row.id))
    return Table(rows[:k], Emerging)
