"""Reads error bodies with the generated Python model and reports what it read.

    python3 check.py MODEL_DIR            cases on stdin: a JSON list of {"where", "body"}
    python3 check.py MODEL_DIR fetch URL  one GET to a local server; the answer is the case

Prints one JSON object per case (see test/languages-models.test.ts for the fields).
"""
import json
import sys
import urllib.error
import urllib.request

sys.path.insert(0, sys.argv[1])
import pandastack_errors as models  # noqa: E402


def describe(where, body):
    try:
        envelope = models.parse_error(body)
    except models.InvalidErrorBody as e:
        return {"where": where, "ok": False, "error": str(e)}
    error = envelope.error
    entry = models.ERROR_CATALOG.get(error.code) if error.known else None
    result = {
        "where": where,
        "ok": True,
        "code": error.code_text,
        "known": error.known,
        "message": error.message,
        "request_id": error.request_id,
        "retryable": error.retryable,
        "retry_after_sec": error.retry_after_sec,
        "status": entry.status if entry else None,
        "details_type": entry.details.__name__ if entry else None,
        "envelope": envelope.to_dict(),
        "typed_details": None,
        "typed_type": None,
        "typed_error": None,
    }
    try:
        typed = error.typed_details()
        if typed is not None:
            result["typed_details"] = typed.to_dict()
            result["typed_type"] = type(typed).__name__
    except ValueError as e:  # InvalidValue, or an enum value the model does not know
        result["typed_error"] = str(e)
    return result


def main():
    if len(sys.argv) == 4 and sys.argv[2] == "fetch":
        try:
            with urllib.request.urlopen(sys.argv[3], timeout=10) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        result = describe("server", body)
        result["http_status"] = status
        print(json.dumps(result))
        return 0
    for case in json.load(sys.stdin):
        print(json.dumps(describe(case["where"], json.dumps(case["body"]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
