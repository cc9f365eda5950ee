"""The error of a command line that cannot be carried out: apart, so that the modules the
shared options use (engines) and the shared options themselves import it without a circle."""

from __future__ import annotations


class UsageError(Exception):
    """A command line that cannot be carried out; the message is one line."""
