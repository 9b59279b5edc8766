package pandastackerrors

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
)

type envelope struct {
	Error envelopeError `json:"error"`
}

type envelopeError struct {
	Code      string          `json:"code"`
	Message   string          `json:"message"`
	RequestID string          `json:"request_id"`
	Details   json.RawMessage `json:"details"`
}

// Logger receives errors that are not catalog errors (they are answered as internal.error, and
// their text never reaches the client) and recovered panics. Set it to nil to log nothing.
var Logger = log.Default()

// Write answers the request with the error envelope of err: the status of its code, Content-Type
// application/json, X-Request-Id equal to error.request_id, and Retry-After for retryable codes.
// An err that is not one of this package's errors (directly or wrapped) is answered as
// internal.error and logged; its text is not sent.
func Write(w http.ResponseWriter, r *http.Request, err error) {
	id := requestIDFor(w, r)
	var e Error
	if !errors.As(err, &e) {
		if Logger != nil {
			Logger.Printf("pandastackerrors: %s answered internal.error for: %v", id, err)
		}
		e = NewInternalError("Internal error; report request_id "+id, EmptyDetails{})
	}
	details, merr := e.detailsJSON()
	if merr != nil {
		if Logger != nil {
			Logger.Printf("pandastackerrors: %s: details of %s do not encode: %v", id, e.Code(), merr)
		}
		e = NewInternalError("Internal error; report request_id "+id, EmptyDetails{})
		details = []byte("{}")
	}
	body, _ := json.Marshal(envelope{Error: envelopeError{Code: e.Code(), Message: e.Message(), RequestID: id, Details: details}})
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set(HeaderRequestID, id)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if e.Retryable() {
		h.Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds()))
	} else {
		h.Del("Retry-After")
	}
	w.WriteHeader(e.Status())
	_, _ = w.Write(body)
}
