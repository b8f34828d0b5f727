"""graphkit: an ownership and influence knowledge graph with evidence on every hop.

Data flows one way: ``ingest`` (loaders) → :mod:`graphkit.store` (durable backends) →
:mod:`graphkit.engine` (queries and answers) → the CLI and the API.
"""

__version__ = "0.1.0"
