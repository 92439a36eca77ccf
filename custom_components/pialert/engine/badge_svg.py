"""Flat, shields-style SVG badges: a grey label and a coloured value."""

from __future__ import annotations

from html import escape
from typing import Final

from .models import Status

LABEL_COLOUR: Final = "#555"
STATUS_COLOUR: Final = {
    Status.UP: "#43a047",
    Status.PENDING: "#ffa600",
    Status.DOWN: "#db4437",
    Status.UNREACHABLE: "#db4437",
    Status.PAUSED: "#039be5",
    Status.UNKNOWN: "#9e9e9e",
}
NO_DATA_COLOUR: Final = "#9e9e9e"

# Advance widths of Verdana at 11 px (what shields.io measures with), for the
# characters that differ much from the average; others count 7 px.
_NARROW: Final = dict.fromkeys("il.,:;!|'` ", 3.5) | dict.fromkeys("fjrt()[]/-", 4.5)
_WIDE: Final = dict.fromkeys("mwMW%", 10.5) | dict.fromkeys("ABCDEGHKNOQRUVXY&", 8.0)
_PADDING: Final = 10


def text_width(text: str) -> int:
    """Return the approximate width of ``text`` in Verdana 11 px."""
    return round(sum(_NARROW.get(c, _WIDE.get(c, 7.0)) for c in text))


def uptime_colour(uptime: float | None) -> str:
    """Return the badge colour of an uptime percentage."""
    if uptime is None:
        return NO_DATA_COLOUR
    if uptime >= 99.9:
        return "#43a047"
    if uptime >= 99.0:
        return "#7cb342"
    if uptime >= 95.0:
        return "#ffa600"
    return "#db4437"


def _text_colour(background: str) -> str:
    """Return black or white, whichever reads better on ``background``."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    # Contrast against white (1.05 / (L + 0.05)) vs black ((L + 0.05) / 0.05).
    return "#fff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "#000"


def render_badge(label: str, value: str, colour: str) -> str:
    """Return the SVG of a badge."""
    if len(colour) == 4:
        colour = "#" + "".join(c * 2 for c in colour[1:])
    label_width = text_width(label) + _PADDING
    value_width = text_width(value) + _PADDING
    width = label_width + value_width
    text = _text_colour(colour)
    shadow = "#010101" if text == "#fff" else "#ccc"
    safe_label, safe_value = escape(label), escape(value)
    label_x, value_x = label_width / 2, label_width + value_width / 2

    def pair(x: float, content: str, fill: str, shade: str) -> str:
        return (
            f'<text x="{x}" y="15" fill="{shade}" fill-opacity=".3">{content}</text>'
            f'<text x="{x}" y="14" fill="{fill}">{content}</text>'
        )

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" '
        f'role="img" aria-label="{safe_label}: {safe_value}">'
        f"<title>{safe_label}: {safe_value}</title>"
        '<linearGradient id="s" x2="0" y2="100%">'
        '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/>'
        '</clipPath><g clip-path="url(#r)">'
        f'<rect width="{label_width}" height="20" fill="{LABEL_COLOUR}"/>'
        f'<rect x="{label_width}" width="{value_width}" height="20" fill="{colour}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f"{pair(label_x, safe_label, '#fff', '#010101')}"
        f"{pair(value_x, safe_value, text, shadow)}</g></svg>"
    )
