"""Constants for the PiAlert integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "pialert"
HUB_TITLE: Final = "PiAlert"

SUBENTRY_TYPE_TARGET: Final = "target"
SUBENTRY_TYPE_NOTIFICATION_RULE: Final = "notification_rule"
# Offers the "Manage API keys" flow; keys are never stored as subentries.
SUBENTRY_TYPE_API_KEYS: Final = "api_keys"
SUBENTRY_TYPE_STATUS_PAGE: Final = "status_page"

STORAGE_KEY: Final = f"{DOMAIN}.state"
STORAGE_VERSION: Final = 1

# Hub options
CONF_MAX_CONCURRENT: Final = "max_concurrent_checks"
CONF_RETENTION_DAYS: Final = "retention_days"
CONF_MAX_EVENTS: Final = "max_history_events"
DEFAULT_MAX_CONCURRENT: Final = 64

# The coordinator wakes at least this often (silences, heartbeats, due checks
# wake it sooner).
MAX_TICK_SECONDS: Final = 10.0

EVENT_PREFIX: Final = f"{DOMAIN}_"

ISSUE_PING_NOT_PERMITTED: Final = "ping_not_permitted"
ISSUE_STORE_CORRUPT: Final = "store_corrupt"
ISSUE_KEYS_CORRUPT: Final = "keys_corrupt"
ISSUE_OUTBOX_CORRUPT: Final = "outbox_corrupt"
ISSUE_NOTIFY_STATE_CORRUPT: Final = "notify_state_corrupt"
ISSUE_RELAY_UNAVAILABLE: Final = "relay_unavailable"

HEARTBEAT_URL: Final = "/api/pialert/v1/heartbeat/{token}"
