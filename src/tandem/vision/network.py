"""The leaders network as pure functions over plain ids: no Django here.

Each nomination ("who do you go to for direction / energy / to get things done?") is an edge
from the nominator to the nominee. The selector turns rows into ``(nominator, nominee)`` pairs,
calls :func:`analyse`, and applies the anonymity minimum through :func:`informal_leaders` and
:func:`brokers` before anything reaches a page.

Measures (networkx 3):

- **in-degree**: how many distinct people nominated someone, on any question.
- **betweenness**: ``nx.betweenness_centrality`` on the directed, unweighted graph,
  normalised by ``(n - 1)(n - 2)``: the share of shortest paths between others that pass
  through someone. Weights are left out because a strong tie is not a long distance.
- **PageRank**: ``nx.pagerank`` with ``alpha=0.85``, an edge weighted by the number of
  questions on which the nominator named the nominee: being named by people who are
  themselves named often counts more.
- **communities**: ``nx.community.louvain_communities`` on the undirected graph (weights of
  both directions summed) with a fixed seed, so the same answers give the same groups.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

# networkx is imported when a network is analysed, not when the site starts (a third of a
# second at start-up).
if TYPE_CHECKING:
    import networkx as nx


SEED = 7
PAGERANK_ALPHA = 0.85


@dataclass(frozen=True)
class Centrality:
    person: int
    in_degree: int
    betweenness: float
    pagerank: float
    community: int


@dataclass(frozen=True)
class Network:
    people: Mapping[int, Centrality]
    communities: tuple[frozenset[int], ...]
    neighbours: Mapping[int, frozenset[int]]


@dataclass(frozen=True)
class Broker:
    centrality: Centrality
    departments: int


def build_graph(*, nodes: Iterable[int], edges: Iterable[tuple[int, int]]) -> nx.DiGraph:
    """A directed graph; an edge's ``weight`` is how many times the pair was nominated.

    Self-nominations are dropped. Every node in ``nodes`` is present, nominated or not.
    """
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    for source, target in edges:
        if source == target:
            continue
        if graph.has_edge(source, target):
            graph[source][target]["weight"] += 1
        else:
            graph.add_edge(source, target, weight=1)
    return graph


def undirected(graph: nx.DiGraph) -> nx.Graph:
    """The same ties without direction; weights of ``a -> b`` and ``b -> a`` are summed."""
    import networkx as nx

    result = nx.Graph()
    result.add_nodes_from(graph.nodes)
    for source, target, weight in graph.edges(data="weight"):
        if result.has_edge(source, target):
            result[source][target]["weight"] += weight
        else:
            result.add_edge(source, target, weight=weight)
    return result


def analyse(*, nodes: Iterable[int], edges: Iterable[tuple[int, int]], seed: int = SEED) -> Network:
    """Centrality and communities of everyone in ``nodes``.

    >>> net = analyse(nodes=[1, 2, 3], edges=[(1, 2), (3, 2), (2, 3)])
    >>> net.people[2].in_degree, round(net.people[2].betweenness, 2)
    (2, 0.5)
    """
    import networkx as nx

    graph = build_graph(nodes=nodes, edges=edges)
    if graph.number_of_nodes() == 0:
        return Network(people={}, communities=(), neighbours={})
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    pagerank = nx.pagerank(graph, alpha=PAGERANK_ALPHA, weight="weight")
    ties = undirected(graph)
    found = nx.community.louvain_communities(ties, weight="weight", seed=seed)
    # A stable order: biggest first, then by smallest member id.
    communities = tuple(frozenset(c) for c in sorted(found, key=lambda c: (-len(c), min(c))))
    community_of = {person: n for n, group in enumerate(communities) for person in group}
    people = {
        person: Centrality(
            person=person,
            in_degree=graph.in_degree(person),
            betweenness=float(betweenness[person]),
            pagerank=float(pagerank[person]),
            community=community_of[person],
        )
        for person in graph.nodes
    }
    neighbours = {person: frozenset(ties.neighbors(person)) for person in ties.nodes}
    return Network(people=people, communities=communities, neighbours=neighbours)


def _quantile(values: list[float], share: float) -> float:
    """The value at or above which the top ``share`` of ``values`` lies (nearest rank)."""
    ordered = sorted(values, reverse=True)
    rank = max(1, round(len(ordered) * share))
    return ordered[rank - 1]


def informal_leaders(
    network: Network,
    *,
    has_reports: Collection[int],
    minimum: int,
    share: float = 0.25,
) -> list[Centrality]:
    """People with high centrality and no direct reports, most central first.

    High centrality means a PageRank in the top ``share`` of everyone in the network. Only
    people nominated by at least ``minimum`` distinct people are considered at all: that is
    the anonymity rule, so no one appears on the strength of one or two nominations.
    """
    if not 0 < share <= 1:
        raise ValueError("share must be above 0 and at most 1")
    if not network.people:
        return []
    cut = _quantile([c.pagerank for c in network.people.values()], share)
    found = [
        c
        for c in network.people.values()
        if c.in_degree >= minimum and c.person not in has_reports and c.pagerank >= cut
    ]
    return sorted(found, key=lambda c: (-c.pagerank, c.person))


def brokers(
    network: Network,
    *,
    departments: Mapping[int, str],
    minimum: int,
) -> list[Broker]:
    """People whose ties cross departments and who sit on paths between others.

    A broker has a betweenness above zero and ties (in either direction) to people of at
    least two departments, one of them not their own. The anonymity minimum applies as for
    informal leaders. Most between first.
    """
    found = []
    for c in network.people.values():
        if c.in_degree < minimum or c.betweenness <= 0:
            continue
        own = departments.get(c.person, "")
        reached = {departments.get(n, "") for n in network.neighbours.get(c.person, ())}
        if len(reached | {own}) < 2 or not (reached - {own}):
            continue
        found.append(Broker(centrality=c, departments=len(reached | {own})))
    return sorted(found, key=lambda b: (-b.centrality.betweenness, b.centrality.person))
