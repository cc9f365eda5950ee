"""The Qt-free layers' messages (model/messages.py) in the language Qt speaks now: one
implementation for the interface (ui/i18n.py) and the figures it draws. Without a
translator installed (the command line) a message reads as its English text."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from timeline_app.model.messages import CONTEXT, Message


def message(text: str) -> str:
    """A Message's template translated, then its parameters (translated too, when they
    are messages) filled in; a plain string that is a known template, translated; any
    other text (a data value, an OS error) as it is."""
    if isinstance(text, Message):
        params = {k: message(v) if isinstance(v, str) else v for k, v in text.params.items()}
        return QCoreApplication.translate(CONTEXT, text.template).format(**params)
    return QCoreApplication.translate(CONTEXT, text) if text else text


def error_message(error: BaseException) -> str:
    """An exception's one line, translated when the Qt-free layers raised it with a
    Message (``str(error)`` would keep only its English text)."""
    first = error.args[0] if error.args else None
    return message(first) if isinstance(first, Message) else str(error)
