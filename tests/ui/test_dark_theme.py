"""The dark theme reaches the views that draw their own colours (timeline, detail pane),
and the map stays light and readable in it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from timeline_app.ui import theme
from timeline_app.ui.timeline import style


@pytest.fixture
def look(monkeypatch):
    """The app's Theme, as ``timeline-app`` sets it up (tests otherwise run without one);
    the application's style and palette are put back afterwards."""
    app = QApplication.instance()
    style_name, palette = app.style().name(), app.palette()
    made = theme.Theme(app)
    monkeypatch.setattr(theme, "_THEME", made)
    made.apply(dark=False)
    yield made
    made.apply(dark=False)
    app.setStyle(style_name)
    app.setPalette(palette)


def background_lightness(widget) -> int:
    image = widget.grab().toImage()
    return QColor(image.pixel(image.width() - 5, image.height() // 2)).lightness()


def test_switching_to_dark_and_back_recolours_the_timeline_and_details(make_window, qtbot, look):
    window = make_window()
    window.state.select([0])
    plot = window.timeline.plot
    assert background_lightness(plot) > 200
    try:
        look.apply(dark=True)
        qtbot.wait(50)
        assert background_lightness(plot) < 60
        assert background_lightness(window.timeline.overview) < 60
        assert "#A8A8A8" in window.detail.browser.toHtml().upper()  # labels readable on dark
    finally:
        look.apply(dark=False)
    qtbot.wait(50)
    assert background_lightness(plot) > 200 and not style.dark


def test_an_exported_image_is_light_whatever_the_theme(make_window, qtbot, tmp_path, look):
    window = make_window()
    try:
        look.apply(dark=True)
        out = window.timeline.export_image(tmp_path / "t.png", 800, 400)
        assert style.dark  # the window keeps its dark look
    finally:
        look.apply(dark=False)
    image = QImage(str(out))
    assert QColor(image.pixel(790, 200)).lightness() > 200


def test_the_map_stays_light_and_readable_in_the_dark_theme(make_window, qtbot, look):
    """The map's land and water are light in both themes, so its text and rims are too:
    the scale bar stays dark on the light land after a switch to dark."""
    from tests.conftest import UCDP_SAMPLE
    from timeline_app.formats.registry import load

    window = make_window()
    window.add_dataset(load(UCDP_SAMPLE))
    try:
        look.apply(dark=True)
        qtbot.wait(50)
        assert style.dark  # the timeline's colours are dark meanwhile
        view = window.map.view
        image = view.viewport().grab().toImage()
        y = int(view.overlay._scale_y)  # the scale bar's line, 2 px wide, from x = 12
        bar = min(QColor(image.pixel(20, yy)).lightness() for yy in (y - 1, y, y + 1))
        assert bar < 80  # dark on the light land, not the dark theme's light text
        assert style.dark  # and the theme is as it was once painted
    finally:
        look.apply(dark=False)


def test_view_theme_switches_and_is_remembered(make_window, qtbot, look):
    from PySide6.QtCore import QSettings

    window = make_window()
    actions = {m: window.actions_by_id[f"view.theme.{m}"] for m in ("system", "light", "dark")}
    assert actions["system"].isChecked()
    actions["dark"].trigger()
    assert look.dark and look.mode == "dark" and actions["dark"].isChecked()
    assert QSettings("timeline-app", "timeline-app").value("appearance/theme") == "dark"
    look.set_mode("system")  # as the next start, before its window reads the setting
    again = make_window()
    assert again.actions_by_id["view.theme.dark"].isChecked() and look.dark
    again.actions_by_id["view.theme.light"].trigger()
    assert not look.dark and look.mode == "light"
