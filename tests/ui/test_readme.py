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


def readme_shortcut_table() -> str:
    """The Markdown table under "## Keyboard shortcuts", as written."""
    section = README.split("## Keyboard shortcuts", 1)[1]
    lines = [line for line in section.split("\n## ", 1)[0].splitlines() if line.startswith("|")]
    return "\n".join(lines) + "\n"


def test_readme_shortcut_table_is_the_table_of_actions():
    """The menus are built from the same table (tests/ui/test_actions.py holds them)."""
    from timeline_app.ui.shortcuts import shortcuts_markdown

    assert readme_shortcut_table() == shortcuts_markdown(), (
        "README's shortcut table is stale: paste timeline_app.ui.shortcuts.shortcuts_markdown()"
    )
