"""`timeline-app install-desktop` puts the app in the Linux menu, with its icon."""

from __future__ import annotations

import configparser
import os
from pathlib import Path

from timeline_app.cli import main
from timeline_app.paths import DESKTOP_FILE, ICONS_DIR


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_shipped_entry_names_the_app_its_icon_and_takes_files():
    entry = _entry(DESKTOP_FILE)
    assert entry["Type"] == "Application" and entry["Name"] == "Incident Timeline Explorer"
    assert entry["Icon"] == "timeline-app" and entry["Exec"].endswith("%F")
    assert "text/csv" in entry["MimeType"]


def test_install_desktop_writes_the_entry_and_icons_into_the_users_data_folder(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["install-desktop"]) == 0
    entry = _entry(tmp_path / "applications" / "timeline-app.desktop")
    command = entry["Exec"].removesuffix(" %F")
    # This installation's own launcher, runnable without the desktop's PATH.
    assert os.access(command.split(" -m ")[0].strip('"'), os.X_OK), command
    icons = tmp_path / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "timeline-app.svg").read_bytes() == (
        ICONS_DIR / "timeline-app.svg"
    ).read_bytes()
    assert (icons / "48x48" / "apps" / "timeline-app.png").is_file()
    assert (icons / "256x256" / "apps" / "timeline-app.png").is_file()
    assert "installed" in capsys.readouterr().out

    assert main(["install-desktop", "--uninstall"]) == 0
    assert not (tmp_path / "applications" / "timeline-app.desktop").exists()
    assert not list(icons.rglob("timeline-app.*"))
