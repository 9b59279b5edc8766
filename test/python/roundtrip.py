"""Parses every error example of the spec with the generated Python models and round-trips it.

Reads a JSON list of {"code", "details_type", "body"} on stdin; prints one line per example and
exits non-zero on the first difference.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
import pandastack_errors as models  # noqa: E402


def main() -> int:
    cases = json.load(sys.stdin)
    for case in cases:
        body = case["body"]
        envelope = models.PandaStackError.from_dict(body)
        assert envelope.error.code.value == case["code"], (case["code"], envelope.error.code)
        again = envelope.to_dict()
        if again != body:
            print(f"envelope of {case['code']} changed: {again} != {body}")
            return 1
        details_type = getattr(models, case["details_type"])
        details = details_type.from_dict(body["error"]["details"])
        if details.to_dict() != body["error"]["details"]:
            print(f"details of {case['code']} changed: {details.to_dict()} != {body['error']['details']}")
            return 1
        print(f"ok {case['code']} ({case['details_type']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
