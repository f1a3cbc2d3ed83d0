"""The export's charts: PNG and SVG come out, the same bytes for the same workshop, Thai labels in them."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from workshop.exports import charts
from workshop.services.export_data import read_export_data
from tests.workshop_data import make_workshop


@pytest.fixture(scope="module")
def snapshot(module_store):
    """The realistic workshop as the exports read it, once: the charts only read it."""
    workshop = make_workshop(module_store)
    with module_store.session() as db:
        return read_export_data(db, workshop.session_id)


def every_chart(snapshot, fmt):
    return {"radar": charts.radar_chart(snapshot, fmt),
            "matrix": charts.priority_matrix(snapshot, fmt),
            "votes 1.2": charts.distribution_chart(snapshot, "1.2", fmt)}


def test_a_thai_font_is_installed_and_chosen_for_the_charts():
    assert charts.thai_font() in charts.THAI_FONTS


def test_each_chart_is_a_png_of_the_fixed_size_with_something_drawn(snapshot):
    for name, png in every_chart(snapshot, "png").items():
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG", name
        assert image.size[0] == int(charts.DPI * (7.5 if name == "radar" else 6.5 if name ==
                                                  "matrix" else 4.6)), name
        assert len(image.convert("L").getcolors(maxcolors=1 << 16)) > 20, name  # not blank


def test_the_same_workshop_gives_the_same_bytes(snapshot):
    for fmt in charts.FORMATS:
        assert every_chart(snapshot, fmt) == every_chart(snapshot, fmt)


def test_the_svg_carries_no_date_and_names_its_thai_labels(snapshot):
    svgs = {name: svg.decode("utf-8") for name, svg in every_chart(snapshot, "svg").items()}
    for svg in svgs.values():
        assert svg.startswith("<?xml") and "<dc:date>" not in svg and "Matplotlib v" not in svg
    # matplotlib writes each label's text before the label's glyph outlines
    assert "<!-- หมวด 1 -->" in svgs["radar"] and "<!-- หมวด 5 -->" in svgs["radar"]
    assert "<!-- ระดับเป้าหมายเฉลี่ย -->" in svgs["radar"]
    assert "<!-- ความสำคัญ (1-5) -->" in svgs["matrix"] and "<!-- 1.2 -->" in svgs["matrix"]
    assert "<!-- 1 พื้นฐาน -->" in svgs["votes 1.2"]


def test_the_priority_matrix_has_a_point_per_decided_criterion(snapshot):
    svg = charts.priority_matrix(snapshot, "svg").decode("utf-8")
    assert [code for code in ("1.1", "1.2", "2.1", "4.4") if f"<!-- {code} -->" in svg] == \
        ["1.1", "1.2", "2.1"]  # 4.4 is still open


def test_thai_labels_are_drawn_with_ink_where_they_stand(snapshot, tmp_path):
    """Render the radar's category label alone in the chart's font: it has ink, unlike a box."""
    from matplotlib.figure import Figure
    import matplotlib

    with matplotlib.rc_context(charts._rc()):
        figure = Figure(figsize=(3, 0.6), dpi=100)
        figure.text(0.02, 0.3, "การนำองค์การ")
        png = charts.render(figure, "png")
    image = Image.open(io.BytesIO(png)).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 150


def test_short_labels_never_cut_a_vowel_from_its_letter():
    assert charts.short("การให้ความสำคัญกับผู้รับบริการ", 8) == "การให้คว…"
    assert charts.short("การให้ความสำคัญ", 5) == "การใ…"  # not "การให" without its tone mark
    assert charts.short("การวัด การวิเคราะห์ และการจัดการความรู้", 12) == "การวัด\nการวิเคราะห์…"
    assert charts.short("ผู้อำนวยการ", 2) == "ผ…"  # not ผู without its tone mark


def test_an_unknown_format_is_refused(snapshot):
    with pytest.raises(ValueError, match="png, svg"):
        charts.radar_chart(snapshot, "gif")


def test_a_thirty_item_plan_labels_every_point_legibly():
    """Every code of a full PMQA plan is on the matrix, inside the figure, and no two labels
    overlap (nor a label a point), although many items share a spot."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    from tests.plan_data import thirty_item_snapshot

    with matplotlib.rc_context(charts._rc()):
        figure = charts.matrix_figure(thirty_item_snapshot())
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        renderer = canvas.get_renderer()
        ax = figure.axes[0]
        labels = [t for t in ax.texts]
        boxes = [t.get_window_extent(renderer) for t in labels]
        dots = []
        for points in ax.collections[1:]:  # the first collection is the shaded corner
            (x, y), = ax.transData.transform(points.get_offsets())
            radius = (points.get_sizes()[0] ** 0.5) / 2 * figure.dpi / 72
            dots.append(Bbox([[x - radius, y - radius], [x + radius, y + radius]]))
    assert len(labels) == 30
    frame = figure.bbox
    for text, box in zip(labels, boxes):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, text.get_text()
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, text.get_text()
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:] + dots:
            assert not a.overlaps(b), labels[i].get_text()


def test_the_radar_names_every_category_whole_inside_the_figure():
    """Whole titles cannot go round a circle uncut, so each axis says หมวด N (the category
    table beside the chart names them); every label is inside the figure, none on another."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from tests.plan_data import thirty_item_snapshot

    with matplotlib.rc_context(charts._rc()):
        figure = charts.radar_figure(thirty_item_snapshot())
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        renderer = canvas.get_renderer()
        ticks = figure.axes[0].get_xticklabels()
        boxes = [t.get_window_extent(renderer) for t in ticks]
    assert [t.get_text() for t in ticks] == [f"หมวด {n}" for n in range(1, 8)]
    for text, box in zip(ticks, boxes):
        assert figure.bbox.x0 <= box.x0 and box.x1 <= figure.bbox.x1, text.get_text()
        assert figure.bbox.y0 <= box.y0 and box.y1 <= figure.bbox.y1, text.get_text()
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1:]), ticks[i].get_text()
