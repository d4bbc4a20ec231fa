"""The batch proposal: give every open request at most one volunteer so that the total score is as high
as possible while no volunteer gets more requests than their free capacity.

Exact, with SciPy's sparse assignment solver (LAPJVsp, `min_weight_full_bipartite_matching`): each
volunteer becomes as many columns as they have free places, each request also gets a private
"nobody" column, so a full matching always exists and leaving a request unassigned costs nothing. The
graph falls apart into independent parts (the networks, joined only where overflow lets them share
volunteers), each solved on its own.
Pure Python plus SciPy: no Flask, no SQLAlchemy."""

from dataclasses import dataclass

import numpy as np
from scipy.sparse import bmat, csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching


@dataclass(frozen=True)
class Proposal:
    assignments: dict[int, int]  # request id -> volunteer id
    total_score: float


def propose(scores: dict[int, dict[int, float]], free_capacity: dict[int, int]) -> Proposal:
    """`scores[request_id][volunteer_id]` for every feasible pair (score > 0)."""
    request_ids = sorted(scores)
    if not request_ids:
        return Proposal({}, 0.0)
    counts = np.array([len(scores[r]) for r in request_ids])
    edge_rows = np.repeat(np.arange(len(request_ids)), counts)
    edge_volunteers = np.fromiter(
        (v for r in request_ids for v in scores[r]), dtype=np.int64, count=counts.sum()
    )
    edge_values = np.fromiter(
        (s for r in request_ids for s in scores[r].values()), dtype=float, count=counts.sum()
    )
    # Columns: each volunteer's free places, volunteers in id order, then one "nobody" column per request.
    volunteer_ids = np.unique(edge_volunteers)
    places = np.array([max(0, int(free_capacity.get(int(v), 0))) for v in volunteer_ids], dtype=np.int64)
    first_slot = np.cumsum(places) - places
    slots = np.repeat(volunteer_ids, places)  # column -> volunteer id
    dummy_start = len(slots)
    best = edge_values.max(initial=0.0)
    big = best + 1.0  # every weight stays strictly positive (zero means "no edge" in a sparse matrix)

    position = np.searchsorted(volunteer_ids, edge_volunteers)
    keep = (places[position] > 0) & (edge_values > 0)
    rows, position, values = edge_rows[keep], position[keep], edge_values[keep]
    repeat = places[position]  # one edge per free place of the volunteer
    starts = np.cumsum(repeat) - repeat
    offsets = np.arange(repeat.sum()) - np.repeat(starts, repeat)
    all_rows = np.concatenate([np.repeat(rows, repeat), np.arange(len(request_ids))])
    all_cols = np.concatenate(
        [np.repeat(first_slot[position], repeat) + offsets, dummy_start + np.arange(len(request_ids))]
    )
    all_weights = np.concatenate([np.repeat(big - values, repeat), np.full(len(request_ids), big)])
    order = np.argsort(all_rows, kind="stable")  # row by row, each row's "nobody" column last
    matrix = csr_matrix(
        (all_weights[order], (all_rows[order], all_cols[order])),
        shape=(len(request_ids), dummy_start + len(request_ids)),
    )
    matched_rows, matched_cols = _solve_by_component(matrix)
    assignments, total = {}, 0.0
    for row, column in zip(matched_rows.tolist(), matched_cols.tolist(), strict=True):
        if column < dummy_start:
            request_id, volunteer_id = request_ids[row], int(slots[column])
            assignments[request_id] = volunteer_id
            total += scores[request_id][volunteer_id]
    return Proposal(assignments, round(total, 6))


def _solve_by_component(matrix: csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """min_weight_full_bipartite_matching, solved separately for each connected part of the graph (requests
    that share no candidate, directly or through others, do not compete): the same optimum, found much
    faster than in one large problem. Returns (rows, columns) matched."""
    n_rows = matrix.shape[0]
    graph = bmat([[None, matrix], [matrix.T, None]], format="csr")
    count, labels = connected_components(graph, directed=False)
    row_labels, col_labels = labels[:n_rows], labels[n_rows:]
    rows_by_part = np.split(
        np.argsort(row_labels, kind="stable"), np.cumsum(np.bincount(row_labels, minlength=count))[:-1]
    )
    cols_order = np.argsort(col_labels, kind="stable")
    cols_by_part = np.split(cols_order, np.cumsum(np.bincount(col_labels, minlength=count))[:-1])
    matched_rows, matched_cols = [], []
    for rows, cols in zip(rows_by_part, cols_by_part, strict=True):
        if not len(rows):
            continue  # a column nobody can take
        part_rows, part_cols = min_weight_full_bipartite_matching(matrix[rows][:, cols])
        matched_rows.append(rows[part_rows])
        matched_cols.append(cols[part_cols])
    return np.concatenate(matched_rows), np.concatenate(matched_cols)


def optimum_by_linear_programming(
    scores: dict[int, dict[int, float]], free_capacity: dict[int, int]
) -> float:
    """The same optimum computed independently, as a linear program solved by HiGHS (the bipartite
    b-matching polytope is integral, so the LP optimum is the integer optimum). Used to check `propose`."""
    from scipy.optimize import linprog
    from scipy.sparse import lil_matrix

    edges = [
        (r, v, s)
        for r, pairs in scores.items()
        for v, s in pairs.items()
        if s > 0 and free_capacity.get(v, 0) > 0
    ]
    if not edges:
        return 0.0
    request_index = {r: i for i, r in enumerate(sorted({e[0] for e in edges}))}
    volunteer_index = {v: i for i, v in enumerate(sorted({e[1] for e in edges}))}
    constraints = lil_matrix((len(request_index) + len(volunteer_index), len(edges)))
    for j, (r, v, _s) in enumerate(edges):
        constraints[request_index[r], j] = 1
        constraints[len(request_index) + volunteer_index[v], j] = 1
    bounds_rhs = [1] * len(request_index) + [free_capacity[v] for v in sorted(volunteer_index)]
    result = linprog(
        c=[-s for _r, _v, s in edges],
        A_ub=constraints.tocsr(),
        b_ub=bounds_rhs,
        bounds=(0, 1),
        method="highs",
    )
    return round(-result.fun, 6)
