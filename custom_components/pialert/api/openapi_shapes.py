"""OpenAPI component schemas generated from the answers' TypedDicts."""

from __future__ import annotations

from enum import Enum
import types
from typing import (
    Annotated,
    Any,
    Literal,
    NotRequired,
    Required,
    TypeAliasType,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

from .shapes import Schema

type Json = dict[str, Any]

_SCALARS: dict[type, str] = {
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
}


def component_name(body: type) -> str:
    """Return the component name of an answer's TypedDict (``TargetBody``: Target)."""
    return body.__name__.removesuffix("Body")


def ref(body: type) -> Json:
    """Return a reference to an answer's component schema."""
    return {"$ref": f"#/components/schemas/{component_name(body)}"}


def _with_null(schema: Json) -> Json:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    return {"oneOf": [schema, {"type": "null"}]}


def type_schema(hint: Any, found: dict[str, type]) -> Json:
    """Return the schema of a type; nested TypedDicts are referenced and noted."""
    if isinstance(hint, TypeAliasType):
        return type_schema(hint.__value__, found)
    origin = get_origin(hint)
    if origin is Annotated:
        inner, *metadata = get_args(hint)
        schema = type_schema(inner, found)
        for item in metadata:
            if isinstance(item, Schema):
                schema = {**schema, **item.keywords}
        return schema
    if origin in (NotRequired, Required):
        return type_schema(get_args(hint)[0], found)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"Cannot describe {hint}")
        schema = type_schema(options[0], found)
        return _with_null(schema) if type(None) in get_args(hint) else schema
    if origin is Literal:
        values = [v.value if isinstance(v, Enum) else v for v in get_args(hint)]
        return {"type": "string", "enum": values}
    if origin is list:
        return {"type": "array", "items": type_schema(get_args(hint)[0], found)}
    if origin is dict:
        value = get_args(hint)[1]
        extra = True if value is Any else type_schema(value, found)
        return {"type": "object", "additionalProperties": extra}
    if is_typeddict(hint):
        found[component_name(hint)] = hint
        return ref(hint)
    if hint in _SCALARS:
        return {"type": _SCALARS[hint]}
    raise TypeError(f"Cannot describe {hint}")


def body_schema(body: type, found: dict[str, type]) -> Json:
    """Return the object schema of one TypedDict; every key it may hold is listed."""
    hints = get_type_hints(body, include_extras=True)
    required: frozenset[str] = vars(body)["__required_keys__"]
    schema: Json = {
        "type": "object",
        "required": [name for name in hints if name in required],
        "properties": {name: type_schema(hint, found) for name, hint in hints.items()},
        "additionalProperties": False,
    }
    if body.__doc__:
        schema["description"] = body.__doc__.strip()
    return schema


def response_schemas(bodies: tuple[type, ...]) -> Json:
    """Return the component schemas of ``bodies`` and of the bodies they nest."""
    schemas: Json = {}
    pending = {component_name(b): b for b in bodies}
    while pending:
        name, body = pending.popitem()
        if name in schemas:
            continue
        found: dict[str, type] = {}
        schemas[name] = body_schema(body, found)
        pending.update({n: b for n, b in found.items() if n not in schemas})
    return schemas
