"""The app's look: light or dark following the system, colour-blind-safe colours,
readable fonts, crisp on high-DPI screens.

Views take their colours from here (``category_colour``, ``LANE_COLOURS``) so that every
view agrees and every colour stays distinguishable with the common colour-vision
deficiencies. The palette is Okabe & Ito's (2008), designed for exactly that.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# -- colour-blind-safe palette (Okabe & Ito) ---------------------------------------------
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#999999"

#: Lane colours in order; yellow last because it is faint on a light background.
LANE_COLOURS: tuple[str, ...] = (
    BLUE,
    VERMILLION,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    ORANGE,
    SKY_BLUE,
    YELLOW,
    GREY,
)

#: One fixed colour per canonical category, the same in every view and both themes.
CATEGORY_COLOURS: dict[str, str] = {
    "attack": VERMILLION,
    "mourning": REDDISH_PURPLE,
    "withdrawal": BLUE,
    "blockade": ORANGE,
    "statement": BLUISH_GREEN,
    "other": GREY,
}

#: Drawn for events whose fatalities are unknown (hollow marks use this outline).
UNKNOWN_COLOUR = GREY

#: Smallest body text, in points: small print is hard to read on a long day.
MIN_POINT_SIZE = 10


def category_colour(category: str, index: int = 0) -> str:
    """The colour of a category; unknown categories cycle through the lane colours."""
    return CATEGORY_COLOURS.get(category, LANE_COLOURS[index % len(LANE_COLOURS)])


def lane_colour(index: int) -> str:
    return LANE_COLOURS[index % len(LANE_COLOURS)]


# -- high-DPI --------------------------------------------------------------------------------
def prepare_high_dpi() -> None:
    """Call before the QApplication exists: fractional scale factors (125 %, 150 %) are
    used as they are instead of rounded, so text and lines stay crisp."""
    if QGuiApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )


# -- light and dark -------------------------------------------------------------------------
def system_is_dark(app: QGuiApplication | None = None) -> bool:
    """Whether the system asks for a dark look (Qt 6.5+ colour scheme, else the palette)."""
    app = app or QGuiApplication.instance()
    if app is None:
        return False
    hints = app.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    p = QPalette()
    # Fields lighter than the window, as Fusion outlines check boxes with a darker window
    # colour: on a darker base their edges would vanish.
    window, base, text = QColor(37, 37, 40), QColor(56, 56, 61), QColor(232, 232, 232)
    disabled = QColor(140, 140, 140)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor(64, 64, 70))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor(50, 50, 54))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, disabled)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(60, 60, 66))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor(VERMILLION))
    p.setColor(QPalette.ColorRole.Link, QColor(SKY_BLUE))
    p.setColor(QPalette.ColorRole.Highlight, QColor(BLUE))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def light_palette() -> QPalette:
    p = QApplication.style().standardPalette() if QApplication.instance() else QPalette()
    p.setColor(QPalette.ColorRole.Highlight, QColor(BLUE))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    p.setColor(QPalette.ColorRole.Link, QColor(BLUE))
    return p


class Theme(QObject):
    """Applies the light or dark palette and follows the system when it switches.

    ``changed(dark)`` lets views that draw their own colours (the timeline) redraw.
    """

    changed = Signal(bool)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.dark = False
        self.mode = "system"  # or "light", "dark": View > Theme (ui/theme_menu.py)
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(lambda *_: self.set_mode(self.mode))

    def set_mode(self, mode: str) -> None:
        """Follow the system, or stay light or dark whatever it says."""
        self.mode = mode if mode in ("system", "light", "dark") else "system"
        self.apply(None if self.mode == "system" else self.mode == "dark")

    def apply(self, dark: bool | None = None) -> None:
        self.dark = system_is_dark(self.app) if dark is None else dark
        self.app.setStyle("Fusion")  # the same widgets everywhere, and it honours palettes
        self.app.setPalette(dark_palette() if self.dark else light_palette())
        self.changed.emit(self.dark)


def readable_font(font: QFont) -> QFont:
    """The system font, no smaller than MIN_POINT_SIZE."""
    if 0 < font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    return font


def apply_theme(app: QApplication) -> Theme:
    """Set up the look once per application; returns the Theme (kept on the app)."""
    global _THEME
    if _THEME is not None and _THEME.app is app:
        return _THEME
    _THEME = Theme(app)
    app.setFont(readable_font(app.font()))
    _THEME.apply()
    return _THEME


def muted_text_colour() -> str:
    """Secondary text (labels, hints) readable on the current theme's background."""
    look = current_theme()
    return "#A8A8A8" if look is not None and look.dark else "#555555"


def current_theme() -> Theme | None:
    return _THEME if _THEME is not None and _THEME.app is QApplication.instance() else None


_THEME: Theme | None = None
