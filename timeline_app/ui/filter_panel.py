"""The filter panel: who, where, what, when, how deadly, and free text.

Every control changes the filter the same way: ``state.set_filter(spec.with_(...))``.
The panel redraws itself from ``state.filter_changed``, so an undo or a workspace
restore updates it too; a guard keeps that redraw from feeding back into the state.
Counts next to each value are computed by timeline_app/model/facets.py (bincounts
over category codes, under the other active filters), after the table has redrawn.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qdebounced, signals_blocked

from timeline_app.model import facets
from timeline_app.model.actor_facet import actor_tree, filter_list_counts, node_of_term
from timeline_app.model.filters import (
    EXACT_ACTOR,
    PREPARE_IN_BACKGROUND_ROWS,
    FilterSpec,
    prepare_filters,
    prepare_in_background,
)
from timeline_app.model.schema import CATEGORIES
from timeline_app.model.spatial import SPATIAL_RESET, spatial_labels
from timeline_app.model.state import AppState, TimeRange
from timeline_app.model.text import fold
from timeline_app.model.units import NAT_NS
from timeline_app.ui.filter_widgets import ChipBar, DateBound, FacetList, RegionTreeView
from timeline_app.ui.filter_widgets.actor_tree import ActorTreeView
from timeline_app.ui.filter_widgets.form import NO_NUMBER, day_of, group_box, qdate, set_number
from timeline_app.ui.formatting import count, format_number
from timeline_app.ui.i18n import QT_TRANSLATE_NOOP, category_label, message
from timeline_app.ui.match_view import match_chips
from timeline_app.ui.workers import Control, JobKind

DEBOUNCE_MS = 250
#: From this many events, the counts are made in a background thread ...
COUNT_THREAD_ROWS = 200_000
#: ... once the filter has rested this long: counting (~10 ms of numpy holding the GIL
#: at times) while the user still clicks would slow each of those changes.
COUNT_DELAY_MS = 150

#: Chip labels of the value fields.
FIELD_LABELS = {
    "actors": QT_TRANSLATE_NOOP("FilterPanel", "Actor"),
    "regions": QT_TRANSLATE_NOOP("FilterPanel", "Region"),
    "categories": QT_TRANSLATE_NOOP("FilterPanel", "Category"),
    "event_types": QT_TRANSLATE_NOOP("FilterPanel", "Type"),
    "sub_event_types": QT_TRANSLATE_NOOP("FilterPanel", "Sub-type"),
    "datasets": QT_TRANSLATE_NOOP("FilterPanel", "Dataset"),
}


class FilterPanel(QWidget):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("filterPanel")
        self.setMinimumWidth(200)  # actor names are long; the dock would start too narrow
        #: Preparing a big table's filter caches; superseded when the table is replaced.
        self.warm_jobs = JobKind("prepare filters")
        #: Counting values under the other filters on a big table; the newest one wins.
        self.count_jobs = JobKind("facet counts", serial=True)
        self._counts_wanted = False  # counts asked for, not started yet
        self._typing = False  # the search box holds text not applied yet
        self._counted: np.ndarray | None = None  # the mask the shown counts were made for
        #: Set while an engine's dataset is shown (ui/source_facets.py): the count line's
        #: text; its lists and counts come from there, not from the (empty) table.
        self.engine_counts: Callable[[], str] | None = None
        self._held: list[weakref.ref] | None = None  # while held: the table to warm, if any

        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("filterCount")
        self.count_label.setAccessibleName(self.tr("Events shown"))
        self.clear_button = QPushButton(self.tr("Clear all"), self)
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.clicked.connect(self.clear_all)
        # The button keeps its whole text; a long count ("12 106 sur 12 106 …") wraps.
        self.clear_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.count_label.setWordWrap(True)
        # Under the search box while a big text search runs in a thread (old rows shown).
        self.busy_label = QLabel(self.tr("Searching…"), self)
        self.busy_label.setObjectName("filterBusy")
        self.busy_label.setAccessibleName(self.tr("Search running"))
        self.busy_label.hide()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.clear_button)
        outer.addLayout(top)

        self.search = QLineEdit(self)
        self.search.setObjectName("filterText")
        self.search.setPlaceholderText(self.tr("Search title, notes, place, source…"))
        self.search.setAccessibleName(self.tr("Search text"))
        self.search.setClearButtonEnabled(True)
        self._apply_text_soon = qdebounced(self._apply_text, timeout=DEBOUNCE_MS)
        self.search.textEdited.connect(self._on_text_edited)
        self.search.textChanged.connect(self._on_text_changed)
        self.search.returnPressed.connect(self._apply_text)
        outer.addWidget(self.search)
        outer.addWidget(self.busy_label)

        self.chips = ChipBar(self)
        outer.addWidget(self.chips)

        body = QWidget()
        form = QVBoxLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        self.actors = ActorTreeView(rows=9)  # canonical actors, their spellings under them
        self.regions = RegionTreeView()
        self.categories = FacetList("categoryFacet", searchable=False, order="given", rows=4)
        self.categories.model.label = category_label  # "attack" reads "attaque" in French
        self.event_types = FacetList("eventTypeFacet", searchable=False, rows=5)
        self.sub_event_types = FacetList("subEventTypeFacet", searchable=True, rows=6)
        self.datasets = FacetList("datasetFacet", searchable=False, order="given", rows=3)
        self._facet_lists = {
            "categories": self.categories,
            "event_types": self.event_types,
            "sub_event_types": self.sub_event_types,
        }
        for field_name, facet in self._facet_lists.items():
            facet.model.toggled.connect(
                lambda name, on, f=field_name: self.toggle_value(f, name, on)
            )
        self.regions.model.toggled.connect(lambda name, on: self.toggle_value("regions", name, on))
        self.actors.model.toggled.connect(self.toggle_actor)
        self.actors.uncertain_toggled.connect(
            lambda on: self.set_spec(self.state.spec.with_(include_uncertain_actors=on))
        )
        # like every other list: nothing ticked is every dataset; ticking keeps those
        self.datasets.model.toggled.connect(lambda n, on: self.toggle_value("datasets", n, on))

        form.addWidget(group_box(self.tr("Actors (any side)"), self.actors))
        form.addWidget(group_box(self.tr("Regions"), self.regions))
        form.addWidget(group_box(self.tr("Category"), self.categories))
        form.addWidget(group_box(self.tr("Event type"), self.event_types))
        form.addWidget(group_box(self.tr("Sub-event type"), self.sub_event_types))
        form.addWidget(group_box(self.tr("Datasets"), self.datasets))
        form.addWidget(self._build_dates())
        form.addWidget(self._build_fatalities())
        form.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("filterScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        # Counts are refreshed once the event loop is back: the table redraws first.
        self._schedule_counts_soon = qdebounced(self._schedule_counts, timeout=0)

        state.table_changed.connect(self._on_table_changed)
        state.filter_changed.connect(self._on_filter_changed)
        state.rows_changed.connect(self._on_rows_changed)
        state.range_changed.connect(self._on_range_changed)
        self._on_table_changed()
        self._on_filter_changed(state.spec)

    # -- construction ----------------------------------------------------------------------------
    def _build_dates(self) -> QGroupBox:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        # a narrow dock puts the labels above the fields rather than cutting the lists
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.date_from = DateBound("dateFrom", self.tr("Events from (inclusive)"), "from")
        self.date_to = DateBound("dateTo", self.tr("Events to (inclusive)"), "to")
        self.date_from.changed.connect(self._apply_dates)
        self.date_to.changed.connect(self._apply_dates)
        form.addRow(self.tr("From"), self.date_from)
        form.addRow(self.tr("To"), self.date_to)
        self.range_label = QLabel(box)
        self.range_label.setObjectName("timelineRange")
        self.use_range = QPushButton(self.tr("Use timeline range"), box)
        self.use_range.setObjectName("useTimelineRange")
        self.use_range.clicked.connect(self.use_timeline_range)
        self.use_range.hide()
        form.addRow(self.range_label)
        form.addRow(self.use_range)
        group = group_box(
            self.tr("Dates (overlap)"), box
        )  # a short title: it sets the lists' width
        group.setToolTip(self.tr("Keeps every event whose start–end overlaps the dates, inclusive"))
        return group

    def _build_fatalities(self) -> QGroupBox:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        # a narrow dock puts the labels above the fields rather than cutting the lists
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.fat_min = _number_edit("fatalitiesMin", self.tr("At least this many fatalities"))
        self.fat_max = _number_edit("fatalitiesMax", self.tr("At most this many fatalities"))
        self.include_unknown = QCheckBox(self.tr("Include unknown"), box)
        self.include_unknown.setObjectName("includeUnknownFatalities")
        self.include_unknown.setToolTip(
            self.tr("Keep events whose number of fatalities is not known")
        )
        self.fat_min.valueChanged.connect(lambda _v: self._apply_fatalities())
        self.fat_max.valueChanged.connect(lambda _v: self._apply_fatalities())
        self.include_unknown.toggled.connect(lambda _v: self._apply_fatalities())
        form.addRow(self.tr("At least"), self.fat_min)
        form.addRow(self.tr("At most"), self.fat_max)
        form.addRow(self.include_unknown)
        return group_box(self.tr("Fatalities"), box)

    # -- user actions -> state -----------------------------------------------------------------------
    def set_spec(self, spec: FilterSpec) -> None:
        self.state.set_filter(spec)

    def show_busy(self, busy: bool) -> None:
        """A big text search runs elsewhere (the rows shown meanwhile are the old ones)."""
        self.busy_label.setVisible(busy)

    def toggle_value(self, field_name: str, name: str, on: bool) -> None:
        values = [v for v in getattr(self.state.spec, field_name) if fold(v) != fold(name)]
        if on:
            values.append(name)
        self.set_spec(self.state.spec.with_(**{field_name: tuple(values)}))

    def toggle_actor(self, term: str, on: bool) -> None:
        """Tick or untick an entry of the actor list (untick: every term that ticks it,
        a canonical actor's full name as well as its short name)."""
        node = node_of_term(self.actors.model.tree, term)
        values = [
            v
            for v in self.state.spec.actors
            if fold(v) != fold(term)
            and (node < 0 or node_of_term(self.actors.model.tree, v) != node)
        ]
        if on:
            values.append(term)
        self.set_spec(self.state.spec.with_(actors=tuple(values)))

    def _on_text_edited(self, _text: str) -> None:
        self._typing = True
        self._apply_text_soon()

    def _apply_text(self) -> None:
        self._apply_text_soon.cancel()
        self._typing = False
        self.set_spec(self.state.spec.with_(text=self.search.text().strip()))

    def _on_text_changed(self, text: str) -> None:
        if not text:  # the clear button applies at once
            self._apply_text()

    def _apply_dates(self) -> None:
        self.set_spec(
            self.state.spec.with_(date_from=self.date_from.value(), date_to=self.date_to.value())
        )

    def _apply_fatalities(self) -> None:
        low, high = self.fat_min.value(), self.fat_max.value()
        self.set_spec(
            self.state.spec.with_(
                fatalities_min=None if low == NO_NUMBER else float(low),
                fatalities_max=None if high == NO_NUMBER else float(high),
                include_unknown_fatalities=self.include_unknown.isChecked(),
            )
        )

    def clear_all(self) -> None:
        self._apply_text_soon.cancel()
        self._typing = False
        self.set_spec(FilterSpec())

    def _on_range_changed(self, time_range: TimeRange | None) -> None:
        """The timeline's selected range is offered as the dates (one click applies it).

        The range is a selection, not a filter: the filter's dates change only when the
        user asks. The other way round is automatic: the timeline selects the range of
        the filter's dates.
        """
        self._show_range(time_range)

    def _show_range(self, time_range: TimeRange | None) -> None:
        spec = self.state.spec
        if time_range is None:
            self.range_label.setText("")
            self.use_range.hide()
            return
        first, last = day_of(time_range.start_ns), day_of(time_range.end_ns)
        self.range_label.setText(
            self.tr("Timeline range: {first} – {last}").format(
                first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}"
            )
        )
        self.use_range.setVisible((spec.date_from, spec.date_to) != (first, last))

    def use_timeline_range(self) -> None:
        time_range = self.state.range
        if time_range is not None:
            self.set_spec(
                self.state.spec.with_(
                    date_from=day_of(time_range.start_ns), date_to=day_of(time_range.end_ns)
                )
            )

    # -- state -> panel -----------------------------------------------------------------------------
    def _on_table_changed(self) -> None:
        self.warm_jobs.supersede()  # their table is no longer shown: let it go
        table = self.state.table
        self.show_lists(table)
        self._warm(table)
        self._counts_later(0)

    def show_lists(self, table, region_tree=None) -> None:
        """The lists' values from ``table``: the one in memory, or an engine's table of
        distinct values (storage/duck/facets.py) with its region tree."""
        with signals_blocked(*self._inputs()):  # showing the state is no user change
            if region_tree is not None:  # the actor tree comes with the counts
                self.actors.model.set_tree(None)
                self.regions.model.set_tree(region_tree)
            elif len(table) >= COUNT_THREAD_ROWS:
                # Counted in a thread that builds the actor and place indexes anyway, and
                # the lists show nothing before their counts: take them from it then,
                # rather than building them on this thread while the table opens.
                aliases = self.state.spec.actor_aliases
                self.actors.model.set_tree_later(lambda t=table, a=aliases: actor_tree(t, a))
                self.regions.model.set_tree_later(lambda table=table: facets.region_tree(table))
            else:
                self.actors.model.set_tree(actor_tree(table, self.state.spec.actor_aliases))
                self.regions.model.set_tree(facets.region_tree(table))
            df = table.df
            cats = [str(c) for c in df["category"].cat.categories]
            ordered = [c for c in CATEGORIES if c in cats] + [
                c for c in cats if c not in CATEGORIES
            ]
            self._category_order = [cats.index(c) for c in ordered]
            self.categories.model.set_names(ordered)
            self.event_types.model.set_names([str(c) for c in df["event_type"].cat.categories])
            self.sub_event_types.model.set_names(
                [str(c) for c in df["sub_event_type"].cat.categories]
            )
            self.datasets.model.set_names([str(c) for c in df["dataset"].cat.categories])
            # The calendars open at the data's first and last months.
            known = table.start_ns != NAT_NS
            if known.any():
                first = int(table.start_ns[known].min())
                last = max(int(table.end_ns[known].max()), first)
                self.date_from.set_data_day(qdate(first))
                self.date_to.set_data_day(qdate(last))
        self._on_filter_changed(self.state.spec)  # the new lists show the current checks

    def _warm(self, table) -> None:
        """Prepare the filter's caches (folded names, counts) so that the first filter is
        as quick as the next: at once for a small table, else in a thread started once the
        new table is painted (on two cores, it slowed the first paint of a big file)."""
        if len(table) < PREPARE_IN_BACKGROUND_ROWS:
            prepare_filters(table)
            return
        ref = weakref.ref(table)
        QTimer.singleShot(0, self, lambda: self._start_warmer_if_shown(ref))

    def hold_background(self, held: bool) -> None:
        """No thread (counts, preparing) starts while held: the window's, while a file's
        views first paint it (the threads' Python held the GIL: those paints took 2-3x)."""
        kept, self._held = self._held, [] if held else None
        for ref in kept or ():
            self._start_warmer_if_shown(ref)
        if not held and kept is not None and self._counts_wanted:
            self._schedule_counts_soon()

    def _start_warmer_if_shown(self, ref: weakref.ref) -> None:
        table = ref()
        if self._held is not None:
            self._held[:] = [ref]
        elif table is not None and table is self.state.table:
            self._start_warmer(table)

    def _start_warmer(self, table) -> None:
        """Prepare ``table`` in a thread that holds it only weakly and stops when the
        table is replaced (a closed file's memory is not kept by its preparation)."""
        self.warm_jobs.start(_prepare, weakref.ref(table), parent=self)

    def _on_rows_changed(self) -> None:
        if self.engine_counts is not None:
            self.count_label.setText(self.engine_counts())
            return
        shown, total = len(self.state.visible), len(self.state.table)
        self.count_label.setText(
            self.tr("{shown} of {total} events").format(shown=count(shown), total=count(total))
        )
        if self.state.mask is not self._counted:  # a sort alone changes no count
            big = len(self.state.table) >= COUNT_THREAD_ROWS
            self._counts_later(COUNT_DELAY_MS if big else 0)

    def _counts_later(self, delay_ms: int) -> None:
        self._counts_wanted = True
        self._schedule_counts_soon.setTimeout(delay_ms)
        self._schedule_counts_soon()

    def _inputs(self) -> tuple[QWidget, ...]:
        """The controls whose change signals set the filter."""
        return (
            self.search,
            self.date_from,
            self.date_to,
            self.fat_min,
            self.fat_max,
            self.include_unknown,
        )

    def _on_filter_changed(self, spec: FilterSpec) -> None:
        with signals_blocked(*self._inputs()):  # showing the state is no user change
            for field_name, facet in self._facet_lists.items():
                facet.model.set_checked(getattr(spec, field_name))
            self.actors.model.set_checked(spec.actors)
            self.actors.uncertain.setChecked(spec.include_uncertain_actors)
            self.actors.uncertain.setEnabled(spec.actor_aliases)
            if self.regions.model.set_checked(spec.regions):
                self.regions.refresh()
                self.regions.reveal_checked()
            self._show_datasets(spec)
            if not self._typing and self.search.text().strip() != spec.text:
                self.search.setText(spec.text)  # not while the user is typing
            self.date_from.set_value(spec.date_from)
            self.date_to.set_value(spec.date_to)
            set_number(self.fat_min, spec.fatalities_min)
            set_number(self.fat_max, spec.fatalities_max)
            self.include_unknown.setChecked(spec.include_unknown_fatalities)
            self.chips.set_chips(self._chips(spec))
            self.clear_button.setEnabled(not spec.is_empty())
            self._show_range(self.state.range)
        self._on_rows_changed()

    def _show_datasets(self, spec: FilterSpec) -> None:
        self.datasets.model.set_checked(spec.datasets)

    def refresh_counts(self) -> None:
        """Counts per value under the other active filters, now, on this thread."""
        self._counts_wanted = False
        self._schedule_counts_soon.cancel()
        table, spec, mask = self.state.table, self.state.spec, self.state.mask
        if len(mask) != len(table) or self.engine_counts is not None:
            return
        self._counted = mask
        self.count_jobs.supersede()  # a count still running is for other rows
        self.apply_counts(filter_list_counts(table, spec, mask))

    def _schedule_counts(self) -> None:
        """Counts after a change: on a big table in a thread (tens of ms of numpy at 1M
        rows), delivered only if the rows are still the same."""
        table, spec, mask = self.state.table, self.state.spec, self.state.mask
        if len(table) < COUNT_THREAD_ROWS:
            self.refresh_counts()
            return
        if self._held is not None:  # counted once let go (still wanted meanwhile)
            return
        self._counts_wanted = False
        if len(mask) != len(table) or self.engine_counts is not None:
            return
        self._counted = mask
        job = self.count_jobs.start(_count, table, spec, mask, parent=self)
        job.returned.connect(lambda counts, m=mask: self._on_counts_ready(m, counts))

    def _on_counts_ready(self, mask: np.ndarray, counts: dict) -> None:
        if mask is self.state.mask:  # (a newer count's job would have made this one stale)
            self.apply_counts(counts)

    def counts_pending(self) -> bool:
        """Counts are asked for and not started yet."""
        return self._counts_wanted

    def counts_settled(self) -> bool:
        """No count asked for or running, nor its result on its way."""
        return not self._counts_wanted and not self.count_jobs.busy()

    def wait_for_counts(self, timeout: float = 30.0) -> None:
        """Block until background counting has ended (tests, benchmarks)."""
        self.count_jobs.wait(int(timeout * 1000))

    def apply_counts(self, counts: dict[str, np.ndarray]) -> None:
        for field_name, facet in self._facet_lists.items():
            values = counts[field_name]
            if field_name == "categories":
                values = values[self._category_order]
            facet.model.set_counts(values)
        self.datasets.model.set_counts(counts["datasets"])
        tree, actor_counts = counts["actors"]
        self.actors.model.set_counts(actor_counts, tree)
        if self.regions.model.set_counts(counts["regions"]):
            self.regions.refresh()
            self.regions.reveal_checked()

    def _chips(self, spec: FilterSpec) -> list:
        chips = []
        for field_name, label in FIELD_LABELS.items():
            shown = category_label if field_name == "categories" else str
            for value in getattr(spec, field_name):
                chips.append(
                    (
                        self.tr("{field}: {value}").format(
                            field=self.tr(label), value=shown(_chip_value(field_name, value))
                        ),
                        lambda f=field_name, v=value: self.toggle_value(f, v, False),
                    )
                )
        if spec.date_from is not None:
            chips.append(
                (
                    self.tr("From {date}").format(date=f"{spec.date_from:%Y-%m-%d}"),
                    lambda: self._drop(date_from=None),
                )
            )
        if spec.date_to is not None:
            chips.append(
                (
                    self.tr("To {date}").format(date=f"{spec.date_to:%Y-%m-%d}"),
                    lambda: self._drop(date_to=None),
                )
            )
        if spec.fatalities_min is not None:
            chips.append(
                (
                    self.tr("Fatalities ≥ {n}").format(n=format_number(spec.fatalities_min)),
                    lambda: self._drop(fatalities_min=None),
                )
            )
        if spec.fatalities_max is not None:
            chips.append(
                (
                    self.tr("Fatalities ≤ {n}").format(n=format_number(spec.fatalities_max)),
                    lambda: self._drop(fatalities_max=None),
                )
            )
        if not spec.include_unknown_fatalities:
            chips.append(
                (
                    self.tr("Known fatalities only"),
                    lambda: self._drop(include_unknown_fatalities=True),
                )
            )
        if spec.text:
            chips.append(
                (self.tr("Text: “{text}”").format(text=spec.text), lambda: self._drop(text=""))
            )
        for field_name, label in spatial_labels(spec):  # drawn on the map (ui/map)
            chips.append((message(label), lambda f=field_name: self._drop(**SPATIAL_RESET[f])))
        for label, reset in match_chips(spec):  # likely-same events, actor aliases
            chips.append((label, lambda r=reset: self._drop(**r)))
        return chips

    def _drop(self, **changes) -> None:
        self.set_spec(self.state.spec.with_(**changes))


def _count(_control: Control, table, spec: FilterSpec, mask: np.ndarray) -> dict:
    return filter_list_counts(table, spec, mask)


def _prepare(control: Control, table_ref: weakref.ref) -> bool:
    return prepare_in_background(table_ref, control.cancelled)


# -- small helpers ------------------------------------------------------------------------------------
def _chip_value(field_name: str, value: str) -> str:
    """An actor's "=NAME" (that spelling only, from the actor list) reads as such."""
    if field_name == "actors" and value.startswith(EXACT_ACTOR):
        return f"{value[len(EXACT_ACTOR) :]} (this spelling)"
    return value


def _number_edit(name: str, description: str) -> QSpinBox:
    edit = QSpinBox()
    edit.setObjectName(name)
    edit.setAccessibleName(description)
    any_text = QCoreApplication.translate("FilterPanel", "any")
    edit.setToolTip(
        QCoreApplication.translate("FilterPanel", "{what}; “{any}” leaves this side open").format(
            what=description, any=any_text
        )
    )
    edit.setRange(NO_NUMBER, 10_000_000)
    edit.setSpecialValueText(any_text)
    edit.setValue(NO_NUMBER)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit
