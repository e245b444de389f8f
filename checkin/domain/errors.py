"""The base of every error whose message is meant for the person at the desk."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a state the user can fix; ``str(err)`` is a translated, complete sentence."""
