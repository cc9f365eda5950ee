"""Tools > Find Likely Same Events…: the published rule between two open datasets, run
on the one worker helper with progress and Cancel; and the Tools menu's actor and
matched-event choices (each one a field of the filter spec in the app state)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from timeline_app.model.actor_store import activate_user_entries
from timeline_app.model.events import EventTable
from timeline_app.model.matching import (
    DEFAULT_DAYS,
    DEFAULT_KM,
    MatchResult,
    MatchRule,
    match_datasets,
)
from timeline_app.model.state import AppState
from timeline_app.model.units import EARTH_RADIUS_KM
from timeline_app.ui.actions import by_id
from timeline_app.ui.actor_dictionary_dialog import ActorDictionaryDialog
from timeline_app.ui.actor_groups_dialog import ActorGroupsDialog
from timeline_app.ui.formatting import count
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP
from timeline_app.ui.match_view import counterpart_html
from timeline_app.ui.workers import Control, Job, JobError

if TYPE_CHECKING:
    from timeline_app.storage.duck.matching import SourceMatch
    from timeline_app.ui.main_window import MainWindow


def _find(
    control: Control, table: EventTable, first: str, second: str, rule: MatchRule
) -> MatchResult:
    return match_datasets(table, first, second, rule, control.progress, control.cancelled)


def _find_source(
    control: Control, source: Any, first: str, second: str, rule: MatchRule
) -> SourceMatch:
    from timeline_app.storage.duck.matching import match_source

    return match_source(source.duck, first, second, rule, control.progress, control.cancelled)


def dataset_names(state: AppState) -> list[str]:
    """The datasets the dialog offers: the open files', or the DuckDB dataset's inputs."""
    source = state.source_view.source
    if source is not None:
        return list(getattr(source, "names", []))
    return [d.name for d in state.table.datasets]


def keep_source_pairs(state: AppState, found: SourceMatch | None) -> None:
    """Keep (None: forget) a DuckDB search's pairs: the engine's ``matched`` filter reads
    their tables, so a filter on them is asked again."""
    source: Any = state.source_view.source
    if source is not None:
        source.duck.pairs = None if found is None else found.tables
    state.source_view.set_match(found)
    if state.spec.matched:
        state.refilter()


def match_job(
    table: EventTable, first: str, second: str, rule: MatchRule, parent: QObject | None = None
) -> Job:
    """The rule between two datasets of ``table`` as a worker job (not started): the
    dialog's search, and a reopened workspace's."""
    return Job(_find, table, first, second, rule, name="match", parent=parent)


def source_match_job(
    source: Any, first: str, second: str, rule: MatchRule, parent: QObject | None = None
) -> Job:
    """The rule between two datasets of a DuckDB ``source`` as a worker job (not
    started): the dialog's search there, and a reopened workspace's."""
    return Job(_find_source, source, first, second, rule, name="match", parent=parent)


#: The rule in words (model/matching.py RULE_TEXT), in the interface's language; a test
#: checks that the English is the model's own text.
RULE_TEMPLATE = QT_TRANSLATE_NOOP(
    "MatchDialog",
    "Two events from different datasets are candidates when both have coordinates, the gap "
    "between their [start, end] spans is at most D days, their great-circle distance is at "
    "most K km (Earth radius {radius} km) and their categories agree. Score = km / K + "
    "days / max(D, 1). Pairs are taken one-to-one, best score first, ties broken by the "
    "first dataset's id and then the second's (compared as text); candidates not taken are "
    "kept as 'also possible'.",
)


def rule_text() -> str:
    return QCoreApplication.translate("MatchDialog", RULE_TEMPLATE).format(radius=EARTH_RADIUS_KM)


class MatchDialog(QDialog):
    """Which datasets, D and K; Find runs the rule and hands the pairs to the state."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Find Likely Same Events"))
        self.setObjectName("matchDialog")
        names = dataset_names(state)
        self.first = QComboBox(self)
        self.second = QComboBox(self)
        for combo, pick in ((self.first, 0), (self.second, 1)):
            combo.addItems(names)
            combo.setCurrentIndex(min(pick, len(names) - 1))
        self.days = QDoubleSpinBox(self)
        self.days.setRange(0, 365)
        self.days.setDecimals(1)
        self.days.setValue(DEFAULT_DAYS)
        self.days.setSuffix(self.tr(" days"))
        self.km = QDoubleSpinBox(self)
        self.km.setRange(0.1, 1000)
        self.km.setDecimals(1)
        self.km.setValue(DEFAULT_KM)
        self.km.setSuffix(" km")
        rule = QLabel(rule_text(), self)
        rule.setWordWrap(True)
        self.status = QLabel("", self)
        self.status.setObjectName("matchStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName(self.tr("Matching progress"))
        self.progress.hide()
        self.buttons = QDialogButtonBox(self)
        self.find_button = self.buttons.addButton(
            self.tr("Find"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.find_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        form = QFormLayout()
        form.addRow(self.tr("First dataset"), self.first)
        form.addRow(self.tr("Second dataset"), self.second)
        form.addRow(self.tr("At most (D)"), self.days)
        form.addRow(self.tr("Within (K)"), self.km)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(rule)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.find_button.setEnabled(len(names) >= 1)

    def start(self) -> Job | None:
        first, second = self.first.currentText(), self.second.currentText()
        if not first or not second:
            return None
        rule = MatchRule(days=self.days.value(), km=self.km.value(), same_dataset=first == second)
        source = self.state.source_view.source
        if source is not None:  # DuckDB reads the two datasets, the memory matcher pairs them
            self.job = source_match_job(source, first, second, rule, parent=self)
            self.job.returned.connect(self._found_source)
        else:
            self.job = match_job(self.state.table, first, second, rule, parent=self)
            self.job.returned.connect(lambda result: self._found(result, first, second))
        self.job.progress.connect(lambda f: self.progress.setValue(int(f * 1000)))
        self.job.errored.connect(self._failed)
        self.job.cancelled.connect(
            lambda: self.status.setText(self.tr("Cancelled: no pairs kept."))
        )
        self.job.finished.connect(self._done)
        self.progress.setValue(0)
        self.progress.show()
        self.find_button.setEnabled(False)
        self.status.setText(self.tr("Finding likely-same events…"))
        self.job.start()
        return self.job

    def cancel(self) -> None:
        if self.job is not None and self.job.is_running():
            self.job.cancel()
        else:
            self.reject()

    def _found_source(self, found: SourceMatch | None) -> None:
        if found is None:
            return
        keep_source_pairs(self.state, found)
        self._report(found.result, found.first, found.second)

    def _found(self, result: MatchResult, first: str, second: str) -> None:
        if result is None:
            return
        self.state.set_match(result, first, second)
        self._report(result, first, second)

    def _report(self, result: MatchResult, first: str, second: str) -> None:
        pairs = int(result.taken.sum())
        self.status.setText(
            self.tr(
                "{pairs} pairs among {candidates} candidates ({first} against {second})."
            ).format(
                pairs=count(pairs), candidates=count(result.candidates), first=first, second=second
            )
        )
        self.accept()

    def _failed(self, error: JobError) -> None:
        self.status.setText(self.tr("Matching failed: {reason}").format(reason=error.message))

    def _done(self) -> None:
        self.progress.hide()
        self.find_button.setEnabled(True)


class MatchController:
    """The Tools menu: Find Likely Same Events…, which events to show, and how actors
    match (all of them fields of the filter spec, so undo and workspaces keep them)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.state = window.state
        self.dialog: MatchDialog | None = None
        self.dictionary: ActorDictionaryDialog | None = None
        self.groups: ActorGroupsDialog | None = None
        activate_user_entries()  # the user's own entries, beside the shipped ones
        window.detail.sections.append(lambda row: counterpart_html(self.state, row))

    def bind_actions(self, actions: Mapping[str, QAction]) -> None:
        """The Tools rows of ui/actions.py, checked and enabled as the state says."""
        self.find_action = actions["tools.find_same"]
        self.forget_action = actions["tools.forget_pairs"]
        self.mode_actions = {
            str(by_id(i).args[0]): a for i, a in actions.items() if i.startswith("tools.show.")
        }
        self.aliases_action = actions["tools.actor_aliases"]
        self.uncertain_action = actions["tools.uncertain_actors"]
        self.state.filter_changed.connect(lambda _spec: self.sync())
        self.state.match_changed.connect(self.sync)
        self.state.table_changed.connect(self.sync)
        self.state.source_view.source_changed.connect(self.sync)
        self.state.source_view.match_changed.connect(self.sync)
        self.sync()

    def show_dialog(self) -> MatchDialog:
        self.dialog = MatchDialog(self.state, self.window)
        self.dialog.finished.connect(self._report)
        self.dialog.open()
        return self.dialog

    def _report(self, _code: int) -> None:
        if self.dialog is not None and self.dialog.status.text():
            self.window.statusBar().showMessage(self.dialog.status.text(), 10_000)

    def show_dictionary(self) -> ActorDictionaryDialog:
        self.dictionary = ActorDictionaryDialog(self.state, self.window)
        self.dictionary.open()
        return self.dictionary

    def show_groups(self) -> ActorGroupsDialog:
        if self.groups is None:
            self.groups = ActorGroupsDialog(self.state, self.window)
        self.groups.show()
        self.groups.raise_()
        return self.groups

    def forget(self) -> None:
        if self.state.source_view.match is not None:
            keep_source_pairs(self.state, None)
        self.state.set_match(None)

    def set_mode(self, mode: str) -> None:
        self.state.set_filter(self.state.spec.with_(matched=mode))

    def set_actor_aliases(self, checked: bool) -> None:
        self.state.set_filter(self.state.spec.with_(actor_aliases=checked))

    def set_include_uncertain(self, checked: bool) -> None:
        self.state.set_filter(self.state.spec.with_(include_uncertain_actors=checked))

    def sync(self) -> None:
        spec = self.state.spec
        found = self.state.match()
        pairs = self.state.source_view.match  # DuckDB's
        self.find_action.setEnabled(bool(dataset_names(self.state)))
        self.forget_action.setEnabled(found is not None or pairs is not None)
        for mode, action in self.mode_actions.items():
            action.setChecked(spec.matched == mode)
            action.setEnabled(
                found is not None or pairs is not None or mode == "" or spec.matched == mode
            )
        if found is not None or pairs is not None:
            second = self.mode_actions["no_second"]
            second.setText(
                QCoreApplication.translate(
                    "MatchDialog", "Leave Out {dataset}'s Matched Events"
                ).format(dataset=(found or pairs).second)
            )
        self.aliases_action.setChecked(spec.actor_aliases)
        self.uncertain_action.setChecked(spec.include_uncertain_actors)
        self.uncertain_action.setEnabled(spec.actor_aliases)
