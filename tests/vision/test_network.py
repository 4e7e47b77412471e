"""The network maths, on small hand-made graphs, checked against networkx's own functions and
against values worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from tandem.vision.network import (
    PAGERANK_ALPHA,
    SEED,
    analyse,
    brokers,
    build_graph,
    informal_leaders,
    undirected,
)

# Two departments. Eng: 1-4, Sales: 5-8. 9 is the informal leader everyone in Eng goes to;
# 4 (Eng) and 5 (Sales) nominate each other: the one bridge between the two groups.
DEPARTMENTS = {1: "Eng", 2: "Eng", 3: "Eng", 4: "Eng", 9: "Eng"} | {
    5: "Sales",
    6: "Sales",
    7: "Sales",
    8: "Sales",
}
EDGES = [
    (1, 9), (2, 9), (3, 9), (4, 9),  # direction
    (1, 9), (2, 9),                  # energy, again 9: weight 2 on those edges
    (9, 4), (4, 5), (5, 4),
    (6, 5), (7, 5), (8, 5), (6, 7), (7, 8),
    (1, 1),                          # a self-nomination, ignored
]  # fmt: skip
NODES = list(DEPARTMENTS)


def _reference() -> nx.DiGraph:
    """The same graph built by hand with networkx, as the reference."""
    graph = nx.DiGraph()
    graph.add_nodes_from(NODES)
    weights: dict[tuple[int, int], int] = {}
    for a, b in EDGES:
        if a != b:
            weights[(a, b)] = weights.get((a, b), 0) + 1
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in weights.items())
    return graph


def test_the_graph_counts_repeated_nominations_as_weight_and_drops_self_loops() -> None:
    graph = build_graph(nodes=NODES, edges=EDGES)
    assert graph[1][9]["weight"] == 2 and graph[3][9]["weight"] == 1
    assert not graph.has_edge(1, 1)
    assert nx.utils.graphs_equal(graph, _reference())


def test_in_degree_is_distinct_nominators() -> None:
    net = analyse(nodes=NODES, edges=EDGES)
    assert {p: c.in_degree for p, c in net.people.items()} == dict(_reference().in_degree())
    assert net.people[9].in_degree == 4  # 1, 2, 3, 4; repeats do not count twice
    assert net.people[5].in_degree == 4  # 4, 6, 7, 8


def test_betweenness_matches_networkx() -> None:
    net = analyse(nodes=NODES, edges=EDGES)
    expected = nx.betweenness_centrality(_reference(), normalized=True)
    for person, value in expected.items():
        assert net.people[person].betweenness == pytest.approx(value, abs=1e-12)


def test_betweenness_by_hand_on_a_path() -> None:
    # 1 -> 2 -> 3: only the pair (1, 3) has a path through 2; normalised by (n-1)(n-2) = 2.
    net = analyse(nodes=[1, 2, 3], edges=[(1, 2), (2, 3)])
    assert net.people[2].betweenness == pytest.approx(0.5)
    assert net.people[1].betweenness == 0 and net.people[3].betweenness == 0


def test_pagerank_matches_networkx() -> None:
    net = analyse(nodes=NODES, edges=EDGES)
    expected = nx.pagerank(_reference(), alpha=PAGERANK_ALPHA, weight="weight")
    for person, value in expected.items():
        assert net.people[person].pagerank == pytest.approx(value, abs=1e-9)
    assert sum(c.pagerank for c in net.people.values()) == pytest.approx(1.0)


def test_pagerank_by_hand_on_a_two_cycle() -> None:
    # 1 <-> 2: by symmetry each holds half.
    net = analyse(nodes=[1, 2], edges=[(1, 2), (2, 1)])
    assert net.people[1].pagerank == pytest.approx(0.5)


def test_communities_match_networkx_louvain_with_the_fixed_seed() -> None:
    net = analyse(nodes=NODES, edges=EDGES)
    expected = nx.community.louvain_communities(
        undirected(_reference()), weight="weight", seed=SEED
    )
    assert set(net.communities) == {frozenset(c) for c in expected}
    # Two groups: those around 9, and Sales with 4, whose two-way tie to 5 outweighs the rest.
    assert set(net.communities) == {frozenset({1, 2, 3, 9}), frozenset({4, 5, 6, 7, 8})}
    assert net.people[1].community == net.people[9].community != net.people[5].community


def test_the_same_answers_give_the_same_communities() -> None:
    first = analyse(nodes=NODES, edges=EDGES)
    again = analyse(nodes=list(reversed(NODES)), edges=list(reversed(EDGES)))
    assert first.communities == again.communities


def test_the_undirected_graph_sums_both_directions() -> None:
    ties = undirected(build_graph(nodes=NODES, edges=EDGES))
    assert ties[4][5]["weight"] == 2 and ties[9][4]["weight"] == 2


def test_an_informal_leader_is_central_with_no_reports() -> None:
    net = analyse(nodes=NODES, edges=EDGES)
    # PageRank, by hand from networkx: 4 0.415, 9 0.235, 5 0.233, then 0.027 and less.
    # The top quarter (2 of 9) ends at 9; 4 is named by only 2 people, below the minimum.
    assert [c.person for c in informal_leaders(net, has_reports=set(), minimum=3)] == [9]
    # With a wider cut, 5 joins, unless 5 manages people: then 5 is a formal leader.
    wide = informal_leaders(net, has_reports=set(), minimum=3, share=0.5)
    assert [c.person for c in wide] == [9, 5]
    assert [c.person for c in informal_leaders(net, has_reports={5}, minimum=3, share=0.5)] == [9]


def test_no_one_appears_below_the_anonymity_minimum() -> None:
    net = analyse(nodes=NODES, edges=EDGES)
    assert informal_leaders(net, has_reports=set(), minimum=5) == []
    assert brokers(net, departments=DEPARTMENTS, minimum=5) == []


def test_brokers_connect_departments() -> None:
    net = analyse(nodes=NODES, edges=EDGES)
    found = brokers(net, departments=DEPARTMENTS, minimum=1)
    people = [b.centrality.person for b in found]
    assert 4 in people and 5 in people
    assert all(b.departments == 2 for b in found if b.centrality.person in {4, 5})
    # 9 sits on paths too, but only within Eng: not a broker.
    assert 9 not in people


def test_an_empty_network_is_empty() -> None:
    net = analyse(nodes=[], edges=[])
    assert net.people == {} and informal_leaders(net, has_reports=set(), minimum=1) == []


def test_share_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match="share"):
        informal_leaders(analyse(nodes=[1], edges=[]), has_reports=set(), minimum=1, share=0)
