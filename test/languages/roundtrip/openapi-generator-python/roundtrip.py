"""The round trip through openapi-generator's Python client (see ../README.md)."""
import json
import os
import time
from typing import Any, Callable, Dict
from uuid import UUID

import pandastack_client as client
from pandastack_client.exceptions import ApiException

import pandastack_errors

MISSING = UUID("00000000-0000-4000-8000-000000000000")
FILE = "/workspace/hello.txt"


def api(url: str, token: str) -> client.ApiClient:
    configuration = client.Configuration(host=url, access_token=token)
    # urllib3 would otherwise sleep out a 429's Retry-After and retry; the driver reads the 429.
    configuration.retries = False
    return client.ApiClient(configuration)


def round_trip(c: client.ApiClient, text: str) -> Dict[str, Any]:
    sandboxes, fs, exe = client.SandboxesApi(c), client.FilesystemApi(c), client.ExecApi(c)
    created = sandboxes.create_sandbox(client.SandboxCreate(template="code-interpreter"))
    status = created.status.value
    for _ in range(100):  # bounded: 100 polls, 50 ms apart
        status = sandboxes.get_sandbox(created.id).status.value
        if status == "running":
            break
        time.sleep(0.05)
    written = fs.write_file(created.id, FILE, text.encode())
    ran = exe.exec_command(created.id, client.ExecRequest(cmd=f"cat {FILE}"))
    read = fs.read_file(created.id, FILE)
    sandboxes.delete_sandbox(created.id)
    return {"created_status": created.status.value, "status": status, "bytes": written.bytes,
            "stdout": ran.stdout, "exit_code": ran.exit_code, "read": bytes(read).decode()}


def failure(call: Callable[[], Any]) -> Dict[str, Any]:
    try:
        call()
    except ApiException as e:
        err = pandastack_errors.from_exception(e)
        details = err.details
        return {"http_status": err.status, "code": err.code, "known": err.known, "request_id": err.request_id,
                "retryable": err.retryable, "retry_after_sec": err.retry_after_sec,
                "details": details.to_dict() if hasattr(details, "to_dict") else details}
    raise SystemExit("the call succeeded; an error was expected")


def after_one(call: Callable[[], Any]) -> Any:
    """The second of two calls: the workspace allows one a minute."""
    try:
        call()
    except ApiException:
        pass
    return call()


def main() -> None:
    env = os.environ
    main_api = api(env["PANDASTACK_URL"], env["PANDASTACK_API_KEY"])
    rate = client.SandboxesApi(api(env["PANDASTACK_URL"], env["RATE_API_KEY"]))
    errors = {
        "not_found": failure(lambda: client.SandboxesApi(main_api).get_sandbox(MISSING)),
        "quota": failure(lambda: client.SandboxesApi(api(env["PANDASTACK_URL"], env["QUOTA_API_KEY"])).create_sandbox(client.SandboxCreate(template="code-interpreter"))),
        "rate_limited": failure(lambda: after_one(lambda: rate.get_sandbox(MISSING))),
        "unknown": failure(lambda: client.SandboxesApi(api(env["UNKNOWN_URL"], env["PANDASTACK_API_KEY"])).get_sandbox(MISSING)),
    }
    print(json.dumps({"roundtrip": round_trip(main_api, env["FILE_TEXT"]), "errors": errors}))


if __name__ == "__main__":
    main()
