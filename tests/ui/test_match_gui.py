"""Tools > Find Likely Same Events…: the dialog runs the rule on the worker, the detail
pane shows a matched event beside its counterpart, and the Show menu keeps counts from
doubling."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import UCDP_SAMPLE
from timeline_app.model.filters import FilterSpec


@pytest.fixture
def moved_copy(tmp_path: Path) -> Path:
    """A second dataset: the UCDP sample's first three located events, 3 km north and a
    day later, with tolls of their own (as another dataset would report them)."""
    frame = pd.read_csv(UCDP_SAMPLE, dtype=str, keep_default_na=False).head(3)
    out = pd.DataFrame(
        {
            "id": ["other-" + i for i in frame["id"]],
            "category": "attack",
            "start": pd.to_datetime(frame["date_start"]) + pd.Timedelta(days=1),
            "title": "Reported elsewhere: " + frame["where_coordinates"],
            "actor1": "JNIM: Group for Support of Islam and Muslims",
            "latitude": frame["latitude"].astype(float) + 0.027,
            "longitude": frame["longitude"].astype(float),
            "fatalities": [11, 12, 13],
            "source": "Another dataset",
        }
    )
    out["start"] = out["start"].dt.strftime("%Y-%m-%d")
    path = tmp_path / "other.csv"
    out.to_csv(path, index=False)
    return path


def test_find_likely_same_events_and_see_the_counterpart(make_window, moved_copy, qtbot):
    window = make_window(UCDP_SAMPLE, moved_copy)
    controller = window.matching
    assert [a.text() for a in window.menuBar().actions()].index("&Tools") >= 0
    dialog = controller.show_dialog()
    assert dialog.first.currentText() == "ucdp_ged251_mali_jnim_2023H2"
    assert dialog.second.currentText() == "other"
    with qtbot.waitSignal(window.state.match_changed, timeout=30_000):
        dialog.find_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    found = window.state.match()
    assert found is not None and int(found.result.taken.sum()) == 3
    assert "3 pairs" in window.statusBar().currentMessage()

    # The detail pane of a matched event: both datasets side by side, both tolls.
    row = int(found.result.b_rows[found.result.taken][0])
    window.state.select([row], current=row)
    text = window.detail.text()
    assert "Likely the same as" in text and "Other dataset" in text
    assert "Another dataset" in text and "3.0 km apart" in text
    partner = int(found.result.a_rows[found.result.taken][0])
    ucdp_toll = window.state.table.df["fatalities"].iloc[partner]
    assert f"{ucdp_toll:g}" in text

    # The timeline links the two marks of each pair in view.
    window.state.views.timeline.lane_grouping = "dataset"
    window.timeline.fit_all()
    qtbot.waitUntil(lambda: len(window.timeline.plot.match_layer.pairs_in_view()[1]) == 3)
    marked, _a, _b = window.timeline.plot.match_layer.pairs_in_view()
    assert len(marked) == 6

    # Show: leave out the second dataset's matched events, so nothing is counted twice.
    total = len(window.state.table)
    controller.mode_actions["no_second"].trigger()
    assert window.state.spec.matched == "no_second"
    assert len(window.state.visible) == total - 3
    assert "Leave Out the Second Dataset's Matched Events" in window.filter_panel.chips.labels()
    controller.mode_actions["matched"].trigger()
    assert len(window.state.visible) == 6
    controller.mode_actions[""].trigger()
    assert len(window.state.visible) == total


def test_the_actor_choices_in_the_tools_menu_are_the_filters(make_window):
    window = make_window(UCDP_SAMPLE)
    controller = window.matching
    assert controller.aliases_action.isChecked()
    window.state.set_filter(FilterSpec(actors=("FAMa",)))
    assert len(window.state.visible) == 60  # "Government of Mali" is the Malian army
    controller.aliases_action.trigger()
    assert not window.state.spec.actor_aliases and len(window.state.visible) == 0
    assert not controller.uncertain_action.isEnabled()


def test_a_cancelled_search_keeps_no_pairs(make_window, moved_copy, qtbot):
    window = make_window(UCDP_SAMPLE, moved_copy)
    dialog = window.matching.show_dialog()
    job = dialog.start()
    assert job is not None
    job.cancel()  # whatever it finds after this is dropped
    qtbot.waitUntil(lambda: not job.is_running() and dialog.find_button.isEnabled())
    assert window.state.match() is None
    assert dialog.status.text() == "Cancelled: no pairs kept."
    dialog.reject()


def test_actors_across_datasets_lists_canonical_actors_with_their_spellings(make_window, qtbot):
    from tests.conftest import CONTEXT_CSV

    window = make_window(UCDP_SAMPLE, CONTEXT_CSV)
    dialog = window.matching.show_groups()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() > 0, timeout=20_000)
    tops = {
        dialog.tree.topLevelItem(i).text(0): dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
    }
    jnim = tops["JNIM — Jama'at Nusrat al-Islam wal-Muslimin"]
    spellings = {(jnim.child(i).text(1), jnim.child(i).text(0)) for i in range(jnim.childCount())}
    assert ("ucdp_ged251_mali_jnim_2023H2", "JNIM") in spellings
    assert ("mali_2023_context", "JNIM") in spellings
    assert jnim.text(2) == "66"
    fama = tops["FAMa — Malian Armed Forces"]
    assert {fama.child(i).text(0) for i in range(fama.childCount())} == {
        "Government of Mali",
        "Malian armed forces (FAMa)",
    }
    # Double-click: filter to the actor through all its names; the counts follow.
    dialog.tree.itemDoubleClicked.emit(fama, 0)
    assert window.state.spec.actors == ("FAMa",)
    qtbot.waitUntil(lambda: dialog.status.text().endswith("open datasets."), timeout=20_000)
    dialog.close()


def test_reopening_a_workspace_finds_its_pairs_on_the_worker(
    make_window, moved_copy, qtbot, monkeypatch, tmp_path
):
    import threading

    from timeline_app.model import matching
    from timeline_app.ui.main_window import MainWindow

    window = make_window(UCDP_SAMPLE, moved_copy)
    with qtbot.waitSignal(window.state.match_changed, timeout=30_000):
        window.matching.show_dialog().find_button.click()
    found = window.state.match()
    assert found is not None
    paired = int(found.result.b_rows[found.result.taken][0])
    window.state.set_filter(FilterSpec(matched="matched"))
    window.state.select([paired], current=paired)
    saved = window.workspaces.save_to(tmp_path / "pairs.tlx.json", background=False)

    threads: list[str] = []
    real = matching.match_datasets

    def spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr("timeline_app.ui.match_dialog.match_datasets", spy)
    monkeypatch.setattr("timeline_app.model.workspace_matching.match_datasets", spy)
    again = MainWindow()
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.workspaces.opened, timeout=15_000):
        again.workspaces.open_path(saved)
    job = again.workspaces.match_job
    assert job is not None  # the search was handed to the worker, not run while restoring
    qtbot.waitUntil(lambda: again.state.match() is not None, timeout=30_000)
    assert threads and threading.main_thread().name not in threads
    assert again.state.match() is not None and len(again.state.visible) == 6
    # The selected event, hidden until its pair was found again, is selected again.
    assert list(again.state.selection) == [paired]
    assert "likely-same pairs found again" in again.statusBar().currentMessage()
    again.close()


def test_the_likely_same_column_sorts_pairs_together_and_exports_as_export_match_does(
    make_window, moved_copy, qtbot, tmp_path
):
    from tests.ui.test_export_dialog import export_and_wait, open_dialog, set_path
    from tests.ui.test_table_view import click_header, texts
    from timeline_app.cli import main
    from timeline_app.model.provenance import read_provenance, sidecar_path

    window = make_window(UCDP_SAMPLE, moved_copy)
    view = window.table_view
    menu = view.column_menu()
    assert "Likely same" in [a.text() for a in menu.actions()]  # in the column chooser
    next(a for a in menu.actions() if a.text() == "Likely same").trigger()
    assert view.visible_columns()[-1] == "match_group"
    assert window.state.views.table.columns[-1] == "match_group"  # the view state keeps it
    assert set(texts(view, "match_group")) == {""}  # no search yet: empty
    with qtbot.waitSignal(window.state.match_changed, timeout=30_000):
        window.matching.show_dialog().find_button.click()
    shown = texts(view, "match_group")
    assert sum(bool(t) for t in shown) == 6
    assert any(t.startswith("1 (0.") and t.endswith("↔ other") for t in shown)
    assert any(
        t.startswith("1 (0.") and t.endswith("↔ ucdp_ged251_mali_jnim_2023H2") for t in shown
    )

    click_header(qtbot, view, "match_group")  # sortable: best pair first, pairs together
    assert window.state.sort_keys == [("match_group", True)]
    numbers = [t.split(" ")[0] for t in texts(view, "match_group")]
    assert numbers[:6] == ["1", "1", "2", "2", "3", "3"] and set(numbers[6:]) == {""}

    # Exported with the pairs: the same numbers as `timeline-app export A B --match`.
    dialog = open_dialog(window, qtbot)
    assert dialog.match_check.isEnabled() and dialog.match_check.isChecked()
    out = tmp_path / "window.csv"
    set_path(qtbot, dialog, out)
    export_and_wait(qtbot, dialog)
    cli_out = tmp_path / "cli.csv"
    assert main(["export", str(UCDP_SAMPLE), str(moved_copy), "--match", "-o", str(cli_out)]) == 0
    ours = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("id")
    theirs = pd.read_csv(cli_out, dtype=str, keep_default_na=False).set_index("id")
    assert (ours["match_group"] != "").sum() == 6
    pd.testing.assert_frame_equal(
        ours.loc[theirs.index, ["match_group", "match_score"]],
        theirs[["match_group", "match_score"]],
    )
    record = read_provenance(sidecar_path(out))["match"]
    assert (
        record["days"] == 2
        and record["km"] == 25
        and record["first"] == "ucdp_ged251_mali_jnim_2023H2"
    )
    assert record["pairs"] == 3 and "score" in record and record["columns"]


def test_the_map_joins_the_two_events_of_each_pair_and_the_legend_says_so(
    make_window, moved_copy, qtbot, tmp_path
):
    from timeline_app.ui.map.layers import ViewMapping

    window = make_window(UCDP_SAMPLE, moved_copy)
    view = window.map.view
    texts = lambda: [text for _kind, _colour, text in view.legend_entries()]  # noqa: E731
    assert not any("likely the same" in t for t in texts())
    with qtbot.waitSignal(window.state.match_changed, timeout=30_000):
        window.matching.show_dialog().find_button.click()
    found = window.state.match()
    links = view.match_links
    matched, a, b = links.pairs_in_view(ViewMapping(view.vb))
    assert len(matched) == 6 and len(a) == 3  # each pair once, both ends haloed
    assert {frozenset(p) for p in zip(a.tolist(), b.tolist(), strict=True)} == {
        frozenset((int(x), int(y)))
        for x, y in zip(
            found.result.a_rows[found.result.taken],
            found.result.b_rows[found.result.taken],
            strict=True,
        )
    }
    assert "likely the same event (dashed: the pair)" in texts()
    svg = window.map.export_image(tmp_path / "pairs.svg")
    assert "likely the same event" in svg.read_text(encoding="utf-8")  # the legend drew it
    # Pairs whose second event the filter leaves out are not joined.
    window.matching.mode_actions["no_second"].trigger()
    qtbot.waitUntil(lambda: not links.any_drawn())
    assert not any("likely the same" in t for t in texts())
    assert len(links.pairs_in_view(ViewMapping(view.vb))[1]) == 0


def test_done_when_jnim_typed_once_pairs_side_by_side_and_counts_not_doubled(
    make_window, qtbot, tmp_path
):
    """Issue 14's "done when", as a researcher does it: ACLED and UCDP for Mali open,
    "JNIM" typed once in the actor list, the likely-same pair seen with both tolls, and
    an export that leaves out UCDP's matched event."""
    from tests.model.actor_fixtures import acled_file
    from tests.ui.test_export_dialog import export_and_wait, open_dialog, set_path
    from tests.ui.test_filter_panel import click_facet, wait_counts
    from timeline_app.model.provenance import read_provenance, sidecar_path

    window = make_window(acled_file(tmp_path), UCDP_SAMPLE)
    state, panel = window.state, window.filter_panel
    wait_counts(qtbot, panel)
    qtbot.keyClicks(panel.actors.search, "JNIM")
    click_facet(qtbot, panel.actors, "JNIM")
    datasets = set(state.table.df["dataset"].to_numpy()[state.visible].astype(str))
    assert datasets == {"acled_actors", "ucdp_ged251_mali_jnim_2023H2"}
    assert len(state.visible) == 61  # ACLED's JNIM (MLI1) and UCDP's 60
    panel.clear_all()

    dialog = window.matching.show_dialog()
    assert dialog.first.currentText() == "acled_actors"
    with qtbot.waitSignal(state.match_changed, timeout=30_000):
        dialog.find_button.click()
    found = state.match()
    assert int(found.result.taken.sum()) == 1
    acled_row = state.table.row_of_id("acled_actors", "MLI8")
    state.select([acled_row], current=acled_row)
    text = window.detail.text()
    assert "Likely the same as" in text and "ucdp_ged251_mali_jnim_2023H2 event 491786" in text
    ucdp_row = state.table.row_of_id("ucdp_ged251_mali_jnim_2023H2", "491786")
    ucdp_toll = state.table.df["fatalities"].iloc[ucdp_row]
    assert f"{ucdp_toll:g}" in text and "Invented for a test" in text  # both tolls, sources

    window.matching.mode_actions["no_second"].trigger()
    assert len(state.visible) == len(state.table) - 1
    export = open_dialog(window, qtbot)
    out = tmp_path / "once.csv"
    set_path(qtbot, export, out)
    export_and_wait(qtbot, export)
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(written) == len(state.table) - 1 and "491786" not in set(written["id"])
    assert read_provenance(sidecar_path(out))["match"]["filter"] == "no_second"
