"""Name and tag rules, without Home Assistant."""

from __future__ import annotations

import pytest

from custom_components.pialert.engine.config import validate_target
from custom_components.pialert.engine.models import Target, TargetKind
from custom_components.pialert.engine.names import (
    name_key,
    name_problem,
    same_name,
    tag_problem,
    tags_problem,
)
from custom_components.pialert.engine.settings import HeartbeatSettings

BIDI = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


@pytest.mark.parametrize("char", BIDI)
def test_bidirectional_controls_are_refused(char: str) -> None:
    assert name_problem(f"invoice{char}fdp.exe") == "invalid_name_characters"
    assert tag_problem(f"a{char}b") == "invalid_tag"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\n"])
def test_control_characters_are_refused(char: str) -> None:
    assert name_problem(f"Web{char}site") == "invalid_name_characters"
    assert tag_problem(f"we{char}b") == "invalid_tag"


@pytest.mark.parametrize(
    "name",
    ["\u200b", "\u200b\u200b \u200c", "\u2060", "\u3164", "\ufeff"],
)
def test_invisible_only_names_are_refused(name: str) -> None:
    assert name_problem(name) == "invalid_name_invisible"
    assert tag_problem(name) == "invalid_tag"


@pytest.mark.parametrize(
    "name",
    [
        "Web",
        "Café",
        "Ürün sunucusu",
        "サーバー",
        "NAS 🖴",
        "👨\u200d👩\u200d👧 family",
        "a-b_c.d",
    ],
)
def test_ordinary_names_pass(name: str) -> None:
    assert name_problem(name) is None
    assert tag_problem(name.lower()) is None


def test_length_and_blank() -> None:
    assert name_problem("") == "invalid_name"
    assert name_problem("   ") == "invalid_name"
    assert name_problem("x" * 100) is None
    assert name_problem("x" * 101) == "invalid_name"


def test_commas_in_tags_are_refused() -> None:
    assert tag_problem("a,b") == "invalid_tag_comma"
    assert tags_problem(["ok", "a,b"]) == "invalid_tag_comma"
    assert tags_problem(["ok", "fine"]) is None
    assert tags_problem(None) is None
    # A comma-separated text is a list: its commas separate.
    assert tags_problem("ok, fine") is None
    assert tags_problem(["ok", 5]) == "invalid_tag"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Web", "web"),
        ("Ｗｅｂ", "web"),  # noqa: RUF001 - full-width on purpose
        ("Straße", "STRASSE"),
        ("ﬁle server", "file server"),
        ("Café", "Cafe\u0301"),
        ("  Web ", "web"),
    ],
)
def test_names_compare_after_nfkc_and_casefolding(first: str, second: str) -> None:
    assert same_name(first, second)
    assert name_key(first) == name_key(second)


def test_validate_target_applies_the_rules() -> None:
    existing = {
        "web": Target(
            id="web",
            name="Web",
            kind=TargetKind.HEARTBEAT,
            settings=HeartbeatSettings(period=60, grace=0, token="t"),
        )
    }
    base = {"kind": "heartbeat", "period": 3600, "grace": 60}
    assert validate_target(
        {**base, "name": "Ｗｅｂ"},  # noqa: RUF001
        target_id=None,
        existing=existing,
    ) == {"name": "name_exists"}
    # The same target keeps its own name, in another spelling too.
    assert (
        validate_target({**base, "name": "WEB"}, target_id="web", existing=existing)
        == {}
    )
    assert validate_target(
        {**base, "name": "Back\u202eup", "tags": ["a,b"]}, target_id=None, existing={}
    ) == {"name": "invalid_name_characters", "tags": "invalid_tag_comma"}
    assert validate_target(
        {**base, "name": "\u200b\u200b"}, target_id=None, existing={}
    ) == {"name": "invalid_name_invisible"}
