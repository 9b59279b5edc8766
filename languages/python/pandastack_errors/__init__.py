"""The PandaStack API's error envelope, catalog and typed details, and a reader for the errors
that generated clients raise or return (see responses.py)."""
from .models import *  # noqa: F401,F403  (the generated model is the package's vocabulary)
from .models import ERROR_CATALOG, ErrorCode, ErrorObject, InvalidErrorBody, PandaStackError, parse_error
from .responses import PandaStackApiError, from_exception, from_response

__all__ = [
    "ERROR_CATALOG",
    "ErrorCode",
    "ErrorObject",
    "InvalidErrorBody",
    "PandaStackApiError",
    "PandaStackError",
    "from_exception",
    "from_response",
    "parse_error",
]
