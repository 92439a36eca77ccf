"""Draw PiAlert's brand images into custom_components/pialert/brand/.

Run: .venv/bin/python scripts/brand.py

The mark is a shield (something watching over your services) carrying a
pulse line (checks running), in a calm blue: unlike the old red exclamation
mark, nothing about it reads as an error on a device page. Sizes follow Home
Assistant's brands rules: icons square, 256 and 512 px; logos trimmed, with a
shortest side of 128 (logo) and 256 (logo@2x) px; transparent backgrounds.
Drawing uses Pillow only (Home Assistant's own pin) and its embedded font,
so the output does not depend on the fonts of the machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import sys

from PIL import Image, ImageDraw, ImageFont

BRAND_DIR = Path(__file__).resolve().parent.parent / "custom_components/pialert/brand"

# Drawn this many times larger, then scaled down: smooth edges.
SUPERSAMPLE = 4
# The shield's width relative to its height.
SHIELD_ASPECT = 0.86
WORDMARK = "PiAlert"


@dataclass(frozen=True)
class Palette:
    """Colours of one variant (light or dark backgrounds)."""

    shield: str
    shield_edge: str
    pulse: str
    text: str


LIGHT = Palette(
    shield="#1C7FA6", shield_edge="#135F7E", pulse="#FFFFFF", text="#263238"
)
DARK = Palette(shield="#4FB3DA", shield_edge="#7FCBE8", pulse="#0D2F3F", text="#ECEFF1")


def _bezier(
    p0: tuple[float, float],
    p1: tuple[float, float],
    p2: tuple[float, float],
    p3: tuple[float, float],
    steps: int = 64,
) -> list[tuple[float, float]]:
    """Points along a cubic Bézier curve (without its first point)."""
    points = []
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        points.append(
            (
                u**3 * p0[0]
                + 3 * u * u * t * p1[0]
                + 3 * u * t * t * p2[0]
                + t**3 * p3[0],
                u**3 * p0[1]
                + 3 * u * u * t * p1[1]
                + 3 * u * t * t * p2[1]
                + t**3 * p3[1],
            )
        )
    return points


def _shield_outline(width: float, height: float) -> list[tuple[float, float]]:
    """The shield's outline in a width x height box, clockwise from the top."""
    w, h = width, height
    points: list[tuple[float, float]] = [(w / 2, 0)]
    # Top edge dips at the centre and rises to the shoulders.
    points += _bezier(
        (w / 2, 0), (w * 0.68, h * 0.07), (w * 0.86, h * 0.09), (w, h * 0.10)
    )
    # Right side: straight, then curving into the point at the bottom.
    points += _bezier((w, h * 0.10), (w, h * 0.45), (w * 0.95, h * 0.78), (w / 2, h))
    points += _bezier((w / 2, h), (w * 0.05, h * 0.78), (0, h * 0.45), (0, h * 0.10))
    points += _bezier(
        (0, h * 0.10), (w * 0.14, h * 0.09), (w * 0.32, h * 0.07), (w / 2, 0)
    )
    return points


def _pulse_line(width: float, height: float) -> list[tuple[float, float]]:
    """A heartbeat trace across the shield's middle."""
    w, h = width, height
    y = h * 0.50
    return [
        (w * 0.14, y),
        (w * 0.36, y),
        (w * 0.44, h * 0.30),
        (w * 0.55, h * 0.72),
        (w * 0.63, y),
        (w * 0.86, y),
    ]


def draw_mark(height: int, palette: Palette) -> Image.Image:
    """The shield with its pulse, trimmed to the shield (height px tall)."""
    big_h = height * SUPERSAMPLE
    big_w = round(big_h * SHIELD_ASPECT)
    image = Image.new("RGBA", (big_w, big_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon(_shield_outline(big_w, big_h), fill=palette.shield_edge)
    # An inner shield a little smaller gives the mark a soft rim.
    rim = big_h * 0.045
    inner = [
        (rim + x * (big_w - 2 * rim) / big_w, rim + y * (big_h - 2.4 * rim) / big_h)
        for x, y in _shield_outline(big_w, big_h)
    ]
    draw.polygon(inner, fill=palette.shield)
    stroke = round(big_h * 0.075)
    line = _pulse_line(big_w, big_h)
    draw.line(line, fill=palette.pulse, width=stroke, joint="curve")
    for x, y in (line[0], line[-1]):  # round the line's ends
        r = stroke / 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=palette.pulse)
    return image.resize((round(big_w / SUPERSAMPLE), height), Image.Resampling.LANCZOS)


def draw_icon(size: int, palette: Palette) -> Image.Image:
    """A square icon: the mark as tall as the square, centred."""
    mark = draw_mark(size, palette)
    icon = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    icon.alpha_composite(mark, ((size - mark.width) // 2, 0))
    return icon


def draw_logo(height: int, palette: Palette) -> Image.Image:
    """The mark and the name side by side, trimmed to height px."""
    mark = draw_mark(height, palette)
    font = ImageFont.load_default(size=round(height * 0.62))
    left, top, right, bottom = font.getbbox(WORDMARK, stroke_width=1)
    gap = round(height * 0.18)
    width = mark.width + gap + round(right - left)
    logo = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    logo.alpha_composite(mark, (0, 0))
    text_y = (height - (bottom - top)) // 2 - top
    ImageDraw.Draw(logo).text(
        (mark.width + gap - left, text_y),
        WORDMARK,
        font=font,
        fill=palette.text,
        stroke_width=1,
        stroke_fill=palette.text,
    )
    return trim(logo)


def trim(image: Image.Image) -> Image.Image:
    """Crop away fully transparent borders."""
    box = image.getchannel("A").getbbox()
    return image.crop(box) if box else image


def render() -> dict[str, Image.Image]:
    """Every brand image by file name."""
    images: dict[str, Image.Image] = {}
    for prefix, palette in (("", LIGHT), ("dark_", DARK)):
        images[f"{prefix}icon.png"] = draw_icon(256, palette)
        images[f"{prefix}icon@2x.png"] = draw_icon(512, palette)
        images[f"{prefix}logo.png"] = draw_logo(128, palette)
        images[f"{prefix}logo@2x.png"] = draw_logo(256, palette)
    return images


def main() -> int:
    """Write the images."""
    BRAND_DIR.mkdir(parents=True, exist_ok=True)
    for name, image in render().items():
        image.save(BRAND_DIR / name, optimize=True)
        print(f"{name}: {image.width}x{image.height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
