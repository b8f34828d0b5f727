"""Influence profiles: other strengths at query time, on the seed data, with the profile
named in every answer; the vectorised weights equal the one-relationship rule; bad profile
files get clear errors."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from graphkit.csr import weighed
from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData, InvalidQuery
from graphkit.model import Relationship
from graphkit.profiles import DEFAULT, Profile, read_profile
from graphkit.query import DiffRequest, ExposureRequest, PathsRequest, ReachRequest
from graphkit.schema import RelType, hop_strength
from tests.conftest import SEED
from tests.test_cli import _cli

DAY = date(2026, 11, 22)
ROTTERDAM = "rotterdam-port-logistics-data"


def _ranking(engine: QueryEngine, target: str, profile: str | None) -> list[str]:
    result = engine.reach(ReachRequest(target=target, profile=profile), DAY)
    return [i.entity.id for i in result.items]


def test_two_profiles_rank_the_seed_differently_and_say_so(seeded: QueryEngine) -> None:
    """The documented examples (README): the sceptic profile puts the terminals' Chinese
    shareholders above LOGINK for Rotterdam's data (agreements are thin, reports count
    less); party-weighs-more lifts Hikvision's party secretary from fifth to second."""
    assert _ranking(seeded, ROTTERDAM, None)[:2] == ["logink", "cn-government"]
    assert _ranking(seeded, ROTTERDAM, "sceptic")[:2] == ["cn-hk-terminal-shareholders", "logink"]
    default = _ranking(seeded, "hikvision-camera-data", None)
    party = _ranking(seeded, "hikvision-camera-data", "party-weighs-more")
    assert default.index("chen-zongnian") == 4 and party.index("chen-zongnian") == 1

    answer = seeded.reach(ReachRequest(target=ROTTERDAM, profile="sceptic"), DAY)
    assert answer.profile is not None and answer.profile.name == "sceptic"
    assert (
        answer.profile.fingerprint
        == Profile.model_validate(
            {**seeded.profiles.get("sceptic").model_dump(), "name": "other-name"}
        )
        .weights()
        .fingerprint
    ), "the fingerprint is the numbers', not the name's"
    plain = seeded.reach(ReachRequest(target=ROTTERDAM), DAY)
    assert plain.profile is not None and plain.profile.name == "default"
    # Hop strengths shown are the profile's, and multiply to the path's.
    for item in answer.items:
        product = float(np.prod([h.strength for h in item.path.hops]))
        assert item.strength == pytest.approx(product)
        assert item.path.strength == item.strength


def test_every_query_kind_takes_a_profile(seeded: QueryEngine) -> None:
    expo = seeded.exposure(ExposureRequest(source="ccp", profile="party-weighs-more"), DAY)
    base = seeded.exposure(ExposureRequest(source="ccp"), DAY)
    assert expo.profile and expo.profile.name == "party-weighs-more"
    assert expo.items[0].strength > base.items[0].strength
    paths = seeded.paths(
        PathsRequest(source="cn-government", target="fedasil", profile="sceptic"), DAY
    )
    assert paths.profile and paths.profile.name == "sceptic"
    assert paths.paths[0].strength < 0.288  # the default's strongest
    diff = seeded.diff(
        DiffRequest(
            target=ROTTERDAM, from_date="2020-01-01", to_date="2026-11-22", profile="sceptic"
        )
    )
    assert diff.profile and diff.profile.name == "sceptic"
    with pytest.raises(InvalidQuery) as err:
        seeded.reach(ReachRequest(target=ROTTERDAM, profile="nope"), DAY)
    assert err.value.parameter == "profile" and "sceptic" in str(err.value)


def test_a_profile_with_the_schema_numbers_ranks_like_no_profile(seeded: QueryEngine) -> None:
    same = seeded.profiles.add(Profile(name="same-as-schema"))
    assert same.weights().fingerprint == DEFAULT.weights().fingerprint
    want = seeded.reach(ReachRequest(target="hikvision-camera-data"), DAY)
    got = seeded.reach(ReachRequest(target="hikvision-camera-data", profile="same-as-schema"), DAY)
    assert got.items == want.items


def test_vectorised_weights_equal_the_one_relationship_rule(seeded: QueryEngine) -> None:
    """The embedded index weighs every relationship at once; the result must be exactly
    what weigh() gives one at a time (and, under the default profile, what was stored)."""
    index = seeded.store._ensure_index()  # type: ignore[attr-defined]
    cols = index.cols
    rels = seeded.store.relationships(cols.rel_ids)
    for profile in seeded.profiles.all():
        weights = profile.weights()
        vector = weighed(cols, weights)
        one_by_one = [
            weights.weigh(rels[r].type, rels[r].share, rels[r].confidence) for r in cols.rel_ids
        ]
        assert vector.tolist() == one_by_one, profile.name
    assert weighed(cols, DEFAULT.weights()).tolist() == cols.strength.tolist()
    rel = Relationship(
        id="r",
        type="OWNS",
        source="a",
        target="b",
        share=0.3,
        confidence=0.7,
        evidence=[{"source": "s", "excerpt": "x"}],
    )
    assert DEFAULT.weights().weigh(rel.type, rel.share, rel.confidence) == hop_strength(
        RelType.OWNS, 0.3, 0.7
    )


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("name: p\nstrengths:\n  NOPE: 0.5\n", "strengths.NOPE"),
        ("name: p\nstrengths:\n  BANS: 0.5\n", "strengths"),
        ("name: p\nstrengths:\n  OWNS: 1.5\n", "strengths.OWNS"),
        ("name: p\nconfidence_factors:\n  confirmed: 0\n", "confidence_factors.confirmed"),
        ("name: ../etc\n", "name"),
        ("name: p\nweights: {}\n", "weights"),
        ("- just\n- a list\n", None),
        ("name: [unclosed\n", None),
    ],
)
def test_bad_profile_files_name_the_file_and_field(
    tmp_path: Path, text: str, field: str | None
) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        read_profile(path)
    issue = err.value.issues[0]
    assert issue.file == str(path)
    if field is not None:
        assert issue.field is not None and issue.field.startswith(field), issue


def test_a_huge_or_missing_profile_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("name: p\ndescription: " + "x" * 70_000 + "\n", encoding="utf-8")
    with pytest.raises(InvalidData, match="at most"):
        read_profile(big)
    with pytest.raises(InvalidData, match="cannot read"):
        read_profile(tmp_path / "absent.yaml")


def test_the_command_line_takes_a_profile_file(tmp_path: Path) -> None:
    store = tmp_path / "cli.db"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return _cli(*args, store=store)

    assert cli("load", str(SEED)).returncode == 0
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: access-is-weak\nstrengths:\n  HAS_ACCESS_TO: 0.2\n", encoding="utf-8")
    done = cli("reach", ROTTERDAM, "--profile", str(mine), "--json")
    assert done.returncode == 0, done.stderr
    assert '"name": "access-is-weak"' in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nstrengths:\n  BANS: 0.5\n", encoding="utf-8")
    refused = cli("reach", ROTTERDAM, "--profile", str(bad))
    assert refused.returncode == 4 and "BANS carries no influence" in refused.stderr
    assert "Traceback" not in refused.stderr
    unknown = cli("reach", ROTTERDAM, "--profile", "nosuch")
    assert unknown.returncode == 2 and "known: default" in unknown.stderr


def test_no_profile_may_pass_for_the_default(seeded: QueryEngine) -> None:
    with pytest.raises(InvalidQuery, match="cannot be called 'default'"):
        seeded.profiles.add(Profile(name="default", strengths={"OWNS": 0.1}))
    assert seeded.profile("default")[0] is None  # still the stored strengths
