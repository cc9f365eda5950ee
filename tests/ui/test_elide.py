"""Names cut where what tells them apart survives, with the count whole."""

from __future__ import annotations

from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from timeline_app.ui.elide import elide


def test_a_trailing_parenthesis_survives_the_cut(qtbot):
    metrics = QFontMetricsF(QApplication.font())
    width = metrics.horizontalAdvance("Protesters (Ethi")
    a = elide("Protesters (Ethiopia)", metrics, width + 50)
    b = elide("Protesters (South Africa)", metrics, width + 50)
    assert a.endswith("(Ethiopia)") and b.endswith("(South Africa)") and a != b
    assert metrics.horizontalAdvance(b) <= width + 50
    plain = elide("Government of Burkina Faso national forces", metrics, 120)
    assert "…" in plain and plain.startswith("Gov") and plain.endswith("forces")
    assert elide("JNIM", metrics, 200) == "JNIM"


def test_the_actor_list_keeps_the_count_and_the_distinguishing_part(make_window, qtbot, tmp_path):
    from tests.ui.long_names import write_long_names_file
    from timeline_app.ui.filter_widgets.actor_tree import COUNT

    window = make_window(write_long_names_file(tmp_path), size=(1024, 640))
    facet = window.filter_panel.actors
    model, view = facet.model, facet.view
    qtbot.waitUntil(lambda: model.rowCount() > 3)
    name = "Protesters (South Africa)"
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(256) == name)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(model.index(row, 0))
    option.rect.setWidth(170)
    view.itemDelegate().initStyleOption(option, model.index(row, 0))
    count = f"({int(model.index(row, 0).data(COUNT)):,})"
    assert option.text.endswith("Africa)  " + count), option.text  # the count whole


def test_the_region_tree_keeps_the_count_whole(make_window, qtbot, tmp_path):
    """Qt cut the region tree's whole text in the middle, count and all: "Burkina
    Fa…1,136,400)" on the 10M-event benchmark file."""
    import pandas as pd

    from tests.conftest import CONTEXT_CSV

    df = pd.read_csv(CONTEXT_CSV, dtype=str, keep_default_na=False)
    many = pd.concat([df] * 20, ignore_index=True).assign(country="Burkina Faso")
    many["id"] = [f"bf-{i}" for i in range(len(many))]
    path = tmp_path / "burkina.csv"
    many.to_csv(path, index=False)
    window = make_window(path, size=(1024, 640))
    view = window.filter_panel.regions.view
    qtbot.waitUntil(lambda: view.model().rowCount() > 0)
    index = view.model().index(0, 0)
    count = f"({len(many):,})"
    assert index.data() == f"Burkina Faso  {count}"
    for width in range(90, 200, 10):
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = view.visualRect(index)
        option.rect.setWidth(width)
        view.itemDelegate().initStyleOption(option, index)
        # What is painted: Qt cuts the text to its rectangle by the option's elide mode.
        room = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
        drawn = option.fontMetrics.elidedText(option.text, option.textElideMode, room.width())
        assert drawn.endswith("  " + count), (width, drawn)
        assert option.fontMetrics.horizontalAdvance(drawn) <= room.width() + 1, (width, drawn)


def test_date_axis_labels_never_run_together(qtbot):
    import numpy as np
    from PySide6.QtGui import QFont

    from timeline_app.ui.timeline.axis import choose_levels

    measure = QFontMetricsF(QFont()).horizontalAdvance
    start = float(np.datetime64("2023-08-01", "s").astype(np.int64))
    for days in (20, 45, 90, 200, 400, 2000):
        for width in (300, 450, 700, 1200):
            end = start + days * 86400.0
            _major, _minor, placed = choose_levels(start, end, width, measure)
            assert placed, (days, width)  # some date is always named
            for (_, a, xa, _), (_, b, xb, _) in zip(placed, placed[1:], strict=False):
                assert xb - xa >= (measure(a) + measure(b)) / 2 + 2, (days, width, a, b)
                assert xa - measure(a) / 2 >= 0 and xb + measure(b) / 2 <= width


def test_a_half_year_on_a_narrow_timeline_names_each_month(make_window):
    """At 420 px for six months there is room for every month's name: the axis named
    only one (its levels were chosen for the longest label, "Sep 2023", everywhere)."""
    import numpy as np

    window = make_window()
    axis = window.timeline.plot.getAxis("bottom")
    start = float(np.datetime64("2023-06-10", "s").astype(np.int64))
    end = start + 196 * 86400.0
    values = axis.tickValues(start, end, 420)
    spacing, ticks = values[0]
    labels = [t for t in axis.tickStrings(ticks, 1, spacing) if t]
    assert labels == ["Jul 2023", "Aug", "Sep", "Oct", "Nov", "Dec"], labels
