"""pandastack_errors.from_response and from_exception, on the shapes generated clients give."""
import os
from dataclasses import dataclass
from typing import Optional

import pytest

import pandastack_errors
from pandastack_errors import InvalidErrorBody, PandaStackApiError, from_exception, from_response
from pandastack_errors.models import ResourceDetails

NOT_FOUND = b'{"error":{"code":"sandbox.not_found","message":"Sandbox x does not exist","request_id":"req_abc123","details":{"resource":"sandbox","id":"x"}}}'
UNKNOWN = '{"error":{"code":"capacity.region_draining","message":"m","request_id":"req_1","details":{"retryable":true,"retry_after_sec":7}}}'


@dataclass
class GeneratorException(Exception):
    """What openapi-generator's ApiException carries."""
    status: int
    body: Optional[str]


@dataclass
class HttpxLikeResponse:
    """What openapi-python-client's Response (and httpx's) carries."""
    status_code: int
    content: bytes


def test_a_known_code_reads_with_typed_details() -> None:
    err = from_response(404, NOT_FOUND)
    assert (err.code, err.known, err.request_id, err.retryable, err.catalog_status) == ("sandbox.not_found", True, "req_abc123", False, 404)
    assert isinstance(err.details, ResourceDetails) and err.details.id == "x"
    assert str(err) == "sandbox.not_found (HTTP 404, request req_abc123): Sandbox x does not exist"


def test_an_unknown_code_keeps_code_details_and_retryability() -> None:
    err = from_exception(GeneratorException(503, UNKNOWN))
    assert (err.code, err.known, err.retryable, err.retry_after_sec, err.catalog_status) == ("capacity.region_draining", False, True, 7, None)
    assert err.details == {"retryable": True, "retry_after_sec": 7}


def test_both_generated_client_shapes_are_read() -> None:
    assert from_exception(HttpxLikeResponse(404, NOT_FOUND)).code == "sandbox.not_found"
    assert from_exception(GeneratorException(404, NOT_FOUND.decode())).status == 404


def test_it_is_an_exception_to_raise() -> None:
    with pytest.raises(PandaStackApiError) as raised:
        raise from_response(404, NOT_FOUND)
    assert raised.value.request_id == "req_abc123"


@pytest.mark.parametrize("body", [b"", b"<html>", b'{"message":"Bad Gateway"}', b'{"error":{"code":404,"message":"m","request_id":"r","details":{}}}'])
def test_a_body_that_is_not_the_envelope_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidErrorBody):
        from_response(502, body)


def test_something_without_status_and_body_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="object carries no HTTP status"):
        from_exception(object())


def test_the_package_is_typed() -> None:
    assert os.path.exists(os.path.join(pandastack_errors.__path__[0], "py.typed"))
