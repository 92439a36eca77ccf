"""OpenAPI schemas of target bodies, one per kind.

A body valid against these schemas is accepted, except for what a schema
cannot say and the descriptions state: a name already taken, a timeout not
shorter than the interval, a dependency on an unknown target, a name of
invisible characters only, a DNS ``expected`` that cannot answer the record
type, a keyword with HEAD, or one of PiAlert's own entities.
"""

from __future__ import annotations

from typing import Any, Final

from ..engine.config import COMMON_KEYS, KIND_KEYS
from ..engine.models import TargetKind
from ..engine.names import BIDI_CONTROLS
from ..engine.probes import dns, http
from ..engine.probes.entity import NUMERIC_CONDITIONS, EntityCondition
from .targets import MAX_TAG_LENGTH, MAX_TAGS, MAX_TEXT_LENGTH

type Json = dict[str, Any]

NULLABLE_STRING: Final[Json] = {"type": ["string", "null"]}
_UNSAFE = "\\x00-\\x1f\\x7f-\\x9f" + "".join(f"\\u{ord(c):04x}" for c in BIDI_CONTROLS)
_LABEL = "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOSTNAME = f"{_LABEL}(?:\\.{_LABEL})*\\.?"
# At most 253 characters up to the port, path or end.
_SHORT_HOST = "(?=[^:/?#]{1,254}(?:[:/?#]|$))"
_IPV4 = "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_PORT = "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
# A name shows at least one character; no control or direction characters.
NAME_PATTERN: Final = f"^[^{_UNSAFE}]*[^\\s{_UNSAFE}][^{_UNSAFE}]*$"
TAG_PATTERN: Final = f"^[^,{_UNSAFE}]*[^,\\s{_UNSAFE}][^,{_UNSAFE}]*$"
HOST_PATTERN: Final = f"^{_SHORT_HOST}(?:{_HOSTNAME}|{_IPV4})$"
STATUS_ITEM = "(?:[1-5][0-9]{2}(?: *- *[1-5][0-9]{2})?|[1-5]xx)"

KIND_FIELDS_TEXT: Final = (
    "Fields per kind are listed in each variant; other fields are refused. "
    "null or an empty string unsets a field. Also refused, as no schema can "
    "say it: a name another target has (compared case-insensitively after "
    "Unicode NFKC normalisation), a name or tag of invisible characters only, a "
    "timeout not shorter than the interval, depends_on naming no target, a "
    "DNS expected value that cannot answer its record type, a keyword with "
    "method HEAD, and PiAlert's own entities as entity_id."
)


def target_fields() -> Json:
    """Return the writable fields of a target, common and kind-specific."""
    integer = {"type": "integer"}
    return {
        "kind": {"type": "string", "enum": [k.value for k in TargetKind]},
        "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "pattern": NAME_PATTERN,
            "description": "Unique; no control or text-direction characters.",
        },
        "interval": {**integer, "minimum": 10, "maximum": 86400, "default": 60},
        "timeout": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 300,
            "default": 10,
            "description": "Seconds; shorter than the interval.",
        },
        "failure_threshold": {
            **integer,
            "minimum": 1,
            "maximum": 100,
            "description": "Failures in a row before the target alerts "
            "(default 3, 1 for heartbeat and entity targets).",
        },
        "success_threshold": {**integer, "minimum": 1, "maximum": 100, "default": 1},
        "enabled": {"type": "boolean", "default": True},
        "depends_on": {
            **NULLABLE_STRING,
            "description": "Id of a target this one depends on.",
        },
        "tags": {
            "type": ["array", "null"],
            "maxItems": MAX_TAGS,
            "items": {
                "type": "string",
                "maxLength": MAX_TAG_LENGTH,
                "pattern": TAG_PATTERN,
            },
            "description": "Stored trimmed and lower-case; no commas.",
        },
        "url": {
            "type": "string",
            "pattern": f"^[Hh][Tt][Tt][Pp][Ss]?://{_SHORT_HOST}(?:{_HOSTNAME}|{_IPV4})"
            f"(?::{_PORT})?(?:[/?#][^\\s]*)?$",
            "description": "http: http:// or https:// URL.",
        },
        "method": {
            "type": ["string", "null"],
            "enum": [*http.METHODS, None],
            "default": "GET",
        },
        "accepted_status": {
            "type": ["string", "null"],
            "pattern": f"^ *{STATUS_ITEM}(?: *, *{STATUS_ITEM})* *$",
            "default": "200-299",
            "description": "http: codes or ranges, for example 200-299, 301.",
        },
        "keyword": {**NULLABLE_STRING, "description": "http: text that must appear."},
        "keyword_absent": {"type": ["boolean", "null"], "default": False},
        "verify_ssl": {"type": ["boolean", "null"], "default": True},
        "cert_expiry_days": {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": 365,
            "description": "http: fail when the certificate expires within.",
        },
        "host": {
            "type": "string",
            "pattern": HOST_PATTERN,
            "description": "tcp, ping: host name or IPv4 address (IPv6 too).",
        },
        "port": {**integer, "minimum": 1, "maximum": 65535},
        "count": {"type": ["integer", "null"], "minimum": 1, "maximum": 10},
        "hostname": {
            "type": "string",
            "pattern": f"^(?![0-9.]+$){_SHORT_HOST}{_HOSTNAME}$",
            "description": "dns: the name to look up (not an IP address).",
        },
        "record_type": {
            "type": ["string", "null"],
            "enum": [*dns.RECORD_TYPES, None],
            "default": "A",
        },
        "expected": NULLABLE_STRING,
        "resolver": {
            "type": ["string", "null"],
            "pattern": f"^(?:{_IPV4}(?::{_PORT})?|\\[[0-9A-Fa-f:.]+\\]:{_PORT})$",
            "description": "dns: IP, IPv4:port or [IPv6]:port.",
        },
        "period": {
            **integer,
            "minimum": 10,
            "maximum": 31 * 86400,
            "description": "heartbeat: seconds between expected pings.",
        },
        "grace": {**integer, "minimum": 0, "maximum": 7 * 86400},
        "entity_id": {"type": "string", "pattern": "^[a-z0-9_]+\\.[a-z0-9_]+$"},
        "condition": {
            "type": "string",
            "enum": [c.value for c in EntityCondition],
            "default": EntityCondition.UNAVAILABLE.value,
        },
        "value": {"type": ["string", "number", "null"]},
        "for_seconds": {**integer, "minimum": 0, "maximum": 7 * 86400, "default": 0},
    }


# Fields a creation body must give, per kind (besides kind and name).
REQUIRED: Final[dict[TargetKind, tuple[str, ...]]] = {
    TargetKind.HTTP: ("url",),
    TargetKind.TCP: ("host", "port"),
    TargetKind.PING: ("host",),
    TargetKind.DNS: ("hostname",),
    TargetKind.HEARTBEAT: ("period", "grace"),
    TargetKind.ENTITY: ("entity_id",),
}


def _entity_conditions() -> list[Json]:
    """Return the entity variants' condition rules: what ``value`` must be."""
    numeric = sorted(c.value for c in NUMERIC_CONDITIONS)
    compared = [EntityCondition.EQUALS.value, EntityCondition.NOT_EQUALS.value]
    number = {
        "anyOf": [
            {"type": "number"},
            {"type": "string", "pattern": "^ *-?[0-9]+(?:\\.[0-9]+)? *$"},
        ]
    }
    return [
        {
            "properties": {"condition": {"enum": [EntityCondition.UNAVAILABLE.value]}},
        },
        {
            "required": ["condition", "value"],
            "properties": {"condition": {"enum": numeric}, "value": number},
        },
        {
            "required": ["condition", "value"],
            "properties": {
                "condition": {"enum": compared},
                "value": {
                    "anyOf": [
                        {"type": "number"},
                        {"type": "string", "pattern": "[^\\s]"},
                    ]
                },
            },
        },
    ]


def kind_schema(kind: TargetKind, *, create: bool) -> Json:
    """Return the body schema of one kind, for creation or for a change."""
    fields = target_fields()
    names = sorted((COMMON_KEYS | KIND_KEYS[kind]) - {"token", "kind"})
    schema: Json = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "kind": {"const": kind.value},
            **{name: fields[name] for name in names},
        },
    }
    if create:
        schema["required"] = ["kind", "name", *REQUIRED[kind]]
    for field in schema["properties"].values():
        if "string" in str(field.get("type")) and "maxLength" not in field:
            field["maxLength"] = MAX_TEXT_LENGTH
    if create and kind is TargetKind.ENTITY:
        schema["oneOf"] = _entity_conditions()
    if kind is TargetKind.HEARTBEAT:
        schema["description"] = "The ping token is generated, never given."
    return schema


def target_body_schemas() -> Json:
    """Return the component schemas of target creation and change bodies."""
    schemas: Json = {}
    for kind in TargetKind:
        name = kind.value.capitalize()
        schemas[f"{name}TargetCreate"] = kind_schema(kind, create=True)
        schemas[f"{name}TargetUpdate"] = kind_schema(kind, create=False)
    ref = "#/components/schemas/{}"
    schemas["TargetCreate"] = {
        "description": KIND_FIELDS_TEXT,
        "oneOf": [
            {"$ref": ref.format(f"{k.value.capitalize()}TargetCreate")}
            for k in TargetKind
        ],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {
                k.value: ref.format(f"{k.value.capitalize()}TargetCreate")
                for k in TargetKind
            },
        },
    }
    schemas["TargetUpdate"] = {
        "description": "Fields to change, those of the target's kind; the kind "
        "cannot change. " + KIND_FIELDS_TEXT,
        "anyOf": [
            {"$ref": ref.format(f"{k.value.capitalize()}TargetUpdate")}
            for k in TargetKind
        ],
    }
    return schemas
