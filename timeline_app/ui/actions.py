"""Every menu action of the main window, declared once.

The menus (ui/menus.py), Help > Keyboard Shortcuts and the README's shortcut table
(ui/shortcuts.py) and the tests all read ``ACTIONS``; nothing else makes a menu entry.

How to add an action
--------------------
1. Add one ``Action`` row below, in the menu where it belongs (rows of a menu appear in
   table order): a stable dotted ``id``, the ``text`` with its ``&`` mnemonic (in
   ``QT_TRANSLATE_NOOP("Actions", …)``, so that ``make translations`` finds it: then
   give it its French in resources/translations/timeline_app_fr.ts), the
   ``menu`` path (menu texts exactly as other rows spell them), an explicit ``keys``
   tuple (every action has a key, none is auto-assigned, no key may be taken twice;
   ``tests/ui/test_actions.py`` checks), and the ``handler``: ``"part.method"``.
2. The part is an object the window hands to ``build_menu_bar`` by name (see
   ``MainWindow._parts``: "window", "state", "table", "timeline", "map", "detail",
   "undo", "workspaces", "matching", "trends", "theme", "language", "layout", "logs",
   "parquet");
   a new part: add it there. The method is called with ``args``, plus ``checked`` for
   a checkable row outside a group. A part that keeps an action's enabled/checked
   state in step with the app state takes its QActions by id in ``bind_actions``.
3. Paste ``python -c "from timeline_app.ui.shortcuts import shortcuts_markdown as m;
   print(m())"`` into the README's shortcut table (tests/ui/test_readme.py checks).

Kinds: "command" (the default), "dock" (the handler names a dock: its own show/hide
toggle), "submenu" (places a submenu: its position and the separator before it),
"populate" (a submenu whose entries, such as recent files, its handler fills each time
it opens: ``handler(menu)``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from timeline_app.ui.i18n import QT_TRANSLATE_NOOP

Kind = Literal["command", "dock", "submenu", "populate"]
#: "window": the key works anywhere in the window; "widget": only while the handler's
#: widget (the timeline) has the keyboard focus, so that arrows and +/- stay the
#: table's and the fields' elsewhere.
Scope = Literal["window", "widget"]


@dataclass(frozen=True)
class Action:
    id: str
    text: str
    menu: tuple[str, ...]
    handler: str
    keys: tuple[str, ...] = ()
    args: tuple[object, ...] = ()
    kind: Kind = "command"
    checkable: bool = False
    group: str = ""  # checkable rows of one group exclude each other
    separator_before: bool = False
    tip: str = ""
    scope: Scope = "window"
    #: False for a text that is the same in every language (a language's own name)
    translate: bool = True
    #: parts whose widget also offers the action in its right-click menu
    context: tuple[str, ...] = ()

    @property
    def path(self) -> tuple[str, ...]:
        """The menu path of a submenu row's own menu (its entries' ``menu``)."""
        return (*self.menu, self.text)


FILE = (QT_TRANSLATE_NOOP("Actions", "&File"),)
EDIT = (QT_TRANSLATE_NOOP("Actions", "&Edit"),)
VIEW = (QT_TRANSLATE_NOOP("Actions", "&View"),)
FOCUS = (*VIEW, QT_TRANSLATE_NOOP("Actions", "&Focus"))
TIMELINE = (*VIEW, QT_TRANSLATE_NOOP("Actions", "&Timeline"))
LANES = (*TIMELINE, QT_TRANSLATE_NOOP("Actions", "&Lanes by"))
THEME = (*VIEW, QT_TRANSLATE_NOOP("Actions", "T&heme"))
LANGUAGE = (*VIEW, QT_TRANSLATE_NOOP("Actions", "&Language"))
TOOLS = (QT_TRANSLATE_NOOP("Actions", "&Tools"),)
SHOW_MATCHED = (*TOOLS, QT_TRANSLATE_NOOP("Actions", "S&how"))
HELP = (QT_TRANSLATE_NOOP("Actions", "&Help"),)

ACTIONS: tuple[Action, ...] = (
    # -- File ---------------------------------------------------------------------------
    Action("file.open", QT_TRANSLATE_NOOP("Actions", "&Open…"), FILE, "window.open_dialog",
           ("Ctrl+O",)),
    Action("file.open_as", QT_TRANSLATE_NOOP("Actions", "Open &As…"), FILE, "window.open_as_dialog",
           ("Ctrl+Alt+O",)),
    Action("file.open_recent", QT_TRANSLATE_NOOP("Actions", "Open &Recent"), FILE,
           "window.fill_recent_menu", kind="populate"),
    Action("file.open_boundaries", QT_TRANSLATE_NOOP("Actions", "Open &Boundaries…"), FILE,
           "map.open_boundaries_dialog", ("Ctrl+Alt+Shift+O",)),
    Action("file.close", QT_TRANSLATE_NOOP("Actions", "&Close File"), FILE,
           "window.fill_close_menu", kind="populate", separator_before=True),
    Action("file.close_all", QT_TRANSLATE_NOOP("Actions", "Close A&ll Files"), FILE,
           "window.close_all_files", ("Ctrl+Shift+W",)),
    Action("file.open_workspace", QT_TRANSLATE_NOOP("Actions", "Open &Workspace…"), FILE,
           "workspaces.open_dialog", ("Ctrl+Shift+O",), separator_before=True),
    Action("file.recent_workspaces", QT_TRANSLATE_NOOP("Actions", "Recent W&orkspaces"), FILE,
           "workspaces.fill_recent_menu", kind="populate"),
    Action("file.save_workspace", QT_TRANSLATE_NOOP("Actions", "&Save Workspace"), FILE,
           "workspaces.save", ("Ctrl+S",)),
    Action("file.save_workspace_as", QT_TRANSLATE_NOOP("Actions", "Save Workspace &As…"), FILE,
           "workspaces.save_as", ("Ctrl+Shift+S",)),
    Action("file.reopen_workspace", QT_TRANSLATE_NOOP("Actions", "Reopen Last Workspace on Start"),
           FILE, "workspaces.set_reopen_last", ("Ctrl+Alt+W",), checkable=True),
    Action("file.export", QT_TRANSLATE_NOOP("Actions", "&Export…"), FILE,
           "window.show_export_dialog", ("Ctrl+E",), separator_before=True),
    Action("file.save_parquet", QT_TRANSLATE_NOOP("Actions", "Save as &Parquet Dataset…"), FILE,
           "parquet.save_dialog", ("Ctrl+Shift+P",)),
    Action("file.export_map", QT_TRANSLATE_NOOP("Actions", "Export &Map Image…"), FILE,
           "map.export_dialog", ("Ctrl+Alt+Shift+E",)),
    Action("file.export_timeline", QT_TRANSLATE_NOOP("Actions", "Export Timeline Image…"), FILE,
           "timeline.export_image_dialog", ("Ctrl+Shift+E",)),
    Action("file.quit", QT_TRANSLATE_NOOP("Actions", "&Quit"), FILE, "window.close", ("Ctrl+Q",),
           separator_before=True),
    # -- Edit ---------------------------------------------------------------------------
    Action("edit.undo", QT_TRANSLATE_NOOP("Actions", "&Undo"), EDIT, "undo.undo", ("Ctrl+Z",)),
    Action("edit.redo", QT_TRANSLATE_NOOP("Actions", "&Redo"), EDIT, "undo.redo",
           ("Ctrl+Shift+Z", "Ctrl+Y")),
    Action("edit.copy_rows", QT_TRANSLATE_NOOP("Actions", "Cop&y Rows"), EDIT,
           "table.copy_selection", ("Ctrl+C",), separator_before=True, context=("table",)),
    Action("edit.copy_event", QT_TRANSLATE_NOOP("Actions", "&Copy Event"), EDIT,
           "detail.copy_event", ("Ctrl+Shift+C",), context=("table",)),
    Action("edit.export_selection", QT_TRANSLATE_NOOP("Actions", "&Export Selection…"), EDIT,
           "window.show_export_dialog", ("Ctrl+Alt+S",), args=("selected",), context=("table",)),
    Action("edit.clear_selection", QT_TRANSLATE_NOOP("Actions", "Clear &Selection"), EDIT,
           "state.clear_selection", ("Esc",), context=("table",)),
    # -- View: docks, focus, layout ------------------------------------------------------
    Action("view.show_filters", QT_TRANSLATE_NOOP("Actions", "Show Filters"), VIEW,
           "window.filter_dock", ("Ctrl+Alt+1",), kind="dock"),
    Action("view.show_events", QT_TRANSLATE_NOOP("Actions", "Show Events"), VIEW,
           "window.table_dock", ("Ctrl+Alt+2",), kind="dock"),
    Action("view.show_timeline", QT_TRANSLATE_NOOP("Actions", "Show Timeline"), VIEW,
           "window.timeline_dock", ("Ctrl+Alt+3",), kind="dock"),
    Action("view.show_details", QT_TRANSLATE_NOOP("Actions", "Show Details"), VIEW,
           "window.detail_dock", ("Ctrl+Alt+4",), kind="dock"),
    Action("view.show_map", QT_TRANSLATE_NOOP("Actions", "Show Map"), VIEW, "window.map_dock",
           ("Ctrl+Alt+5",), kind="dock"),
    Action("view.show_trends", QT_TRANSLATE_NOOP("Actions", "Show Trends"), VIEW,
           "window.trends_dock", ("Ctrl+Alt+T",), kind="dock"),
    Action("view.focus", QT_TRANSLATE_NOOP("Actions", "&Focus"), VIEW, "", kind="submenu"),
    Action("view.focus.filters", QT_TRANSLATE_NOOP("Actions", "Go to Filters"), FOCUS,
           "layout.focus", ("Ctrl+1",), args=("filter_dock",)),
    Action("view.focus.events", QT_TRANSLATE_NOOP("Actions", "Go to Events"), FOCUS, "layout.focus",
           ("Ctrl+2",), args=("table_dock",)),
    Action("view.focus.timeline", QT_TRANSLATE_NOOP("Actions", "Go to Timeline"), FOCUS,
           "layout.focus", ("Ctrl+3",), args=("timeline_dock",)),
    Action("view.focus.details", QT_TRANSLATE_NOOP("Actions", "Go to Details"), FOCUS,
           "layout.focus", ("Ctrl+4",), args=("detail_dock",)),
    Action("view.focus.map", QT_TRANSLATE_NOOP("Actions", "Go to Map"), FOCUS, "layout.focus",
           ("Ctrl+5",), args=("map_dock",)),
    Action("view.focus.trends", QT_TRANSLATE_NOOP("Actions", "Go to Trends"), FOCUS, "layout.focus",
           ("Ctrl+6",), args=("trends_dock",)),
    Action("view.reset_layout", QT_TRANSLATE_NOOP("Actions", "&Reset Layout"), VIEW, "layout.reset",
           ("Ctrl+Alt+0",)),
    Action("view.import_report", QT_TRANSLATE_NOOP("Actions", "Last &Import Report…"), VIEW,
           "window.show_last_report", ("Ctrl+I",), separator_before=True),
    Action("view.frequencies", QT_TRANSLATE_NOOP("Actions", "&Frequencies"), VIEW,
           "window.show_frequencies", ("Ctrl+Shift+F",)),
    # -- View > Timeline -----------------------------------------------------------------
    Action("view.timeline", QT_TRANSLATE_NOOP("Actions", "&Timeline"), VIEW, "", kind="submenu",
           separator_before=True),
    Action("view.timeline.zoom_selection", QT_TRANSLATE_NOOP("Actions", "Zoom to Selection"),
           TIMELINE, "timeline.zoom_to_selection", ("Ctrl+Alt+Z",)),
    Action("view.timeline.fit", QT_TRANSLATE_NOOP("Actions", "Fit All"), TIMELINE,
           "timeline.fit_all", ("Home",), scope="widget"),
    Action("view.timeline.zoom_in", QT_TRANSLATE_NOOP("Actions", "Zoom in"), TIMELINE,
           "timeline.zoom_in", ("+", "=", "Ctrl++"), scope="widget"),
    Action("view.timeline.zoom_out", QT_TRANSLATE_NOOP("Actions", "Zoom out"), TIMELINE,
           "timeline.zoom_out", ("-", "Ctrl+-"), scope="widget"),
    Action("view.timeline.pan_left", QT_TRANSLATE_NOOP("Actions", "Pan Left"), TIMELINE,
           "timeline.pan_left", ("Left",), scope="widget"),
    Action("view.timeline.pan_right", QT_TRANSLATE_NOOP("Actions", "Pan Right"), TIMELINE,
           "timeline.pan_right", ("Right",), scope="widget"),
    Action("view.timeline.back", QT_TRANSLATE_NOOP("Actions", "Back"), TIMELINE, "timeline.back",
           ("Alt+Left",), scope="widget"),
    Action("view.timeline.forward", QT_TRANSLATE_NOOP("Actions", "Forward"), TIMELINE,
           "timeline.forward", ("Alt+Right",), scope="widget"),
    # one row per choice of model/timeline/lanes.GROUPINGS (a test keeps them in step)
    Action("view.timeline.lanes.category", QT_TRANSLATE_NOOP("Actions", "Category"), LANES,
           "timeline.set_grouping", ("Alt+1",), args=("category",), checkable=True, group="lanes"),
    Action("view.timeline.lanes.actor", QT_TRANSLATE_NOOP("Actions", "Actor"), LANES,
           "timeline.set_grouping", ("Alt+2",), args=("actor",), checkable=True, group="lanes"),
    Action("view.timeline.lanes.admin1", QT_TRANSLATE_NOOP("Actions", "Region (admin1)"), LANES,
           "timeline.set_grouping", ("Alt+3",), args=("admin1",), checkable=True, group="lanes"),
    Action("view.timeline.lanes.event_type", QT_TRANSLATE_NOOP("Actions", "Event type"), LANES,
           "timeline.set_grouping", ("Alt+4",), args=("event_type",), checkable=True,
           group="lanes"),
    Action("view.timeline.lanes.dataset", QT_TRANSLATE_NOOP("Actions", "Dataset"), LANES,
           "timeline.set_grouping", ("Alt+5",), args=("dataset",), checkable=True, group="lanes"),
    Action("view.timeline.bands", QT_TRANSLATE_NOOP("Actions", "Mourning/Blockade &Bands"),
           TIMELINE, "timeline.set_show_bands", ("Ctrl+Alt+B",), checkable=True),
    Action("view.timeline.filter_range", QT_TRANSLATE_NOOP("Actions", "Filter to Range"), TIMELINE,
           "timeline.filter_to_range", ("Ctrl+R",), separator_before=True),
    Action("view.timeline.clear_range", QT_TRANSLATE_NOOP("Actions", "Clear Range"), TIMELINE,
           "timeline.clear_range", ("Shift+Esc",)),
    Action("view.timeline.export_range", QT_TRANSLATE_NOOP("Actions", "Export Range…"), TIMELINE,
           "timeline.request_export_range", ("Ctrl+Alt+E",)),
    # -- View > Theme (ui/theme_menu.MODES) ------------------------------------------------
    Action("view.theme.system", QT_TRANSLATE_NOOP("Actions", "&System"), THEME,
           "theme.choose_theme", ("Ctrl+Alt+Shift+S",), args=("system",), checkable=True,
           group="theme"),
    Action("view.theme.light", QT_TRANSLATE_NOOP("Actions", "&Light"), THEME, "theme.choose_theme",
           ("Ctrl+Alt+Shift+L",), args=("light",), checkable=True, group="theme"),
    Action("view.theme.dark", QT_TRANSLATE_NOOP("Actions", "&Dark"), THEME, "theme.choose_theme",
           ("Ctrl+Alt+Shift+D",), args=("dark",), checkable=True, group="theme"),
    # -- View > Language (ui/i18n.CHOICES; each language named in itself) -----------------
    Action("view.language.system", QT_TRANSLATE_NOOP("Actions", "&System"), LANGUAGE,
           "language.choose", ("Ctrl+Alt+Shift+Y",), args=("system",), checkable=True,
           group="language"),
    Action("view.language.en", "&English", LANGUAGE, "language.choose", ("Ctrl+Alt+Shift+N",),
           args=("en",), checkable=True, group="language", translate=False),
    Action("view.language.fr", "&Français", LANGUAGE, "language.choose", ("Ctrl+Alt+Shift+F",),
           args=("fr",), checkable=True, group="language", translate=False),
    # -- Tools ---------------------------------------------------------------------------
    Action("tools.find_same", QT_TRANSLATE_NOOP("Actions", "Find Likely &Same Events…"), TOOLS,
           "matching.show_dialog", ("Ctrl+Shift+M",)),
    Action("tools.forget_pairs", QT_TRANSLATE_NOOP("Actions", "&Forget Likely-Same Pairs"), TOOLS,
           "matching.forget", ("Ctrl+Alt+M",)),
    # one row per mode of model/matched.MATCHED_MODES
    Action("tools.show.all", QT_TRANSLATE_NOOP("Actions", "All Events"), SHOW_MATCHED,
           "matching.set_mode", ("Ctrl+Alt+6",), args=("",), checkable=True, group="matched"),
    Action("tools.show.matched", QT_TRANSLATE_NOOP("Actions", "Matched Events Only"), SHOW_MATCHED,
           "matching.set_mode", ("Ctrl+Alt+7",), args=("matched",), checkable=True,
           group="matched"),
    Action("tools.show.unmatched", QT_TRANSLATE_NOOP("Actions", "Unmatched Events Only"),
           SHOW_MATCHED, "matching.set_mode", ("Ctrl+Alt+8",), args=("unmatched",), checkable=True,
           group="matched"),
    Action("tools.show.no_second",
           QT_TRANSLATE_NOOP("Actions", "Leave Out the Second Dataset's Matched Events"),
           SHOW_MATCHED, "matching.set_mode", ("Ctrl+Alt+9",), args=("no_second",), checkable=True,
           group="matched"),
    Action("tools.actor_aliases",
           QT_TRANSLATE_NOOP("Actions", "Match Actors Through the &Dictionary"), TOOLS,
           "matching.set_actor_aliases", ("Ctrl+Alt+D",), checkable=True, separator_before=True),
    Action("tools.uncertain_actors",
           QT_TRANSLATE_NOOP("Actions", "Include &Uncertain Attributions"), TOOLS,
           "matching.set_include_uncertain", ("Ctrl+Alt+U",), checkable=True),
    Action("tools.actor_dictionary", QT_TRANSLATE_NOOP("Actions", "Actor Dictionary…"), TOOLS,
           "matching.show_dictionary", ("Ctrl+Alt+A",)),
    Action("tools.actor_groups", QT_TRANSLATE_NOOP("Actions", "Actors Across Datasets…"), TOOLS,
           "matching.show_groups", ("Ctrl+Alt+G",)),
    Action("tools.compare", QT_TRANSLATE_NOOP("Actions", "&Compare Before and After…"), TOOLS,
           "trends.open_compare", ("Ctrl+Alt+C",), separator_before=True),
    # -- Help ----------------------------------------------------------------------------
    Action("help.shortcuts", QT_TRANSLATE_NOOP("Actions", "&Keyboard Shortcuts…"), HELP,
           "window.show_shortcuts", ("F1", "Ctrl+/")),
    Action("help.log_folder", QT_TRANSLATE_NOOP("Actions", "Open &Log Folder"), HELP,
           "logs.open_log_folder", ("Ctrl+Alt+L",)),
    Action("help.about", QT_TRANSLATE_NOOP("Actions", "&About"), HELP, "window.show_about",
           ("Ctrl+F1",)),
)  # fmt: skip


def by_id(action_id: str) -> Action:
    """The row of one id (KeyError for an unknown one)."""
    for row in ACTIONS:
        if row.id == action_id:
            return row
    raise KeyError(action_id)


def plain(text: str) -> str:
    """Menu text as a reader sees it: no mnemonic ampersands."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def menu_label(path: tuple[str, ...], translate: Callable[[str], str] = str) -> str:
    """("&View", "&Timeline") -> "View > Timeline" (each step through ``translate``)."""
    return " > ".join(plain(translate(p)) for p in path)


def menu_order(rows: tuple[Action, ...] = ACTIONS) -> list[Action]:
    """The rows as the menus show them: each menu where it first appears, its entries
    (and submenus) in table order, wherever in the table a row of it was put."""
    entries: dict[tuple[str, ...], list[Action | tuple[str, ...]]] = {(): []}

    def place(path: tuple[str, ...]) -> None:
        if path not in entries:
            place(path[:-1])
            entries[path] = []
            entries[path[:-1]].append(path)

    for row in rows:
        place(row.menu)
        if row.kind == "submenu":
            place(row.path)
        else:
            entries[row.menu].append(row)
    ordered: list[Action] = []

    def walk(path: tuple[str, ...]) -> None:
        for entry in entries[path]:
            if isinstance(entry, Action):
                ordered.append(entry)
            else:
                walk(entry)

    walk(())
    return ordered


def shortcut_rows(rows: tuple[Action, ...] = ACTIONS) -> list[Action]:
    """The rows a user triggers (not the submenus), in menu order."""
    return [r for r in menu_order(rows) if r.kind in ("command", "dock")]
