"""Rules for names and tags users give: visible, unambiguous, filterable.

Names show up in notifications, logbook lines and CSV files: a control
character or a bidirectional override can hide or reorder what is shown, and
two names that look alike (full-width "Web" and "web") confuse people picking targets.
"""

from __future__ import annotations

from typing import Final
import unicodedata

MAX_NAME_LENGTH: Final = 100

# Characters that reorder text when shown (bidirectional embeddings,
# overrides, isolates and marks).
BIDI_CONTROLS: Final = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Format characters that draw nothing; a name made only of them (and spaces)
# looks empty.
_INVISIBLE_CATEGORIES: Final = frozenset({"Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
_INVISIBLE_EXTRA: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _is_invisible(text: str) -> bool:
    return all(
        unicodedata.category(ch) in _INVISIBLE_CATEGORIES
        or ch in _INVISIBLE_EXTRA
        or ch.isspace()
        for ch in text
    )


def text_problem(text: str, max_length: int = MAX_NAME_LENGTH) -> str | None:
    """Return why ``text`` cannot be a name or tag, or None when it can.

    ``"length"``: empty or too long; ``"invisible"``: nothing that shows;
    ``"characters"``: a control character or one that reorders the text.
    """
    stripped = text.strip()
    if not stripped or len(stripped) > max_length:
        return "length"
    if _has_control(stripped) or any(ch in BIDI_CONTROLS for ch in stripped):
        return "characters"
    if _is_invisible(stripped):
        return "invisible"
    return None


def name_problem(name: str, max_length: int = MAX_NAME_LENGTH) -> str | None:
    """Return the error key of a bad name, or None when it is fine."""
    problem = text_problem(name, max_length)
    if problem is None:
        return None
    return "invalid_name" if problem == "length" else f"invalid_name_{problem}"


def tag_problem(tag: str, max_length: int = MAX_NAME_LENGTH) -> str | None:
    """Return the error key of a bad tag, or None when it is fine.

    A comma is refused: tags are filtered and given as comma-separated lists.
    """
    if "," in tag:
        return "invalid_tag_comma"
    return None if text_problem(tag, max_length) is None else "invalid_tag"


def tags_problem(tags: object) -> str | None:
    """Return the error key of the first bad tag in ``tags``, or None."""
    if tags is None:
        return None
    if isinstance(tags, str):
        tags = tags.split(",")  # a comma-separated text: commas separate
    if not isinstance(tags, list | tuple):
        return "invalid_tag"
    for tag in tags:
        problem = tag_problem(tag) if isinstance(tag, str) else "invalid_tag"
        if problem is not None:
            return problem
    return None


def name_key(name: str) -> str:
    """Return what two names are compared by: NFKC, case-folded, trimmed."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def same_name(first: str, second: str) -> bool:
    """Return whether two names would look the same to users."""
    return name_key(first) == name_key(second)
