"""Choose what a graph page shows (the page itself is the ``html`` exporter)."""
