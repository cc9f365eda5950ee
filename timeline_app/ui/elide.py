"""Names cut to fit without losing what tells them apart.

Qt's middle elision cuts "Protesters (Ethiopia)" and "Protesters (South Africa)" to
"Protesters (…opia)" and "(…rica)": the words that differ go. Actor names put what
tells them apart in a trailing parenthesis (country, period, branch), so that part is
kept whole and the head is cut instead; other names are cut in the middle.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QFontMetricsF

ELLIPSIS = "…"
_TAIL = re.compile(r"^(?P<head>.*\S)\s*(?P<tail>\([^()]*\))$")


def elide(text: str, metrics: QFontMetrics | QFontMetricsF, width: float) -> str:
    """``text`` as it fits in ``width`` pixels: whole if it fits, else with its
    trailing "(…)" kept and its head cut, else cut in the middle."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    match = _TAIL.match(text)
    if match:
        tail = " " + match["tail"]
        room = width - metrics.horizontalAdvance(tail)
        # Keep the parenthesis only while a readable piece of the head stays beside it.
        if room >= metrics.horizontalAdvance("Www" + ELLIPSIS):
            head = metrics.elidedText(match["head"], Qt.TextElideMode.ElideRight, int(room))
            if head and head != ELLIPSIS:
                return head + tail
    return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, int(max(width, 0)))
