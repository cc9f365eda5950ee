"""The filter panel as a researcher uses it: type, tick, pick dates and numbers, then
read the table and the "N of M" line."""

from __future__ import annotations

import csv
from datetime import datetime

import numpy as np
import pytest
from PySide6.QtCore import QDate, Qt

from tests.conftest import CONTEXT_CSV, UCDP_SAMPLE
from timeline_app.model.filters import FilterSpec, filter_mask
from timeline_app.model.text import fold
from timeline_app.ui.filter_panel import DEBOUNCE_MS


# -- helpers: what the user sees and does ------------------------------------------------------------
def column_texts(window, column: str) -> list[str]:
    model = window.table_view.model()
    section = model.section_of(column)
    return [model.index(r, section).data() for r in range(model.rowCount())]


def shown_ids(window) -> list[str]:
    """The ids of the rows the table shows (read through the table model's rows)."""
    model = window.table_view.model()
    ids = window.state.table.df["id"].to_numpy()
    return sorted(ids[model.event_row(r)] for r in range(model.rowCount()))


def count_text(window) -> str:
    return window.filter_panel.count_label.text()


def click_facet(qtbot, facet, name: str) -> None:
    if hasattr(facet, "view_index"):  # the actor tree: the first entry shown as ``name``
        qtbot.waitUntil(lambda: facet.view_index(name).isValid(), timeout=2000)
        index = facet.view_index(name)
        facet.view.scrollTo(index)
        rect = facet.view.visualRect(index)
    else:
        qtbot.waitUntil(lambda: facet.row_of(name) >= 0, timeout=2000)  # counts come after
        row = facet.row_of(name)
        assert row >= 0, f"{name!r} is not listed"
        rect = facet.view.visualRect(facet.model.index(row))
    qtbot.mouseClick(facet.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_region(qtbot, panel, *path: str) -> None:
    tree = panel.regions
    qtbot.waitUntil(lambda: tree.proxy_index(path[0]).isValid(), timeout=2000)
    for depth in range(1, len(path)):
        tree.view.expand(tree.proxy_index(*path[:depth]))
    index = tree.proxy_index(*path)
    assert index.isValid(), f"{path} not in the tree"
    tree.view.scrollTo(index)
    rect = tree.view.visualRect(index)
    qtbot.mouseClick(tree.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def type_text(qtbot, panel, text: str) -> None:
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, text)


def wait_counts(qtbot, panel) -> None:
    qtbot.waitUntil(panel.counts_settled, timeout=2000)


def expected_ids(window, spec: FilterSpec) -> list[str]:
    table = window.state.table
    return sorted(table.df["id"].to_numpy()[filter_mask(table, spec)].tolist())


# -- text ----------------------------------------------------------------------------------------------
def test_typing_filters_after_a_pause_and_ignores_accents(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    assert count_text(window) == "18 of 18 events"
    type_text(qtbot, panel, "segou")
    # debounced: nothing happens while the user is still typing
    assert window.state.spec.text == "" and window.table_view.model().rowCount() == 18
    qtbot.waitUntil(lambda: window.state.spec.text == "segou", timeout=DEBOUNCE_MS * 8)
    assert shown_ids(window) == ["ctx-08"]
    assert column_texts(window, "title") == [
        "JNIM claims an operation against the Wagner group in the Ségou region"
    ]
    assert count_text(window) == "1 of 18 events"
    assert any("segou" in label for label in panel.chips.labels())
    # clearing the box shows everything again at once
    panel.search.clear()
    assert window.state.spec.text == "" and count_text(window) == "18 of 18 events"


def test_enter_applies_the_text_without_waiting(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    type_text(qtbot, panel, "MÉNAKA")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert window.state.spec.text == "MÉNAKA"
    assert shown_ids(window) == ["ctx-07"]


# -- actors ---------------------------------------------------------------------------------------------
def test_ticking_an_actor_keeps_events_where_it_is_on_either_side_or_associated(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    # The dictionary's actor "Wagner" holds the sample's spelling "Wagner Group".
    assert panel.actors.model.count_of("Wagner") == 2
    assert panel.actors.model.count_of("Wagner Group") == 2
    click_facet(qtbot, panel.actors, "Wagner")
    # ctx-08: Wagner is actor2; ctx-17: Wagner is an associated actor
    assert shown_ids(window) == ["ctx-08", "ctx-17"]
    assert count_text(window) == "2 of 18 events"
    assert panel.actors.model.is_checked("Wagner")
    assert panel.chips.labels() == ["Actor: Wagner"]
    # a second actor ORs with the first; a spelling ticked is that spelling only
    click_facet(qtbot, panel.actors, "French armed forces (Barkhane)")
    assert shown_ids(window) == ["ctx-01", "ctx-08", "ctx-17"]
    assert "Actor: French armed forces (Barkhane) (this spelling)" in panel.chips.labels()
    # clicking a ticked actor again removes it
    click_facet(qtbot, panel.actors, "Wagner")
    assert shown_ids(window) == ["ctx-01"]
    assert window.state.spec.actors == ("=French armed forces (Barkhane)",)


def test_the_actor_search_box_narrows_the_list(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    # Five canonical actors with their one spelling each, and two names no entry covers.
    assert len(panel.actors.shown_names()) == 12
    qtbot.keyClicks(panel.actors.search, "fama")
    assert panel.actors.shown_names() == ["FAMa", "Malian armed forces (FAMa)"]


def test_actor_counts_follow_the_other_filters_not_their_own(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    click_region(qtbot, panel, "Mali", "Gao")
    wait_counts(qtbot, panel)
    # Gao: Barkhane leaves (1), Bamba camp, army camp, airport (3 JNIM vs FAMa)
    assert panel.actors.model.count_of("JNIM") == 3
    assert panel.actors.model.count_of("United Nations (MINUSMA)") == 0
    assert "United Nations (MINUSMA)" not in panel.actors.shown_names()
    click_facet(qtbot, panel.actors, "JNIM")
    wait_counts(qtbot, panel)
    # ticking JNIM does not hide the other actors of Gao
    assert panel.actors.model.count_of("French armed forces (Barkhane)") == 1
    assert count_text(window) == "3 of 18 events"


# -- regions ---------------------------------------------------------------------------------------------
def test_ticking_a_region_in_the_tree(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    click_region(qtbot, panel, "Mali", "Mopti")
    expected = expected_ids(window, FilterSpec(regions=("Mopti",)))
    assert len(expected) > 10 and shown_ids(window) == expected
    assert count_text(window) == f"{len(expected)} of 78 events"
    regions = window.state.table.df["admin1"].astype(str).to_numpy()
    assert set(regions[window.state.visible]) == {"Mopti"}
    # the tree shows the count of each place
    index = panel.regions.proxy_index("Mali", "Mopti")
    assert index.data().endswith(f"({len(expected)})")


def test_the_region_counts_follow_each_filter_and_keep_what_is_expanded(make_window, qtbot):
    """Each filter shows the places with events under it, with their counts, and Mali
    stays open through it."""
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    panel = window.filter_panel
    tree = panel.regions
    wait_counts(qtbot, panel)
    tree.view.expand(tree.proxy_index("Mali"))
    df = window.state.table.df
    for spec in (
        FilterSpec(fatalities_min=1),
        FilterSpec(fatalities_min=3),
        FilterSpec(fatalities_min=1, include_unknown_fatalities=False),
        FilterSpec(actors=("JNIM",)),
        FilterSpec(),
    ):
        window.state.set_filter(spec)
        wait_counts(qtbot, panel)
        assert tree.view.isExpanded(tree.proxy_index("Mali"))
        mali = tree.proxy_index("Mali")
        shown = {}
        for row in range(tree.proxy.rowCount(mali)):
            label = tree.proxy.index(row, 0, mali).data()
            name, _, count = label.rpartition(" (")
            shown[name.strip()] = int(count.rstrip(")").replace(",", ""))
        kept = filter_mask(window.state.table, spec) & (df["country"] == "Mali").to_numpy()
        places = {fold(name) for name in df["admin1"][kept].dropna().astype(str)}
        assert {fold(name) for name in shown} == places, spec  # (Ségou and Segou are one)
        for name, count in shown.items():
            assert count == len(expected_ids(window, spec.with_(regions=(name,)))), (spec, name)


def test_the_region_search_finds_an_admin2_under_its_parents(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    qtbot.keyClicks(panel.regions.search, "bankas")
    assert panel.regions.proxy_index("Mali", "Mopti", "Bankass").isValid()
    assert not panel.regions.proxy_index("Mali", "Gao").isValid()
    click_region(qtbot, panel, "Mali", "Mopti", "Bankass")
    assert shown_ids(window) == ["ctx-04"]


# -- dates -------------------------------------------------------------------------------------------------
def test_dates_keep_periods_that_overlap(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    panel.date_from.setDate(QDate(2023, 9, 5))
    panel.date_to.setDate(QDate(2023, 9, 6))
    assert window.state.spec.date_from == datetime(2023, 9, 5)
    assert window.state.spec.date_to == datetime(2023, 9, 6)
    titles = column_texts(window, "title")
    assert "JNIM blockade of Timbuktu" in titles  # 2023-08-01 .. 2023-09-09
    # (ctx-14, "week of 1 Sep", is a point on 1 Sep: it does not overlap)
    assert shown_ids(window) == ["ctx-03", "ctx-08"]
    assert "From 2023-09-05" in panel.chips.labels()
    # the "no bound" button lifts a bound
    panel.findChild(type(panel.clear_button), "dateToClear").click()
    assert window.state.spec.date_to is None
    assert panel.date_to.text() == "no bound"


def type_date(qtbot, edit, text: str) -> list:
    """Type into a date bound as a user would, noting the filters applied meanwhile."""
    edit.line.setFocus()
    edit.line.selectAll()
    applied: list = []
    edit.changed.connect(lambda: applied.append(edit.value()))
    qtbot.keyClicks(edit.line, text)
    return applied


def test_typing_an_iso_date_applies_it_once_complete(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    applied = type_date(qtbot, panel.date_from, "2023-10-31")
    assert applied == [datetime(2023, 10, 31)]  # once, when complete: not per keystroke
    assert window.state.spec.date_from == datetime(2023, 10, 31)
    assert shown_ids(window) == ["ctx-16", "ctx-17", "ctx-18"]
    assert panel.date_from.line.text() == "2023-10-31"


def test_editing_the_to_date_does_not_refilter_per_keystroke(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    type_date(qtbot, panel.date_to, "2023-12-31")
    specs: list = []
    window.state.filter_changed.connect(lambda spec: specs.append(spec.date_to))
    applied = type_date(qtbot, panel.date_to, "2023-01-23")
    assert applied == [datetime(2023, 1, 23)] and specs == [datetime(2023, 1, 23)]


def test_a_date_in_the_locales_short_form_is_applied_on_enter(make_window, qtbot):
    from PySide6.QtCore import QLocale

    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    short = QLocale().toString(QDate(2023, 9, 5), QLocale.FormatType.ShortFormat)
    type_date(qtbot, panel.date_from, short)
    qtbot.keyClick(panel.date_from.line, Qt.Key.Key_Return)
    assert window.state.spec.date_from == datetime(2023, 9, 5)


def test_what_is_not_a_date_is_said_and_changes_nothing(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    type_date(qtbot, panel.date_from, "2023-13-45")
    qtbot.keyClick(panel.date_from.line, Qt.Key.Key_Return)
    assert window.state.spec.date_from is None
    assert panel.date_from.line.property("invalid") is True
    assert "Not a date" in panel.date_from.line.toolTip()
    # emptied and Enter: no bound again
    panel.date_from.line.clear()
    qtbot.keyClick(panel.date_from.line, Qt.Key.Key_Return)
    assert panel.date_from.line.property("invalid") is False


def test_the_calendar_opens_at_the_bounds_or_the_datas_month(make_window, qtbot):
    window = make_window(CONTEXT_CSV)  # 15 Aug 2022 .. 31 Dec 2023
    panel = window.filter_panel
    panel.date_from.open_calendar()
    calendar = panel.date_from.calendar
    assert (calendar.yearShown(), calendar.monthShown()) == (2022, 8)
    qtbot.mouseClick(panel.date_from.calendar_button, Qt.MouseButton.LeftButton)
    calendar.hide()
    panel.date_to.open_calendar()
    assert (panel.date_to.calendar.yearShown(), panel.date_to.calendar.monthShown()) == (2023, 12)
    panel.date_to.calendar.clicked.emit(QDate(2023, 12, 20))  # picking a day applies it
    assert window.state.spec.date_to == datetime(2023, 12, 20)
    assert not panel.date_to.calendar.isVisible()
    panel.date_to.open_calendar()
    panel.date_to.calendar.hide()
    type_date(qtbot, panel.date_from, "2023-03-04")
    panel.date_from.open_calendar()
    assert (calendar.yearShown(), calendar.monthShown()) == (2023, 3)
    calendar.hide()


def test_the_timeline_range_is_offered_as_the_dates(make_window, qtbot):
    from timeline_app.model.state import TimeRange

    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    a = int(np.datetime64("2023-09-07", "ns").astype(np.int64))
    b = int(np.datetime64("2023-09-09", "ns").astype(np.int64)) - 1
    window.state.set_range(TimeRange(a, b))
    assert window.state.spec.date_from is None  # a range alone is not a filter
    assert panel.range_label.text() == "Timeline range: 2023-09-07 – 2023-09-08"
    panel.use_range.click()
    assert window.state.spec.date_from == datetime(2023, 9, 7)
    assert window.state.spec.date_to == datetime(2023, 9, 8)
    assert panel.date_to.date() == QDate(2023, 9, 8)


# -- fatalities ---------------------------------------------------------------------------------------------
def test_fatalities_bounds_and_the_unknown_switch(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    panel = window.filter_panel
    panel.fat_min.setFocus()
    panel.fat_min.selectAll()
    qtbot.keyClicks(panel.fat_min, "10")
    assert window.state.spec.fatalities_min == 10
    fat = window.state.table.df["fatalities"]
    known = int((fat >= 10).sum())
    unknown = int(fat.isna().sum())
    assert count_text(window) == f"{known + unknown} of 78 events"
    qtbot.mouseClick(panel.include_unknown, Qt.MouseButton.LeftButton)
    assert window.state.spec.include_unknown_fatalities is False
    assert count_text(window) == f"{known} of 78 events"
    shown = column_texts(window, "fatalities")
    assert shown and all(text != "–" and int(text) >= 10 for text in shown)
    assert "Known fatalities only" in panel.chips.labels()


# -- the whole question -------------------------------------------------------------------------------------
def test_jnim_in_mopti_in_2023_with_ten_or_more_deaths_in_a_few_clicks(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    click_facet(qtbot, panel.actors, "JNIM")
    click_region(qtbot, panel, "Mali", "Mopti")
    panel.date_from.setDate(QDate(2023, 1, 1))
    panel.date_to.setDate(QDate(2023, 12, 31))
    panel.fat_min.setValue(10)
    qtbot.mouseClick(panel.include_unknown, Qt.MouseButton.LeftButton)
    df = window.state.table.df
    expected = df[
        ((df["actor1"] == "JNIM") | (df["actor2"] == "JNIM"))
        & ((df["admin1"] == "Mopti") | (df["admin2"] == "Mopti"))
        & (df["start"].dt.year == 2023)
        & (df["fatalities"] >= 10)
    ]
    assert len(expected) >= 2
    assert shown_ids(window) == sorted(expected["id"])
    assert count_text(window) == f"{len(expected)} of 78 events"
    assert len(panel.chips.labels()) == 6


# -- the panel follows the state ------------------------------------------------------------------------------
def test_a_filter_set_elsewhere_shows_in_the_panel_without_feedback(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    calls = []
    window.state.filter_changed.connect(calls.append)
    spec = FilterSpec(
        actors=("JNIM",),
        regions=("Gao",),
        date_from=datetime(2023, 9, 1),
        fatalities_max=5,
        include_unknown_fatalities=False,
        text="camp",
    )
    window.state.set_filter(spec)  # as an undo or a workspace would
    assert calls == [spec] and window.state.spec == spec
    assert panel.search.text() == "camp"
    assert panel.actors.model.is_checked("JNIM")
    assert panel.regions.model.checked == {"gao"}
    assert panel.regions.view.isExpanded(panel.regions.proxy_index("Mali"))  # Gao is in sight
    assert panel.date_from.date() == QDate(2023, 9, 1)
    assert panel.date_to.text() == "no bound"
    assert panel.fat_max.value() == 5 and panel.fat_min.text() == "any"
    assert not panel.include_unknown.isChecked()
    assert len(panel.chips.labels()) == 6
    # back to no filter: every control shows "no constraint", still without feedback
    window.state.set_filter(FilterSpec())
    assert calls == [spec, FilterSpec()]
    assert panel.search.text() == "" and not panel.chips.labels()
    assert panel.include_unknown.isChecked() and panel.fat_max.text() == "any"


def test_chips_remove_one_filter_and_clear_all_removes_every_one(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    window.state.set_filter(FilterSpec(categories=("attack",), regions=("Gao",), text="camp"))
    assert count_text(window) == "2 of 18 events"
    chip = next(c for c in panel.chips.visible_chips() if c.text().startswith("Region: Gao"))
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert window.state.spec == FilterSpec(categories=("attack",), text="camp")
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert window.state.spec == FilterSpec()
    assert count_text(window) == "18 of 18 events"
    assert not panel.clear_button.isEnabled()


def test_datasets_are_unticked_by_default_and_ticking_keeps_those(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    names = [d.name for d in window.state.table.datasets]
    assert not any(panel.datasets.model.is_checked(n) for n in names)  # as every list
    click_facet(qtbot, panel.datasets, names[0])
    assert window.state.spec.datasets == (names[0],)
    assert count_text(window) == "18 of 78 events"
    click_facet(qtbot, panel.datasets, names[1])
    assert set(window.state.spec.datasets) == set(names)
    click_facet(qtbot, panel.datasets, names[0])
    click_facet(qtbot, panel.datasets, names[1])
    assert window.state.spec.datasets == () and count_text(window) == "78 of 78 events"


def test_categories_and_types_with_counts(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    assert panel.categories.model.shown_names()[:2] == ["attack", "mourning"]  # lane order
    assert panel.categories.model.count_of("withdrawal") == 9
    click_facet(qtbot, panel.categories, "withdrawal")
    wait_counts(qtbot, panel)
    assert panel.event_types.model.shown_names() == [
        "Peacekeeping withdrawal",
        "Foreign force withdrawal",
    ]
    click_facet(qtbot, panel.event_types, "Foreign force withdrawal")
    assert shown_ids(window) == ["ctx-01"]


# -- frequencies -------------------------------------------------------------------------------------------------
def test_frequency_view_counts_filtered_rows_and_double_click_filters(make_window, qtbot):
    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    window.state.set_filter(FilterSpec(actors=("JNIM",)))
    window.show_frequencies()
    view = window.frequency_view
    view.set_dimension("admin1")
    view.refresh()
    model = view.model
    rows = {model.value_at(r): r for r in range(model.rowCount())}
    df = window.state.table.df[window.state.mask]
    tomb = df[df["admin1"] == "Tombouctou"]
    r = rows["Tombouctou"]
    assert model.index(r, 1).data() == str(len(tomb))
    assert model.index(r, 3).data() == f"{int(tomb['fatalities'].sum()):,}"
    rect = view.table.visualRect(model.index(r, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.state.spec == FilterSpec(actors=("JNIM",), regions=("Tombouctou",))
    assert count_text(window) == f"{len(tomb)} of 78 events"


# -- the command line gives the same rows --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "clicks"),
    [
        (
            ["--actor", "jnim", "--region", "MOPTI", "--from", "2023-01-01", "--to",
             "2023-12-31", "--min-fatalities", "10", "--exclude-unknown-fatalities"],
            "jnim mopti 2023",
        ),
        (["--text", "segou", "--from", "2023-09-05", "--to", "2023-09-06"], "text dates"),
    ],
)  # fmt: skip
def test_the_gui_and_the_command_line_give_the_same_rows(
    make_window, qtbot, tmp_path, options, clicks
):
    from timeline_app.cli import main

    window = make_window(CONTEXT_CSV, UCDP_SAMPLE)
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    if clicks == "jnim mopti 2023":
        click_facet(qtbot, panel.actors, "JNIM")
        click_region(qtbot, panel, "Mali", "Mopti")
        panel.date_from.setDate(QDate(2023, 1, 1))
        panel.date_to.setDate(QDate(2023, 12, 31))
        panel.fat_min.setValue(10)
        qtbot.mouseClick(panel.include_unknown, Qt.MouseButton.LeftButton)
    else:
        panel.date_from.setDate(QDate(2023, 9, 5))
        panel.date_to.setDate(QDate(2023, 9, 6))
        type_text(qtbot, panel, "segou")
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    shown = window.table_view.model().rowCount()
    assert shown > 0
    gui = sorted(
        zip(
            window.state.table.df["dataset"].astype(str).to_numpy()[window.state.visible],
            window.state.table.df["id"].to_numpy()[window.state.visible],
            strict=True,
        )
    )
    out = tmp_path / "out.csv"
    status = main(["export", str(CONTEXT_CSV), str(UCDP_SAMPLE), *options, "-o", str(out)])
    assert status == 0
    with out.open(encoding="utf-8-sig") as handle:
        cli = sorted((row["dataset"], row["id"]) for row in csv.DictReader(handle))
    assert cli == gui


def test_closing_every_file_keeps_the_filter_and_the_panel_working(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    window.state.set_filter(FilterSpec(actors=("JNIM",), text="gao"))
    window.state.set_datasets([])
    panel.refresh_counts()
    assert count_text(window) == "0 of 0 events"
    assert panel.actors.shown_names() == ["JNIM"]  # ticked: still listed, to untick
    window.add_dataset(
        __import__("timeline_app.formats.registry").formats.registry.load(CONTEXT_CSV)
    )
    wait_counts(qtbot, panel)
    assert count_text(window) == "3 of 18 events"


def test_a_sort_does_not_recount_but_a_filter_does(make_window, qtbot):
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    wait_counts(qtbot, panel)
    window.state.set_sort([("title", False)])
    assert not panel.counts_pending()  # same rows, same counts: no work
    window.state.set_filter(FilterSpec(regions=("Kidal",)))
    assert panel.counts_pending()
    wait_counts(qtbot, panel)
    assert panel.actors.model.count_of("United Nations (MINUSMA)") == 2


def test_on_a_big_table_counts_come_from_a_thread_and_stale_ones_are_dropped(
    make_window, qtbot, monkeypatch
):
    from timeline_app.ui import filter_panel

    monkeypatch.setattr(filter_panel, "COUNT_THREAD_ROWS", 0)  # every table is "big"
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    window.state.set_filter(FilterSpec(regions=("Gao",)))
    panel._schedule_counts()  # a thread counts for Gao ...
    window.state.set_filter(FilterSpec(regions=("Kidal",)))  # ... while Kidal is chosen
    panel._schedule_counts()
    qtbot.waitUntil(lambda: panel.actors.model.count_of("United Nations (MINUSMA)") == 2)
    panel.wait_for_counts()
    qtbot.wait(50)  # any late result of the Gao filter arrives now, and must be ignored
    assert panel.actors.model.count_of("United Nations (MINUSMA)") == 2
    assert panel.actors.model.count_of("JNIM") == 0


def test_frequencies_of_a_big_table_are_counted_in_a_thread(make_window, qtbot, monkeypatch):
    from timeline_app.ui import frequency_view

    monkeypatch.setattr(frequency_view, "THREAD_ROWS", 0)
    window = make_window(CONTEXT_CSV)
    window.show_frequencies()
    view = window.frequency_view
    view.set_dimension("category")
    qtbot.waitUntil(lambda: view.model.rowCount() == 5, timeout=5000)
    window.state.set_filter(FilterSpec(categories=("withdrawal",)))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    view.wait()
    assert view.model.value_at(0) == "withdrawal" and view.model.index(0, 1).data() == "9"


def test_on_a_big_table_the_filter_is_prepared_in_the_background(make_window, qtbot, monkeypatch):
    from timeline_app.model import filters
    from timeline_app.ui import filter_panel

    monkeypatch.setattr(filters, "PREPARE_IN_BACKGROUND_ROWS", 0)
    monkeypatch.setattr(filter_panel, "PREPARE_IN_BACKGROUND_ROWS", 0)
    window = make_window(CONTEXT_CSV)
    panel = window.filter_panel
    cache = filters._cache(window.state.table)
    jobs = panel.warm_jobs
    before = jobs.generation  # (counts every job started)
    assert not jobs.busy()  # not while the new table is being painted...
    qtbot.waitUntil(lambda: jobs.generation == before + 1, timeout=2000)  # ...but right after
    assert jobs.wait(10_000)
    assert {"actor1", "admin1"} <= set(cache._counts)
    type_text(qtbot, panel, "segou")
    assert jobs.generation == before + 1  # typing prepares nothing more
    qtbot.waitUntil(lambda: window.state.spec.text == "segou", timeout=2000)
    assert shown_ids(window) == ["ctx-08"]
