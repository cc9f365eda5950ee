"""The window at 1024×640, 1400×900 and 1920×1080 (and smaller), with the sample and with
long names: every lane is named, every timeline tool can be reached, no dock is squeezed
under its minimum and the timeline and table keep room to be read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QToolBar, QToolButton

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from tests.ui.long_names import NAME, write_long_names_file
from timeline_app.model.state import TimeRange
from timeline_app.model.timeline import GROUPINGS
from timeline_app.ui.window_fit import DOCK_MINIMUMS

SIZES = [(1024, 640), (1400, 900), (1920, 1080)]


@pytest.fixture(params=["sample", "long names"])
def files(request, tmp_path):
    if request.param == "sample":
        return [CONTEXT_CSV, UCDP_SAMPLE]
    return [write_long_names_file(tmp_path), UCDP_SAMPLE]


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(10)


def lane_problems(window) -> list[str]:
    """What keeps a lane from being told apart: no name, a name cut to nothing, a name
    running into the next lane or out of the column."""
    axis = window.timeline.plot.lane_axis
    metrics = QFontMetricsF(axis.style["tickFont"])
    labels = window.timeline.source.lanes.labels
    texts = axis.lane_texts()
    problems = []
    if len(texts) != len(labels):
        return [f"{len(texts)} names for {len(labels)} lanes"]
    for (rect, text), label in zip(texts, labels, strict=True):
        lines = text.split("\n")
        name = lines[0]
        if not name.strip() or name.startswith("…"):
            problems.append(f"{label!r} shown as {text!r}")
        if len(lines) * metrics.height() > rect.height() + 1:
            problems.append(f"{label!r}: {len(lines)} lines in {rect.height():.0f} px")
        widest = max(metrics.horizontalAdvance(line) for line in lines)
        if widest > rect.width() + 1 or rect.left() < 0:
            problems.append(f"{label!r}: {widest:.0f} px of text in {rect.width():.0f} px")
    return problems


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_lane_has_a_visible_name_at_each_size(make_window, qtbot, files, size):
    window = make_window(*files, size=size)
    for grouping in GROUPINGS:
        window.timeline.set_grouping(grouping)
        settle(qtbot)
        assert lane_problems(window) == [], (grouping, window.timeline.plot.lane_height_px())


def test_a_long_lane_name_is_cut_in_the_middle_with_the_whole_name_as_tooltip(
    make_window, qtbot, tmp_path
):
    window = make_window(write_long_names_file(tmp_path), UCDP_SAMPLE)
    window.timeline.set_grouping("dataset")
    settle(qtbot)
    axis = window.timeline.plot.lane_axis
    labels = window.timeline.source.lanes.labels
    rect, text = axis.lane_texts()[labels.index(NAME)]
    assert "…" in text and text.startswith("burkina")  # cut, and still says which file
    assert axis.tooltip_at(rect.center()).startswith(NAME)
    # the column grew for the long names, within reason
    assert axis.MIN_PX < axis.width() <= axis.MAX_PX


def hidden_tools(bar: QToolBar) -> list:
    return [
        a for a in bar.actions() if not a.isSeparator() and not bar.widgetForAction(a).isVisible()
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_timeline_tool_can_be_reached_at_each_size(make_window, qtbot, size):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=size)
    assert window.detail_dock.isVisible()
    bar = window.findChild(QToolBar, "timelineToolbar")
    hidden = hidden_tools(bar)
    if hidden:  # the » button unfolds them
        extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert extension.isVisible()
        qtbot.mouseClick(extension, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: hidden_tools(bar) == [])
    timeline = window.timeline
    assert timeline.hint.isVisible()
    # and they work from there
    window.state.set_range(TimeRange(1693526400 * 10**9, 1694131200 * 10**9 - 1))
    qtbot.mouseClick(timeline.filter_button, Qt.MouseButton.LeftButton)
    assert window.state.spec.date_from is not None and window.state.spec.date_to is not None


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_tool_label_never_shows_without_its_list(make_window, qtbot, size, lang):
    # "Lanes:" with its list behind the » button read as a label of nothing (the French
    # toolbar, longer, showed "Lignes :" alone at the default size).
    from timeline_app.ui import i18n

    assert i18n.apply_language(lang) == lang
    try:
        window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=size)
        bar = window.findChild(QToolBar, "timelineToolbar")
        labels = [label for label in bar.findChildren(QLabel) if label.buddy() is not None]
        assert len(labels) == 2  # lanes and histograms
        for label in labels:
            assert label.isVisible() == label.buddy().isVisible(), label.text()
    finally:
        i18n.apply_language("system")  # which tests pin to English


def squeezed(window) -> list[str]:
    out = []
    for dock in window.findChildren(QDockWidget):
        name = next((n for n in DOCK_MINIMUMS if getattr(window, n, None) is dock), None)
        if name is None or not dock.isVisible():
            continue
        width, height = DOCK_MINIMUMS[name]
        contents = dock.widget()
        if contents.width() < width or contents.height() < height:
            out.append(f"{name}: {contents.width()}×{contents.height()} < {width}×{height}")
    return out


@pytest.mark.parametrize("size", [*SIZES, (1100, 700), (640, 420)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_dock_is_squeezed_and_the_middle_views_keep_room(make_window, qtbot, files, size):
    window = make_window(*files, size=size)
    settle(qtbot)
    assert squeezed(window) == []
    width = size[0]
    middle = window.table_dock.width()  # the table spans the middle (timeline, map)
    assert middle >= 0.45 * width  # the timeline and the table have the room, not the sides
    assert window.timeline_dock.width() <= middle
    plot = window.timeline.plot
    # every lane at least a line of text high, and some rows of the table
    assert plot.lane_height_px() >= QFontMetricsF(plot.lane_axis.style["tickFont"]).height()
    assert window.table_view.viewport().height() >= 2 * window.table_view.rowHeight(0)


def test_a_screenshot_takes_the_asked_size(tmp_path, capsys):
    from PySide6.QtGui import QImage

    from timeline_app.cli import main

    out = tmp_path / "small.png"
    assert main(["--screenshot", str(out), "--screenshot-size", "1024x640", str(CONTEXT_CSV)]) == 0
    assert QImage(str(out)).size().toTuple() == (1024, 640)
    with pytest.raises(SystemExit):
        main(["--screenshot", str(out), "--screenshot-size", "big", str(CONTEXT_CSV)])
    assert "not WIDTHxHEIGHT" in capsys.readouterr().err


@pytest.mark.parametrize("size", SIZES[1:], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_legend_keeps_its_milestone_and_band_entries(make_window, qtbot, size):
    """At the default size and up (smaller, the lanes come first: fewer rows)."""
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=size)
    settle(qtbot)
    legend = window.timeline.plot.legend
    assert len(legend._place(legend.width())) == len(legend._entries(legend._metrics()))


def test_the_date_column_shows_a_week_date_whole(make_window):
    window = make_window(CONTEXT_CSV)
    view = window.table_view
    section = view.model().section_of("start")
    needed = view.fontMetrics().horizontalAdvance("week of 28 Sep 2023") + 12
    assert view.columnWidth(section) >= needed


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_filter_lists_fit_their_dock_so_counts_are_not_cut(make_window, qtbot, size):
    from PySide6.QtWidgets import QScrollArea

    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=size)
    settle(qtbot)
    scroll = window.filter_panel.findChild(QScrollArea, "filterScroll")
    assert scroll.widget().width() <= scroll.viewport().width()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_event_counter_is_not_cut(make_window, qtbot, size):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=size)
    window.state.select(list(range(40)))
    window.state.set_range(TimeRange(1693526400 * 10**9, 1694131200 * 10**9 - 1))
    settle(qtbot)
    label = window.count_label
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_milestone_labels_never_overlap_nor_run_off_the_plot(make_window, qtbot, size):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=size)
    settle(qtbot)
    layer = window.timeline.plot.milestone_layer
    labels = layer.drawn_labels  # as last painted
    right = layer.boundingRect().width()
    assert len(labels) >= 2
    for k, (rect, text) in enumerate(labels):
        assert rect.right() <= right, (text, rect.right(), right)  # "M" cut at the edge
        assert rect.width() >= 48, text
        for other, _ in labels[k + 1 :]:
            assert not rect.intersects(other), text


def test_a_small_window_keeps_the_legend_s_unknown_toll_ring(make_window, qtbot):
    """At 1024x640 the legend had one row, cut after the fatality sizes: the hollow
    ring of an unknown toll went unexplained."""
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=(1024, 640))
    settle(qtbot)
    legend = window.timeline.plot.legend
    shown = len(legend._place(legend.width()))
    categories = len(legend.categories())
    assert legend.max_rows() >= 2
    assert shown >= categories + 6  # the colours, "fatalities:", three sizes, unknown


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_fatality_key_of_the_legend_stays_on_one_row(make_window, qtbot, lang, request):
    """In French at 1600x1000 "morts : • 1" ended a row and "• 10 • 100 ○ inconnu" began
    the next: the key wraps as one."""
    if lang == "fr":
        request.getfixturevalue("french")
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE, size=(1600, 1000))
    settle(qtbot)
    legend = window.timeline.plot.legend
    placed = legend._place(legend.width())
    first = len(legend.categories()) + (1 if legend.note() else 0)
    key_rows = {y for _x, y, _draw in placed[first : first + 5]}
    assert len(placed) >= first + 5 and len(key_rows) == 1, key_rows
