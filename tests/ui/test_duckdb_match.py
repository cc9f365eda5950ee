"""Tools > Find Likely Same Events… on the DuckDB engine, used as a user would: the
dialog offers the same datasets as in memory, and finds the same pairs (DuckDB reads the
two datasets' rows, the memory matcher pairs them in the worker)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.storage.engine_fixtures import events_frame
from timeline_app.formats.registry import load
from timeline_app.model.matching import pair_records
from timeline_app.storage.convert import convert


@pytest.fixture(scope="module")
def two_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two Parquet datasets: the fixture's events, and a copy of them reported by
    another source a little apart (some near enough to pair, some moved too far, with
    ties in distance so the rule's order by id matters; the second holds some events
    twice, for a dataset matched with itself)."""
    folder = tmp_path_factory.mktemp("duckmatch")
    first = events_frame(300)
    other = first.sample(frac=0.7, random_state=3)
    other = pd.concat([other, other.head(40)], ignore_index=True)  # some reported twice
    rng = np.random.default_rng(5)
    other["id"] = ["o" + str(i) for i in rng.permutation(len(other))]
    other["latitude"] = other["latitude"] + rng.choice([0.0, 0.05, 0.1, 0.5], len(other))
    paths = []
    for name, frame in (("alpha", first), ("beta", other)):
        frame.to_csv(folder / f"{name}.csv", index=False)
        convert([load(folder / f"{name}.csv", use_cache=False)], folder / f"{name}.parquet")
        paths.append(folder / f"{name}.parquet")
    return paths


def open_both(qtbot, make_window, paths: list[Path]):
    window = make_window(*paths)  # the memory engine's window...
    duck = make_window(*paths)
    duck.close_all_files()
    duck.open_paths(paths, "duckdb")  # ...and the same files on DuckDB
    qtbot.waitUntil(lambda: duck.state.source_view.source is not None, timeout=10_000)
    return window, duck


def find(qtbot, window, first: str, second: str, km: float = 25.0):
    """Tools > Find Likely Same Events…, two datasets picked, Find clicked."""
    assert window.matching.find_action.isEnabled()
    window.matching.find_action.trigger()
    dialog = window.matching.dialog
    assert dialog is not None
    dialog.first.setCurrentText(first)
    dialog.second.setCurrentText(second)
    dialog.km.setValue(km)
    dialog.find_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    return dialog


@pytest.mark.parametrize(("first", "second"), [("alpha", "beta"), ("beta", "beta")])
def test_the_duckdb_window_finds_the_memory_windows_pairs(
    qtbot, make_window, two_files, first, second
):
    window, duck = open_both(qtbot, make_window, two_files)
    offered = [window.matching.show_dialog(), duck.matching.show_dialog()]
    names = [[d.first.itemText(i) for i in range(d.first.count())] for d in offered]
    assert names[0] == names[1] == ["alpha", "beta"]
    for dialog in offered:
        dialog.reject()

    shown = [find(qtbot, w, first, second, km=40.0) for w in (window, duck)]
    assert shown[0].status.text() == shown[1].status.text()
    assert "0 pairs" not in shown[1].status.text()
    assert duck.statusBar().currentMessage() == window.statusBar().currentMessage()
    found, pairs = window.state.match(), duck.state.source_view.match
    assert found is not None and pairs is not None
    table, result = window.state.table, found.result
    assert pairs.pairs() == pair_records(table, result, result.pairs())
    assert pairs.also_possible() == pair_records(table, result, result.also_possible())
    assert duck.matching.forget_action.isEnabled()
    duck.matching.forget_action.trigger()
    assert duck.state.source_view.match is None and not duck.matching.forget_action.isEnabled()


def test_a_cancelled_search_on_duckdb_keeps_no_pairs(qtbot, make_window, two_files):
    _window, duck = open_both(qtbot, make_window, two_files)
    dialog = duck.matching.show_dialog()
    job = dialog.start()
    assert job is not None
    job.cancel()  # whatever it finds after this is dropped
    qtbot.waitUntil(lambda: not job.is_running() and dialog.find_button.isEnabled())
    assert duck.state.source_view.match is None
    assert dialog.status.text() == "Cancelled: no pairs kept."
    dialog.reject()


def test_closing_the_duckdb_dataset_forgets_its_pairs(qtbot, make_window, two_files):
    _window, duck = open_both(qtbot, make_window, two_files)
    find(qtbot, duck, "alpha", "beta")
    assert duck.state.source_view.match is not None
    duck.close_all_files()
    assert duck.state.source_view.match is None
    assert not duck.matching.find_action.isEnabled()
    assert not duck.matching.forget_action.isEnabled()


def test_the_show_choices_keep_the_memory_windows_events(qtbot, make_window, two_files):
    from tests.ui.test_duckdb_window import cells

    window, duck = open_both(qtbot, make_window, two_files)
    for w in (window, duck):
        find(qtbot, w, "alpha", "beta", km=40.0)
    view = duck.state.source_view
    shown = {}
    for mode in ("matched", "no_second", "unmatched", "matched"):
        for w in (window, duck):
            assert w.matching.mode_actions[mode].isEnabled()
            w.matching.mode_actions[mode].trigger()
        qtbot.waitUntil(lambda: view.count >= 0, timeout=10_000)
        assert duck.count_label.text() == window.count_label.text()
        shown[mode] = view.count
    assert 0 < shown["matched"] < shown["no_second"]
    rows = range(shown["matched"])
    assert cells(qtbot, duck.sources.table, rows) == cells(qtbot, window.table_view, rows)
    # Pairs found again with a smaller K: the same filter keeps the new pairs' events.
    for w in (window, duck):
        find(qtbot, w, "alpha", "beta", km=10.0)
    qtbot.waitUntil(lambda: view.count >= 0, timeout=10_000)
    assert duck.count_label.text() == window.count_label.text()
    assert view.count < shown["matched"]
    duck.matching.forget_action.trigger()
    qtbot.waitUntil(lambda: view.count >= 0, timeout=10_000)
    assert view.count == 0  # matched events only, and none found


def test_the_likely_same_column_shows_the_memory_windows_pairs(qtbot, make_window, two_files):
    from tests.ui.test_duckdb_bar import copied as copied_texts
    from tests.ui.test_duckdb_selection import select
    from tests.ui.test_duckdb_window import cells
    from timeline_app.model.matched import MATCH_COLUMN
    from timeline_app.ui.table_header import set_column_visible

    window, duck = open_both(qtbot, make_window, two_files)
    for w in (window, duck):
        set_column_visible(w.state, MATCH_COLUMN, True)  # the header menu's "Likely same"
        find(qtbot, w, "alpha", "beta", km=40.0)
    rows = range(len(window.state.visible))
    shown = cells(qtbot, duck.sources.table, rows)
    assert shown == cells(qtbot, window.table_view, rows)
    paired = [row[-1] for row in shown if row[-1]]
    assert paired and any("↔ beta" in p for p in paired) and any("↔ alpha" in p for p in paired)
    for table in (window.table_view, duck.sources.table):
        select(qtbot, table)  # rows 5..420 and 440: Ctrl+C copies the pairs' numbers
    memory, copied = copied_texts(qtbot, window, duck)
    assert copied == memory
    assert any(line.split("\t")[-1] for line in copied.splitlines()[1:])
    # A search with a smaller K: the cells follow the new pairs.
    for w in (window, duck):
        find(qtbot, w, "alpha", "beta", km=10.0)
    again = cells(qtbot, duck.sources.table, rows)
    assert again == cells(qtbot, window.table_view, rows) and again != shown
    duck.matching.forget_action.trigger()
    assert not any(row[-1] for row in cells(qtbot, duck.sources.table, rows))


def section(window) -> str:
    """The detail pane's "Likely the same as" part, to its notes."""
    text = window.detail.browser.toPlainText()
    start = text.find("Likely the same as")
    return text[start : text.find("\nNotes", start)] if start >= 0 else ""


def link_of(window) -> str:
    """The section's first link: the counterpart's (or the first also possible)."""
    html = window.detail.browser.toHtml()
    at = html.find('href="', html.find("Likely the same as"))
    return html[at + 6 : html.find('"', at + 6)]


def test_the_details_show_the_memory_windows_counterpart(qtbot, make_window, two_files):
    from PySide6.QtCore import QUrl

    from tests.ui.test_duckdb_selection import click_row

    window, duck = open_both(qtbot, make_window, two_files)
    for w in (window, duck):
        find(qtbot, w, "alpha", "beta", km=40.0)
    view = duck.state.source_view
    for mode in ("matched", "unmatched"):
        for w in (window, duck):
            w.matching.mode_actions[mode].trigger()
        qtbot.waitUntil(lambda: view.count >= 0, timeout=10_000)
        for row in (0, 3):
            for table in (window.table_view, duck.sources.table):
                click_row(qtbot, table, row)
            expected = section(window)
            assert "Likely the same as" in expected
            qtbot.waitUntil(lambda e=expected: section(duck) == e, timeout=10_000)
        if mode == "matched":
            assert "This event" in expected  # a counterpart, beside the event
            assert link_of(window).startswith("event:") and link_of(duck).startswith("key:")
            for w in (window, duck):  # its link: the counterpart's own details
                w.detail.browser.anchorClicked.emit(QUrl(link_of(w)))
            assert section(window) != expected
            qtbot.waitUntil(lambda: section(duck) == section(window), timeout=10_000)
            assert view.current_key is not None and list(view.selection) == [view.current_key]
        else:
            assert "no event of the other dataset" in expected
    duck.matching.forget_action.trigger()
    qtbot.waitUntil(lambda: section(duck) == "", timeout=10_000)


@pytest.mark.parametrize(("suffix", "shown"), [(".csv", True), (".parquet", True), (".csv", False)])
def test_an_export_writes_the_memory_windows_pairs(
    qtbot, make_window, two_files, tmp_path, monkeypatch, suffix, shown
):
    """File > Export… with pairs found: the Likely same column shown, both windows add
    match_group and match_score (the memory dialog's default); hidden, with Tools >
    Show > Matched Events Only, neither does. The provenance records the search alike."""
    import json

    from PySide6.QtCore import Qt

    from tests.ui.test_duckdb_window import export_by_key
    from tests.ui.test_export_dialog import export_and_wait, open_dialog, set_path
    from timeline_app.model.matched import MATCH_COLUMN
    from timeline_app.model.provenance import sidecar_path
    from timeline_app.ui.table_header import set_column_visible

    window, duck = open_both(qtbot, make_window, two_files)
    for w in (window, duck):
        set_column_visible(w.state, MATCH_COLUMN, shown)
        find(qtbot, w, "alpha", "beta", km=40.0)
        if not shown:
            w.matching.mode_actions["matched"].trigger()
    view = duck.state.source_view
    qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
    memory_out, duck_out = tmp_path / f"memory{suffix}", tmp_path / f"duck{suffix}"
    dialog = open_dialog(window, qtbot)
    assert dialog.match_check.isChecked() == shown
    if suffix == ".parquet":
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("parquet"))
    set_path(qtbot, dialog, memory_out)
    export_and_wait(qtbot, dialog)
    export_by_key(qtbot, monkeypatch, duck, duck_out, Qt.Key.Key_E)  # File > Export…

    memory = pd.read_parquet(memory_out) if suffix == ".parquet" else None
    if suffix == ".csv":
        assert duck_out.read_bytes() == memory_out.read_bytes()
        ours = pd.read_csv(duck_out)
    else:
        ours = pd.read_parquet(duck_out)
        assert memory is not None and list(ours.columns) == list(memory.columns)
        for column in memory.columns:
            assert ours[column].astype(str).tolist() == memory[column].astype(str).tolist()
    assert ("match_group" in ours.columns) == ("match_score" in ours.columns) == shown
    paired = ours["match_group"].notna() if shown else None
    if paired is not None:
        assert 0 < paired.sum() < len(ours) and ours["match_score"][paired].notna().all()
    mine, theirs = (json.loads(sidecar_path(p).read_text()) for p in (duck_out, memory_out))
    assert mine["match"] == theirs["match"] and mine["match"]["columns"] == shown
    assert mine["match"]["first"] == "alpha" and mine["match"]["pairs"] > 0
    assert mine["match"]["filter"] == ("" if shown else "matched")
    for key in ("row_count", "filter", "sort", "scope", "command", "command_note"):
        assert mine[key] == theirs[key], key
    assert mine["command"] is None and "Find Likely Same Events" in mine["command_note"]


def test_a_click_on_the_likely_same_header_sorts_as_in_memory(
    qtbot, make_window, two_files, tmp_path, monkeypatch
):
    """The Likely same header clicked (then again: descending) in both windows: the
    same rows in the same order, each pair's two events together; a new search while
    sorted by it orders by the new pairs; an export keeps the order."""
    from PySide6.QtCore import Qt

    from tests.ui.test_duckdb_window import cells, click_header, export_by_key
    from tests.ui.test_export_dialog import export_and_wait, open_dialog, set_path
    from timeline_app.model.matched import MATCH_COLUMN
    from timeline_app.ui.table_header import set_column_visible

    window, duck = open_both(qtbot, make_window, two_files)
    view = duck.state.source_view
    for w in (window, duck):
        set_column_visible(w.state, MATCH_COLUMN, True)
        find(qtbot, w, "alpha", "beta", km=40.0)
    rows = range(len(window.state.visible))

    def same_rows() -> list[list[str]]:
        qtbot.waitUntil(lambda: view.count == len(window.state.visible), timeout=10_000)
        shown = cells(qtbot, duck.sources.table, rows)
        assert shown == cells(qtbot, window.table_view, rows)
        return shown

    for table in (window.table_view, duck.sources.table):
        click_header(qtbot, table, MATCH_COLUMN)
    assert view.sort_keys == [(MATCH_COLUMN, True)] == list(window.state.sort_keys)
    ascending = same_rows()
    numbers = [row[-1].split(" ")[0] for row in ascending if row[-1]]
    assert numbers[:4] == ["1", "1", "2", "2"] and not ascending[-1][-1]
    for table in (window.table_view, duck.sources.table):
        click_header(qtbot, table, MATCH_COLUMN)
    assert view.sort_keys == [(MATCH_COLUMN, False)]
    descending = same_rows()
    assert descending != ascending and descending[0][-1] and not descending[-1][-1]

    for w in (window, duck):  # sorted by the pairs, a new search: the new pairs' order
        find(qtbot, w, "alpha", "beta", km=10.0)
    assert same_rows() != descending

    memory_out, duck_out = tmp_path / "memory.csv", tmp_path / "duck.csv"
    dialog = open_dialog(window, qtbot)
    set_path(qtbot, dialog, memory_out)
    export_and_wait(qtbot, dialog)
    export_by_key(qtbot, monkeypatch, duck, duck_out, Qt.Key.Key_E)
    assert duck_out.read_bytes() == memory_out.read_bytes()

    for w in (window, duck):  # no pairs: every event unknown, in row order
        w.matching.forget_action.trigger()
    assert not any(row[-1] for row in same_rows())


def linked_ids(widget) -> tuple[list[str], list[tuple[str, str]]]:
    """The timeline's matched marks (their diamonds) and the pairs its dashed links
    join, by event id."""
    plot = widget.plot
    mine, a, b = plot.match_layer.pairs_in_view()
    rows = plot.layout().marks_row
    ids = widget.source.table.df["id"].astype(str).to_numpy()
    return sorted(ids[rows[mine]]), sorted(
        tuple(sorted(p)) for p in zip(ids[rows[a]], ids[rows[b]], strict=True)
    )


def test_the_timeline_links_the_memory_windows_pairs(qtbot, make_window, two_files):
    """Lanes by Dataset, zoomed in to marks: the DuckDB timeline marks and links the
    pairs the memory timeline does, follows a new search, and forgets them."""
    from tests.ui.test_duckdb_timeline import answered, duck_timeline, show
    from timeline_app.model.units import NS_PER_S

    window, duck = open_both(qtbot, make_window, two_files)
    widget = duck_timeline(duck)
    for w in (window.timeline, widget):
        w.grouping_box.setCurrentIndex(w.grouping_box.findData("dataset"))
    qtbot.waitUntil(lambda: answered(widget), timeout=10_000)
    a, b = (t / NS_PER_S for t in window.timeline.source.extent_ns())
    mid = (a + b) / 2
    show(qtbot, [window.timeline, widget], mid, mid + 400 * 86_400)
    assert len(widget.plot.layout().marks_x) and linked_ids(widget) == ([], [])
    for w in (window, duck):
        find(qtbot, w, "alpha", "beta", km=40.0)
    shown = linked_ids(window.timeline)
    assert shown[1] and len(shown[0]) >= 2 * len(shown[1])
    assert linked_ids(widget) == shown
    for w in (window, duck):
        find(qtbot, w, "alpha", "beta", km=10.0)
    again = linked_ids(window.timeline)
    assert again != shown and linked_ids(widget) == again
    duck.matching.forget_action.trigger()
    assert linked_ids(widget) == ([], [])


def map_pairs(m) -> tuple[list, list]:
    """The map's haloed events and the pairs its dashed lines join, by place."""
    from timeline_app.ui.map.layers import ViewMapping

    s = m.source
    matched, a, b = m.view.match_links.pairs_in_view(ViewMapping(m.view.vb))

    def place(rows):
        lon, lat = np.round(s.lon[rows], 4).tolist(), np.round(s.lat[rows], 4).tolist()
        return list(zip(lon, lat, strict=True))

    joined = zip(place(a), place(b), strict=True)
    return sorted(place(matched)), sorted(tuple(sorted(p)) for p in joined)


@pytest.mark.usefixtures("every_mouse_move")
def test_the_map_joins_the_memory_windows_pairs(qtbot, make_window, two_files):
    """Around a pair's end whose partner is out of view: the DuckDB map halos and joins
    the pairs the memory map does (the partner read by key), its legend says so; a
    filter leaving out the second dataset's matched events joins none, and forgetting
    the pairs none."""
    from tests.ui.test_duckdb_map import settle

    window, duck = open_both(qtbot, make_window, two_files)
    duck_map = duck.map_dock.widget()
    settle(qtbot, duck_map)
    for w in (window, duck):
        find(qtbot, w, "alpha", "beta", km=60.0)  # the copies moved 0.5° north pair too
    # The top edge halfway between the two ends of the pair farthest apart: its
    # northern end is out of view (and of the points read around it).
    result, s = window.state.match().result, window.map.source
    taken = np.flatnonzero(result.taken)
    a, b = result.a_rows[taken], result.b_rows[taken]
    k = int(np.argmax(np.abs(s.lat[a] - s.lat[b])))
    assert abs(float(s.lat[a[k]] - s.lat[b[k]])) > 0.4
    lon, edge = float(s.lon[a[k]]), float(s.lat[a[k]] + s.lat[b[k]]) / 2
    for m in (window.map, duck_map):
        top = edge
        for _ in range(4):  # the aspect follows the latitude: a few steps
            m.view.set_view(lon - 1.5, top - 3.0, lon + 1.5, top)
            top += edge - m.view.view_bounds()[3]
    settle(qtbot, duck_map)
    assert duck_map.view.view_bounds() == window.map.view.view_bounds()
    assert abs(window.map.view.view_bounds()[3] - edge) < 0.01
    shown = map_pairs(window.map)
    assert shown[1] and map_pairs(duck_map) == shown
    s = duck_map.source
    assert len(s.keys) > len(duck_map.view.events.in_view)  # partners read out of view
    legend = [text for _kind, _colour, text in duck_map.view.legend_entries()]
    assert "likely the same event (dashed: the pair)" in legend
    for w in (window, duck):
        w.matching.mode_actions["no_second"].trigger()
    qtbot.waitUntil(lambda: duck.state.source_view.count == len(window.state.visible))
    settle(qtbot, duck_map)
    assert map_pairs(window.map)[1] == map_pairs(duck_map)[1] == []
    assert not duck_map.view.match_links.any_drawn()
    for w in (window, duck):
        w.matching.mode_actions[""].trigger()
    qtbot.waitUntil(lambda: duck.state.source_view.count == len(window.state.visible))
    settle(qtbot, duck_map)
    assert map_pairs(duck_map) == shown
    duck.matching.forget_action.trigger()
    settle(qtbot, duck_map)
    assert map_pairs(duck_map) == ([], []) and not duck_map.view.match_links.any_drawn()


@pytest.mark.usefixtures("every_mouse_move")
def test_over_a_density_the_map_joins_the_memory_windows_pairs(
    qtbot, make_window, two_files, monkeypatch
):
    """More events in view than the map draws as points: both maps draw the density,
    and the DuckDB map halos and joins the pairs the memory map does over it."""
    from tests.ui.test_duckdb_map import settle
    from timeline_app.ui.map import layers

    monkeypatch.setattr(layers, "POINTS_MAX", 60)
    window, duck = open_both(qtbot, make_window, two_files)
    duck_map = duck.map_dock.widget()
    settle(qtbot, duck_map)
    for w in (window, duck):
        find(qtbot, w, "alpha", "beta", km=40.0)
    for m in (window.map, duck_map):
        m.view.set_view(-6.0, 11.0, 6.0, 19.0)
    settle(qtbot, duck_map)
    assert duck_map.view.view_bounds() == window.map.view.view_bounds()
    assert duck_map.source.dense and window.map.view.events.dense
    shown = map_pairs(window.map)
    assert len(shown[1]) > 5 and map_pairs(duck_map) == shown
    duck.matching.forget_action.trigger()
    settle(qtbot, duck_map)
    assert map_pairs(duck_map) == ([], []) and duck_map.source.dense


def test_the_map_legend_names_the_pairs_as_the_memory_maps_does(qtbot, make_window, two_files):
    """The legend's pair entry follows the pairs under the filter, not the points read
    for the view: shown on a view far from every event as in memory, gone when the
    filter leaves no pair with both ends, and when the pairs are forgotten."""
    from tests.ui.test_duckdb_map import settle

    pair = "likely the same event (dashed: the pair)"
    window, duck = open_both(qtbot, make_window, two_files)
    duck_map = duck.map_dock.widget()
    settle(qtbot, duck_map)

    def legends() -> list[list[str]]:
        settle(qtbot, duck_map)
        return [[t for _k, _c, t in m.view.legend_entries()] for m in (window.map, duck_map)]

    for w in (window, duck):
        find(qtbot, w, "alpha", "beta", km=40.0)
    for m in (window.map, duck_map):
        m.view.set_view(100.0, -40.0, 103.0, -37.0)  # the sea south of Australia
    settle(qtbot, duck_map)
    assert not len(duck_map.source.keys)  # no point read in view, nor any partner
    qtbot.waitUntil(lambda: pair in legends()[1], timeout=10_000)
    memory, ours = legends()
    assert pair in memory and ours == memory
    for w in (window, duck):
        w.matching.mode_actions["no_second"].trigger()  # no pair keeps both ends
    qtbot.waitUntil(lambda: duck.state.source_view.count == len(window.state.visible))
    qtbot.waitUntil(lambda: pair not in legends()[1], timeout=10_000)
    memory, ours = legends()
    assert pair not in memory and ours == memory
    for w in (window, duck):
        w.matching.mode_actions[""].trigger()
        w.matching.forget_action.trigger()
    memory, ours = legends()
    assert pair not in memory and ours == memory
