"""Read-only Cypher for researchers: answers with parameters, a row cap and a time budget,
and refuses whatever does more than read the graph — with the store left unchanged."""

from __future__ import annotations

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import BoundExceeded, InvalidQuery
from graphkit.query import CypherRequest
from tests.backends import pair

REFUSED = {
    "CREATE (n:Entity {id: 'x'}) RETURN n": "writes",
    "MATCH (n:Entity) SET n.name = 'x' RETURN count(n)": "writes",
    "MATCH (n:Entity) DETACH DELETE n": "writes",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row": "LOAD CSV",
    "/* innocent */ lOaD cSv FROM 'http://127.0.0.1:9/x' AS row RETURN row": "LOAD CSV",
    "CALL dbms.components() YIELD name RETURN name": "dbms.components",
    "CALL db.createLabel('Evil')": "db.createLabel",
    "CALL { MATCH (n:Entity) RETURN count(n) AS c } IN TRANSACTIONS RETURN c": "IN TRANSACTIONS",
}


@pytest.fixture
def neo(embedded_engines: dict[str, QueryEngine], neo4j_engine: QueryEngine) -> QueryEngine:
    return pair("seed", embedded_engines, neo4j_engine).neo4j


@pytest.mark.neo4j
def test_a_parameterised_query_answers_with_graph_values(neo: QueryEngine) -> None:
    res = neo.cypher(
        CypherRequest(
            query="MATCH (s:Entity)-[r:SUBSIDIARY_OF]->(c:Entity {id: $id}) "
            "RETURN s.id AS subsidiary, r, c ORDER BY subsidiary",
            params={"id": "alibaba"},
        )
    )
    assert res.columns == ("subsidiary", "r", "c") and not res.truncated
    assert res.rows and all(row[1]["type"] == "SUBSIDIARY_OF" for row in res.rows)
    assert [row[0] for row in res.rows] == ["alibaba-liege-subsidiary", "cainiao"]
    subsidiary, rel, company = res.rows[1]
    # An end is named when its node is in the result too (the subsidiary came back as an id).
    assert rel["end"] == "alibaba" and rel["start"] is None and rel["properties"]["id"]
    assert "Entity" in company["labels"] and "search" not in company["properties"]
    labels = neo.cypher(CypherRequest(query="CALL db.labels() YIELD label RETURN label"))
    assert ("Entity",) in labels.rows  # the schema procedures are allowed


@pytest.mark.neo4j
def test_rows_are_capped_and_time_is_bounded(neo: QueryEngine) -> None:
    capped = neo.cypher(CypherRequest(query="UNWIND range(1, 50) AS i RETURN i", limit=10))
    assert capped.rows == tuple((i,) for i in range(1, 11)) and capped.truncated
    whole = neo.cypher(CypherRequest(query="UNWIND range(1, 10) AS i RETURN i", limit=10))
    assert len(whole.rows) == 10 and not whole.truncated

    hurried = QueryEngine(neo.store, neo.settings.model_copy(update={"time_budget": 1.0}))
    slow = "UNWIND range(1, 1000000000) AS i WITH i WHERE i % 7 = 0 RETURN count(*) AS n"
    with pytest.raises(BoundExceeded):
        hurried.cypher(CypherRequest(query=slow))


@pytest.mark.neo4j
@pytest.mark.parametrize("query", sorted(REFUSED))
def test_what_does_more_than_read_is_refused(neo: QueryEngine, query: str) -> None:
    before = neo.cypher(
        CypherRequest(
            query="MATCH (n) RETURN count(n) AS nodes, "
            "COUNT { ()-[]->() } AS rels, collect(DISTINCT labels(n)) AS labels"
        )
    ).rows
    with pytest.raises(InvalidQuery, match=REFUSED[query]):
        neo.cypher(CypherRequest(query=query))
    after = neo.cypher(
        CypherRequest(
            query="MATCH (n) RETURN count(n) AS nodes, "
            "COUNT { ()-[]->() } AS rels, collect(DISTINCT labels(n)) AS labels"
        )
    ).rows
    assert after == before


@pytest.mark.neo4j
def test_a_bad_query_gets_the_servers_own_account(neo: QueryEngine) -> None:
    with pytest.raises(InvalidQuery, match="Neo4j refused the query"):
        neo.cypher(CypherRequest(query="MATCH (n RETURN n"))
    with pytest.raises(InvalidQuery, match="Neo4j refused the query"):
        neo.cypher(CypherRequest(query="MATCH (n:Entity {id: $missing}) RETURN n"))


def test_the_embedded_store_says_cypher_needs_neo4j(
    embedded_engines: dict[str, QueryEngine],
) -> None:
    with pytest.raises(InvalidQuery, match="needs the Neo4j backend"):
        embedded_engines["seed"].cypher(CypherRequest(query="RETURN 1"))
