"""Turns a failed call of a generated client into a typed PandaStack error.

Generated clients report a failure each in their own way: openapi-generator's Python client
raises ``ApiException`` with ``.status`` and ``.body``; openapi-python-client returns a
``Response`` (or raises ``UnexpectedStatus``) with ``.status_code`` and ``.content``. Both carry
the HTTP status and the raw body, which is all the envelope needs, so the reader duck-types
them instead of importing any client.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

from .models import ERROR_CATALOG, ErrorCode, ErrorObject, InvalidErrorBody, parse_error


@dataclass(frozen=True)
class PandaStackApiError(Exception):
    """A failed call: the HTTP status and the envelope's ``error`` member."""

    status: int
    error: ErrorObject

    @property
    def code(self) -> str:
        """The code as sent, also when this package does not know it."""
        return self.error.code_text

    @property
    def known(self) -> bool:
        return self.error.known

    @property
    def request_id(self) -> str:
        return self.error.request_id

    @property
    def retryable(self) -> bool:
        """Whether the same request may be retried: details.retryable, read as sent."""
        return self.error.retryable

    @property
    def retry_after_sec(self) -> Optional[int]:
        return self.error.retry_after_sec

    @property
    def details(self) -> Any:
        """The code's details type for a known code; the details as sent otherwise."""
        return self.error.typed_details() if self.error.known else self.error.details

    @property
    def catalog_status(self) -> Optional[int]:
        code = self.error.code
        entry = ERROR_CATALOG.get(code) if isinstance(code, ErrorCode) else None
        return entry.status if entry else None

    def __str__(self) -> str:
        return f"{self.code} (HTTP {self.status}, request {self.request_id}): {self.error.message}"


def from_response(status: int, body: Union[str, bytes, None]) -> PandaStackApiError:
    """Reads an error response. Raises InvalidErrorBody when the body is not the envelope."""
    if body is None or len(body) == 0:
        raise InvalidErrorBody(f"HTTP {status} came without a body, so it is not the error envelope")
    return PandaStackApiError(status=status, error=parse_error(body).error)


def from_exception(failure: Any) -> PandaStackApiError:
    """Reads what a generated client raised or returned for an error status.

    Accepts anything with ``status`` and ``body`` (openapi-generator) or ``status_code`` and
    ``content`` (openapi-python-client, httpx, requests)."""
    if hasattr(failure, "status") and hasattr(failure, "body"):
        return from_response(int(failure.status), failure.body)
    if hasattr(failure, "status_code") and hasattr(failure, "content"):
        return from_response(int(failure.status_code), failure.content)
    raise TypeError(f"{type(failure).__name__} carries no HTTP status and body to read an error from")
