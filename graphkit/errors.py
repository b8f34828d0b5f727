"""One root error and one class per failure, so the CLI and API can map them once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


def _restore(cls: type[GraphkitError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.__dict__.update(state)
    return exc


class GraphkitError(Exception):
    """Root of every error graphkit raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other arguments than their message; rebuilt from their state, they
        # cross a process boundary intact (analyses run in a child process).
        return (_restore, (type(self), self.args, self.__dict__))


class EntityNotFound(GraphkitError):
    """An entity id that the store does not hold; carries suggestions from search."""

    def __init__(self, entity_id: str, suggestions: list[str] | None = None) -> None:
        self.entity_id = entity_id
        self.suggestions = suggestions or []
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"No entity with id {entity_id!r}.{hint}")


class SourceNotFound(GraphkitError):
    """A source (document) id that the store does not hold."""

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id
        super().__init__(f"No source with id {source_id!r}.")


class NoPath(GraphkitError):
    """No influence path joins two entities under the query's filters and bounds: the CLI's
    exit status 3 for an empty ``paths`` answer. (The API answers 200 with an empty list and
    the reasons, since an empty answer is an answer.)"""


class InvalidQuery(GraphkitError):
    """A request that is well-formed but not allowed (e.g. depth above the configured cap)."""

    def __init__(self, message: str, parameter: str | None = None) -> None:
        self.parameter = parameter
        super().__init__(message)


class BoundExceeded(GraphkitError):
    """A query hit its time or work budget, or a query or batch a Neo4j server's transaction
    memory limit (``bound="memory"``); narrow the query or shrink the batch."""

    def __init__(self, message: str, bound: str) -> None:
        self.bound = bound
        super().__init__(message)


class BackendUnavailable(GraphkitError):
    """The storage backend cannot be reached or opened. The message never carries a
    password: URIs in it are redacted (see :func:`redact`)."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))


_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")


def redact(text: str) -> str:
    """Text with the user and password of every URI in it replaced, so settings such as
    ``NEO4J_URI=bolt://neo4j:secret@host`` never reach a message, a response or a log.

    >>> redact("cannot reach bolt://neo4j:s3cret@db.internal:7687 now")
    'cannot reach bolt://***@db.internal:7687 now'
    """
    return _USERINFO.sub(r"\1***@", text)


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in input data: where it is, which field, and what was expected."""

    file: str | None
    record: str | None
    field: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.record:
            where += f" record {self.record}"
        field = f" field {self.field!r}" if self.field else ""
        return f"{where}{field}: {self.message}"


class InvalidData(GraphkitError):
    """Input that failed validation; nothing of the batch was written."""

    def __init__(self, issues: list[Issue], outcome: str = "nothing was written") -> None:
        self.issues = issues
        self.outcome = outcome
        head = "\n".join(f"  - {issue}" for issue in issues[:50])
        more = f"\n  … and {len(issues) - 50} more" if len(issues) > 50 else ""
        super().__init__(f"{len(issues)} problem(s) in input; {outcome}:\n{head}{more}")
