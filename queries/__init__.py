"""The SPARQL query library, installed as the package ``kg.queries`` (see pyproject.toml).

Each ``.rq`` file answers one question; its header says the question, the parameters and an
example call. ``kg query --list`` shows them; :func:`kg.sparql.library` reads them.
"""
