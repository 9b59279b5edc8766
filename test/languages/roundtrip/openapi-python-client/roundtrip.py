"""The round trip through openapi-python-client's client (see ../README.md).

openapi-python-client answers every call with a Response whose .parsed is a union of the
success model and one model per error; the driver narrows it with isinstance, so mypy --strict
checks the calls, and reads errors from .status_code and .content through pandastack_errors."""
import io
import json
import os
import time
from typing import Any, Callable, Dict
from uuid import UUID

from pandastack_api import AuthenticatedClient
from pandastack_api.api.exec_ import exec_command
from pandastack_api.api.filesystem import read_file, write_file
from pandastack_api.api.sandboxes import create_sandbox, delete_sandbox, get_sandbox
from pandastack_api.models import ExecRequest, ExecResult, FileWriteResult, Sandbox, SandboxCreate
from pandastack_api.types import File, Response

import pandastack_errors

MISSING = UUID("00000000-0000-4000-8000-000000000000")
FILE = "/workspace/hello.txt"


def api(url: str, token: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=url, token=token)


def ok(response: Response[Any], status: int, what: str) -> None:
    if response.status_code != status:
        raise SystemExit(f"{what}: HTTP {response.status_code}: {response.content!r}")


def round_trip(c: AuthenticatedClient, text: str) -> Dict[str, Any]:
    created = create_sandbox.sync_detailed(client=c, body=SandboxCreate(template="code-interpreter"))
    ok(created, 201, "create")
    assert isinstance(created.parsed, Sandbox)
    sandbox = created.parsed
    status = sandbox.status.value
    for _ in range(100):  # bounded: 100 polls, 50 ms apart
        got = get_sandbox.sync_detailed(sandbox.id, client=c)
        ok(got, 200, "get")
        assert isinstance(got.parsed, Sandbox)
        status = got.parsed.status.value
        if status == "running":
            break
        time.sleep(0.05)
    written = write_file.sync_detailed(sandbox.id, client=c, path=FILE, body=File(payload=io.BytesIO(text.encode())))
    ok(written, 200, "write")
    assert isinstance(written.parsed, FileWriteResult)
    ran = exec_command.sync_detailed(sandbox.id, client=c, body=ExecRequest(cmd=f"cat {FILE}"))
    ok(ran, 200, "exec")
    assert isinstance(ran.parsed, ExecResult)
    read = read_file.sync_detailed(sandbox.id, client=c, path=FILE)
    ok(read, 200, "read")
    ok(delete_sandbox.sync_detailed(sandbox.id, client=c), 204, "delete")
    return {"created_status": sandbox.status.value, "status": status, "bytes": written.parsed.bytes_,
            "stdout": ran.parsed.stdout, "exit_code": ran.parsed.exit_code, "read": read.content.decode()}


def failure(call: Callable[[], Response[Any]]) -> Dict[str, Any]:
    err = pandastack_errors.from_exception(call())
    details = err.details
    return {"http_status": err.status, "code": err.code, "known": err.known, "request_id": err.request_id,
            "retryable": err.retryable, "retry_after_sec": err.retry_after_sec,
            "details": details.to_dict() if hasattr(details, "to_dict") else details}


def main() -> None:
    env = os.environ
    url = env["PANDASTACK_URL"]
    main_api = api(url, env["PANDASTACK_API_KEY"])
    rate = api(url, env["RATE_API_KEY"])
    get_sandbox.sync_detailed(MISSING, client=rate)  # the one call a minute allows
    errors = {
        "not_found": failure(lambda: get_sandbox.sync_detailed(MISSING, client=main_api)),
        "quota": failure(lambda: create_sandbox.sync_detailed(client=api(url, env["QUOTA_API_KEY"]), body=SandboxCreate(template="code-interpreter"))),
        "rate_limited": failure(lambda: get_sandbox.sync_detailed(MISSING, client=rate)),
        "unknown": failure(lambda: get_sandbox.sync_detailed(MISSING, client=api(env["UNKNOWN_URL"], env["PANDASTACK_API_KEY"]))),
    }
    print(json.dumps({"roundtrip": round_trip(main_api, env["FILE_TEXT"]), "errors": errors}))


if __name__ == "__main__":
    main()
