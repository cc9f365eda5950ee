"""The out-of-core figures (issue 16): DuckDB over a generated Parquet dataset of 10M
events, in a process of its own so that its peak memory is its own.

The dataset is written in ``timeline-app convert``'s layout (rows by month of start,
then country and admin1, then start; row groups of ROW_GROUP_ROWS), generated in that
order by DuckDB itself (no sort needed), with notes drawn from a pool of 2,000 texts of
200-600 characters so the file stays a few hundred MB. It is cached in .bench-cache/.

Figures (medians over repeats, after one warm-up of each filter):
- ``ooc_open_s``: opening the dataset (the engine, its view) to its count and first
  table page, by date;
- ``ooc_filter_ms``: Mali and JNIM (through the actor dictionary), then Niger and IS
  Sahel over 2016-2019, alternately: the count and the first table page;
- ``ooc_timeline_redraw_ms``: what the timeline asks the engine after a filter change,
  viewing the whole data (storage/duck/timeline.py: the filter's counts per category
  lane and day, binned for the view, and the marks' events where a lane has few); the
  counts of these filters of lists and dates come from the day index the Filters dock's
  worker makes once after its cube (storage/duck/day_index.py, diagnostic
  ``ooc_timeline_index_s``; the counter shared with the dock's, as in the window); a
  zoom or pan under the same filter only sums those counts (diagnostic
  ``ooc_timeline_zoom_ms``, a year down to a day);
- ``ooc_map_redraw_ms``: the Map dock's data for a Sahel view, all events then Mali and
  JNIM: its points, or past 20,000 (the memory map's POINTS_MAX) the events per density
  cell (the queries a settled pan or zoom asks for, the filter's summary known; not the
  paint; per filter ``ooc_map_by_filter_ms``, the summary ``ooc_map_summary_ms``);
- ``ooc_facet_counts_ms``: the Filters dock's lists after a filter change, the two
  filters alternately: the counts of every list's values under the other filters
  (storage/duck/facets.py, the job the dock runs in its worker; the lists' values
  made once at open, diagnostic ``ooc_facet_table_s``, then the cube that counts a
  filter of lists without reading the events, ``ooc_facet_cube_s``, both before the
  timeline's figure; the filter with dates scans them; per filter
  ``ooc_facet_counts_by_filter_ms``; not the paint);
- ``ooc_table_page_ms``: the next page of 200 rows by keyset, deep in the filtered rows
  and deep in all rows (the larger median is reported), of the columns the Events
  table reads on a fresh start (its default columns: :func:`table_columns`; pages of
  every canonical column are diagnostic ``ooc_page_every_column_ms``); the open's
  and the filters' first pages too;
- ``ooc_export_1m_s``: a year of events (about a million rows) to CSV, sorted by date
  (storage/duck/export.py: DuckDB sorts the parts, Arrow writes them);
- ``ooc_peak_rss_bytes``: the child process's own peak resident memory (VmHWM: the
  engine's whole process, every thread, DuckDB's memory included; DuckDB's limit 1 GB;
  no window: the engine alone).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

KEYS = (
    "ooc_events",
    "ooc_open_s",
    "ooc_filter_ms",
    "ooc_timeline_redraw_ms",
    "ooc_map_redraw_ms",
    "ooc_facet_counts_ms",
    "ooc_table_page_ms",
    "ooc_export_1m_s",
    "ooc_peak_rss_bytes",
)
DEFAULT_EVENTS = 10_000_000
OOC_VERSION = 1
MONTHS = 120  # 2014-2023
MEMORY_LIMIT = "1GB"

COUNTRIES = {
    "Mali": ["Gao", "Kayes", "Kidal", "Koulikoro", "Mopti", "Ménaka", "Ségou", "Tombouctou"],
    "Burkina Faso": ["Boucle du Mouhoun", "Centre-Nord", "Est", "Nord", "Sahel"],
    "Niger": ["Agadez", "Diffa", "Dosso", "Maradi", "Niamey", "Tahoua", "Tillabéri", "Zinder"],
    "Nigeria": ["Borno", "Kaduna", "Katsina", "Lagos", "Yobe", "Zamfara"],
    "Chad": ["Lac", "N'Djamena", "Ouaddaï"],
    "Sudan": ["Darfur", "Khartoum", "Kordofan"],
    "Somalia": ["Banadir", "Lower Shabelle", "Bay"],
    "Mozambique": ["Cabo Delgado", "Niassa"],
    "Cameroon": ["Far North", "Northwest", "Southwest"],
    "Libya": ["Tripoli", "Benghazi", "Fezzan"],
}
CENTRES = {
    "Mali": (17.0, -2.0),
    "Burkina Faso": (12.5, -1.5),
    "Niger": (16.0, 8.0),
    "Nigeria": (9.5, 8.0),
    "Chad": (14.0, 18.0),
    "Sudan": (14.0, 30.0),
    "Somalia": (4.0, 45.0),
    "Mozambique": (-13.0, 39.0),
    "Cameroon": (6.0, 12.5),
    "Libya": (27.0, 17.0),
}
ACTORS = [
    "JNIM: Group for Support of Islam and Muslims",
    "Islamic State (Greater Sahara)",
    "Military Forces of Mali (2021-)",
    "Wagner Group",
    "Military Forces of Burkina Faso (2022-)",
    "Military Forces of Niger (2023-)",
    "Boko Haram - Jamatu Ahli is-Sunnah lid-Dawati wal-Jihad",
    "Dozo Communal Militia (Mali)",
    "Civilians (Mali)",
    "Civilians (Niger)",
] + [f"Communal Militia ({k})" for k in range(40)]


def places() -> list[tuple[str, str, float, float]]:
    """(country, admin1, lat, lon) in the converted file's order (bytes, as DuckDB sorts)."""
    out = []
    for country, regions in COUNTRIES.items():
        lat, lon = CENTRES[country]
        for k, admin1 in enumerate(regions):
            out.append((country, admin1, lat + 0.4 * k, lon + 0.3 * k))
    return sorted(out, key=lambda p: (p[0].encode(), p[1].encode()))


def notes_pool(size: int = 2000) -> list[str]:
    import numpy as np

    rng = np.random.default_rng(16)
    words = [
        "attack",
        "village",
        "market",
        "road",
        "convoy",
        "militants",
        "army",
        "civilians",
        "killed",
        "wounded",
    ]
    words += [
        "Ségou",
        "Ménaka",
        "Tillabéri",
        "reported",
        "sources",
        "local",
        "displaced",
        "camp",
        "checkpoint",
    ]
    out = []
    for _ in range(size):
        n = int(rng.integers(30, 90))
        out.append(" ".join(words[int(w)] for w in rng.integers(0, len(words), n))[:600])
    return out


def dataset_path(events: int, cache_dir: Path) -> Path:
    return cache_dir / f"ooc-{events}-v{OOC_VERSION}.parquet"


def ensure(events: int, cache_dir: Path) -> Path:
    """The generated dataset (made once, then cached)."""
    import duckdb

    from timeline_app.storage.convert import ROW_GROUP_ROWS

    path = dataset_path(events, cache_dir)
    if path.exists():
        return path
    cache_dir.mkdir(parents=True, exist_ok=True)
    plist = places()
    per = max(events // MONTHS, 1)
    con = duckdb.connect(config={"preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")
    con.execute("CREATE TABLE notes AS SELECT unnest(?::VARCHAR[]) AS text", [notes_pool()])
    notes = [r[0] for r in con.execute("SELECT text FROM notes").fetchall()]
    p = len(plist)
    country = [c for c, _a, _la, _lo in plist]
    admin1 = [a for _c, a, _la, _lo in plist]
    lat = [la for _c, _a, la, _lo in plist]
    lon = [lo for _c, _a, _la, lo in plist]
    tmp = path.with_name(path.name + ".part")
    # Row i: month m, place block of the month, start rising within the block: the rows
    # come out in convert's order, so no sort is needed.
    query = f"""
        WITH r AS (
          SELECT i, least(i // {per}, {MONTHS - 1}) AS m,
                 i - least(i // {per}, {MONTHS - 1}) * {per} AS j, (hash(i) >> 1)::BIGINT AS h
          FROM range({events}) t(i)
        ), q AS (
          SELECT *, least((j * {p}) // {per}, {p - 1}) AS pl,
                 CAST(((j * {p}) % {per}) * (28 * 86400) // {per} AS BIGINT) AS sec
          FROM r
        )
        SELECT 'g' || i AS id, 'ooc' AS dataset,
          (['attack', 'attack', 'attack', 'statement', 'other'])[1 + h % 5] AS category,
          CAST(make_timestamp(2014 + m // 12, 1 + m % 12, 1, 0, 0, 0) + to_seconds(sec)
               AS TIMESTAMP_NS) AS start,
          CAST(make_timestamp(2014 + m // 12, 1 + m % 12, 1, 0, 0, 0) + to_seconds(sec)
               AS TIMESTAMP_NS) AS "end",
          'day' AS date_precision, false AS ongoing,
          'Event at ' || ($admin1)[1 + pl] AS title,
          (['Battles', 'Violence against civilians', 'Explosions/Remote violence',
            'Protests'])[1 + (h >> 8) % 4] AS event_type,
          NULL::VARCHAR AS sub_event_type,
          ($actors)[1 + (h >> 16) % {len(ACTORS)}] AS actor1,
          ($actors)[1 + (h >> 24) % {len(ACTORS)}] AS actor2,
          NULL::VARCHAR AS assoc_actors,
          ($country)[1 + pl] AS country, ($admin1)[1 + pl] AS admin1,
          NULL::VARCHAR AS admin2, NULL::VARCHAR AS admin3,
          'Place ' || ((h >> 32) % 5000) AS location,
          ($lat)[1 + pl] + ((h >> 12) % 1000) / 1000.0 AS latitude,
          ($lon)[1 + pl] + ((h >> 22) % 1000) / 1000.0 AS longitude,
          1.0::DOUBLE AS geo_precision,
          CASE WHEN (h >> 40) % 7 = 0 THEN NULL ELSE ((h >> 44) % 30)::DOUBLE END AS fatalities,
          NULL::DOUBLE AS fatalities_low, NULL::DOUBLE AS fatalities_high,
          'Source ' || ((h >> 48) % 30) AS source,
          ($notes)[1 + (h >> 36) % {len(notes)}] AS notes
        FROM q
    """
    con.execute(
        f"COPY ({query}) TO '{tmp}' (FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP_ROWS}, "
        "COMPRESSION zstd)",
        {
            "admin1": admin1,
            "country": country,
            "lat": lat,
            "lon": lon,
            "actors": ACTORS,
            "notes": notes,
        },
    )
    con.close()
    tmp.replace(path)
    return path


def own_peak_rss() -> int:
    """This process's peak resident memory, all its threads and DuckDB's buffers
    included: Linux's VmHWM. Not ``ru_maxrss``: a child started by the bench inherits
    its parent's (the maximum is kept across exec), so it reported the 1M-event
    in-memory window's peak instead of its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def measure(path: Path, repeats: int) -> dict:
    """Every figure, in this process (run it in a child: see :func:`measure_ooc`)."""
    from timeline_app.model.filter_spec import FilterSpec
    from timeline_app.model.sorting import DEFAULT_SORT
    from timeline_app.storage.duck import DuckEngine
    from timeline_app.storage.duck.export import export
    from timeline_app.storage.duck.facets import FacetCounter

    sort = list(DEFAULT_SORT)
    shown = table_columns()
    started = time.perf_counter()
    engine = DuckEngine(path, memory_limit=MEMORY_LIMIT)
    events = engine.count()
    engine.page(FilterSpec(), sort, columns=shown)
    open_s = time.perf_counter() - started
    a = FilterSpec(regions=("Mali",), actors=("JNIM",))
    b = FilterSpec(
        regions=("Niger",),
        actors=("ISGS",),
        date_from=datetime(2016, 1, 1),
        date_to=datetime(2019, 12, 31),
    )
    first = time.perf_counter()
    kept = {name: engine.count(spec) for name, spec in (("a", a), ("b", b))}
    warm_s = time.perf_counter() - first

    def timed(fn) -> float:
        t = time.perf_counter()
        fn()
        return (time.perf_counter() - t) * 1000

    filters = [
        timed(lambda s=s: (engine.count(s), engine.page(s, sort, columns=shown)))
        for s in (a, b) * repeats
    ]
    # The Filters dock's counter, shared with the timeline as in the window (DuckSource):
    # the lists at open, then its worker's cube and the timeline's day index.
    lists = FacetCounter(engine)
    made = {}
    for name, step in (
        ("table", lambda: lists.counts(FilterSpec())),
        ("cube", lambda: lists.prepare(days=False)),
        ("days", lambda: lists.prepare()),
    ):
        t = time.perf_counter()
        step()
        made[name] = time.perf_counter() - t
    redraws, zooms = timeline_redraws(engine, lists, (a, b), repeats, timed)
    maps, map_summary_ms = map_views(engine, (FilterSpec(), a), repeats, timed)
    facets = facet_counts(lists, (a, b), repeats, timed)
    pages: dict[str, float] = {}
    every_column: dict[str, float] = {}  # diagnostic: pages of every canonical column
    for name, spec in (("filtered", a), ("all", FilterSpec())):
        page = engine.page(spec, sort, columns=shown)
        if name == "all":  # deep: after a row half way through
            middle = engine.query(
                "SELECT epoch_ns(start), __key FROM events ORDER BY __key "
                f"LIMIT 1 OFFSET {events // 2}"
            )
            page.last = (middle.column(0)[0].as_py(), middle.column(1)[0].as_py())
        else:
            for _ in range(5):
                page = engine.page(spec, sort, after=page.last, columns=shown)
        deep = page.last
        for columns, out in ((shown, pages), (None, every_column)):
            times = []
            page.last = deep
            for _ in range(repeats):
                t = time.perf_counter()
                page = engine.page(spec, sort, after=page.last, columns=columns)
                times.append((time.perf_counter() - t) * 1000)
            out[name] = median(times)
    year = FilterSpec(date_from=datetime(2016, 1, 1), date_to=datetime(2016, 12, 31))
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        exported = export(engine, year, sort, Path(tmp) / "year.csv")
        export_s = time.perf_counter() - t
    engine.close()
    peak = own_peak_rss()
    return {
        "ooc_events": events,
        "ooc_open_s": open_s,
        "ooc_filter_ms": median(filters),
        "ooc_timeline_redraw_ms": median(redraws),
        "ooc_map_redraw_ms": median(maps["all"] + maps["a"]),
        "ooc_facet_counts_ms": median(facets["a"] + facets["b"]),
        "ooc_table_page_ms": max(pages.values()),
        "ooc_export_1m_s": export_s * 1_000_000 / max(exported, 1),
        "ooc_peak_rss_bytes": int(peak),
        "diagnostics": {
            "ooc_parquet_bytes": path.stat().st_size,
            "ooc_filter_rows": kept,
            "ooc_first_filters_s": round(warm_s, 3),
            "ooc_timeline_zoom_ms": {k: round(v, 2) for k, v in zooms.items()},
            "ooc_map_by_filter_ms": {k: round(median(v), 2) for k, v in maps.items()},
            "ooc_map_summary_ms": round(map_summary_ms, 2),
            "ooc_facet_table_s": round(made["table"], 3),
            "ooc_facet_cube_s": round(made["cube"], 3),
            "ooc_timeline_index_s": round(made["days"], 3),
            "ooc_facet_counts_by_filter_ms": {k: round(median(v), 2) for k, v in facets.items()},
            "ooc_page_ms": {k: round(v, 2) for k, v in pages.items()},
            "ooc_page_every_column_ms": {k: round(v, 2) for k, v in every_column.items()},
            "ooc_export_rows": exported,
            "ooc_export_s": round(export_s, 3),
            "ooc_memory_limit": MEMORY_LIMIT,
        },
    }


def table_columns() -> list[str]:
    """The columns the Events dock's table reads for a page on a fresh start (its
    default columns and the dates' precision: ui/source_table.read_columns)."""
    from timeline_app.model.schema import CANONICAL_COLUMNS
    from timeline_app.model.view_state import DEFAULT_TABLE_COLUMNS

    shown = [c for c in DEFAULT_TABLE_COLUMNS if c in CANONICAL_COLUMNS]
    return [*dict.fromkeys([*shown, "date_precision"])]


#: The Map dock's view for ``ooc_map_redraw_ms``: the Sahel, 640 × 440 pixels.
SAHEL_VIEW = (-12.0, 10.0, 16.0, 22.0)
MAP_PX = (640, 440)


def map_view(engine, spec, summary=None) -> object:
    """What the DuckDB map asks for a view (ui/map/sql_source.ask_view): its points,
    or past the memory map's 20,000 the events per density cell of 4 pixels; with the
    filter's summary, the density alone when it says the view holds more."""
    from timeline_app.storage.duck import map_queries

    if map_queries.dense(summary, SAHEL_VIEW, 20_000) is not True:
        found = map_queries.points(engine, spec, SAHEL_VIEW, 20_000)
        if found is not None:
            return found
    nx, ny = MAP_PX[0] // 4, MAP_PX[1] // 4
    return map_queries.density(engine, spec, SAHEL_VIEW, nx, ny)


def map_views(engine, specs, repeats: int, timed) -> tuple[dict[str, list[float]], float]:
    """The Sahel view under each filter alternately, as a settled pan or zoom asks it:
    the filter's summary (its count and extent, asked once per filter: median time
    reported apart) already known."""
    from timeline_app.storage.duck import map_queries

    summaries, took = [], []
    for spec in specs:
        summaries.append(map_queries.summary(engine, spec))
        took.append(timed(lambda s=spec: map_queries.summary(engine, s)))
    names = ("all", "a")
    out: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeats):
        for name, spec, known in zip(names, specs, summaries, strict=True):
            out[name].append(timed(lambda s=spec, k=known: map_view(engine, s, k)))
    return out, median(took)


def facet_counts(counter, specs, repeats: int, timed) -> dict[str, list[float]]:
    """What the Filters dock's worker runs after each filter change (ui/source_facets.py):
    every list's counts under the other filters, the filters alternating (after the
    lists' values and the cube, made once per dataset, and one warm-up of each filter)."""
    for spec in specs:
        counter.counts(spec)
    names = "ab"
    out: dict[str, list[float]] = {name: [] for name in names[: len(specs)]}
    for _ in range(repeats):
        for name, spec in zip(names, specs, strict=False):
            out[name].append(timed(lambda s=spec: counter.counts(s)))
    return out


def timeline_redraws(
    engine, lists, specs, repeats: int, timed
) -> tuple[list[float], dict[str, float]]:
    """What the timeline asks the engine for (storage/duck/timeline.py), 1,200 px wide:
    the whole data's view after a filter change (the filter's counts per lane and day
    made again, as only the shown filter's are kept: from the day index ``lists`` made,
    day_index.py), alternating the filters; then, under the last filter, a zoom to a
    year, a month, a week (marks read) and a day (hour bins and marks)."""
    from timeline_app.model.timeline.remote import TimelineAsk
    from timeline_app.storage.duck.timeline import TimelineCounter
    from timeline_app.storage.duck.trends import TrendCounter

    counter = TimelineCounter(engine, TrendCounter(engine, lists))
    finest = counter.finest_unit()  # read once per dataset, with the lanes
    counter.lanes("category")
    whole = engine.date_range()

    def redraw(spec, view) -> None:
        counter.answer(TimelineAsk.for_view(spec, "category", *view, 1200.0, finest))

    redraws = [timed(lambda s=s: redraw(s, whole)) for s in tuple(specs) * repeats]
    mid = (whole[0] + whole[1]) // 2
    day = 86_400 * 10**9
    zooms = {}
    for name, days in (("year", 365), ("month", 30), ("week", 7), ("day", 1)):
        view = (mid, mid + days * day)
        zooms[name] = median([timed(lambda v=view: redraw(specs[-1], v)) for _ in range(repeats)])
    return redraws, zooms


def measure_ooc(bench, events: int) -> None:
    """Generate (or reuse) the dataset and measure it in a child process."""
    from tests.benchmarks.run import Pending

    if events <= 0:
        raise Pending("left out of this run (--ooc-events 0)")
    from tests.benchmarks.generate import CACHE_DIR

    started = time.perf_counter()
    path = ensure(events, CACHE_DIR)
    bench.diagnostics["ooc_generate_s"] = round(time.perf_counter() - started, 1)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ooc.json"
        done = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.ooc_bench", str(path), str(out)]
            + ["--repeats", str(max(bench.repeats, 3))],
            env={**os.environ},
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1])
        found = json.loads(out.read_text(encoding="utf-8"))
    bench.diagnostics.update(found.pop("diagnostics"))
    for key in KEYS:
        bench.record(key, found[key])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the DuckDB engine on a dataset.")
    parser.add_argument("dataset", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(measure(args.dataset, args.repeats)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
