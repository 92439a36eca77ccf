"""KeyRing: creating, verifying, saving and changing API keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import hmac
import json
import re

import pytest

from custom_components.pialert.api.keys import (
    DEFAULT_RATE_LIMIT,
    KEY_PREFIX,
    MAX_RATE_LIMIT,
    KeyRing,
    Scope,
    hash_key,
)
from custom_components.pialert.engine.errors import RefusedError

URLSAFE = re.compile(r"[A-Za-z0-9_-]+")
NOW = datetime(2025, 10, 21, 21, 14, 18, tzinfo=UTC)


def test_keyring_create_rules() -> None:
    """Names are trimmed and unique (any case); rate limits are bounded."""
    ring = KeyRing()
    key, plaintext = ring.create("  Relay  ", Scope.READ, NOW)
    assert key.name == "Relay"
    assert key.key_hash == hash_key(plaintext)
    assert key.hint == plaintext[: len(KEY_PREFIX) + 4] + "…"
    assert key.created_at == NOW
    assert key.rate_limit == DEFAULT_RATE_LIMIT
    assert "key_hash" not in key.public()
    assert plaintext not in json.dumps(key.public())

    for name, reason in (
        ("RELAY", "key_name_exists"),
        ("", "invalid_key_name"),
        ("x" * 101, "invalid_key_name"),
    ):
        with pytest.raises(RefusedError) as err:
            ring.create(name, Scope.READ, NOW)
        assert err.value.key == reason
    with pytest.raises(RefusedError) as err:
        ring.create("Relay", Scope.READ, NOW)
    assert err.value.placeholders == {"name": "Relay"}
    for rate_limit in (0, MAX_RATE_LIMIT + 1):
        with pytest.raises(RefusedError) as err:
            ring.create("Other", Scope.READ, NOW, rate_limit)
        assert err.value.key == "invalid_rate_limit"
    ring.create("x" * 100, Scope.READ, NOW, MAX_RATE_LIMIT)
    assert len(ring.keys) == 2


def test_keyring_verify_compares_once_whatever_the_number_of_keys() -> None:
    """One constant-time comparison per request, with the presented key's hash.

    The candidate is found by hash, so 100 keys cost what one does.
    """
    ring = KeyRing()
    plaintexts = [ring.create(f"Key {n}", Scope.READ, NOW)[1] for n in range(100)]
    compared: list[tuple[str, str]] = []

    def counting(a: str, b: str) -> bool:
        compared.append((a, b))
        return hmac.compare_digest(a, b)

    for presented in [plaintexts[0], plaintexts[50], plaintexts[-1], "pa_wrong", ""]:
        compared.clear()
        found = ring.verify(presented, compare=counting)
        assert len(compared) == 1
        stored, wanted = compared[0]
        # Hashes are compared, never the presented key itself.
        assert wanted == hash_key(presented)
        if presented in plaintexts:
            assert found is not None
            assert stored == found.key_hash == hash_key(presented)
            assert ring.keys[found.id] is found
        else:
            assert found is None
            assert stored not in {k.key_hash for k in ring.keys.values()}


def test_keyring_verify_refuses_when_the_comparison_does() -> None:
    """The comparison decides: a candidate found by hash is not enough."""
    ring = KeyRing()
    _, plaintext = ring.create("Relay", Scope.READ, NOW)
    assert ring.verify(plaintext, compare=lambda _a, _b: False) is None
    assert ring.verify(plaintext) is not None


def test_keyring_hash_index_follows_every_change() -> None:
    """create, disable, enable, usage, delete and load keep the lookup in step."""
    ring = KeyRing()
    key, plaintext = ring.create("Relay", Scope.READ, NOW)
    other, other_plaintext = ring.create("Other", Scope.WRITE, NOW)
    assert ring.verify(plaintext) == key

    ring.set_enabled(key.id, False)
    disabled = ring.verify(plaintext)
    assert disabled is not None
    assert disabled.enabled is False
    ring.set_enabled(key.id, True)
    assert ring.verify(plaintext) == ring.keys[key.id]
    assert ring.keys[key.id].enabled is True

    ring.touch(key, NOW + timedelta(seconds=1))
    assert ring.flush_usage() is True
    used = ring.verify(plaintext)
    assert used is not None
    assert used.usage_count == 1

    ring.delete(key.id)
    assert ring.verify(plaintext) is None
    assert ring.verify(other_plaintext) == other

    loaded = KeyRing.load(ring.dump())
    assert loaded.verify(other_plaintext) == other
    assert loaded.verify(plaintext) is None
    # The keys are read through a view; changes go through the ring.
    with pytest.raises(TypeError):
        loaded.keys["x"] = other  # type: ignore[index]


def test_keyring_load_refuses_a_hash_twice() -> None:
    """Two saved keys with one hash would make the lookup ambiguous."""
    ring = KeyRing()
    ring.create("Relay", Scope.READ, NOW)
    (saved,) = ring.dump()
    twin = {**saved, "id": "twin", "name": "Twin"}
    loaded, problems = KeyRing.load_valid([saved, twin])
    assert list(loaded.keys) == [saved["id"]]
    assert problems == ["key 2: key_hash appears twice"]


def test_keyring_dump_load_round_trip() -> None:
    """Dump holds hashes and metadata only; load gives back the same keys."""
    ring = KeyRing()
    read, read_key = ring.create("Relay", Scope.READ, NOW)
    write, write_key = ring.create("Writer", Scope.WRITE, NOW, rate_limit=7)
    ring.set_enabled(write.id, False)
    ring.touch(read, NOW + timedelta(minutes=1))

    data = ring.dump()
    text = json.dumps(data)
    for plaintext in (read_key, write_key):
        assert plaintext not in text
        assert plaintext[len(KEY_PREFIX) :] not in text
    assert {item["key_hash"] for item in data} == {
        hash_key(read_key),
        hash_key(write_key),
    }

    loaded = KeyRing.load(json.loads(text))
    assert loaded.keys == ring.keys
    assert loaded.keys[read.id].usage_count == 1
    assert loaded.keys[read.id].last_used_at == NOW + timedelta(minutes=1)
    assert loaded.keys[write.id].enabled is False
    assert loaded.keys[write.id].rate_limit == 7
    assert loaded.keys[write.id].scope is Scope.WRITE
    assert loaded.verify(read_key) == ring.keys[read.id]
    assert loaded.verify(write_key) == ring.keys[write.id]
    assert loaded.dump() == data

    # Older data without the optional fields still loads.
    minimal = KeyRing.load(
        [
            {
                "id": "a",
                "name": "Old",
                "key_hash": hash_key("pa_old"),
                "created_at": NOW.isoformat(),
            }
        ]
    )
    old = minimal.keys["a"]
    assert (old.scope, old.enabled, old.rate_limit, old.usage_count) == (
        Scope.READ,
        True,
        DEFAULT_RATE_LIMIT,
        0,
    )
    assert old.last_used_at is None
    assert minimal.verify("pa_old") == old


def test_keyring_usage_and_flush() -> None:
    """Usage is counted apart and folded in by flush_usage."""
    ring = KeyRing()
    key, _ = ring.create("Relay", Scope.READ, NOW)
    gone, _ = ring.create("Gone", Scope.READ, NOW)
    assert ring.flush_usage() is False

    ring.touch(key, NOW + timedelta(seconds=1))
    ring.touch(key, NOW + timedelta(seconds=2))
    # Not in the stored metadata yet, but current() and listing() see it.
    assert ring.keys[key.id].usage_count == 0
    assert ring.current(key.id).usage_count == 2
    assert ring.current(key.id).last_used_at == NOW + timedelta(seconds=2)
    assert {k.name: k.usage_count for k in ring.listing()} == {"Gone": 0, "Relay": 2}
    assert ring.current(gone.id).last_used_at is None

    assert ring.flush_usage() is True
    assert ring.keys[key.id].usage_count == 2
    assert ring.keys[key.id].last_used_at == NOW + timedelta(seconds=2)
    assert ring.flush_usage() is False
    assert ring.current(key.id).usage_count == 2

    # Usage of a key deleted before the flush is dropped.
    ring.touch(gone, NOW)
    ring.delete(gone.id)
    assert ring.flush_usage() is False
    assert list(ring.keys) == [key.id]


def test_keyring_lookups_and_changes() -> None:
    """get, set_enabled and delete refuse unknown keys."""
    ring = KeyRing()
    key, _ = ring.create("Relay", Scope.READ, NOW, rate_limit=10)
    assert ring.set_enabled(key.id, False).enabled is False
    assert ring.get(key.id).enabled is False
    for action in (
        lambda: ring.get("nope"),
        lambda: ring.current("nope"),
        lambda: ring.set_enabled("nope", True),
        lambda: ring.delete("nope"),
    ):
        with pytest.raises(RefusedError) as err:
            action()
        assert err.value.key == "unknown_api_key"
        assert err.value.placeholders == {"key_id": "nope"}
    deleted = ring.delete(key.id)
    assert (deleted.id, deleted.enabled, deleted.rate_limit) == (key.id, False, 10)
    assert ring.keys == {}
