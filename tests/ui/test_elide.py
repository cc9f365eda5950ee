"""Names cut where what tells them apart survives, with the count whole."""

from __future__ import annotations

from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

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


def test_date_axis_labels_never_run_together(qtbot):
    import numpy as np
    from PySide6.QtGui import QFont

    from timeline_app.ui.timeline.axis import calendar_ticks, choose_levels, tick_label

    metrics = QFontMetricsF(QFont())
    start = float(np.datetime64("2023-08-01", "s").astype(np.int64))
    for days in (20, 45, 90, 200, 400, 2000):
        for width in (300, 450, 700, 1200):
            end = start + days * 86400.0
            major, _minor = choose_levels(end - start, width)
            ticks = calendar_ticks(start, end, major)
            labels = [tick_label(v, major[0], first=i < 2) for i, v in enumerate(ticks)]
            xs = (ticks - start) / (end - start) * width
            for i in range(len(xs) - 1):  # each label centred on its tick
                gap = xs[i + 1] - xs[i]
                half = (metrics.horizontalAdvance(labels[i]) + metrics.horizontalAdvance(labels[i + 1])) / 2  # fmt: skip
                assert gap >= half + 2, (days, width, labels[i], labels[i + 1])
