"""Figures drawn once with matplotlib: SVG for the web page and PDF, PNG for Word.

Each figure carries its data table as text alternative, and its caption with the
base n. Colours are a single-hue scale with value labels on the bars, so the
figures stay readable when printed in black and white.
"""

from __future__ import annotations

import base64
import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")  # no display; must be set before pyplot is imported
import matplotlib.pyplot as plt  # noqa: E402

from kartlegging.analysis.frequencies import format_percent  # noqa: E402

# Dark to light blue; the 4-point scale reads from "I stor grad" (dark) to "Ikke" (light).
SCALE_COLOURS = ["#0b3d6e", "#2f6fab", "#8db4dc", "#d7e6f5", "#bdbdbd"]
BAR_COLOUR = "#2f6fab"
plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "none"})


@dataclass
class Figure:
    caption: str
    # Draws the matplotlib figure. Called only for a format that is asked for (the
    # web page needs only SVG, Word only PNG); the result is cached by `key`.
    draw: Callable[[], object] = field(repr=False)
    # Everything the drawing depends on, so the same data reuse the same rendering.
    key: tuple = ()
    # Text alternative: the numbers behind the figure, as a small table.
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    number: int = 0

    @property
    def svg(self) -> bytes:
        return _rendered(self, "svg")

    @property
    def png(self) -> bytes:
        return _rendered(self, "png")

    @property
    def title(self) -> str:
        return f"Figur {self.number}. {self.caption}" if self.number else self.caption

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")

    @property
    def alt(self) -> str:
        lines = [
            "; ".join(f"{h}: {v}" for h, v in zip(self.header, row, strict=True))
            for row in self.rows
        ]
        return " ".join(_sentence(text) for text in [self.caption, *lines] if text.strip())


def _sentence(text: str) -> str:
    """The text ending in one full stop, or in its own question or exclamation mark."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


# Rendered files by (figure key, format), least recently used dropped first. The
# results page and repeated report builds draw the same figures again and again,
# and matplotlib takes about 0.1 s per figure and format.
_RENDERED: OrderedDict[tuple, bytes] = OrderedDict()
_RENDERED_MAX = 2048
_lock = threading.Lock()


def _rendered(figure: Figure, fmt: str) -> bytes:
    cache_key = (figure.key, fmt) if figure.key else None
    with _lock:
        if cache_key in _RENDERED:
            _RENDERED.move_to_end(cache_key)
            return _RENDERED[cache_key]
    fig = figure.draw()
    out = io.BytesIO()
    fig.savefig(out, format=fmt, dpi=150, bbox_inches="tight")
    plt.close(fig)
    data = out.getvalue()
    if cache_key:
        with _lock:
            _RENDERED[cache_key] = data
            while len(_RENDERED) > _RENDERED_MAX:
                _RENDERED.popitem(last=False)
    return data


def _key(*parts) -> tuple:
    """A hashable key from the figure's inputs (lists and dicts become tuples)."""

    def frozen(value):
        if isinstance(value, (list, tuple)):
            return tuple(frozen(v) for v in value)
        if isinstance(value, dict):
            return tuple((k, frozen(v)) for k, v in value.items())
        return value

    return frozen(parts)


def _wrap(text: str, width: int = 40) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def bar_chart(
    title: str, labels: list[str], percents: list[float | None], base: int, multiple: bool = False
) -> Figure:
    """Horizontal bars, one per option, percent of those who answered."""

    def draw():
        fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(labels) + 0.9))
        values = [p or 0 for p in percents]
        bars = ax.barh([_wrap(label) for label in labels], values, color=BAR_COLOUR)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("Prosent av dem som svarte")
        for bar, percent in zip(bars, percents, strict=True):
            ax.text(
                bar.get_width() + 1,
                bar.get_y() + bar.get_height() / 2,
                format_percent(percent),
                va="center",
            )
        ax.spines[["top", "right"]].set_visible(False)
        return fig

    note = " Flere svar mulig." if multiple else ""
    return Figure(
        f"{title} (n = {base}).{note}",
        draw,
        _key("bar", labels, percents),
        ["Svar", "Prosent"],
        [[label, format_percent(p)] for label, p in zip(labels, percents, strict=True)],
    )


def diverging_scale(
    title: str,
    questions: list[str],
    option_labels: list[str],
    shares: list[list[float]],
    bases: list[int],
) -> Figure:
    """Stacked bars for 4-point scales: several questions of one theme in one figure.

    `shares[i]` holds the percent per option (in option_labels order) for question i.
    """

    def draw():
        fig, ax = plt.subplots(figsize=(7, 0.6 * len(questions) + 1.4))
        names = [f"{_wrap(q, 45)} (n = {n})" for q, n in zip(questions, bases, strict=True)]
        left = [0.0] * len(questions)
        for index, label in enumerate(option_labels):
            widths = [row[index] for row in shares]
            bars = ax.barh(
                names,
                widths,
                left=left,
                color=SCALE_COLOURS[index % len(SCALE_COLOURS)],
                edgecolor="white",
                label=label,
            )
            for bar, width in zip(bars, widths, strict=True):
                if width >= 8:
                    ax.text(
                        bar.get_x() + width / 2,
                        bar.get_y() + bar.get_height() / 2,
                        f"{round(width)}",
                        ha="center",
                        va="center",
                        color="white" if index < 2 else "black",
                        fontsize=8,
                    )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("Prosent")
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18),
            ncol=len(option_labels),
            frameon=False,
            fontsize=8,
        )
        ax.spines[["top", "right"]].set_visible(False)
        return fig

    rows = [
        [q, *[format_percent(v) for v in row]] for q, row in zip(questions, shares, strict=True)
    ]
    return Figure(
        f"{title}.",
        draw,
        _key("scale", questions, option_labels, shares, bases),
        ["Spørsmål", *option_labels],
        rows,
    )


def grouped_bars(
    title: str, labels: list[str], groups: dict[str, list[float | None]], bases: dict[str, int]
) -> Figure:
    """One bar per group (e.g. size class) for each option; a missing value draws no bar.

    The caption says what the groups are; pass it in `title`.
    """

    def draw():
        fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(labels) * max(len(groups), 1) + 1.2))
        height = 0.8 / max(len(groups), 1)
        positions = list(range(len(labels)))
        for index, (group, percents) in enumerate(groups.items()):
            ax.barh(
                [p + index * height for p in positions],
                [p or 0 for p in percents],
                height=height,
                color=SCALE_COLOURS[index % len(SCALE_COLOURS)],
                edgecolor="black",
                linewidth=0.3,
                label=f"{group} (n = {bases.get(group, 0)})",
                hatch=["", "//", "..", "xx"][index % 4],
            )
        ax.set_yticks(
            [p + height * (len(groups) - 1) / 2 for p in positions],
            [_wrap(label) for label in labels],
        )
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("Prosent av dem som svarte")
        ax.legend(frameon=False, fontsize=8, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)
        return fig

    rows = [
        [label, *[format_percent(groups[g][i]) for g in groups]] for i, label in enumerate(labels)
    ]
    return Figure(
        f"{title}.",
        draw,
        _key("grouped", labels, groups, bases),
        ["Svar", *[f"{g} (n = {bases.get(g, 0)})" for g in groups]],
        rows,
    )


def heat_map(
    title: str, organisations: list[str], indicators: list[str], values: list[list[str]]
) -> Figure:
    """Organisations × key indicators; cells say Ja / Delvis / Nei / – in words and shade."""
    shade = {"Ja": 0.85, "Delvis": 0.5, "Nei": 0.15}

    def draw():
        grid = [[shade.get(v, 0.0) for v in row] for row in values]
        fig, ax = plt.subplots(
            figsize=(1.0 * len(indicators) + 2.5, 0.4 * len(organisations) + 1.5)
        )
        ax.imshow(grid, cmap="Blues", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(indicators)), [_wrap(i, 14) for i in indicators], fontsize=8)
        ax.set_yticks(range(len(organisations)), organisations)
        ax.xaxis.tick_top()
        for y, row in enumerate(values):
            for x, value in enumerate(row):
                ax.text(
                    x,
                    y,
                    value,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if shade.get(value, 0) > 0.6 else "black",
                )
        return fig

    return Figure(
        f"{title}.",
        draw,
        _key("heat", organisations, indicators, values),
        ["Organisasjon", *indicators],
        [[o, *row] for o, row in zip(organisations, values, strict=True)],
    )
