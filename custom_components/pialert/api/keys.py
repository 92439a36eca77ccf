"""API keys: random, shown once, stored only as SHA-256 hashes.

The keys carry 256 random bits, so a fast hash is enough: there is nothing to
guess that a slow hash would protect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
import hashlib
import hmac
import secrets
from types import MappingProxyType
from typing import Any
import uuid

from ..engine.client_watch import MAX_POLL_INTERVAL, MIN_POLL_INTERVAL, WatchedClient
from ..engine.errors import RefusedError

KEY_PREFIX = "pa_"
DEFAULT_RATE_LIMIT = 120  # requests per minute, as the contract says
MAX_RATE_LIMIT = 1_000_000
MAX_NAME_LENGTH = 100
# Compared with when no key has the presented hash, so a wrong key costs the
# same one comparison as a right one.
_NO_MATCH = "0" * 64


class Scope(StrEnum):
    """What a key may do."""

    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A key's metadata; the key itself is never kept."""

    id: str
    name: str
    key_hash: str
    hint: str
    """The prefix and first characters, so users can tell keys apart."""
    scope: Scope
    created_at: datetime
    enabled: bool = True
    rate_limit: int = DEFAULT_RATE_LIMIT
    last_used_at: datetime | None = None
    usage_count: int = 0
    poll_interval: int | None = None
    """Seconds between its client's requests: PiAlert alerts when it falls silent."""

    def public(self) -> dict[str, Any]:
        """Return the metadata as shown to users (no hash)."""
        return {
            "id": self.id,
            "name": self.name,
            "hint": self.hint,
            "scope": self.scope.value,
            "status": "active" if self.enabled else "disabled",
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat()
            if self.last_used_at
            else None,
            "usage_count": self.usage_count,
            "rate_limit_per_minute": self.rate_limit,
            "poll_interval": self.poll_interval,
        }


def hash_key(plaintext: str) -> str:
    """Return the stored form of a key."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


@dataclass(slots=True)
class KeyRing:
    """All API keys of the hub, indexed by id and by hash."""

    _keys: dict[str, ApiKey] = field(default_factory=dict)
    # The request path finds a key by the hash of what was presented, so its
    # cost does not grow with the number of keys; ``put`` and ``_remove``
    # are the only writers, which keeps both maps in step.
    _by_hash: dict[str, ApiKey] = field(default_factory=dict)
    # Usage is counted here and folded into ``keys`` when saving, so a
    # request changes two integers and nothing else.
    _usage: dict[str, tuple[int, datetime]] = field(default_factory=dict)

    @property
    def keys(self) -> Mapping[str, ApiKey]:
        """Return the keys by id (read-only: change them through the methods)."""
        return MappingProxyType(self._keys)

    def put(self, key: ApiKey) -> ApiKey:
        """Add ``key``, or replace the key with its id, in both maps."""
        old = self._keys.get(key.id)
        if old is not None and old.key_hash != key.key_hash:
            del self._by_hash[old.key_hash]
        self._keys[key.id] = key
        self._by_hash[key.key_hash] = key
        return key

    def _remove(self, key_id: str) -> ApiKey:
        key = self._keys.pop(key_id)
        del self._by_hash[key.key_hash]
        return key

    def create(
        self,
        name: str,
        scope: Scope,
        now: datetime,
        rate_limit: int = DEFAULT_RATE_LIMIT,
        poll_interval: int | None = None,
    ) -> tuple[ApiKey, str]:
        """Make a key; return its metadata and the key, which is never kept."""
        name = name.strip()
        if not name or len(name) > MAX_NAME_LENGTH:
            raise RefusedError("invalid_key_name")
        if any(k.name.casefold() == name.casefold() for k in self._keys.values()):
            raise RefusedError("key_name_exists", name=name)
        if not 1 <= rate_limit <= MAX_RATE_LIMIT:
            raise RefusedError("invalid_rate_limit")
        if poll_interval is not None and not (
            MIN_POLL_INTERVAL <= poll_interval <= MAX_POLL_INTERVAL
        ):
            raise RefusedError("invalid_poll_interval")
        plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            id=uuid.uuid4().hex,
            name=name,
            key_hash=hash_key(plaintext),
            hint=plaintext[: len(KEY_PREFIX) + 4] + "…",
            scope=Scope(scope),
            created_at=now,
            rate_limit=rate_limit,
            poll_interval=poll_interval,
        )
        return self.put(key), plaintext

    def verify(
        self,
        plaintext: str,
        compare: Callable[[str, str], bool] = hmac.compare_digest,
    ) -> ApiKey | None:
        """Return the key matching ``plaintext``: one constant-time comparison.

        The lookup is by the SHA-256 of what was presented, which tells an
        attacker nothing about any stored hash; the comparison with the one
        candidate (or a dummy) still runs in constant time.
        """
        wanted = hash_key(plaintext)
        candidate = self._by_hash.get(wanted)
        stored = candidate.key_hash if candidate is not None else _NO_MATCH
        if compare(stored, wanted) and candidate is not None:
            return candidate
        return None

    def touch(self, key: ApiKey, now: datetime) -> None:
        """Count one use of ``key``."""
        count, _ = self._usage.get(key.id, (0, now))
        self._usage[key.id] = (count + 1, now)

    def flush_usage(self) -> bool:
        """Fold counted usage into the metadata; return whether anything changed."""
        changed = False
        for key_id, (count, last) in self._usage.items():
            key = self._keys.get(key_id)
            if key is not None:
                self.put(
                    replace(key, usage_count=key.usage_count + count, last_used_at=last)
                )
                changed = True
        self._usage.clear()
        return changed

    def current(self, key_id: str) -> ApiKey:
        """Return a key with its usage counted so far."""
        key = self.get(key_id)
        count, last = self._usage.get(key_id, (0, key.last_used_at))
        return replace(key, usage_count=key.usage_count + count, last_used_at=last)

    def watched_clients(self) -> list[WatchedClient]:
        """Return the enabled keys that declared a poll interval, with last use."""
        return [
            WatchedClient(key.id, key.name, key.poll_interval, key.created_at, seen)
            for key in self._keys.values()
            if key.poll_interval is not None and key.enabled
            for seen in [self._usage.get(key.id, (0, key.last_used_at))[1]]
        ]

    def get(self, key_id: str) -> ApiKey:
        """Return a key by id."""
        key = self._keys.get(key_id)
        if key is None:
            raise RefusedError("unknown_api_key", key_id=key_id)
        return key

    def set_enabled(self, key_id: str, enabled: bool) -> ApiKey:
        """Enable or disable a key."""
        return self.put(replace(self.get(key_id), enabled=enabled))

    def delete(self, key_id: str) -> ApiKey:
        """Delete a key for good."""
        self.get(key_id)
        self._usage.pop(key_id, None)
        return self._remove(key_id)

    def listing(self) -> list[ApiKey]:
        """Return all keys, with usage so far, oldest first."""
        return sorted(
            (self.current(key_id) for key_id in self._keys),
            key=lambda k: (k.created_at, k.name),
        )

    def dump(self) -> list[dict[str, Any]]:
        """Return the keys as JSON-safe data (hashes, never keys)."""
        self.flush_usage()
        return [
            {
                "id": k.id,
                "name": k.name,
                "key_hash": k.key_hash,
                "hint": k.hint,
                "scope": k.scope.value,
                "created_at": k.created_at.isoformat(),
                "enabled": k.enabled,
                "rate_limit": k.rate_limit,
                "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None,
                "usage_count": k.usage_count,
                # Only when set: keys saved before it was added stay as they were.
                **(
                    {"poll_interval": k.poll_interval}
                    if k.poll_interval is not None
                    else {}
                ),
            }
            for k in self._keys.values()
        ]

    @classmethod
    def load(cls, data: list[Mapping[str, Any]]) -> KeyRing:
        """Rebuild from ``dump``; raise ValueError for any unusable entry."""
        ring, problems = cls.load_valid(data)
        if problems:
            raise ValueError("; ".join(problems))
        return ring

    @classmethod
    def load_valid(cls, data: list[Any]) -> tuple[KeyRing, list[str]]:
        """Rebuild from ``dump``, keeping the good keys; also say what was bad."""
        ring = cls()
        problems: list[str] = []
        for index, item in enumerate(data):
            try:
                key = _key_from_dict(item)
                if key.id in ring._keys:
                    raise ValueError(f"id {key.id!r} appears twice")
                if key.key_hash in ring._by_hash:
                    raise ValueError("key_hash appears twice")
            except (KeyError, TypeError, ValueError) as err:
                problems.append(f"key {index + 1}: {err}")
                continue
            ring.put(key)
        return ring, problems


def parse_keys(stored: Any) -> tuple[KeyRing, list[str]]:
    """Read the key file's data: the good keys and what was wrong with others.

    Raise ValueError when the file as a whole is not PiAlert's key file.
    """
    if not isinstance(stored, Mapping) or set(stored) - {"keys"}:
        raise ValueError("not an object with only a list of keys")
    keys = stored.get("keys", [])
    if not isinstance(keys, list):
        raise ValueError("keys: expected a list")
    return KeyRing.load_valid(keys)


def _field[T](item: Mapping[str, Any], name: str, kind: type[T], default: T) -> T:
    value = item.get(name, default)
    # bool is an int to Python, not to the JSON that was saved.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{name}: expected {kind.__name__}, got {value!r:.40}")
    return value


def _timestamp(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: not a timestamp: {value!r:.40}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{name}: timestamp without a time zone")
    return parsed


def _key_from_dict(item: Any) -> ApiKey:
    """Build one key from its saved form, type-checking every field."""
    if not isinstance(item, Mapping):
        raise ValueError(f"expected an object, got {item!r:.40}")
    missing = object()
    for required in ("id", "name", "key_hash", "created_at"):
        if item.get(required, missing) is missing:
            raise ValueError(f"{required} is missing")
    key_hash = _field(item, "key_hash", str, "")
    if len(key_hash) != 64 or set(key_hash) - set("0123456789abcdef"):
        raise ValueError("key_hash: not a SHA-256 hex digest")
    rate_limit = _field(item, "rate_limit", int, DEFAULT_RATE_LIMIT)
    if not 1 <= rate_limit <= MAX_RATE_LIMIT:
        raise ValueError(f"rate_limit: out of range: {rate_limit}")
    usage_count = _field(item, "usage_count", int, 0)
    if usage_count < 0:
        raise ValueError(f"usage_count: negative: {usage_count}")
    last_used = item.get("last_used_at")
    poll_interval = item.get("poll_interval")
    if poll_interval is not None and (
        isinstance(poll_interval, bool)
        or not isinstance(poll_interval, int)
        or not MIN_POLL_INTERVAL <= poll_interval <= MAX_POLL_INTERVAL
    ):
        raise ValueError(f"poll_interval: out of range: {poll_interval!r:.40}")
    return ApiKey(
        id=_field(item, "id", str, ""),
        name=_field(item, "name", str, ""),
        key_hash=key_hash,
        hint=_field(item, "hint", str, KEY_PREFIX + "…"),
        scope=Scope(_field(item, "scope", str, Scope.READ.value)),
        created_at=_timestamp(_field(item, "created_at", str, ""), "created_at"),
        enabled=_field(item, "enabled", bool, True),
        rate_limit=rate_limit,
        last_used_at=(
            _timestamp(_field(item, "last_used_at", str, ""), "last_used_at")
            if last_used is not None
            else None
        ),
        usage_count=usage_count,
        poll_interval=poll_interval,
    )
