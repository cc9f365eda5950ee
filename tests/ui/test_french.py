"""The interface in French: --lang, View > Language, locale dates and numbers, and a
translation for every string (a new string left untranslated fails here)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QGroupBox, QPushButton

from tests.conftest import CONTEXT_CSV
from timeline_app.ui import i18n
from tools import translations


@pytest.fixture(autouse=True)
def english_after():
    """Whatever a test here chose (and saved), the next test reads English."""
    yield
    i18n.apply_language("system")  # the system's language, which tests pin to English
    assert i18n.language() == "en"


def menu_titles(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def row_of_id(window, event_id: str) -> int:
    model = window.table_view.model()
    ids = window.state.table.df["id"].to_numpy()
    for r in range(model.rowCount()):
        if ids[window.state.visible[r]] == event_id:
            return r
    raise AssertionError(event_id)


def test_every_string_has_a_finished_french_translation():
    left = translations.unfinished(translations.ts_path("fr"))
    assert not left, (
        f"{len(left)} strings without French (make translations, then translate):\n"
        + ("\n".join(left[:40]))
    )


def test_the_ts_holds_every_string_of_the_code_and_the_qm_is_compiled_from_it():
    assert translations.stale("fr") == []


def test_an_untranslated_string_is_caught(tmp_path):
    ts = tmp_path / "x.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="fr">'
        "<context><name>C</name><message><source>Filters</source>"
        '<translation type="unfinished"></translation></message>'
        "<message><source>Map</source><translation>Carte</translation></message>"
        "</context></TS>",
        encoding="utf-8",
    )
    assert translations.unfinished(ts) == ["C: Filters"]


def test_in_french_menus_filter_dock_status_bar_and_a_dialog_speak_french(
    make_window, french, qtbot
):
    window = make_window(CONTEXT_CSV)
    titles = menu_titles(window)
    assert "&Fichier" in titles and "É&dition" in titles and "&Affichage" in titles
    assert window.filter_dock.windowTitle() == "Filtres"
    assert window.table_dock.windowTitle() == "Événements"
    assert window.count_label.text() == "18 sur 18 événements"
    assert "18 événements" in window.windowTitle()
    titles = [g.title() for g in window.filter_panel.findChildren(QGroupBox)]
    assert "Catégorie" in titles and "Morts" in titles and "Régions" in titles
    assert window.filter_panel.clear_button.text() == "Tout effacer"
    categories = window.filter_panel.categories.model
    qtbot.waitUntil(lambda: categories.rowCount() > 0)  # the counts come after the table
    assert categories.data(categories.index(0, 0)) == "attaque  (5)"
    categories.toggle_row(0)  # the filter keeps the data's value, the chip reads French
    assert window.state.spec.categories == ("attack",)
    assert window.count_label.text() == "5 sur 18 événements"
    assert window.filter_panel.chips.labels() == ["Catégorie : attaque"]
    dialog = window.show_report(window.state.table.datasets[0])
    assert dialog.windowTitle().startswith("Rapport d'importation")
    assert "Événements chargés" in dialog.browser.toPlainText()
    close = dialog.findChild(QDialogButtonBox).findChildren(QPushButton)[0]
    assert close.text().replace("&", "") == "Fermer"  # Qt's own buttons, from qtbase_fr.qm
    dialog.close()


def test_in_french_a_date_in_the_table_and_on_the_axis_is_french(make_window, french):
    from timeline_app.ui.timeline.axis import tick_label

    window = make_window(CONTEXT_CSV)
    model = window.table_view.model()
    r = row_of_id(window, "ctx-13")  # the national mourning, 8-10 September 2023
    assert model.index(r, 0).data() == "8 sept. 2023"
    assert model.index(r, 1).data() == "deuil"  # the category, named in French
    assert window.state.table.df["category"].iloc[window.state.visible[r]] == "mourning"
    window.state.select([int(window.state.visible[r])])
    text = window.detail.text()
    assert "Quand" in text and "8 sept. 2023 – 10 sept. 2023" in text
    assert "Catégorie\ndeuil" in text
    axis = window.timeline.plot.getAxis("bottom")
    sept = float(np.datetime64("2023-09-01", "s").astype("int64"))
    assert tick_label(sept, "month", first=True) == "sept. 2023"
    assert tick_label(sept + 6 * 86400, "day") == "7 sept."
    window.timeline.plot.setXRange(sept, sept + 40 * 86400, padding=0)
    QApplication.processEvents()
    values = axis.tickValues(sept, sept + 40 * 86400, 900)
    labels = axis.tickStrings(values[0][1], 1, values[0][0])
    assert any("sept." in text or "oct." in text for text in labels), labels


def test_numbers_follow_the_language(french):
    from timeline_app.ui.formatting import format_fatalities, format_number

    assert format_number(12106) == "12\u202f106"
    assert format_number(0.5) == "0,5"
    assert format_fatalities(65, 60, 70) == "65 (60–70)"


def test_view_language_switches_and_keeps_files_filters_and_selection(make_window, qtbot):
    from timeline_app.model.filters import FilterSpec

    window = make_window(CONTEXT_CSV)
    state = window.state
    state.set_filter(FilterSpec(categories=frozenset({"attack", "mourning"})))
    state.select([int(state.visible[0])])
    shown, selected = state.visible.copy(), state.selection.copy()
    assert window.filter_dock.windowTitle() == "Filters"
    try:
        window.actions_by_id["view.language.fr"].trigger()
        qtbot.waitUntil(lambda: not window.isVisible())
        french_window = next(
            w
            for w in QApplication.topLevelWidgets()
            if w.isVisible() and getattr(w, "state", None) is state
        )
        qtbot.addWidget(french_window)
        assert french_window.filter_dock.windowTitle() == "Filtres"
        assert "&Fichier" in menu_titles(french_window)
        assert french_window.actions_by_id["view.language.fr"].isChecked()
        assert QSettings("timeline-app", "timeline-app").value(i18n.SETTING) == "fr"
        # Nothing lost: the same files, filter and selection, shown by the new views.
        assert [d.name for d in french_window.state.table.datasets] == ["mali_2023_context"]
        assert np.array_equal(state.visible, shown)
        assert np.array_equal(state.selection, selected)
        assert french_window.table_view.model().rowCount() == len(shown)
        assert french_window.count_label.text().endswith(", 1 sélectionné")  # singular
        state.select(shown[:2])
        assert french_window.count_label.text().endswith(", 2 sélectionnés")
        # The new views follow the state; the old ones no longer listen.
        state.clear_selection()
        assert "sélectionné" not in french_window.count_label.text()
        back = french_window.actions_by_id["view.language.en"]
        back.trigger()
        qtbot.waitUntil(lambda: not french_window.isVisible())
    finally:
        i18n.apply_language("system")
    english = [w for w in QApplication.topLevelWidgets() if getattr(w, "state", None) is state]
    english = [w for w in english if w.isVisible()]
    assert len(english) == 1 and english[0].filter_dock.windowTitle() == "Filters"
    english[0].close()


def test_lang_on_the_command_line(tmp_path):
    from timeline_app.cli import main

    out = tmp_path / "fr.png"
    try:
        assert main(["--screenshot", str(out), "--lang", "fr", str(CONTEXT_CSV)]) == 0
        assert i18n.language() == "fr"
    finally:
        i18n.apply_language("system")
    assert out.stat().st_size > 10_000


def test_the_saved_language_is_used_at_start(french):
    i18n.save_choice("fr")
    assert i18n.apply_language(None) == "fr"
    i18n.save_choice("system")
    assert i18n.apply_language(None) == "en"  # the system's (pinned to English in tests)


def test_system_follows_the_systems_language(monkeypatch):
    monkeypatch.setenv(i18n.ENV, "fr_FR")  # stands in for a French system (tests pin "en")
    assert i18n.apply_language(None) == "fr"
    monkeypatch.setenv(i18n.ENV, "de_DE")  # a language the interface does not speak
    assert i18n.apply_language(None) == "en"


def test_shortcuts_are_the_same_in_french(make_window, qtbot):
    from timeline_app.ui.shortcuts import menu_actions

    def keys(window) -> list[list[str]]:  # portable: native text says "Maj" for Shift
        return [[k.toString() for k in info.action.shortcuts()] for info in menu_actions(window)]

    english = keys(make_window(CONTEXT_CSV))
    try:
        i18n.apply_language("fr")
        french = make_window(CONTEXT_CSV)
        assert "&Fichier" in menu_titles(french)
        assert keys(french) == english
    finally:
        i18n.apply_language("system")


def test_readme_fr_is_linked_and_its_shortcuts_are_the_french_windows(make_window, french):
    import re

    from tests.conftest import REPO
    from timeline_app.ui.shortcuts import menu_actions

    english = (REPO / "README.md").read_text(encoding="utf-8")
    readme = (REPO / "README.fr.md").read_text(encoding="utf-8")
    assert "](README.fr.md)" in english.split("## ", 1)[0]  # said before the first section
    first_block = readme.split("```", 2)[1]
    assert "make run" in first_block and "make test" in first_block
    for section in ("Prérequis", "Formats lus", "Filtrer", "La carte", "Exporter"):
        assert f"## {section}" in readme
    assert "## Données et licences" in readme and "## Raccourcis clavier" in readme
    keys = {k for info in menu_actions(make_window(CONTEXT_CSV)) for k in info.shortcuts}
    table = readme.split("## Raccourcis clavier", 1)[1].split("\n## ", 1)[0]
    named = [
        k
        for row in table.splitlines()
        if row.startswith("| ")
        for k in re.findall(r"`([^`]+)`", row)
    ]
    assert len(named) > 10
    assert [k for k in named if k not in keys] == []  # as the French window spells them


def test_switching_language_keeps_the_autosave(make_window, qtbot, tmp_path):
    from timeline_app.ui.autosave import RUNNING_FILE, install_autosave
    from timeline_app.ui.language_menu import choose_language

    window = make_window(CONTEXT_CSV)
    autosave = install_autosave(window, tmp_path)
    try:
        french_window = choose_language(window, "fr")
        qtbot.addWidget(french_window)
        assert french_window is not window and french_window.autosave is autosave
        assert autosave.window is french_window and autosave.timer.isActive()
        assert (tmp_path / RUNNING_FILE).exists()
        french_window.close()  # the new window's clean exit ends the session
        assert not (tmp_path / RUNNING_FILE).exists()
    finally:
        i18n.apply_language("system")


def test_the_matching_rule_in_words_is_the_models_own_in_english():
    from timeline_app.model.matching import RULE_TEXT
    from timeline_app.ui.match_dialog import rule_text

    assert rule_text() == RULE_TEXT  # the French is translated from exactly this


def test_undo_names_its_step_in_french(make_window, french, qtbot):
    from timeline_app.model.filters import FilterSpec

    window = make_window(CONTEXT_CSV)
    window.state.set_filter(FilterSpec(categories=("attack",)))
    qtbot.waitUntil(lambda: window.undo.undo_action.isEnabled())
    assert window.undo.undo_action.text().replace("&", "") == "Annuler la modification du filtre"


def test_strings_marked_for_translation_are_looked_up_in_their_own_context():
    """``self.tr(NAME)`` looks NAME up in the class's context: the module must have marked
    its strings with ``QT_TRANSLATE_NOOP(<that class>, …)``, or they never translate."""
    import ast

    from tests.conftest import REPO

    wrong = []
    for path in sorted((REPO / "timeline_app" / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        marked = {
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "QT_TRANSLATE_NOOP"
            and isinstance(node.args[0], ast.Constant)
        }
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for node in ast.walk(cls):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "tr"
                    and getattr(node.func.value, "id", "") == "self"
                    and node.args
                    and not isinstance(node.args[0], ast.Constant)
                    and cls.name not in marked
                ):
                    wrong.append(f"{path.name}:{node.lineno} {cls.name}")
    assert wrong == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_filter_lists_fit_their_dock_in_the_apps_own_font(make_window, qtbot, lang):
    """As the app runs (theme.readable_font: never below 10 pt), in both languages: no
    group title or box widens the lists past the dock, which would cut their counts."""
    from PySide6.QtWidgets import QScrollArea

    from timeline_app.ui.theme import readable_font

    app = QApplication.instance()
    before = app.font()
    try:
        app.setFont(readable_font(app.font()))
        i18n.apply_language(lang)
        window = make_window(CONTEXT_CSV)
        scroll = window.filter_panel.findChild(QScrollArea, "filterScroll")
        qtbot.waitUntil(lambda: scroll.widget().width() > 0)
        assert scroll.widget().width() <= scroll.viewport().width()
    finally:
        app.setFont(before)
