"""A small language for the shape of an influence path, and the search that honours it.

Researchers ask about shapes, not only ends: "the state, through ownership of at least 25%
or control, then an agreement, then access to data". A pattern says that::

    (StateBody) -[OWNS share>=0.25 | CONTROLS]->+ (Company) -[AGREEMENT_WITH]-> ()
        -[HAS_ACCESS_TO|HOSTS]-> (DataAsset)

Grammar (whitespace is free)::

    pattern   := node (step node)*
    node      := "(" [Kind ("|" Kind)*] ")"               -- "()" is any entity
    step      := "-[" [alt ("|" alt)*] "]->" [quantifier]  -- "-[]->" is any influence hop
    alt       := Type [cond ("," cond)*]
    cond      := ("share" | "confidence") (">=" | ">" | "<=" | "<" | "=") value
    value     := a number, or for confidence a level: confirmed, reported, alleged
    quantifier:= "+" | "*" | "?" | "{" n "}" | "{" m "," [n] "}"

Arrows follow influence (a subsidiary is reached from its parent, as everywhere in
graphkit). A path matches when its hops, in influence order, can be read as the steps, each
step taken as many times as its quantifier allows, and every node test holds at the entity
where it falls. Paths are simple (no entity twice) and at most ``max_depth`` hops long.

The search is exact: every simple path within the depth that the pattern admits is
considered, and each end keeps its strongest (then fewest hops, then smallest relationship
ids from the anchor out) — the same order as every other answer. It is bounded by the time
budget, so a loose pattern on a large graph is refused rather than left running.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from graphkit.errors import InvalidQuery
from graphkit.schema import (
    CONFIDENCE_FACTOR,
    TRAVERSABLE,
    Confidence,
    EntityKind,
    RelType,
)
from graphkit.traversal import Arc, _Budget, path_key

Field = Literal["share", "confidence"]
_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}
#: Longest pattern text accepted (a pattern is a line, not a document).
MAX_PATTERN = 500


@dataclass(frozen=True, slots=True)
class Condition:
    """A test on a hop's recorded share or its confidence (as a number in (0, 1])."""

    field: Field
    op: str
    value: float

    def holds(self, share: float | None, confidence: float) -> bool:
        got = share if self.field == "share" else confidence
        return got is not None and _OPS[self.op](got, self.value)


@dataclass(frozen=True, slots=True)
class Alternative:
    """One relationship type a step may take, with the conditions it must meet."""

    type: RelType
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class NodeTest:
    """The kinds an entity may be at one place in the pattern (``None``: any)."""

    kinds: frozenset[EntityKind] | None
    column: int
    text: str

    def holds(self, kind: EntityKind) -> bool:
        return self.kinds is None or kind in self.kinds


@dataclass(frozen=True, slots=True)
class Step:
    """A hop shape taken between ``low`` and ``high`` times (``None``: no upper bound but
    the depth)."""

    alternatives: tuple[Alternative, ...] | None
    low: int
    high: int | None
    column: int
    text: str

    def matches(self, rel_type: RelType, share: float | None, confidence: float) -> bool:
        if self.alternatives is None:
            return rel_type in TRAVERSABLE
        return any(
            a.type is rel_type and all(c.holds(share, confidence) for c in a.conditions)
            for a in self.alternatives
        )


@dataclass(frozen=True, slots=True)
class Pattern:
    """A parsed pattern: node tests with the steps between them, in influence order."""

    nodes: tuple[NodeTest, ...]
    steps: tuple[Step, ...]
    text: str

    def reversed(self) -> Pattern:
        """The same shape read from its end (for a search that starts at the target)."""
        return Pattern(tuple(reversed(self.nodes)), tuple(reversed(self.steps)), self.text)

    def prefix(self, steps: int) -> Pattern:
        """The first ``steps`` steps with their node tests (for saying where a match stops)."""
        return Pattern(self.nodes[: steps + 1], self.steps[:steps], self.text)

    def suffix(self, steps: int) -> Pattern:
        """The last ``steps`` steps with their node tests."""
        n = len(self.steps)
        return Pattern(self.nodes[n - steps :], self.steps[n - steps :], self.text)

    @property
    def types(self) -> frozenset[RelType]:
        """Every type a step names (all influence types when one step takes any)."""
        out: set[RelType] = set()
        for s in self.steps:
            if s.alternatives is None:
                return TRAVERSABLE
            out |= {a.type for a in s.alternatives}
        return frozenset(out)


# ----------------------------------------------------------------------------- parsing

_TOKEN = re.compile(
    r"\s*(?:(?P<arrow_open>-\[)|(?P<arrow_close>\]->)|(?P<brace>\{\s*\d+\s*(?:,\s*\d*\s*)?\})"
    r"|(?P<op>>=|<=|>|<|=)|(?P<number>\d+(?:\.\d+)?|\.\d+)|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<punct>[()|,+*?]))"
)


class _Reader:
    """Tokens with their 1-based columns, and errors that point at them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                # Kept as a token, so a mistake earlier in the text is reported first.
                col = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
                self.tokens.append(("bad", text[col - 1], col))
                break
            kind = m.lastgroup or ""
            col = m.start(kind) + 1
            self.tokens.append((kind, m.group(kind), col))
            pos = m.end()
        self.i = 0

    def error(self, column: int, message: str) -> InvalidQuery:
        return InvalidQuery(f"pattern, column {column}: {message}", parameter="pattern")

    def peek(self) -> tuple[str, str, int]:
        if self.i < len(self.tokens):
            tok = self.tokens[self.i]
            if tok[0] == "bad":
                raise self.error(tok[2], f"unexpected {tok[1]!r}")
            return tok
        return ("end", "", len(self.text) + 1)

    def take(self, kind: str, value: str | None = None, what: str = "") -> tuple[str, str, int]:
        tok = self.peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            found = "the end" if tok[0] == "end" else repr(tok[1])
            raise self.error(tok[2], f"expected {what or repr(value)}, found {found}")
        self.i += 1
        return tok


def _name(table: Iterable[str], word: str) -> str | None:
    by_lower = {t.lower(): t for t in table}
    return by_lower.get(word.lower())


def _node(r: _Reader) -> NodeTest:
    _kind, _value, col = r.take("punct", "(", "'(' (a node test)")
    start = r.i
    kinds: set[EntityKind] = set()
    while r.peek()[:2] != ("punct", ")"):
        _k, word, wcol = r.take("word", None, "an entity kind or ')'")
        found = _name((k.value for k in EntityKind), word)
        if found is None:
            raise r.error(
                wcol,
                f"unknown entity kind {word!r}; known: {', '.join(k.value for k in EntityKind)}",
            )
        kinds.add(EntityKind(found))
        if r.peek()[:2] == ("punct", "|"):
            r.take("punct", "|")
        elif r.peek()[:2] != ("punct", ")"):
            tok = r.peek()
            found = "the end" if tok[0] == "end" else repr(tok[1])
            raise r.error(tok[2], f"expected '|' or ')', found {found}")
    r.take("punct", ")")
    text = "(" + "|".join(t[1] for t in r.tokens[start : r.i - 1] if t[0] == "word") + ")"
    return NodeTest(frozenset(kinds) if kinds else None, col, text)


def _condition(r: _Reader) -> Condition:
    _k, word, col = r.take("word", None, "share or confidence")
    if word not in ("share", "confidence"):
        raise r.error(col, f"conditions test share or confidence, not {word!r}")
    _k, op, _c = r.take("op", None, "a comparison (>=, >, <=, <, =)")
    kind, value, vcol = r.peek()
    if kind == "number":
        r.take("number")
        number = float(value)
    elif kind == "word" and word == "confidence" and value.lower() in {c.value for c in Confidence}:
        r.take("word")
        number = CONFIDENCE_FACTOR[Confidence(value.lower())]
    else:
        levels = " or a confidence level" if word == "confidence" else ""
        raise r.error(vcol, f"expected a number{levels}")
    if not 0.0 <= number <= 1.0:
        raise r.error(vcol, f"{word} is between 0 and 1, not {value}")
    return Condition(word, op, number)  # type: ignore[arg-type]


def _step(r: _Reader) -> Step:
    _k, _v, col = r.take("arrow_open", None, "'-[' (a step)")
    alts: list[Alternative] = []
    while r.peek()[0] != "arrow_close":
        _k, word, wcol = r.take("word", None, "a relationship type or ']->'")
        found = _name((t.value for t in RelType), word)
        if found is None:
            raise r.error(wcol, f"unknown relationship type {word!r}")
        rel_type = RelType(found)
        if rel_type not in TRAVERSABLE:
            raise r.error(wcol, f"{rel_type.value} carries no influence; no path passes it")
        conds: list[Condition] = []
        while r.peek()[0] == "word":
            conds.append(_condition(r))
            if r.peek()[:2] == ("punct", ","):
                r.take("punct", ",")
        alts.append(Alternative(rel_type, tuple(conds)))
        if r.peek()[:2] == ("punct", "|"):
            r.take("punct", "|")
        elif r.peek()[0] != "arrow_close":
            tok = r.peek()
            found_text = "the end" if tok[0] == "end" else repr(tok[1])
            raise r.error(tok[2], f"expected '|' or ']->', found {found_text}")
    r.take("arrow_close")
    low: int = 1
    high: int | None = 1
    kind, value, qcol = r.peek()
    if kind == "punct" and value in "+*?":
        r.take("punct")
        low, high = {"+": (1, None), "*": (0, None), "?": (0, 1)}[value]
    elif kind == "brace":
        r.take("brace")
        inner = value.strip("{} ")
        if "," in inner:
            a, b = (x.strip() for x in inner.split(",", 1))
            low, high = int(a), (int(b) if b else None)
        else:
            low = high = int(inner)
        if high is not None and (high < low or high == 0):
            raise r.error(qcol, f"a repetition needs 0 <= min <= max and max >= 1, not {value}")
    text = r.text[col - 1 : (r.tokens[r.i - 1][2] - 1 + len(r.tokens[r.i - 1][1]))]
    return Step(tuple(alts) if alts else None, low, high, col, text.strip())


def parse(text: str) -> Pattern:
    """A pattern from its text, or :class:`InvalidQuery` naming the column of the mistake.

    >>> p = parse("(StateBody) -[OWNS share>=0.25 | CONTROLS]->+ (Company)")
    >>> [n.text for n in p.nodes], p.steps[0].low, p.steps[0].high
    (['(StateBody)', '(Company)'], 1, None)
    >>> parse("(StateBody) -[OWNZ]-> ()")
    Traceback (most recent call last):
    graphkit.errors.InvalidQuery: pattern, column 15: unknown relationship type 'OWNZ'
    """
    if len(text) > MAX_PATTERN:
        raise InvalidQuery(f"a pattern is at most {MAX_PATTERN} characters", parameter="pattern")
    r = _Reader(text)
    nodes = [_node(r)]
    steps: list[Step] = []
    while r.peek()[0] != "end":
        steps.append(_step(r))
        nodes.append(_node(r))
    if not steps:
        raise r.error(len(text) + 1, "a pattern needs at least one step, e.g. (A) -[OWNS]-> (B)")
    return Pattern(tuple(nodes), tuple(steps), text.strip())


# ----------------------------------------------------------------------------- matching

#: An automaton state: (step index, times that step has been taken so far).
State = tuple[int, int]


def _cap(step: Step, count: int) -> int:
    """Counts past a step's minimum behave alike when it has no maximum."""
    return count if step.high is not None else min(count, step.low)


def closure(p: Pattern, states: Iterable[State], kind: EntityKind) -> frozenset[State]:
    """The states reachable without a hop: a step taken often enough may end here when the
    next node test holds for this entity."""
    out = set(states)
    todo = list(out)
    while todo:
        i, c = todo.pop()
        if i < len(p.steps) and c >= p.steps[i].low and p.nodes[i + 1].holds(kind):
            nxt = (i + 1, 0)
            if nxt not in out:
                out.add(nxt)
                todo.append(nxt)
    return frozenset(out)


def start(p: Pattern, kind: EntityKind) -> frozenset[State]:
    """The states at the path's first entity (empty when its node test fails)."""
    return closure(p, [(0, 0)], kind) if p.nodes[0].holds(kind) else frozenset()


def advance(
    p: Pattern,
    states: frozenset[State],
    rel_type: RelType,
    share: float | None,
    confidence: float,
    kind: EntityKind,
) -> frozenset[State]:
    """The states after one hop onto an entity of ``kind``."""
    moved: set[State] = set()
    for i, c in states:
        if i >= len(p.steps):
            continue
        step = p.steps[i]
        if (step.high is None or c < step.high) and step.matches(rel_type, share, confidence):
            moved.add((i, _cap(step, c + 1)))
    return closure(p, moved, kind) if moved else frozenset()


def accepts(p: Pattern, states: frozenset[State]) -> bool:
    return (len(p.steps), 0) in states


def furthest(states: frozenset[State]) -> int:
    """How many steps the states have completed at most (for "where did it stop")."""
    return max((i for i, _c in states), default=-1)


# ----------------------------------------------------------------------------- search


@dataclass(frozen=True, slots=True)
class HopFacts:
    """What a step tests on one relationship."""

    type: RelType
    share: float | None
    confidence: float


def search(
    p: Pattern,
    anchor: str,
    *,
    inbound: bool,
    arcs: Callable[[str], Sequence[Arc]],
    facts: Callable[[str], HopFacts],
    kind: Callable[[str], EntityKind],
    max_depth: int,
    min_strength: float,
    time_budget: float | None,
    target: str | None = None,
) -> dict[str, list[tuple[float, tuple[str, ...]]]]:
    """Every simple path from ``anchor`` within ``max_depth`` hops that the pattern admits,
    grouped by the entity at its other end (``target`` only, when given), strongest first.

    ``inbound`` walks against influence (a reach: the anchor is the path's last entity, and
    ``p`` must be :meth:`Pattern.reversed`). Relationship ids run from the anchor outward.
    """
    budget = _Budget(time_budget, "pattern search")
    found: dict[str, list[tuple[float, tuple[str, ...]]]] = {}
    begin = start(p, kind(anchor))
    if not begin:
        return found
    on_path = {anchor}
    ids: list[str] = []

    def walk(node: str, states: frozenset[State], strength: float) -> None:
        budget.tick()
        if ids and accepts(p, states) and (target is None or node == target):
            found.setdefault(node, []).append((strength, tuple(ids)))
        if len(ids) >= max_depth or (target is not None and node == target):
            return
        for arc in arcs(node):
            other = arc.tail if inbound else arc.head
            if other in on_path:
                continue
            s = strength * arc.strength
            if s <= 0.0 or s < min_strength:
                continue
            f = facts(arc.rel_id)
            nxt = advance(p, states, f.type, f.share, f.confidence, kind(other))
            if not nxt:
                continue
            on_path.add(other)
            ids.append(arc.rel_id)
            walk(other, nxt, s)
            ids.pop()
            on_path.discard(other)

    walk(anchor, begin, 1.0)
    for paths in found.values():
        paths.sort(key=lambda item: path_key(item[0], item[1]))
    return found
