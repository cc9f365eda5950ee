"""The table of actions (ui/actions.py) is what the window's menus, keys, the shortcuts
list and the README say: every row in its menu with its key, no key taken twice."""

from __future__ import annotations

from collections import Counter

from PySide6.QtGui import QKeySequence

from timeline_app.model.matched import MATCHED_MODES
from timeline_app.model.timeline.lanes import GROUPINGS
from timeline_app.ui.actions import ACTIONS, menu_label, plain, shortcut_rows
from timeline_app.ui.menus import ACTION_ID
from timeline_app.ui.shortcuts import find_menu, menu_actions, shortcut_list
from timeline_app.ui.theme_menu import MODES

#: actions whose text follows the state ("Undo Filter Change", "Leave Out UCDP's …")
CHANGING_TEXT = {"edit.undo", "edit.redo", "tools.show.no_second"}


def test_ids_are_unique_and_every_action_has_its_own_keys(qapp) -> None:
    ids = Counter(row.id for row in ACTIONS)
    assert [i for i, n in ids.items() if n > 1] == []
    rows = shortcut_rows()
    assert [r.id for r in rows if not r.keys] == [], "every action has a key (README says so)"
    keys = Counter(QKeySequence(k).toString() for r in rows for k in r.keys)
    assert {k: n for k, n in keys.items() if n > 1} == {}
    for row in rows:  # written as Qt writes them back, so the README reads the same
        assert all(QKeySequence(k).toString() == k for k in row.keys), row.id


def test_every_row_is_in_the_built_menus_with_its_key_and_nothing_else_is(make_window) -> None:
    window = make_window()
    built = menu_actions(window)  # read from the menu bar, in menu order
    by_id = {a.action.property(ACTION_ID): a for a in built}
    assert [a.action.property(ACTION_ID) for a in built] == [r.id for r in shortcut_rows()]
    for row in shortcut_rows():
        info = by_id[row.id]
        assert info.menu == menu_label(row.menu), row.id
        assert info.text == plain(row.text) or row.id in CHANGING_TEXT, row.id
        assert tuple(k.toString() for k in info.action.shortcuts()) == row.keys, row.id
        assert info.action.isCheckable() == (row.checkable or row.kind == "dock"), row.id
        assert info.action is window.actions_by_id[row.id]
    assert set(window.actions_by_id) == {r.id for r in ACTIONS}


def test_the_fixed_choices_cover_the_models_choices(make_window) -> None:
    lanes = {r.args[0] for r in ACTIONS if r.id.startswith("view.timeline.lanes.")}
    assert lanes == set(GROUPINGS)
    assert {r.args[0] for r in ACTIONS if r.id.startswith("tools.show.")} == set(MATCHED_MODES)
    assert {r.args[0] for r in ACTIONS if r.id.startswith("view.theme.")} == set(MODES)
    window = make_window()
    lanes_menu = [a.text() for a in find_menu(window, "View > Timeline > Lanes by").actions()]
    assert lanes_menu == [label for _col, label in GROUPINGS.values()]


def test_menu_entries_trigger_their_handlers(make_window, qtbot) -> None:
    window = make_window()
    actions = window.actions_by_id
    actions["view.timeline.lanes.actor"].trigger()
    assert window.state.views.timeline.lane_grouping == "actor"
    assert window.timeline.grouping_box.currentData() == "actor"
    bands = actions["view.timeline.bands"]
    was = window.state.views.timeline.show_bands
    bands.trigger()  # a toggle: the handler is told the new state
    assert window.state.views.timeline.show_bands is (not was) and bands.isChecked() is not was
    actions["view.show_details"].trigger()
    assert window.detail_dock.isHidden()
    actions["view.show_details"].trigger()
    assert window.detail_dock.isVisible()
    aliases = actions["tools.actor_aliases"]
    was = window.state.spec.actor_aliases
    assert aliases.isChecked() is was
    aliases.trigger()
    assert window.state.spec.actor_aliases is (not was) and aliases.isChecked() is not was
    actions["tools.show.all"].trigger()  # a choice: the handler gets the row's args
    assert window.state.spec.matched == ""


def test_the_populated_menus_fill_when_opened(make_window) -> None:
    window = make_window()
    recent = find_menu(window, "File > Open Recent")
    recent.aboutToShow.emit()
    assert recent.actions()  # the recent files, or "(none)"
    close = find_menu(window, "File > Close File")
    close.aboutToShow.emit()
    assert [a.text().split("  (")[0] for a in close.actions()] == [
        d.name for d in window.state.table.datasets
    ]


def test_the_table_offers_the_edit_actions_on_right_click(make_window) -> None:
    window = make_window()
    offered = [a.property(ACTION_ID) for a in window.table_view.actions()]
    assert offered[:4] == [r.id for r in ACTIONS if "table" in r.context]


def test_every_menu_text_speaks_french(qapp) -> None:
    """A row added without its French fails here (and make translations says which)."""
    from timeline_app.ui import i18n
    from timeline_app.ui.menus import translated

    try:
        assert i18n.apply_language("fr") == "fr"
        english = [r.id for r in ACTIONS if r.translate and translated(r.text) == r.text]
        menus = {p for r in ACTIONS for p in r.menu if translated(p) == p}
        french = shortcut_list()
    finally:
        i18n.apply_language(None)
    assert english == [] and menus == set()
    assert ("Fichier", "Enregistrer l'espace de travail", "Ctrl+S") in [
        (r.menu, r.text, r.shortcut) for r in french
    ]
