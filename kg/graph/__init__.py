"""Build stage: one ``networkx`` graph of papers and entities (canonical names, builds-on links, interop)."""
