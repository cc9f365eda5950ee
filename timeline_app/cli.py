"""Command line: open the window, take a screenshot, inspect or export files.

timeline-app [FILE ...]                      open the window (the sample if no file)
timeline-app --screenshot OUT.png [--screenshot-size WxH] [FILE ...]
                                             render the window to a PNG and exit
timeline-app inspect FILE [--format NAME] [--mapping FILE.json] [--date-order ORDER] [--json]
timeline-app export FILE ... -o OUT [filters]
timeline-app match A B [--days D] [--km K] [--json] [-o PAIRS.csv]
timeline-app compare FILE ... --at DATE --weeks W [filters] [--json] [--chart OUT]
timeline-app install-desktop [--uninstall]   add the app to the Linux applications menu
timeline-app convert FILE ... -o OUT.parquet   one Parquet file for the DuckDB engine

Every command (and the window's FILE arguments) takes --format, --mapping and
--date-order (timeline_app/commands/common.py).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from timeline_app import __version__
from timeline_app.commands.common import ReadAs, UsageError, add_reading_options, fail, read_as
from timeline_app.commands.engines import add_engine_option, engine_for
from timeline_app.logs import setup_logging

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1400, 900)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    setup_logging()  # the window and every command: tracebacks go to the user's log folder
    log.info("timeline-app %s: %s", __version__, " ".join(argv) or "(no arguments)")
    commands = _commands()
    if argv and argv[0] in commands:
        return commands[argv[0]](argv[1:])
    return gui_main(argv)


def _commands() -> dict[str, Callable[[list[str]], int]]:
    from timeline_app import desktop
    from timeline_app.commands import compare, convert, export, inspect, match

    return {
        "inspect": inspect.main,
        "export": export.main,
        "match": match.main,
        "compare": compare.main,
        "install-desktop": desktop.main,
        "convert": convert.main,
    }


# -- GUI ---------------------------------------------------------------------------------------
def gui_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="timeline-app", description="Incident Timeline Explorer")
    parser.add_argument(
        "files", nargs="*", type=Path, help="event files to open (default: the bundled sample)"
    )
    add_reading_options(parser, every="file")
    add_engine_option(parser)
    parser.add_argument(
        "--screenshot", type=Path, metavar="OUT.png", help="render the window to a PNG and exit"
    )
    parser.add_argument(
        "--screenshot-size",
        type=_size,
        default=SCREENSHOT_SIZE,
        metavar="WxH",
        help="window size for --screenshot (default: 1400x900)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "fr"),
        help="the interface's language for this run (default: View > Language, else the system's)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    args = parser.parse_args(argv)
    workspaces, files = _split_workspaces(args.files)
    try:
        how = read_as(args, files)
        engine = engine_for(args, files) if files else "memory"
    except UsageError as err:
        return fail(str(err))
    if args.screenshot:
        if engine == "duckdb":
            return screenshot_duckdb(args.screenshot, files, args, args.screenshot_size)
        return screenshot(args.screenshot, args.files, how, args.screenshot_size, args.lang)
    from timeline_app import syscheck

    ready = syscheck.check()  # no display, or X11 libraries missing: say so, never abort
    if not ready.ok:
        print(ready.message(), file=sys.stderr)
        return syscheck.EXIT_NO_DISPLAY

    from timeline_app.paths import SAMPLE_FILES
    from timeline_app.ui.app import create_app
    from timeline_app.ui.main_window import MainWindow

    app = create_app(lang=args.lang)
    window = MainWindow()
    window.sources.engine, window.sources.memory_limit = args.engine, args.memory_limit
    window.resize(1400, 900)
    window.workspaces.restore_window()  # size, position and docks from last time
    window.show()
    from timeline_app.ui.autosave import install_autosave

    def open_files(paths: list[Path], reads: list[ReadAs]) -> None:
        if paths and engine == "duckdb":
            window.sources.open(paths)
            return
        for path, read in zip(paths, reads, strict=True):
            window.open_file(path, read.format, read.load_options, report=bool(args.files))

    def start_as_usual() -> None:
        if workspaces:  # FILE.tlx.json: one workspace (its files, filters, view); files add
            window.workspaces.open_path(workspaces[0])
        elif not files and window.workspaces.reopen_last():
            return  # File > Reopen Last Workspace on Start
        elif not files:
            sample = [p for p in SAMPLE_FILES if p.exists()]
            open_files(sample, [ReadAs() for _ in sample])
            return
        open_files(files, how)

    # Autosaved every few minutes and at exit; after a crash, the restore question
    # comes first, and the files named are added to the restored session.
    install_autosave(window, otherwise=start_as_usual, restored=lambda: open_files(files, how))
    return app.exec()


def _split_workspaces(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Workspace files (``*.tlx.json``) apart from event files."""
    workspaces = [p for p in paths if p.name.lower().endswith(".tlx.json")]
    return workspaces, [p for p in paths if p not in workspaces]


def _size(text: str) -> tuple[int, int]:
    """``1024x640`` -> (1024, 640)."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not WIDTHxHEIGHT: {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"{text}: each side between 200 and 8000 pixels")
    return width, height


def screenshot(
    out: Path,
    files: list[Path],
    how: list[ReadAs] | None = None,
    size: tuple[int, int] = SCREENSHOT_SIZE,
    lang: str | None = None,
) -> int:
    """Load synchronously, lay the window out at a fixed size, and save it as a PNG."""
    import os
    import time

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from timeline_app.formats.registry import FormatError, load
    from timeline_app.paths import SAMPLE_FILES
    from timeline_app.ui.app import create_app
    from timeline_app.ui.main_window import MainWindow

    _fresh_settings()  # a screenshot shows the default layout, not this user's
    app = create_app(lang=lang or "en")  # a fixed language unless asked, like the layout
    window = MainWindow()
    window.resize(*size)
    workspaces, files = _split_workspaces(files)
    if workspaces:  # no one to answer questions: missing files left out, said on stderr
        failed: list[str] = []
        window.workspaces.open_failed.connect(failed.append)
        window.workspaces.open_path(workspaces[0], background=False, interactive=False)
        deadline = time.monotonic() + 120  # a DuckDB workspace opens in the source's worker
        while window.workspaces.busy and not failed and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        if failed:
            return fail(failed[0])
    how = how or [ReadAs() for _ in files]
    if not files and not workspaces:
        files = [p for p in SAMPLE_FILES if p.exists()]
        how = [ReadAs() for _ in files]
    for path, read in zip(files, how, strict=True):
        try:
            window.add_dataset(load(path, read.format, options=read.load_options))
        except FormatError as err:
            return fail(str(err))
    window.show()
    if len(window.state.visible) and not workspaces:
        window.state.select([_most_telling_row(window.state)])
    # A big file's filter lists fill in with their first counts, made in a thread.
    deadline = time.monotonic() + 60
    while not window.filter_panel.counts_settled() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    while (  # a DuckDB workspace's table page, timeline and map
        window.state.source_view.source is not None
        and not _duck_settled(window)
        and time.monotonic() < deadline
    ):
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()
    image = window.grab()
    if image.width() != size[0]:  # offscreen scales by the device pixel ratio
        image = image.scaled(*size)
    if not image.save(str(out)):
        return fail(f"cannot write {out}")
    window.close()
    return 0


def screenshot_duckdb(
    out: Path, files: list[Path], args: argparse.Namespace, size: tuple[int, int]
) -> int:
    """--screenshot of Parquet data on the DuckDB engine: opened, counted and its first
    page read (each in a worker, waited for), the first row's event in the details."""
    import os
    import time

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from timeline_app.ui.app import create_app
    from timeline_app.ui.main_window import MainWindow

    _fresh_settings()
    app = create_app(lang=args.lang or "en")
    window = MainWindow()
    window.sources.memory_limit = args.memory_limit
    window.resize(*size)
    window.show()
    failed: list[str] = []
    job = window.sources.open(files)
    job.errored.connect(lambda e: failed.append(e.message))
    view, table = window.state.source_view, window.sources.table
    deadline = time.monotonic() + 120
    while not failed and not _duck_settled(window) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if failed:
        return fail(failed[0])
    if view.count > 0:
        table.selectRow(0)
        while view.current_key is None and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        job_deadline = time.monotonic() + 5
        while window.sources.reading_event() and time.monotonic() < job_deadline:
            app.processEvents()
            time.sleep(0.01)
    for _ in range(5):
        app.processEvents()
    image = window.grab()
    if image.width() != size[0]:
        image = image.scaled(*size)
    if not image.save(str(out)):
        return fail(f"cannot write {out}")
    window.close()
    return 0


def _duck_settled(window) -> bool:
    """The window's DuckDB dataset is open, counted, its page, timeline and map drawn."""
    view, model = window.state.source_view, window.sources.table.table_model
    timeline = getattr(window.timeline_dock.widget(), "source", None)
    drawing = timeline is not None and getattr(timeline, "busy", lambda: False)()
    return (
        view.source is not None
        and view.count >= 0
        and not model.pages_loading()
        and not drawing
        and window.sources.map_widget().settled()
    )


def _most_telling_row(state) -> int:
    """The deadliest visible event (the first row when no toll is known), to fill the
    detail pane of a screenshot with something worth reading."""
    import numpy as np

    fatalities = state.table.df["fatalities"].to_numpy()[state.visible]
    if np.isnan(fatalities).all():
        return int(state.visible[0])
    return int(state.visible[int(np.nanargmax(fatalities))])


def _fresh_settings() -> None:
    import tempfile

    from PySide6.QtCore import QSettings

    folder = tempfile.mkdtemp(prefix="timeline-app-shot-")
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


if __name__ == "__main__":
    sys.exit(main())
