"""Parses error examples with the generated Python models and round-trips them.

argv[1] is the directory of pandastack_errors.py. stdin is a JSON list of cases:
{"where", "code", "status", "retryable", "details_type", "body"} must parse and round-trip to
the same JSON; {"where", "broken": true, "body"} must be rejected. Prints one line per case and
exits non-zero on the first failure.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
import pandastack_errors as models  # noqa: E402


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def check(case):
    body = case["body"]
    if case.get("broken"):
        try:
            envelope = models.PandaStackError.from_dict(body)
            models.parse_details(envelope.error)
        except Exception:  # the generated models reject it; any error type will do
            return None
        return "accepted a broken body"
    envelope = models.PandaStackError.from_dict(body)
    if envelope.error.code.value != case["code"]:
        return "code %r" % envelope.error.code
    if canonical(envelope.to_dict()) != canonical(body):
        return "envelope changed: %s" % canonical(envelope.to_dict())
    entry = models.ERROR_CATALOG[envelope.error.code]
    if (entry.status, entry.retryable, entry.details.__name__) != (case["status"], case["retryable"], case["details_type"]):
        return "catalog entry %r" % (entry,)
    details = models.parse_details(envelope.error)
    if not isinstance(details, entry.details):
        return "details type %s" % type(details).__name__
    if canonical(details.to_dict()) != canonical(body["error"]["details"]):
        return "details changed: %s" % canonical(details.to_dict())
    return None


def main():
    if len(models.ERROR_CATALOG) != len(models.ErrorCode):
        print("ERROR_CATALOG does not cover every ErrorCode")
        return 1
    for case in json.load(sys.stdin):
        problem = check(case)
        if problem:
            print("FAIL %s: %s" % (case["where"], problem))
            return 1
        print("ok %s" % case["where"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
