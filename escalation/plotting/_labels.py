"""Labels that never overprint: each tried at a few offsets and kept at the first where it overlaps nothing
already placed and stays inside the axes, or left out (a missing label reads better than two on top of each
other). Matplotlib has no such placement of its own; adjustText moves labels after the fact and needs a new
dependency for a dozen labels a figure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Annotation
    from matplotlib.transforms import Bbox

#: Space kept between two labels, in pixels of the figure's own dpi.
PAD = 2.0


def _renderer(fig: Any) -> Any:
    """The figure's renderer, whatever its canvas: Agg's, or the one Matplotlib itself uses for layouts
    (``Figure._get_renderer``, since 3.6) when the canvas is a plain one (a Figure made without pyplot)."""
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def _extent(text: Any, renderer: Any) -> Bbox:
    """A text's drawn box, with its bbox patch (the white rounded box behind a label) when it has one."""
    from matplotlib.transforms import Bbox

    box = text.get_window_extent(renderer)
    patch = text.get_bbox_patch() if hasattr(text, "get_bbox_patch") else None
    if patch is not None:
        text.update_bbox_position_size(renderer)
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box


def _box(artist: Any, renderer: Any) -> Bbox:
    return _extent(artist, renderer).padded(PAD)


def place_labels(
    ax: Axes,
    labels: Iterable[tuple[str, Any, dict[str, Any]]],
    offsets: Sequence[tuple[float, float]],
    avoid: Iterable[Any] = (),
) -> tuple[list[Annotation], int]:
    """Annotate ``ax`` with ``labels`` (``text, xy, annotate keywords``), most important first.

    Each is tried at ``offsets`` (points from ``xy``) in turn and kept at the first where its box (with its
    bbox patch) overlaps neither a label placed before it nor an artist of ``avoid``, and lies inside the
    axes. The figure's layout is run first, so that the boxes are where they will be drawn. Returns the
    labels placed and how many found no place.
    """
    fig: Any = ax.get_figure()  # a Figure (a SubFigure draws through its parent)
    assert fig is not None
    fig.draw_without_rendering()  # constrained layout sizes the axes: data -> pixels as they will be saved
    renderer = _renderer(fig)
    frame = ax.get_window_extent(renderer)
    taken = [_box(a, renderer) for a in avoid]
    placed: list[Annotation] = []
    missing = 0
    for text, xy, keywords in labels:
        for dx, dy in offsets:
            note = ax.annotate(text, xy, xytext=(dx, dy), textcoords="offset points", **keywords)
            box = _box(note, renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                placed.append(note)
                break
            note.remove()
        else:
            missing += 1
    return placed, missing


def drop_overprints(ax: Axes, texts: Sequence[Any]) -> int:
    """Remove each of ``texts`` (in order of importance) that overprints one kept before it or a text of
    ``ax`` not among them; returns how many were removed. For labels drawn where their data are (country
    names on a map), which cannot move."""
    fig: Any = ax.get_figure()  # a Figure (a SubFigure draws through its parent)
    assert fig is not None
    fig.draw_without_rendering()
    renderer = _renderer(fig)
    mine = {id(t) for t in texts}
    taken = [_box(t, renderer) for t in ax.texts if id(t) not in mine and t.get_text().strip()]
    removed = 0
    for t in texts:
        box = _box(t, renderer)
        if any(box.overlaps(other) for other in taken):
            t.remove()
            removed += 1
        else:
            taken.append(box)
    return removed


def overlapping(ax: Axes) -> list[tuple[str, str]]:
    """Pairs of texts of ``ax`` (annotations, labels) whose drawn boxes overlap: what a reader sees as
    overprint. For tests and for checking a figure by eye."""
    fig: Any = ax.get_figure()  # a Figure (a SubFigure draws through its parent)
    assert fig is not None
    fig.draw_without_rendering()
    renderer = _renderer(fig)
    texts = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
    boxes = [_extent(t, renderer) for t in texts]
    return [
        (texts[i].get_text(), texts[j].get_text())
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if boxes[i].overlaps(boxes[j])
    ]
