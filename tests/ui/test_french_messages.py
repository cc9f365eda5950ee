"""What the Qt-free layers say (model/messages.py) reads French in the French interface:
an import report's reasons and notes, a refusal, the spatial chips, the before-and-after
caveat and table; the model itself (and so the CLI) keeps the English text. The Trends
chart's dates are the timeline's (one axis), French in French."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from tests.conftest import CONTEXT_CSV
from timeline_app.model.filters import FilterSpec
from timeline_app.model.messages import N_, Message
from timeline_app.model.trends import day_ns


def test_a_message_is_its_english_text_and_keeps_its_template():
    note = N_("{name}: the file is empty (0 bytes)", name="a.csv")
    assert note == "a.csv: the file is empty (0 bytes)" and isinstance(note, str)
    assert note.template == "{name}: the file is empty (0 bytes)"
    copy = pickle.loads(pickle.dumps(note))  # through a worker process or a cache
    assert isinstance(copy, Message) and copy.params == {"name": "a.csv"}


def test_every_marked_template_is_in_the_ts():
    from tools import translations

    marked = translations.marked_messages()
    assert "unparseable date" in marked and "Inside {area}" in marked
    ts = translations.messages(translations.ts_path("fr"))
    assert all(("Messages", m) in ts for m in marked)


def test_in_french_the_import_report_gives_the_rejected_rows_reasons_in_french(
    make_window, french, tmp_path
):
    lines = CONTEXT_CSV.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    start = header.index("start")
    bad = lines[1].split(",")
    bad[0], bad[start] = "bad-1", "sometime in 2023"
    path = tmp_path / "rejects.csv"
    path.write_text("\n".join([*lines, ",".join(bad)]) + "\n", encoding="utf-8")
    window = make_window(path)
    dataset = window.state.table.datasets[0]
    assert dataset.report.rows_rejected == 1
    assert dataset.report.rejected_samples[0].reason == "unparseable date"  # the model's
    dialog = window.show_report(dataset)
    text = dialog.browser.toPlainText()
    assert "date illisible : 1" in text or "date illisible: 1" in text, text
    assert "unparseable" not in text
    dialog.close()


def test_in_french_a_refusal_reads_french(french, tmp_path):
    from timeline_app.formats.registry import FormatError, load
    from timeline_app.ui.i18n import error_message

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(FormatError) as caught:
        load(empty)
    assert str(caught.value) == "empty.csv: the file is empty (0 bytes)"  # the CLI's
    assert error_message(caught.value) == "empty.csv : le fichier est vide (0 octet)"
    with pytest.raises(FormatError) as caught:  # a recent file moved away
        load(tmp_path / "gone.csv")
    assert error_message(caught.value).endswith("gone.csv : fichier introuvable")


def test_in_french_a_spatial_chip_reads_french(make_window, french):
    window = make_window(CONTEXT_CSV)
    window.state.set_filter(FilterSpec(near=(16.77, -3.01, 100.0)))
    assert window.filter_panel.chips.labels() == ["À moins de 100 km de 16.77°N 3.01°O"]
    window.state.set_filter(FilterSpec(bbox=(-5.0, 14.0, 1.0, 18.0)))
    assert window.filter_panel.chips.labels() == ["Rectangle 14.00°N–18.00°N, 5.00°O–1.00°E"]


def test_in_french_the_compare_dialog_caveat_and_table_are_french(make_window, french, qtbot):
    window = make_window(CONTEXT_CSV)
    dialog = window.comparing.open_compare(day_ns("2023-08-13"))
    qtbot.waitUntil(lambda: dialog.comparison is not None)
    QApplication.processEvents()
    shown = dialog.table_label.text()
    assert "pas une estimation causale" in shown, shown
    assert "not a causal estimate" not in shown
    assert "morts connus" in shown and "known fatalities" not in shown
    # The chart beside it (the figure the dialog exports) speaks French too.
    assert dialog.chart.text.title == "12 semaines avant et après le 13 août 2023"
    assert dialog.chart.text.subtitle == "Tous les lieux"
    dialog.close()


def test_the_command_lines_chart_text_stays_english():
    from timeline_app.figures.compare_files import chart_text
    from timeline_app.formats.registry import load
    from timeline_app.model.events import EventTable
    from timeline_app.model.filters import filter_mask
    from timeline_app.model.trends import compare
    from timeline_app.model.trends.report import CompareChoice

    table = EventTable([load(CONTEXT_CSV)])
    spec = FilterSpec()
    result = compare(table, filter_mask(table, spec), day_ns("2023-08-13"), 12)
    choice = CompareChoice(Path("chart.png"), spec, result.at_ns, 12, None, "chart", "")
    text = chart_text(table.datasets, choice, result)
    assert text.title == "12 weeks before and after 13 August 2023"
    assert text.subtitle == "All places"


def test_in_french_the_trends_chart_names_the_months_in_french(make_window, french, qtbot):
    from tests.ui.test_trends_gui import show_trends
    from timeline_app.ui.timeline.axis import DateAxis

    window = make_window(CONTEXT_CSV)
    trends = show_trends(window, qtbot)
    qtbot.waitUntil(lambda: trends.series is not None and bool(trends.chart.plots))
    axis = trends.chart.plots[-1].getAxis("bottom")
    assert type(axis) is type(window.timeline.plot.getAxis("bottom")) is DateAxis
    sept = float(np.datetime64("2023-09-01", "s").astype("int64"))
    values = axis.tickValues(sept, sept + 120 * 86400, 600)
    labels = axis.tickStrings(values[0][1], 1, values[0][0])
    # 1 September's label would be cut by the axis's end (pyqtgraph leaves it out): the
    # year goes on the first one drawn
    assert labels == ["", "oct. 2023", "nov.", "déc."], labels
    assert not any("Sep" in text or "Oct" in text for text in labels)


def test_in_french_the_import_reports_notes_are_french(french, tmp_path):
    from tests.conftest import UCDP_SAMPLE
    from timeline_app.formats.registry import load
    from timeline_app.ui.import_report import report_html

    path = tmp_path / "ucdp_cp1252.csv"  # its accents in Windows-1252: a note says so
    path.write_bytes(UCDP_SAMPLE.read_text(encoding="utf-8").encode("cp1252", "replace"))
    dataset = load(path)
    note = "decoded as Windows-1252 (the file is not valid UTF-8)"
    assert note in dataset.report.warnings  # the model's (and the command line's)
    shown = report_html(dataset)
    assert "décodé en Windows-1252" in shown and "decoded as" not in shown


def test_in_french_a_bad_boundary_file_and_the_about_boxs_attribution_read_french(french, tmp_path):
    from timeline_app.model.boundaries import ATTRIBUTION, BoundaryError, read_layer
    from timeline_app.ui.i18n import error_message, message

    bad = tmp_path / "areas.geojson"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(BoundaryError) as caught:
        read_layer(bad)
    assert error_message(caught.value) == f"{bad} : pas une FeatureCollection GeoJSON"
    assert message(ATTRIBUTION).startswith("Frontières : Natural Earth")


def test_in_french_a_workspace_and_an_export_refusal_read_french(french, tmp_path):
    from timeline_app.formats.registry import load
    from timeline_app.model.events import EventTable
    from timeline_app.model.export import ExportError, export_rows
    from timeline_app.model.workspace import WorkspaceError, load_workspace
    from timeline_app.ui.i18n import error_message

    with pytest.raises(WorkspaceError) as caught:
        load_workspace(tmp_path / "gone.tlx.json")
    assert "gone.tlx.json: no such workspace file" in str(caught.value)  # the CLI's
    assert error_message(caught.value).endswith(
        "gone.tlx.json : fichier d'espace de travail introuvable"
    )
    bad = tmp_path / "bad.tlx.json"
    bad.write_text("[1]", encoding="utf-8")
    with pytest.raises(WorkspaceError) as caught:
        load_workspace(bad)
    assert error_message(caught.value) == (
        "bad.tlx.json : pas un espace de travail (un objet JSON attendu)"
    )
    with pytest.raises(ExportError) as caught:
        table = EventTable([load(CONTEXT_CSV)])
        export_rows(table, np.arange(3), tmp_path / "nowhere" / "out.csv")
    assert "le dossier" in error_message(caught.value) and "n'existe pas" in error_message(
        caught.value
    )


def test_in_french_the_outer_rings_refusal_and_a_spellings_tip_read_french(french):
    from timeline_app.formats.registry import load
    from timeline_app.model.events import EventTable
    from timeline_app.model.trends import outer_ring_mask
    from timeline_app.ui.i18n import error_message, message

    table = EventTable([load(CONTEXT_CSV)])
    with pytest.raises(ValueError) as caught:
        outer_ring_mask(table, FilterSpec(near=(16.27, -0.04, 100.0)), 50.0)
    assert "must be wider than 100 km" in str(caught.value)  # the CLI's
    assert error_message(caught.value) == (
        "l'anneau extérieur (50 km) doit être plus large que 100 km"
    )
    tip = N_("uncertain attribution: {name} (as the source wrote it)", name="JNIM and/or IS")
    assert message(tip) == "attribution incertaine : JNIM and/or IS (tel que la source l'écrit)"
