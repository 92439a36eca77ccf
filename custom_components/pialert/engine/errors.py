"""Refusals: a request the engine (or the API's key ring) will not honour."""

from __future__ import annotations


class RefusedError(Exception):
    """A refused request; ``key`` names the reason in the translations.

    Home Assistant turns it into a translated service error, a form error or
    an API ``detail`` text: the engine never writes user-facing sentences.
    """

    def __init__(self, key: str, **placeholders: str) -> None:
        """Store the translation key and its placeholders."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders
