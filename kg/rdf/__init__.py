"""The graph as RDF: vocabulary, the mapping behind every RDF export, and SHACL validation."""
