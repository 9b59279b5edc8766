"""Schemathesis hooks of the PandaStack contract (loaded through SCHEMATHESIS_HOOKS).

Serializer aliases for the archive media types the spec names: a function's deploy body may be
`application/gzip`, a template build's context part `application/x-tar`. Schemathesis 4.32 has no
serializer for either; when its generator picks one, the run ends that operation (or the stateful
phase) with an error ("No supported serializers", "Cannot serialize"). The bytes go on the wire as
they are, as for `application/octet-stream`; test/fuzz-schemathesis.test.ts checks every media
type the spec names has a serializer.

One filter: a "schema-valid request rejected" failure (ST202) is dropped when the request it names
is not schema-valid after all, that is, when one of its path, query or header values, as sent on
the wire, breaks its own parameter's schema. Schemathesis 4.32 labels such requests positive in
three cases seen on this spec (docs/schemathesis.md): in its coverage phase a header whose schema
has a `pattern` is sent as `0`; an integer parameter is sometimes written as a float (`5282.0`),
which no integer parser on a server accepts; and in its stateful phase a value taken from another
response along an inferred link is sent as it is, although the parameter it fills asks for another
format (a function run's free-form `sandbox_id` put where a sandbox's uuid goes). Each dropped failure is appended, one JSON line, to the file
named by PANDASTACK_SCHEMATHESIS_DROPPED, so that the run reports how many it dropped and why.
"""

import json
import os
import re

import schemathesis

ARCHIVE_MEDIA_TYPES = ["application/gzip", "application/x-tar"]
schemathesis.serializer.alias(ARCHIVE_MEDIA_TYPES, "application/octet-stream")

INTEGER = re.compile(r"^-?\d+$")
# The string formats the spec's path, query and header parameters name (a test keeps this list whole).
FORMATS = {
    "uuid": re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
    "date-time": re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$"),
}


def _wire(value):
    """The text Schemathesis puts on the wire for a parameter value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_wire(v) for v in value)
    return str(value)


def _violation(parameter, value):
    """Why a sent value breaks its parameter's schema, or None when it does not."""
    schema = parameter.optimized_schema or {}
    text = _wire(value)
    if schema.get("type") == "integer" and not INTEGER.match(text):
        return f"{parameter.location.value} parameter {parameter.name}={text!r} is not an integer"
    pattern = schema.get("pattern")
    if schema.get("type") == "string" and pattern and not re.search(pattern, text):
        return f"{parameter.location.value} parameter {parameter.name}={text!r} does not match {pattern}"
    form = FORMATS.get(schema.get("format"))
    if schema.get("type") == "string" and form and not form.match(text):
        return f"{parameter.location.value} parameter {parameter.name}={text!r} is not a {schema['format']}"
    return None


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
            out.write(json.dumps({"operation": case.operation.label, "code": failure.code, "reason": why}) + "\n")
    return False
