"""Schemathesis hooks of the PandaStack contract (loaded through SCHEMATHESIS_HOOKS).

Serializer aliases for the archive media types the spec names: a function's deploy body may be
`application/gzip`, a template build's context part `application/x-tar`. Schemathesis 4.32 has no
serializer for either; when its generator picks one, the run ends that operation (or the stateful
phase) with an error ("No supported serializers", "Cannot serialize"). The bytes go on the wire as
they are, as for `application/octet-stream`; test/fuzz-schemathesis.test.ts checks every media
type the spec names has a serializer.

One filter: a "schema-valid request rejected" failure (ST202) is dropped when the request it names
is not schema-valid after all, that is, when one of its path, query or header values, as sent on
the wire, breaks its own parameter's schema. Schemathesis 4.32 labels such requests positive in three cases
seen on this spec (docs/schemathesis.md): in its coverage phase a header whose schema has a
`pattern` is sent as `0`; an integer parameter is sometimes written as a float (`5282.0`), which no
integer parser on a server accepts; and in its stateful phase a value taken from another response
along a link it infers by name is sent as it is, whatever the schema of the parameter it fills (a
function run's free-form `sandbox_id` put where a sandbox's uuid goes). Each dropped failure is appended, one JSON line, to the file
named by PANDASTACK_SCHEMATHESIS_DROPPED, so that the run reports how many it dropped and why.
"""

import json
import os
import re

import schemathesis

ARCHIVE_MEDIA_TYPES = ["application/gzip", "application/x-tar"]
schemathesis.serializer.alias(ARCHIVE_MEDIA_TYPES, "application/octet-stream")

INTEGER = re.compile(r"^-?\d+$")
FORMATS = {
    "uuid": re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
    "date-time": re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$"),
}
# Every keyword the spec's path, query and header parameter schemas use, checked below or (the
# annotations) never breakable; test/fuzz-schemathesis.test.ts holds the spec to this list.
CHECKED = {"type", "format", "pattern", "enum", "const", "minimum", "maximum", "minLength", "maxLength"}
ANNOTATIONS = {"description", "examples", "default"}


def _wire(value):
    """The text Schemathesis puts on the wire for a parameter value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_wire(v) for v in value)
    return str(value)


def _typed(schema, text):
    """The wire text read as its schema's type, or why it cannot be."""
    kind = schema.get("type")
    if kind == "integer":
        return (int(text), None) if INTEGER.match(text) else (None, "is not an integer")
    if kind == "boolean":
        return (text == "true", None) if text in ("true", "false") else (None, "is not a boolean")
    return text, None


def _broken_keyword(schema, value):
    """The first keyword of the schema the typed value breaks, as words, or None."""
    if "enum" in schema and value not in schema["enum"]:
        return f"is not one of {schema['enum']}"
    if "const" in schema and value != schema["const"]:
        return f"is not {schema['const']!r}"
    if isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return f"is below the minimum {schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            return f"is above the maximum {schema['maximum']}"
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return f"does not match {schema['pattern']}"
        form = FORMATS.get(schema.get("format"))
        if form and not form.match(value):
            return f"is not a {schema['format']}"
        if len(value) < schema.get("minLength", 0):
            return f"is shorter than {schema['minLength']} characters"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"is longer than {schema['maxLength']} characters"
    return None


def _violation(parameter, value):
    """Why a sent value breaks its parameter's schema, or None when it does not."""
    schema = parameter.optimized_schema or {}
    text = _wire(value)
    typed, why = _typed(schema, text)
    why = why or _broken_keyword(schema, typed)
    return f"{parameter.location.value} parameter {parameter.name}={text!r} {why}" if why else None


def _first_violation(case):
    sent = (
        (case.operation.path_parameters, case.path_parameters or {}),
        (case.operation.query, case.query or {}),
        (case.operation.headers, case.headers or {}),
    )
    for parameters, values in sent:
        lowered = {str(k).lower(): v for k, v in values.items()}
        for parameter in parameters:
            if parameter.name.lower() in lowered:
                why = _violation(parameter, lowered[parameter.name.lower()])
                if why:
                    return why
    return None


def _phase(case):
    meta = getattr(case, "_meta", None)
    return str(meta.phase.name.value) if meta is not None else None


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    if getattr(failure, "code", None) != "ST202":
        return True
    why = _first_violation(case)
    if why is None:
        return True
    log = os.environ.get("PANDASTACK_SCHEMATHESIS_DROPPED")
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps({"operation": case.operation.label, "code": failure.code, "phase": _phase(case), "reason": why}) + "\n")
    return False
