"""What the Qt-free layers say to a person, in a form the interface can translate.

A :class:`Message` is its English text (a ``str``: the CLI, logs, exports and tests use
it as it is) that also keeps its template and parameters, so that ``ui/i18n.message()``
can look the template up in the "Messages" context of the .qm and fill the parameters
in. ``N_(template, **params)`` makes one. ``tools/translations.py`` finds every
``N_("…")`` call with a literal template (lupdate does not know this marker) and puts
the template in the .ts; so a template is always a literal, never built.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The .ts context the templates go in.
CONTEXT = "Messages"


class Message(str):
    """English text that remembers the template and parameters it was made from."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Message:
        values = dict(params or {})
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.params = values
        return self

    def __reduce__(self) -> tuple[type[Message], tuple[str, dict[str, object]]]:
        return Message, (self.template, self.params)


def N_(template: str, /, **params: object) -> str:  # noqa: N802 (the usual marker name)
    """The message ``template`` with ``params`` (``str.format`` fields): a Message, typed
    as the ``str`` it is, so that reasons and labels mix with plain text in one list."""
    return Message(template, params)
