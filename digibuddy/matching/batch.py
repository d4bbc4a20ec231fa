"""The batch proposal: give every open request at most one volunteer so that the total score is as high
as possible while no volunteer gets more requests than their free capacity.

Exact, with SciPy's sparse assignment solver (LAPJVsp, `min_weight_full_bipartite_matching`): each
volunteer becomes as many columns as they have free places, each request also gets a private
"nobody" column, so a full matching always exists and leaving a request unassigned costs nothing.
Pure Python plus SciPy: no Flask, no SQLAlchemy."""

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


@dataclass(frozen=True)
class Proposal:
    assignments: dict[int, int]  # request id -> volunteer id
    total_score: float


def propose(scores: dict[int, dict[int, float]], free_capacity: dict[int, int]) -> Proposal:
    """`scores[request_id][volunteer_id]` for every feasible pair (score > 0)."""
    request_ids = sorted(scores)
    if not request_ids:
        return Proposal({}, 0.0)
    slots: list[int] = []  # column -> volunteer id
    first_slot: dict[int, int] = {}
    for volunteer_id in sorted({v for pairs in scores.values() for v in pairs}):
        places = max(0, int(free_capacity.get(volunteer_id, 0)))
        if places:
            first_slot[volunteer_id] = len(slots)
            slots.extend([volunteer_id] * places)
    dummy_start = len(slots)
    best = max((s for pairs in scores.values() for s in pairs.values()), default=0.0)
    big = best + 1.0  # every weight stays strictly positive (zero means "no edge" in a sparse matrix)

    rows, cols, weights = [], [], []
    for row, request_id in enumerate(request_ids):
        for volunteer_id, value in scores[request_id].items():
            if volunteer_id not in first_slot or value <= 0:
                continue
            start = first_slot[volunteer_id]
            places = free_capacity[volunteer_id]
            for column in range(start, start + places):
                rows.append(row)
                cols.append(column)
                weights.append(big - value)
        rows.append(row)
        cols.append(dummy_start + row)
        weights.append(big)
    matrix = csr_matrix(
        (np.array(weights), (np.array(rows), np.array(cols))),
        shape=(len(request_ids), dummy_start + len(request_ids)),
    )
    matched_rows, matched_cols = min_weight_full_bipartite_matching(matrix)
    assignments, total = {}, 0.0
    for row, column in zip(matched_rows, matched_cols, strict=True):
        if column < dummy_start:
            request_id, volunteer_id = request_ids[row], slots[column]
            assignments[request_id] = volunteer_id
            total += scores[request_id][volunteer_id]
    return Proposal(assignments, round(total, 6))


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
