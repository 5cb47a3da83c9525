"""Figures drawn once with matplotlib: SVG for the web page and PDF, PNG for Word.

Each figure carries its data table as text alternative, and its caption with the
base n. Read as a reader meets them (WCAG 1.4.11 and 1.4.3):

- every bar, segment and cell has at least 3:1 against the white page, and
  neighbours are parted by a white edge (which then has 3:1 against both); a cell
  without a value is white with a grey frame;
- numbers on a bar have at least 4.5:1 against it (black or white, whichever is
  stronger);
- legends sit below the axes, never over the data;
- text is at least 9 pt, and a figure is drawn at the width it is printed at
  (15.7 cm, inside the Word page's 16 cm text width), so 9 pt stays 9 pt.

The 4-point scale diverges: blue for «I stor/noen grad», orange for «I liten grad»
and «Ikke i det hele tatt», grey for «Vet ikke»; the numbers on the segments keep
it readable when printed in black and white.
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
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from kartlegging.analysis.frequencies import format_percent, whole_percent  # noqa: E402

# Contrast against white in brackets (WCAG 1.4.11 asks 3:1).
BAR_COLOUR = "#2f6fab"  # (5.3)
# «I stor grad» (11.0), «I noen grad» (3.4), «I liten grad» (3.4), «Ikke i det hele tatt» (7.7)
SCALE_COLOURS = ["#0b3d6e", "#5b8fc7", "#d0742a", "#8c3b00"]
DONT_KNOW_COLOUR = "#767676"  # «Vet ikke» (4.5)
GROUP_COLOURS = ["#0b3d6e", "#5b8fc7", "#8c3b00", "#767676"]
GROUP_HATCHES = ["", "//", "..", "xx"]  # the groups apart in black and white too
HEAT_COLOURS = {"Ja": "#0b3d6e", "Delvis": "#5b8fc7", "Nei": "#d0742a", "Uenige": "#767676"}
MISSING_FRAME = "#767676"  # frames a cell without a value (4.5 against white)
SEPARATOR: dict = {"edgecolor": "white", "linewidth": 1.5}  # between neighbouring bars, cells
FIGURE_WIDTH = 6.2  # inches (15.7 cm): printed at this width in Word and in the PDF
DPI = 150
plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "legend.fontsize": 9,
        "svg.fonttype": "none",
        "hatch.linewidth": 0.8,
    }
)


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
    # No bbox_inches="tight": the drawn size is the printed size (see FIGURE_WIDTH).
    fig.savefig(out, format=fmt, dpi=DPI)
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


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.x)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _text_colour(fill: str) -> str:
    """Black or white, whichever has the higher contrast against `fill`."""
    luminance = _luminance(fill)
    return "white" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 else "black"


def _scale_colour(index: int, label: str) -> str:
    if label == "Vet ikke":
        return DONT_KNOW_COLOUR
    return SCALE_COLOURS[index % len(SCALE_COLOURS)]


def _canvas(height: float):
    """A figure of the printed width; constrained layout keeps labels and legend inside it."""
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, height), layout="constrained")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _legend_below(fig, columns: int) -> None:
    """The legend under the axes and their labels, outside the plotting area."""
    fig.legend(loc="outside lower center", ncol=columns, frameon=False)


def _n_text(bases: list[int]) -> str:
    low, high = min(bases, default=0), max(bases, default=0)
    return f"n = {low}" if low == high else f"n = {low}–{high}"


def _label_ends(ax, bars, percents: list[float | None], *, dash_missing: bool = True) -> None:
    """Each bar's percentage just beyond its end; a missing value «–», or nothing."""
    for bar, percent in zip(bars, percents, strict=True):
        if percent is not None or dash_missing:
            ax.text(
                bar.get_width() + 1,
                bar.get_y() + bar.get_height() / 2,
                format_percent(percent),
                va="center",
                clip_on=False,
            )


def bar_chart(
    title: str, labels: list[str], percents: list[float | None], base: int, multiple: bool = False
) -> Figure:
    """Horizontal bars, one per option, percent of those who answered."""

    def draw():
        fig, ax = _canvas(0.45 * len(labels) + 0.9)
        values = [p or 0 for p in percents]
        bars = ax.barh([_wrap(label) for label in labels], values, color=BAR_COLOUR, **SEPARATOR)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("Prosent av dem som svarte")
        _label_ends(ax, bars, percents)
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
        fig, ax = _canvas(0.6 * len(questions) + 1.6)
        names = [f"{_wrap(q, 40)} (n = {n})" for q, n in zip(questions, bases, strict=True)]
        left = [0.0] * len(questions)
        for index, label in enumerate(option_labels):
            widths = [row[index] for row in shares]
            colour = _scale_colour(index, label)
            bars = ax.barh(names, widths, left=left, color=colour, label=label, **SEPARATOR)
            for bar, width in zip(bars, widths, strict=True):
                if width >= 8:  # narrower segments have their number in the data table
                    ax.text(
                        bar.get_x() + width / 2,
                        bar.get_y() + bar.get_height() / 2,
                        str(whole_percent(width)),  # the one rounding, as in the table
                        ha="center",
                        va="center",
                        color=_text_colour(colour),
                    )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("Prosent")
        _legend_below(fig, min(len(option_labels), 3))
        return fig

    rows = [
        [q, *[format_percent(v) for v in row]] for q, row in zip(questions, shares, strict=True)
    ]
    return Figure(
        f"{title} ({_n_text(bases)}).",
        draw,
        _key("scale", questions, option_labels, shares, bases),
        ["Spørsmål", *option_labels],
        rows,
    )


def grouped_bars(
    title: str,
    labels: list[str],
    groups: dict[str, list[float | None]],
    bases: dict[str, int],
    *,
    bar_inches: float = 0.35,
    overlapping: bool = False,
) -> Figure:
    """One bar per group (e.g. size class) for each option; a missing value draws no bar.

    The caption says what the groups are; pass it in `title`. `overlapping` groups (a
    county and the municipalities of one size) give n per group, not their sum.
    """

    def draw():
        fig, ax = _canvas(bar_inches * len(labels) * max(len(groups), 1) + 1.2 + 0.2 * len(groups))
        height = 0.8 / max(len(groups), 1)
        positions = list(range(len(labels)))
        for index, (group, percents) in enumerate(groups.items()):
            colour = GROUP_COLOURS[index % len(GROUP_COLOURS)]
            bars = ax.barh(
                [p + index * height for p in positions],
                [p or 0 for p in percents],
                height=height,
                color=colour,
                label=f"{group} (n = {bases.get(group, 0)})",
                hatch=GROUP_HATCHES[index % len(GROUP_HATCHES)],
                hatchcolor=_text_colour(colour),
                **SEPARATOR,
            )
            _label_ends(ax, bars, percents, dash_missing=False)
        ax.set_yticks(
            [p + height * (len(groups) - 1) / 2 for p in positions],
            [_wrap(label) for label in labels],
        )
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("Prosent av dem som svarte")
        _legend_below(fig, 1)
        return fig

    rows = [
        [label, *[format_percent(groups[g][i]) for g in groups]] for i, label in enumerate(labels)
    ]
    n = (
        "; ".join(f"{g}: n = {bases.get(g, 0)}" for g in groups)
        if overlapping
        else f"n = {sum(bases.get(g, 0) for g in groups)}"
    )
    return Figure(
        f"{title} ({n}).",
        draw,
        _key("grouped", labels, groups, bases, bar_inches),
        ["Svar", *[f"{g} (n = {bases.get(g, 0)})" for g in groups]],
        rows,
    )


def heat_map(
    title: str, organisations: list[str], indicators: list[str], values: list[list[str]]
) -> Figure:
    """Organisations × key indicators; cells say Ja / Delvis / Nei / Uenige / – in words and colour."""

    def draw():
        fig, ax = _canvas(0.4 * len(organisations) + 1.9)
        for y, row in enumerate(values):
            for x, value in enumerate(row):
                fill = HEAT_COLOURS.get(value)
                # Cells a little smaller than their slot, so no two frames touch.
                ax.add_patch(
                    Rectangle(
                        (x - 0.46, y - 0.44),
                        0.92,
                        0.88,
                        facecolor=fill or "white",
                        edgecolor=SEPARATOR["edgecolor"] if fill else MISSING_FRAME,
                        linewidth=SEPARATOR["linewidth"] if fill else 0.8,
                    )
                )
                ax.text(x, y, value, ha="center", va="center", color=_text_colour(fill or "white"))
        ax.set_xlim(-0.5, len(indicators) - 0.5)
        ax.set_ylim(len(organisations) - 0.5, -0.5)
        ax.xaxis.tick_top()
        # One line each, slanted: neighbouring labels never touch, however narrow the columns.
        ax.set_xticks(
            range(len(indicators)), indicators, rotation=45, ha="left", rotation_mode="anchor"
        )
        ax.set_yticks(range(len(organisations)), organisations)
        ax.tick_params(length=0)
        ax.spines[:].set_visible(False)
        return fig

    count = len(organisations)
    return Figure(
        f"{title} ({count} {'organisasjon' if count == 1 else 'organisasjoner'}).",
        draw,
        _key("heat", organisations, indicators, values),
        ["Organisasjon", *indicators],
        [[o, *row] for o, row in zip(organisations, values, strict=True)],
    )
