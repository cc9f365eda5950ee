"""The user's own actor-dictionary entries, kept beside the shipped table in the user's
settings folder (``$TIMELINE_APP_CONFIG_DIR`` or the platform's, via platformdirs), as
a CSV of the shipped table's layout, so it can be exported, shared and imported."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from platformdirs import user_config_dir

from timeline_app.model.actors import (
    ActorDictionary,
    Entry,
    entries_csv,
    read_entries,
    set_active_dictionary,
    shipped_entries,
)
from timeline_app.model.atomic import atomic_write_text

FILE_NAME = "actor_dictionary.csv"


def settings_dir() -> Path:
    override = os.environ.get("TIMELINE_APP_CONFIG_DIR")
    return Path(override) if override else Path(user_config_dir("timeline-app", appauthor=False))


def user_dictionary_path() -> Path:
    return settings_dir() / FILE_NAME


def read_user_entries(path: Path | None = None) -> list[Entry]:
    """The user's entries (none when the file does not exist). DictionaryError or
    OSError when it cannot be read."""
    path = path or user_dictionary_path()
    if not path.is_file():
        return []
    return read_entries(path.read_text(encoding="utf-8-sig"), path.name)


def write_entries(entries: Sequence[Entry], path: Path | None = None) -> Path:
    """Write entries as dictionary CSV, replacing ``path`` only once complete."""
    path = path or user_dictionary_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, entries_csv(entries))  # replaced only once complete
    return path


def combined(user: Sequence[Entry]) -> ActorDictionary:
    """The shipped entries, then the user's (both apply; the version covers both)."""
    return ActorDictionary([*shipped_entries(), *user])


def activate_user_entries(user: Sequence[Entry] | None = None) -> ActorDictionary:
    """Make the shipped entries plus the user's (read from the settings folder unless
    given) the dictionary in use; a file that cannot be read leaves the shipped ones."""
    if user is None:
        try:
            user = read_user_entries()
        except (OSError, ValueError):
            user = []
    dictionary = combined(user)
    set_active_dictionary(dictionary)
    return dictionary
