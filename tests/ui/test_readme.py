"""The README tells a new user the truth: the two commands first, and the real shortcuts."""

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_setup_commands():
    first_block = README.split("```", 2)[1]
    assert "make run" in first_block and "make test" in first_block
    assert README.index("make run") < README.index("## ")


def test_readme_screenshot_exists():
    assert "](resources/screenshot.png)" in README
    assert (REPO / "resources" / "screenshot.png").stat().st_size > 10_000


def test_readme_lists_the_shortcuts_the_window_really_has(make_window):
    from timeline_app.ui.shortcuts import shortcuts_markdown

    table = shortcuts_markdown(make_window())
    assert table in README, "README's shortcut table is stale: paste shortcuts_markdown()"
