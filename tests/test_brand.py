"""The brand images: what Home Assistant's brands rules expect, and a calm mark."""

from __future__ import annotations

import importlib.util
from pathlib import Path
import sys
from types import ModuleType

from PIL import Image, ImageChops
import pytest

ROOT = Path(__file__).resolve().parent.parent
BRAND = ROOT / "custom_components/pialert/brand"
ICONS = ("icon.png", "icon@2x.png", "dark_icon.png", "dark_icon@2x.png")
LOGOS = ("logo.png", "logo@2x.png", "dark_logo.png", "dark_logo@2x.png")


def _open(name: str) -> Image.Image:
    image = Image.open(BRAND / name)
    assert image.format == "PNG"
    image.load()
    return image


def _brand_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("brand", ROOT / "scripts/brand.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_every_expected_image_exists() -> None:
    """Icons and logos, each in a dark variant and at double resolution."""
    assert sorted(p.name for p in BRAND.glob("*.png")) == sorted(ICONS + LOGOS)


@pytest.mark.parametrize("name", ICONS)
def test_icons_are_square_trimmed_and_transparent(name: str) -> None:
    """256 px (512 px @2x) squares whose mark reaches two opposite edges."""
    image = _open(name)
    size = 512 if "@2x" in name else 256
    assert image.size == (size, size)
    assert image.mode == "RGBA"
    alpha = image.getchannel("A")
    left, top, right, bottom = alpha.getbbox() or (0, 0, 0, 0)
    assert (top, bottom) == (0, size) or (left, right) == (0, size)
    corners = [(0, 0), (size - 1, 0), (0, size - 1), (size - 1, size - 1)]
    assert [alpha.getpixel(corner) for corner in corners] == [0, 0, 0, 0]


@pytest.mark.parametrize("name", LOGOS)
def test_logos_are_sized_trimmed_and_transparent(name: str) -> None:
    """Shortest side 128-256 px (256-512 px @2x), no empty border."""
    image = _open(name)
    low, high = (256, 512) if "@2x" in name else (128, 256)
    assert low <= min(image.size) <= high
    assert image.mode == "RGBA"
    alpha = image.getchannel("A")
    assert alpha.getbbox() == (0, 0, *image.size)
    assert alpha.getextrema()[0] == 0  # a transparent background shows through


@pytest.mark.parametrize("name", ICONS + LOGOS)
def test_double_resolution_matches_its_base(name: str) -> None:
    """An @2x image is its base image at twice the size."""
    if "@2x" in name:
        base = _open(name.replace("@2x", ""))
        assert _open(name).size == (base.width * 2, base.height * 2)


@pytest.mark.parametrize("name", ICONS)
def test_icon_does_not_read_as_an_error(name: str) -> None:
    """Hardly any alarm red: the icon sits on every PiAlert device page."""
    image = _open(name)
    pixels = image.tobytes()
    opaque = [
        (pixels[i], pixels[i + 1], pixels[i + 2])
        for i in range(0, len(pixels), 4)
        if pixels[i + 3] > 200
    ]
    red = [p for p in opaque if p[0] > 150 and p[1] < 110 and p[2] < 110]
    assert opaque
    assert len(red) / len(opaque) < 0.01


def test_images_are_what_the_script_draws() -> None:
    """scripts/brand.py reproduces the committed images."""
    for name, drawn in _brand_script().render().items():
        committed = _open(name)
        assert committed.size == drawn.size, name
        difference = ImageChops.difference(committed, drawn.convert("RGBA"))
        assert max(high for _, high in difference.getextrema()) <= 2, name
