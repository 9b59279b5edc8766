// Package pandastackerrors produces the PandaStack error envelope from net/http handlers.
//
// Every error code of the API has a type and a constructor here, generated from the error
// catalog (spec/errors/catalog.yaml): NewSandboxNotFound(message, ResourceDetails{...}) and so
// on. The status and retryability of a code come from the catalog, never from the caller.
// Write turns any error into the envelope response; Middleware gives every request its id and
// turns panics into internal.error.
package pandastackerrors

import (
	"fmt"
	"strings"
)

// Error is an API error of one catalog code. Only this package's generated types implement it.
type Error interface {
	error
	// Code is the catalog code, e.g. "sandbox.not_found".
	Code() string
	// Status is the HTTP status the catalog gives the code.
	Status() int
	// Retryable says whether the catalog marks the code retryable.
	Retryable() bool
	// RetryAfterSeconds is details.retry_after_sec and the Retry-After header; 0 if not retryable.
	RetryAfterSeconds() int
	// Message is error.message.
	Message() string
	detailsJSON() ([]byte, error)
}

// CatalogEntry is one code of the catalog.
type CatalogEntry struct {
	Code      string
	Status    int
	Retryable bool
	Meaning   string
	// Details is the name of the code's details type (and schema).
	Details string
}

// Lookup returns the catalog entry of a code.
func Lookup(code string) (CatalogEntry, bool) {
	for _, e := range Catalog {
		if e.Code == code {
			return e, true
		}
	}
	return CatalogEntry{}, false
}

// Int returns a pointer to v, for optional integer details fields.
func Int(v int) *int { return &v }

// Bool returns a pointer to v, for optional boolean details fields.
func Bool(v bool) *bool { return &v }

// Float64 returns a pointer to v, for optional number details fields.
func Float64(v float64) *float64 { return &v }

func errorString(e Error) string {
	return fmt.Sprintf("%s (%d): %s", e.Code(), e.Status(), e.Message())
}

// messageOr is the message a caller gave, or the catalog's meaning of the code: the envelope
// requires a non-empty message.
func messageOr(message, code string) string {
	if strings.TrimSpace(message) != "" {
		return message
	}
	if e, ok := Lookup(code); ok {
		return e.Meaning
	}
	return code
}

// clampRetryAfter keeps retry_after_sec within what the contract allows (0 to 3600 seconds).
func clampRetryAfter(sec int) int {
	if sec < 0 {
		return 0
	}
	if sec > 3600 {
		return 3600
	}
	return sec
}
