"""The window wears the app's icon (the SVG, with PNGs for the small sizes)."""

from __future__ import annotations


def test_the_window_wears_the_app_icon(make_window):
    icon = make_window().windowIcon()
    assert not icon.isNull()
    for size in (16, 48, 256):
        image = icon.pixmap(size, size).toImage()
        assert image.width() == size
        ground = image.pixelColor(size // 2, size * 7 // 8)  # below the time axis
        assert abs(ground.red() - 0x1D) + abs(ground.green() - 0x35) + abs(ground.blue() - 0x57) < 9
