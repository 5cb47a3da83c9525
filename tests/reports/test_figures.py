"""Figures as a reader meets them: legends beside the data, colours that stand out, 9 pt text.

WCAG 1.4.11 asks 3:1 for the parts of a chart needed to read it. Every filled shape is
checked against white, and so are the edges that separate neighbouring segments.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex, to_rgb
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from kartlegging.reports import figures, model
from kartlegging.reports.figures import (
    bar_chart,
    diverging_scale,
    grouped_bars,
    heat_map,
)

SCALE = ["I stor grad", "I noen grad", "I liten grad", "Ikke i det hele tatt", "Vet ikke"]
PAGE_WIDTH_INCHES = 16 / 2.54  # text width of the Word document (A4, 2.5 cm margins)


def luminance(colour) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def all_kinds():
    return {
        "bar": bar_chart(
            "Hvilken rolle har du?",
            ["Leder", "Kommuneoverlege eller annen lege (f.eks. sykehjemslege, fastlege)", "Annet"],
            [50, 30, 20],
            10,
        ),
        "scale": diverging_scale(
            "Vurderinger innen samarbeid",
            ["Samarbeid med fastlegene", "Samarbeid med spesialisthelsetjenesten om pasienter"],
            SCALE,
            [[10, 30, 30, 20, 10], [40, 30, 10, 10, 10]],
            [12, 9],
        ),
        "grouped": grouped_bars(
            "Har kommunen kreftkoordinator?, etter kommunestørrelse",
            ["Ja", "Nei", "Vet ikke"],
            {
                "Liten kommune (under 5 000)": [60, 30, 10],
                "Mellomstor kommune (5 000–19 999)": [70, 20, 10],
                "Stor kommune (20 000 og flere)": [90, 10, None],
            },
            {
                "Liten kommune (under 5 000)": 5,
                "Mellomstor kommune (5 000–19 999)": 7,
                "Stor kommune (20 000 og flere)": 4,
            },
        ),
        "heat": heat_map(
            "Nøkkelindikatorer per organisasjon",
            ["Horten", "Larvik", "Færder"],
            [k for k, _answers in model.INDICATORS.values()],
            [
                ["Ja", "Delvis", "Nei", "–", "Ja", "Ja", "Nei", "Ja"],
                ["Nei", "Uenige", "Ja", "Delvis", "Ja", "Nei", "–", "Ja"],
                ["–", "Ja", "Ja", "Ja", "Delvis", "Delvis", "Ja", "Nei"],
            ],
        ),
    }


@pytest.fixture(params=list(all_kinds()))
def drawn(request):
    figure = all_kinds()[request.param]
    fig = figure.draw()
    fig.canvas.draw()
    yield figure, fig
    plt.close(fig)


def filled_shapes(fig) -> list[Rectangle]:
    """The bars, segments and cells: rectangles inside the axes with a visible area."""
    return [
        patch
        for ax in fig.axes
        for patch in ax.patches
        if isinstance(patch, Rectangle) and patch.get_width() > 0 and patch.get_height() > 0
    ]


def test_every_palette_colour_has_3_to_1_against_white():
    palettes = [figures.BAR_COLOUR, *figures.SCALE_COLOURS, *figures.GROUP_COLOURS]
    palettes += list(figures.HEAT_COLOURS.values())
    weak = {to_hex(c): round(contrast(c, "white"), 2) for c in palettes if contrast(c, "white") < 3}
    assert not weak


def test_every_bar_and_cell_stands_out_from_white_and_from_its_neighbours(drawn):
    """Either the fill has 3:1 against white and a white edge parts it from its neighbours,
    or the shape has an edge with 3:1 against both the white page and its own fill."""
    _figure, fig = drawn
    shapes = filled_shapes(fig)
    assert shapes
    for shape in shapes:
        face, edge = shape.get_facecolor(), shape.get_edgecolor()
        if contrast(face, "white") >= 3:
            assert shape.get_linewidth() >= 1 and contrast(edge, "white") < 1.1, to_hex(face)
        else:
            assert shape.get_linewidth() >= 0.5, to_hex(face)
            assert contrast(edge, "white") >= 3 and contrast(edge, face) >= 3, to_hex(face)


def test_the_legend_sits_outside_the_plotting_area(drawn):
    _figure, fig = drawn
    renderer = fig.canvas.get_renderer()
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            assert not box.overlaps(ax.get_window_extent(renderer)), "legend over the data"
            assert not box.overlaps(ax.xaxis.label.get_window_extent(renderer))
            for label in ax.get_xticklabels():
                if label.get_text():
                    assert not box.overlaps(label.get_window_extent(renderer))


def test_every_text_in_a_figure_is_at_least_9_pt(drawn):
    _figure, fig = drawn
    texts = [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
    small = {t.get_text(): t.get_fontsize() for t in texts if t.get_fontsize() < 9}
    assert not small


def test_figures_fit_the_page_so_9_pt_stays_9_pt_in_print(drawn):
    figure, _fig = drawn
    import io

    from PIL import Image

    width, _height = Image.open(io.BytesIO(figure.png)).size
    assert width / 150 <= PAGE_WIDTH_INCHES + 0.01


def test_text_on_a_bar_has_4_5_to_1_against_the_bar(drawn):
    _figure, fig = drawn
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for text in ax.texts:
            box = text.get_window_extent(renderer)
            centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
            under = [
                s
                for s in filled_shapes(fig)
                if s.get_window_extent(renderer).contains(*centre)
                and contrast(s.get_facecolor(), "white") > 1.05
            ]
            for shape in under:
                assert contrast(text.get_color(), shape.get_facecolor()) >= 4.5, text.get_text()


def test_captions_name_the_question_and_n():
    kinds = all_kinds()
    assert kinds["bar"].caption == "Hvilken rolle har du? (n = 10)."
    assert kinds["scale"].caption == "Vurderinger innen samarbeid (n = 9–12)."
    assert kinds["grouped"].caption == (
        "Har kommunen kreftkoordinator?, etter kommunestørrelse (n = 16)."
    )
    assert kinds["heat"].caption == "Nøkkelindikatorer per organisasjon (3 organisasjoner)."


def test_a_label_beyond_the_bar_stays_inside_the_picture():
    fig = bar_chart("Har kommunen kreftkoordinator?", ["Ja", "Nei"], [100, 0], 3).draw()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    try:
        for text in fig.findobj(Text):
            if text.get_text().strip():
                box = text.get_window_extent(renderer)
                assert page.x0 <= box.x0 and box.x1 <= page.x1, text.get_text()
    finally:
        plt.close(fig)
