"""Engine tests run without Home Assistant: the engine imports none of it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override tests/conftest.py's fixture, which starts a Home Assistant."""
