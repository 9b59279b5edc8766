package pandastackerrors

import (
	"context"
	"crypto/rand"
	"net/http"
	"regexp"
)

// HeaderRequestID is the response header that carries the request id.
const HeaderRequestID = "X-Request-Id"

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

var requestIDPattern = regexp.MustCompile(`^req_[0-9A-Za-z]{24,64}$`)

type requestIDKey struct{}

// NewRequestID returns "req_" and 24 random base62 characters (142 bits), as the contract
// requires of every request id.
func NewRequestID() string {
	out := make([]byte, 0, 28)
	out = append(out, "req_"...)
	var buf [64]byte
	for len(out) < 28 {
		if _, err := rand.Read(buf[:]); err != nil {
			panic("pandastackerrors: no randomness for request ids: " + err.Error())
		}
		for _, b := range buf {
			// Bytes >= 248 are skipped so that every character is equally likely.
			if b < 248 && len(out) < 28 {
				out = append(out, base62[b%62])
			}
		}
	}
	return string(out)
}

// ValidRequestID reports whether id has the contract's request id format.
func ValidRequestID(id string) bool { return requestIDPattern.MatchString(id) }

// WithRequestID returns a copy of r that carries id as its request id.
func WithRequestID(r *http.Request, id string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
}

// RequestID returns the id Middleware gave the request, or "" outside Middleware.
func RequestID(r *http.Request) string {
	if r == nil {
		return ""
	}
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// requestIDFor is the id an error response carries: the request's, the one already set on the
// response, or a new one when the handler runs without Middleware.
func requestIDFor(w http.ResponseWriter, r *http.Request) string {
	if id := RequestID(r); id != "" {
		return id
	}
	if id := w.Header().Get(HeaderRequestID); ValidRequestID(id) {
		return id
	}
	return NewRequestID()
}
