"""PRISMA-ScR-style flow diagrams of a review's search and selection counts.

The diagram shows only the counts the review reports (``kb.reviews``): records identified ->
screened -> full text assessed -> included, and the records experts added, beside the
included box. matplotlib is imported when a diagram is drawn, and drawing uses its Agg canvas
without changing the global backend (safe in Jupyter).
"""

from __future__ import annotations

import io
import os
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from evidence_kb.io.guard import check_output
from evidence_kb.io.text import write_bytes
from evidence_kb.model.cells import cell_text
from evidence_kb.model.errors import UnknownIdError
from evidence_kb.model.hints import did_you_mean
from evidence_kb.model.i18n import review_language
from evidence_kb.publish.plots import literal_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from evidence_kb.model.data import KBData

__all__ = ["plot_prisma", "prisma_counts", "write_prisma"]

STAGES = ("records_identified", "records_screened", "records_full_text", "records_included")
_LABELS = {
    "nl": {
        "records_identified": "Gevonden publicaties",
        "records_screened": "Gescreend (titel en abstract)",
        "records_full_text": "Volledige tekst beoordeeld",
        "records_included": "Geïncludeerd",
        "records_added": "Toegevoegd door experts",
        "phases": ("Identificatie", "Screening", "Inclusie"),
    },
    "en": {
        "records_identified": "Records identified",
        "records_screened": "Records screened",
        "records_full_text": "Full texts assessed",
        "records_included": "Studies included",
        "records_added": "Added by experts",
        "phases": ("Identification", "Screening", "Included"),
    },
}
_PHASE = {
    "records_identified": 0,
    "records_screened": 1,
    "records_full_text": 1,
    "records_included": 2,
}
NAVY, LIGHT = "#1F3864", "#DCE6F2"


def prisma_counts(kb: KBData, review: str) -> dict[str, int]:
    """Return the search and selection counts ``review`` reports (missing ones left out).

    Examples
    --------
    >>> prisma_counts(ekb.load(), "lo-lnw-2026")
    {'records_identified': 53, 'records_screened': 53, 'records_included': 10}
    """
    rows = kb.reviews[kb.reviews["review_id"] == review].to_dict("records")
    if not rows:
        known = list(kb.reviews["review_id"])
        msg = f"{review!r} is not a review{did_you_mean(review, known)}; known: {', '.join(known)}"
        raise UnknownIdError(msg)
    counts = {}
    for stage in (*STAGES, "records_added"):
        value = _count(rows[0].get(stage))
        if value is not None:
            counts[stage] = value
    return counts


def _count(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else int(number)  # NaN is "not reported"


def plot_prisma(
    kb: KBData, review: str, *, ax: Axes | None = None, language: Literal["nl", "en"] | None = None
) -> Axes:
    """Draw the PRISMA-ScR-style flow diagram of one review.

    Parameters
    ----------
    kb
        The knowledge base.
    review
        A review id (``kb.reviews["review_id"]``).
    ax
        Draw into this Axes; by default a new pyplot figure (Jupyter shows it).
    language
        ``"nl"`` or ``"en"`` box labels; by default the review's ``language`` (``reviews.csv``),
        else Dutch.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, with one box per reported count and arrows between them.

    Examples
    --------
    >>> ax = plot_prisma(ekb.load(), "pps-2023")
    >>> [t.get_text() for t in ax.texts if t.get_text().startswith("n =")]
    ['n = 214', 'n = 214', 'n = 24', 'n = 15', 'n = 3']
    """
    counts = prisma_counts(kb, review)
    language = review_language(language, kb.reviews.to_dict("records"), review)
    labels: dict[str, Any] = _LABELS[language]
    stages = [s for s in STAGES if s in counts]
    if ax is None:  # through pyplot, so that Jupyter shows it
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7.5, 1.0 + 1.3 * len(stages)), dpi=100)
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.55, len(stages) - 0.45)
    ax.axis("off")
    positions = _draw_stages(ax, stages, counts, labels)
    _draw_phases(ax, stages, positions, labels["phases"])
    if "records_added" in counts and stages:
        _draw_added(ax, positions[stages[-1]], counts["records_added"], labels["records_added"])
    row = kb.reviews[kb.reviews["review_id"] == review].iloc[0]
    year = cell_text(row["year"])
    title = f"{row['title']} ({year})" if year else str(row["title"])
    title = literal_text("\n".join(textwrap.wrap(title, 70)))  # a "$" is no math
    ax.set_title(title, fontsize=10.5, color=NAVY, loc="left")
    return ax


_WIDTH, _HEIGHT, _X = 4.2, 0.75, 4.3  # the stage boxes: size and centre


def _box(ax: Axes, x: float, y: float, width: float, height: float, **style: Any) -> None:
    """A rounded box with its lower left corner at ``(x, y)``."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.03", **style))


def _n_label(ax: Axes, x: float, y: float, n: int) -> None:
    """The count of a box: ``n = 214``, bold."""
    ax.text(x, y, f"n = {n}", ha="center", va="center", fontsize=10, weight="bold", color=NAVY)


def _arrow(ax: Axes, head: tuple[float, float], tail: tuple[float, float], **style: Any) -> None:
    """A navy arrow from ``tail`` to ``head``."""
    ax.annotate(
        "",
        xy=head,
        xytext=tail,
        arrowprops={"arrowstyle": "-|>", "color": NAVY, "lw": 1.2, **style},
    )


def _draw_stages(
    ax: Axes, stages: list[str], counts: dict[str, int], labels: dict[str, Any]
) -> dict[str, int]:
    """One box per stage, top down, with arrows between them; return each stage's height."""
    positions = {}
    for i, stage in enumerate(stages):
        y = len(stages) - 1 - i
        positions[stage] = y
        _box(ax, _X - _WIDTH / 2, y - _HEIGHT / 2, _WIDTH, _HEIGHT, fc=LIGHT, ec=NAVY, lw=1.2)
        ax.text(_X, y + 0.14, labels[stage], ha="center", va="center", fontsize=10, color="#1a1a1a")
        _n_label(ax, _X, y - 0.17, counts[stage])
        if i:
            _arrow(ax, (_X, y + _HEIGHT / 2 + 0.03), (_X, y + 1 - _HEIGHT / 2 - 0.03))
    return positions


def _draw_phases(
    ax: Axes, stages: list[str], positions: dict[str, int], phases: tuple[str, ...]
) -> None:
    """The phase bands on the left, each beside the stages of its phase."""
    for phase, name in enumerate(phases):
        ys = [positions[s] for s in stages if _PHASE[s] == phase]
        if not ys:
            continue
        _box(ax, 0.2, min(ys) - _HEIGHT / 2, 0.55, max(ys) - min(ys) + _HEIGHT, fc=NAVY, ec=NAVY)
        ax.text(
            0.475,
            (min(ys) + max(ys)) / 2,
            name,
            rotation=90,
            ha="center",
            va="center",
            color="white",
            fontsize=8,
            weight="bold",
        )


def _draw_added(ax: Axes, target: float, n: int, label: str) -> None:
    """The dashed box of the records experts added, with an arrow to the box at ``target``."""
    _box(ax, 7.1, target + 0.55 - _HEIGHT / 2, 2.6, _HEIGHT, fc="white", ec=NAVY, lw=1.2, ls="--")
    ax.text(8.4, target + 0.67, label, ha="center", va="center", fontsize=9)
    _n_label(ax, 8.4, target + 0.4, n)
    _arrow(ax, (_X + _WIDTH / 2 + 0.05, target), (7.05, target + 0.5), ls="--")


def _size(kb: KBData, review: str) -> tuple[float, float]:
    """The figure size of a review's diagram: taller with more stages."""
    stages = [s for s in STAGES if s in prisma_counts(kb, review)]
    return (7.5, 1.0 + 1.3 * len(stages))


def write_prisma(
    kb: KBData,
    out_dir: str | os.PathLike[str],
    *,
    review: str | None = None,
    language: Literal["nl", "en"] | None = None,
) -> list[Path]:
    """Write ``prisma-<review>.svg`` and ``.png`` for every review that reports counts.

    ``review`` limits this to one review (nothing is written if it reports no counts);
    ``language`` defaults to each review's own (``reviews.csv``), else Dutch. Each file is
    written to a temporary file first and then renamed. Returns the paths, sorted. A
    knowledge-base directory as ``out_dir`` is refused (an ``InputError``, nothing written).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out_dir = Path(out_dir)
    written = []
    reviews = list(kb.reviews["review_id"]) if review is None else [review]
    for review_id in reviews:  # refuse before anything is written
        for fmt in ("svg", "png"):
            check_output(
                out_dir / f"prisma-{review_id}.{fmt}",
                kb_dir=kb.data_dir,
                kb_names=True,
                way_out="pass another --out (out_dir)",
            )
    for review_id in reviews:
        if not any(s in prisma_counts(kb, review_id) for s in STAGES):
            continue
        fig = Figure(figsize=_size(kb, review_id), dpi=100)  # not pyplot: nothing left open
        FigureCanvasAgg(fig)
        plot_prisma(kb, review_id, ax=fig.add_subplot(), language=language)
        fig.tight_layout()
        for fmt in ("svg", "png"):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=150)
            path = out_dir / f"prisma-{review_id}.{fmt}"
            write_bytes(path, buffer.getvalue())
            written.append(path)
    return sorted(written)
