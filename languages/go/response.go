package pandastack

import (
	"errors"
	"fmt"
)

// APIError is a failed call of the PandaStack API as a Go error: the HTTP status and the
// envelope's error member. Find it in a wrapped error with errors.As.
type APIError struct {
	// Status is the HTTP status the server answered with.
	Status int
	ErrorObject
}

// Error reads like "sandbox.not_found (HTTP 404, request req_…): Sandbox not found".
func (e *APIError) Error() string {
	return fmt.Sprintf("%s (HTTP %d, request %s): %s", e.Code, e.Status, e.RequestID, e.Message)
}

// Known reports whether this package knows the error's code.
func (e *APIError) Known() bool { return e.Code.Known() }

// FromResponse reads a failed call from its status and body, which every generated Go client
// exposes: oapi-codegen's responses as StatusCode() and Body, openapi-generator's as the
// *http.Response's StatusCode and GenericOpenAPIError.Body(). It fails, with a message naming
// what is wrong, when the body is not the error envelope.
func FromResponse(status int, body []byte) (*APIError, error) {
	if status < 400 {
		return nil, fmt.Errorf("HTTP %d is not an error status", status)
	}
	envelope, err := ParseError(body)
	if err != nil {
		return nil, fmt.Errorf("HTTP %d: %w", status, err)
	}
	return &APIError{Status: status, ErrorObject: envelope.Error}, nil
}

// AsAPIError finds an *APIError in err's chain.
func AsAPIError(err error) (*APIError, bool) {
	var target *APIError
	ok := errors.As(err, &target)
	return target, ok
}
