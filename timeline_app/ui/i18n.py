"""The interface's language: English or French, following the system unless the user
chose one (View > Language, remembered in the settings) or gave ``--lang``.

Strings are translated by Qt (``self.tr`` / ``QCoreApplication.translate``) from
``resources/translations/timeline_app_fr.qm``, made by ``make translations`` from the
``.ts`` beside it; Qt's own (``qtbase_fr.qm``: the standard buttons, file dialogs) come
from PySide6. Dates and numbers follow the language too (``ui/formatting.py``).
Data values (actors, places, notes) are never translated; exports and the CLI stay as
they are (machine-readable).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

# One implementation, shared with the figures; the UI imports them from here.
from timeline_app.translate import error_message as error_message
from timeline_app.translate import message as message


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate knows)
    """Marks ``text`` for translation in ``context`` and returns it as it is (translate it
    where it is shown). Qt's own is typed as returning ``object``."""
    return text


SETTING = "appearance/language"
#: Stands in for the system's language (tests pin it so that they read English).
ENV = "TIMELINE_APP_LANG"
#: Languages the interface speaks, besides "system" (its own name in each language).
LANGUAGES: tuple[str, ...] = ("en", "fr")
CHOICES = ("system", *LANGUAGES)
TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "resources" / "translations"

#: Canonical categories (model/schema.py) as the interface names them; the data keeps
#: the English value, exports and filters too.
CATEGORY_LABELS = {
    "attack": QT_TRANSLATE_NOOP("Category", "attack"),
    "mourning": QT_TRANSLATE_NOOP("Category", "mourning"),
    "withdrawal": QT_TRANSLATE_NOOP("Category", "withdrawal"),
    "blockade": QT_TRANSLATE_NOOP("Category", "blockade"),
    "statement": QT_TRANSLATE_NOOP("Category", "statement"),
    "other": QT_TRANSLATE_NOOP("Category", "other"),
}

#: Date precisions (model/schema.py PRECISIONS) as the interface names them.
PRECISION_LABELS = {
    "day": QT_TRANSLATE_NOOP("Precision", "day"),
    "week": QT_TRANSLATE_NOOP("Precision", "week"),
    "month": QT_TRANSLATE_NOOP("Precision", "month"),
    "year": QT_TRANSLATE_NOOP("Precision", "year"),
    "hour": QT_TRANSLATE_NOOP("Precision", "hour"),
}

#: Lane groupings (model/timeline/lanes.py GROUPINGS labels) as the interface names them.
GROUPING_LABELS = {
    "Category": QT_TRANSLATE_NOOP("Lanes", "Category"),
    "Actor": QT_TRANSLATE_NOOP("Lanes", "Actor"),
    "Region (admin1)": QT_TRANSLATE_NOOP("Lanes", "Region (admin1)"),
    "Event type": QT_TRANSLATE_NOOP("Lanes", "Event type"),
    "Dataset": QT_TRANSLATE_NOOP("Lanes", "Dataset"),
    "other": QT_TRANSLATE_NOOP("Lanes", "other"),
}

_installed: list[QTranslator] = []
_language = "en"
_choice = "system"  # what is in force: the saved choice, or --lang for this run


def saved_choice() -> str:
    """What View > Language says: "system", "en" or "fr"."""
    choice = str(QSettings("timeline-app", "timeline-app").value(SETTING, "system"))
    return choice if choice in CHOICES else "system"


def save_choice(choice: str) -> None:
    QSettings("timeline-app", "timeline-app").setValue(SETTING, choice)


def system_language() -> str:
    """The system's language if the interface speaks it, else English."""
    wanted = os.environ.get(ENV, "").strip().lower()
    names = [wanted] if wanted else [n.lower() for n in QLocale.system().uiLanguages()]
    for name in names:
        code = name.replace("_", "-").split("-")[0]
        if code in LANGUAGES:
            return code
    return "en"


def resolve(choice: str | None) -> str:
    """``choice`` ("system", "en", "fr" or None for the saved one) as a language."""
    choice = choice or saved_choice()
    return system_language() if choice == "system" else choice


def current_choice() -> str:
    """The choice in force ("system", "en" or "fr"): View > Language ticks it."""
    return _choice


def language() -> str:
    """The language the interface speaks now: "en" or "fr"."""
    return _language


def locale() -> QLocale:
    """Dates and numbers are written in this locale (formatting.py)."""
    if _language == "fr":
        return QLocale("fr_FR")
    return QLocale("en_GB")


def apply_language(choice: str | None = None) -> str:
    """Install the translators for ``choice`` (None: the saved one); returns the
    language now spoken. Widgets made after this speak it (ui/language_menu.py rebuilds
    the window to switch)."""
    global _language, _choice
    app = QCoreApplication.instance()
    _choice = choice or saved_choice()
    lang = resolve(_choice)
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()
    _language = lang
    if lang == system_language():
        QLocale.setDefault(QLocale.system())  # the user's own conventions (typed dates, …)
    else:
        QLocale.setDefault(locale())
    if app is None or lang == "en":
        return lang
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{lang}", qt_dir), (f"timeline_app_{lang}", TRANSLATIONS_DIR)):
        translator = QTranslator(app)
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            _installed.append(translator)
    return lang


def category_label(value: str) -> str:
    """A category as the interface shows it: the known ones translated, others as they are."""
    if value in CATEGORY_LABELS:
        return QCoreApplication.translate("Category", value)
    return value


def precision_label(value: str) -> str:
    """A date precision ("day", "month", …) in the interface's language."""
    if value in PRECISION_LABELS:
        return QCoreApplication.translate("Precision", value)
    return value


def grouping_label(label: str) -> str:
    """A lane grouping's label (model/timeline/lanes.py) in the interface's language."""
    if label in GROUPING_LABELS:
        return QCoreApplication.translate("Lanes", label)
    return label


def lane_label(grouping: str, lane: str) -> str:
    """A lane's name: categories translated, the "other" lane of the top-N groupings too;
    actors, places and datasets as they are."""
    if grouping == "category":
        return category_label(lane)
    if lane == "other":
        return QCoreApplication.translate("Lanes", "other")
    return lane
