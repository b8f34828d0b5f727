"""A deterministic synthetic ownership-and-influence graph shaped like corporate networks.

A few state bodies at the top; holding companies with heavy-tailed out-degree (owners are
drawn with preferential attachment towards early, large holders); most firms with 1–3 owners
whose shares sum to at most 1; chains as deep as the attachment makes them; about 1% of
stakes point "backwards" to create cross-holdings and cycles; non-ownership types mixed in;
validity intervals on a share of relationships; two firms in three carry an LEI. Records
are built valid by construction (every relationship within the schema table's kinds; tests
check that the validator accepts them all).

    python -m bench.generate --entities 10000 --out graph.jsonl   # curated JSON lines
    graphkit load graph.jsonl                                     # as any user's file
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from graphkit.model import Batch, Entity, Evidence, Relationship, Source
from graphkit.schema import RELATIONSHIPS, Confidence, EntityKind, RelType

SOURCE = Source(id="synthetic-register", title="Synthetic company register", date="2020-01-01")
_EVIDENCE = (Evidence(source=SOURCE.id, excerpt="generated"),)
_OTHER_TYPES = (
    RelType.CONTROLS,
    RelType.AGREEMENT_WITH,
    RelType.SUPPLIES,
    RelType.SUBSIDIARY_OF,
    RelType.HOLDS_STAKE_IN,
)


@dataclass(frozen=True)
class Shape:
    """Knobs of the generator (defaults give ~3 relationships per entity)."""

    entities: int = 10_000
    seed: int = 7
    states: int = 5
    extra_per_entity: float = 1.35
    backwards: float = 0.01
    dated: float = 0.3


def _rel(
    i: int,
    rtype: RelType,
    src: str,
    tgt: str,
    rng: random.Random,
    shape: Shape,
    share: float | None = None,
) -> Relationship:
    since = until = None
    if rng.random() < shape.dated:
        start = rng.randint(1995, 2024)
        since = str(start)
        if rng.random() < 0.4:
            until = str(start + rng.randint(0, 10))
    conf = (Confidence.CONFIRMED, Confidence.REPORTED, Confidence.ALLEGED)[i % 3]
    return Relationship.model_construct(
        id=f"r{i}",
        type=rtype,
        source=src,
        target=tgt,
        share=share,
        role=None,
        status=None,
        valid_from=since,
        valid_to=until,
        ended=False,
        confidence=conf,
        evidence=_EVIDENCE,
        properties={},
    )


def generate(shape: Shape, batch_size: int = 50_000) -> Iterator[Batch]:
    """Batches of at most ``batch_size`` records: every entity first, then relationships."""
    rng = random.Random(shape.seed)
    n = shape.entities
    entities = []
    for i in range(n):
        kind = (
            EntityKind.STATE_BODY
            if i < shape.states
            else (EntityKind.PERSON if i % 17 == 0 else EntityKind.COMPANY)
        )
        entities.append(
            Entity.model_construct(
                id=f"e{i}",
                kind=kind,
                name=f"Entity {i}",
                aliases=(),
                country=None,
                # two firms in three carry an LEI, as in registers joined to GLEIF
                identifiers=(
                    {"lei": f"SYNTH{i:015d}"} if kind is EntityKind.COMPANY and i % 3 else {}
                ),
                description=None,
                unnamed=False,
                properties={},
            )
        )
    for start in range(0, n, batch_size):  # bounded transactions, entities first
        chunk = tuple(entities[start : start + batch_size])
        yield Batch(sources=(SOURCE,) if start == 0 else (), entities=chunk)
    rels: list[Relationship] = []
    counter = 0
    for i in range(shape.states, n):
        budget = 1.0
        # Only organisations and assets are owned (the schema's OWNS targets).
        ownable = entities[i].kind in RELATIONSHIPS[RelType.OWNS].targets
        owners: set[int] = set()
        for _ in range(rng.choice((1, 1, 2, 2, 3)) if ownable else 0):
            if rng.random() < shape.backwards:
                owner = rng.randrange(i + 1, n) if i + 1 < n else 0
            else:
                owner = int((rng.random() ** 2.2) * i)  # heavy tail towards early holders
            if (
                owner in owners
                or owner == i
                or entities[owner].kind is EntityKind.PERSON
                and rng.random() < 0.5
            ):
                continue
            owners.add(owner)
            share = round(rng.uniform(0.05, 1.0) * budget, 4)
            if share <= 0:
                break
            budget -= share
            rels.append(_rel(counter, RelType.OWNS, f"e{owner}", f"e{i}", rng, shape, share))
            counter += 1
        extra = int(shape.extra_per_entity) + (rng.random() < shape.extra_per_entity % 1)
        for _ in range(extra):
            rtype = rng.choice(_OTHER_TYPES)
            other = rng.randrange(n)
            if other == i or entities[i].kind is EntityKind.PERSON:
                continue
            src, tgt = (
                (f"e{other}", f"e{i}")
                if rtype is not RelType.SUBSIDIARY_OF
                else (f"e{i}", f"e{other}")
            )
            spec = RELATIONSHIPS[rtype]
            if (
                entities[int(src[1:])].kind not in spec.sources
                or entities[int(tgt[1:])].kind not in spec.targets
            ):
                continue  # the project's validator would refuse it
            rels.append(_rel(counter, rtype, src, tgt, rng, shape))
            counter += 1
        if len(rels) >= batch_size:
            yield Batch(relationships=tuple(rels))
            rels = []
    if rels:
        yield Batch(relationships=tuple(rels))


def write_jsonl(shape: Shape, path: Path, on_records: Callable[[int], None] | None = None) -> None:
    """Write the graph as curated JSON lines, one ``{section: record}`` per line: the file
    ``graphkit load`` reads (and the benchmark loads, through the validation users get)."""
    with path.open("w", encoding="utf-8") as handle:
        for batch in generate(shape):
            for section in ("sources", "entities", "relationships"):
                for obj in getattr(batch, section):
                    record = obj.model_dump(mode="json", exclude_none=True)
                    handle.write(json.dumps({section: record}) + "\n")
            if on_records is not None:
                on_records(len(batch.entities) + len(batch.relationships))


def main() -> None:
    """Write the graph as curated JSON lines (``graphkit load FILE`` reads it)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    expected = int(args.entities * 4)  # ~1 entity + ~3 relationships per entity
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True
    ) as progress:
        task = progress.add_task("records", total=expected)
        write_jsonl(
            Shape(entities=args.entities, seed=args.seed),
            args.out,
            lambda n: progress.advance(task, n),
        )


if __name__ == "__main__":
    main()
