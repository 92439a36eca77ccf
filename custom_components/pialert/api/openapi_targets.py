"""OpenAPI schemas of target bodies, one per kind.

A body valid against these schemas is accepted, except for what a schema
cannot say and the descriptions state: a name already taken, a timeout not
shorter than the interval, a dependency on an unknown target, a name of
invisible characters only, a DNS ``expected`` that cannot answer the record
type, a keyword with HEAD, or one of PiAlert's own entities.
"""

from __future__ import annotations

from typing import Any, Final

from ..engine.config import (
    COMMON_KEYS,
    COMMON_NUMBERS,
    CONF_TIMEOUT,
    KIND_KEYS,
    common_default,
    kind_fields,
)
from ..engine.fields import MAX_LIST_ITEMS, Field, FieldType
from ..engine.http_assertions import HEADER_NAME, JSON_PATH
from ..engine.models import TargetKind
from ..engine.names import BIDI_CONTROLS
from ..engine.rule_fields import RULE_KEYS
from ..engine.settings import NUMERIC_CONDITIONS, EntityCondition
from .request import MAX_TAG_LENGTH, MAX_TAGS, MAX_TEXT_LENGTH

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
HTTP_URL_PATTERN: Final = (
    f"^[Hh][Tt][Tt][Pp][Ss]?://{_SHORT_HOST}(?:{_HOSTNAME}|{_IPV4})"
    f"(?::{_PORT})?(?:[/?#][^\\s]*)?$"
)
STATUS_ITEM = "(?:[1-5][0-9]{2}(?: *- *[1-5][0-9]{2})?|[1-5]xx)"

KIND_FIELDS_TEXT: Final = (
    "Fields per kind are listed in each variant; other fields are refused. "
    "null or an empty string unsets a field. Also refused, as no schema can "
    "say it: a name another target has (compared case-insensitively after "
    "Unicode NFKC normalisation), a name or tag of invisible characters only, a "
    "timeout not shorter than the interval, depends_on naming no target, a "
    "DNS expected value that cannot answer its record type, a keyword with "
    "method HEAD, PiAlert's own entities as entity_id or in entities, an "
    "entity group choosing no entity or matching none, rule at_least or share "
    "without at_least or share, a cron schedule that "
    "never runs or out-of-range values in it, an unknown time_zone, min_events or "
    "time_window_seconds without the other (the target's saved one counts), "
    "json_path with method HEAD, json_value without json_path, a json_value "
    "missing (unless json_condition is exists) or not a number for above and "
    "below, and header_value without header_name."
)


_JSON_TYPES: Final = {
    FieldType.INTEGER: ["integer"],
    FieldType.NUMBER: ["number"],
    FieldType.BOOLEAN: ["boolean"],
    FieldType.TEXT_OR_NUMBER: ["string", "number"],
    FieldType.LIST: ["array"],
}
# What the API checks beyond a field's type and bounds, as patterns.
_PATTERNS: Final = {
    "url": HTTP_URL_PATTERN,
    "accepted_status": f"^ *{STATUS_ITEM}(?: *, *{STATUS_ITEM})* *$",
    "host": HOST_PATTERN,
    "hostname": f"^(?![0-9.]+$){_SHORT_HOST}{_HOSTNAME}$",
    "resolver": f"^(?:{_IPV4}(?::{_PORT})?|\\[[0-9A-Fa-f:.]+\\]:{_PORT})$",
    "entity_id": "^[a-z0-9_]+\\.[a-z0-9_]+$",
    "json_path": JSON_PATH.pattern,
    "header_name": HEADER_NAME.pattern,
    # Five cron fields; cronsim judges their ranges.
    "schedule": "^ *[0-9A-Za-z*,/?#LW-]+(?: +[0-9A-Za-z*,/?#LW-]+){4} *$",
    "time_zone": "^[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*$",
}


def _all_kind_fields() -> list[Field]:
    """Return every kind's fields once (tcp and ping share ``host``)."""
    seen: dict[str, Field] = {}
    for kind in TargetKind:
        for described in kind_fields(kind):
            if described.spec.type is not FieldType.SECRET:
                seen.setdefault(described.name, described)
    return list(seen.values())


def _kind_field(described: Field) -> Json:
    """Return a kind field's schema, from the engine's field table."""
    spec = described.spec
    types = list(_JSON_TYPES.get(spec.type, ["string"]))
    # null unsets a field that may be left out.
    schema: Json = {"type": types if spec.required else [*types, "null"]}
    if len(schema["type"]) == 1:
        schema["type"] = types[0]
    if spec.type is FieldType.LIST:
        schema["maxItems"] = MAX_LIST_ITEMS
        schema["items"] = {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_TEXT_LENGTH,
            "pattern": "[^\\s]",
        }
    if spec.minimum is not None:
        schema["minimum"] = spec.minimum
    if spec.maximum is not None:
        schema["maximum"] = spec.maximum
    if spec.choices:
        schema["enum"] = [*spec.choices, *([] if spec.required else [None])]
    if spec.default is not None:
        schema["default"] = spec.default
    if pattern := _PATTERNS.get(described.name):
        schema["pattern"] = pattern
    if spec.description:
        kinds = [k.value for k in TargetKind if described.name in KIND_KEYS[k]]
        schema["description"] = f"{', '.join(kinds)}: {spec.description}"
    return schema


def _common_number(described: Field) -> Json:
    """Return the schema of a number every kind has (defaults are per kind)."""
    spec = described.spec
    schema: Json = {
        "type": _JSON_TYPES[spec.type][0],
        "minimum": spec.minimum,
        "maximum": spec.maximum,
    }
    if described.name in RULE_KEYS:  # optional: null unsets a rule
        schema["type"] = [schema["type"], "null"]
    if described.name == CONF_TIMEOUT:
        # The form steps by half seconds; the engine takes any positive timeout.
        del schema["minimum"]
        schema["exclusiveMinimum"] = 0
    if spec.description:
        schema["description"] = spec.description
    return schema


def target_fields() -> Json:
    """Return the writable fields of a target, common and kind-specific."""
    return {
        "kind": {"type": "string", "enum": [k.value for k in TargetKind]},
        "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "pattern": NAME_PATTERN,
            "description": "Unique; no control or text-direction characters.",
        },
        **{f.name: _common_number(f) for f in COMMON_NUMBERS},
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
        **{f.name: _kind_field(f) for f in _all_kind_fields()},
    }


# Fields a creation body must give, per kind (besides kind and name).
REQUIRED: Final[dict[TargetKind, tuple[str, ...]]] = {
    TargetKind.HTTP: ("url",),
    TargetKind.TCP: ("host", "port"),
    TargetKind.PING: ("host",),
    TargetKind.DNS: ("hostname",),
    TargetKind.HEARTBEAT: ("period", "grace"),
    TargetKind.ENTITY: ("entity_id",),
    TargetKind.ENTITY_GROUP: (),
    TargetKind.INTEGRATION_HEALTH: (),
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
    for number in COMMON_NUMBERS:
        if (default := common_default(number.name, kind)) is not None:
            schema["properties"][number.name] = {
                **fields[number.name],
                "default": default,
            }
    if create:
        schema["required"] = ["kind", "name", *REQUIRED[kind]]
    for field in schema["properties"].values():
        if "string" in str(field.get("type")) and "maxLength" not in field:
            field["maxLength"] = MAX_TEXT_LENGTH
    if create and kind in (TargetKind.ENTITY, TargetKind.ENTITY_GROUP):
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
