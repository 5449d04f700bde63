"""Chain numbers: connected components of the trigger -> response graph, numbered by first event.

Shared by :func:`escalation.link` (on its frame), :func:`escalation.linking.chains.add_chain_ids` (on a collected
link table) and the Dask engine (per dyad partition, then across partitions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def forest_roots(n: int, trig: np.ndarray, resp: np.ndarray) -> np.ndarray | None:
    """The root of each event's tree when every response has one trigger (then the links are a forest and its
    trees are the chains): pointer jumping, each pass halving the distance to the root, so a chain of
    ``k`` steps takes about log2(k) vectorised gathers. ``None`` when a response has several (stated) triggers
    or the links hold a cycle; a general connected-components pass is needed then."""
    if np.bincount(resp, minlength=n).max(initial=0) > 1:
        return None
    # int32 positions halve the memory each gather moves (the whole cost of a pass) while n allows
    parent = np.arange(n, dtype=np.int32 if n < 2**31 else np.int64)
    parent[resp] = trig
    is_response = np.zeros(n, dtype=bool)
    is_response[resp] = True
    for _ in range(int(np.ceil(np.log2(max(n, 2)))) + 1):
        grand = parent[parent]
        if np.array_equal(grand, parent):
            # A cycle (stated links answering each other) also stops, on one of its own events: a true root
            # answers nothing.
            return None if is_response[parent].any() else parent
        parent = grand
    return None


def chain_numbers(n: int, trig: np.ndarray, resp: np.ndarray) -> np.ndarray:
    """Chain number (1, 2, ... by first event) of each event; 0 for events in no link."""
    chain_of = np.zeros(n, dtype=np.int64)
    if len(trig) == 0:
        return chain_of
    linked = np.zeros(n, dtype=bool)
    linked[trig] = True
    linked[resp] = True
    labels = forest_roots(n, trig, resp)
    if labels is not None and (trig < resp).all():
        # Every link goes forward in frame order, so a tree's root is its first event and the roots, taken in
        # frame order, number the chains: no sort.
        roots = np.flatnonzero(linked & (labels == np.arange(n, dtype=labels.dtype)))
        number = np.zeros(n, dtype=np.int64)
        number[roots] = np.arange(1, len(roots) + 1)
        chain_of[linked] = number[labels[linked]]
        return chain_of
    if labels is None:
        graph = coo_matrix((np.ones(len(trig), dtype=np.int8), (trig, resp)), shape=(n, n))
        n_labels, labels = connected_components(graph, directed=True, connection="weak")
    else:
        n_labels = n
    # Number the components 1, 2, ... by their first event (the frame is in date order, so by the lowest
    # position), whatever order SciPy gives its labels in (undocumented).
    order = np.flatnonzero(linked)
    label = labels[order]
    used, first = np.unique(label, return_index=True)
    number = np.zeros(n_labels, dtype=np.int64)
    number[used[np.argsort(first)]] = np.arange(1, len(used) + 1)
    chain_of[order] = number[label]
    return chain_of


def chain_roots(n: int, trig: np.ndarray, resp: np.ndarray) -> np.ndarray:
    """For each of ``n`` events in (date, event_id) order, the position of its chain's first event (its root);
    an event in no link is its own root."""
    chain_of = chain_numbers(n, trig, resp)
    numbers, first = np.unique(chain_of, return_index=True)  # chains are numbered by first event
    root_of = np.zeros(int(numbers.max(initial=0)) + 1, dtype=np.int64)
    root_of[numbers] = first
    return np.where(chain_of > 0, root_of[chain_of], np.arange(n))


def link_ends(links: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The linked events of a link table in the pandas engine's order, (date, event_id), and the positions of
    each link's trigger and response among them."""
    ends = pd.DataFrame(
        {
            "id": np.r_[links["trigger_id"].to_numpy(dtype=object), links["response_id"].to_numpy(dtype=object)],
            "date": np.r_[links["trigger_date"].to_numpy(), links["response_date"].to_numpy()],
        }
    ).drop_duplicates("id")
    ends = ends.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    position = pd.Series(np.arange(len(ends)), index=ends["id"].to_numpy())
    trig = position[links["trigger_id"].to_numpy(dtype=object)].to_numpy()
    resp = position[links["response_id"].to_numpy(dtype=object)].to_numpy()
    return ends, trig, resp
