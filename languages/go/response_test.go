package pandastack

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

const notFound = `{"error":{"code":"sandbox.not_found","message":"Sandbox x does not exist","request_id":"req_abc123","details":{"resource":"sandbox","id":"x"}}}`

func TestFromResponseReadsAKnownCode(t *testing.T) {
	apiErr, err := FromResponse(404, []byte(notFound))
	if err != nil {
		t.Fatal(err)
	}
	if apiErr.Code != CodeSandboxNotFound || !apiErr.Known() || apiErr.RequestID != "req_abc123" || apiErr.Retryable() {
		t.Fatalf("read %+v", apiErr)
	}
	details, known, err := apiErr.TypedDetails()
	if err != nil || !known {
		t.Fatalf("typed details: %v %v", known, err)
	}
	resource, ok := details.(*ResourceDetails)
	if !ok || resource.ID == nil || *resource.ID != "x" {
		t.Fatalf("details %#v", details)
	}
	if got := apiErr.Error(); got != "sandbox.not_found (HTTP 404, request req_abc123): Sandbox x does not exist" {
		t.Fatalf("text %q", got)
	}
}

func TestFromResponseKeepsAnUnknownCodeAndItsRetryability(t *testing.T) {
	body := `{"error":{"code":"capacity.region_draining","message":"m","request_id":"req_1","details":{"retryable":true,"retry_after_sec":7}}}`
	apiErr, err := FromResponse(503, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	sec, ok := apiErr.RetryAfterSec()
	if apiErr.Known() || string(apiErr.Code) != "capacity.region_draining" || !apiErr.Retryable() || !ok || sec != 7 {
		t.Fatalf("read %+v", apiErr)
	}
}

func TestErrorsAsFindsTheAPIErrorInAWrappedError(t *testing.T) {
	apiErr, err := FromResponse(404, []byte(notFound))
	if err != nil {
		t.Fatal(err)
	}
	var target *APIError
	if !errors.As(fmt.Errorf("getting the sandbox: %w", apiErr), &target) || target.Status != 404 {
		t.Fatal("errors.As did not find the APIError")
	}
}

func TestABadBodyIsNamedInWordsNotGoTypes(t *testing.T) {
	for body, want := range map[string]string{
		`{"error":{"code":404,"message":"m","request_id":"r","details":{}}}`: "error.code must be a non-empty string",
		`{"message":"Bad Gateway"}`: "no error object",
		`<html>`:                    "not a JSON object",
		`{"error":{"code":"c","message":"m","request_id":"r","details":[]}}`: "error.details must be an object",
	} {
		_, err := FromResponse(502, []byte(body))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "struct") {
			t.Errorf("%s: %v", body, err)
		}
	}
	if _, err := FromResponse(200, []byte(notFound)); err == nil {
		t.Error("a 200 was read as an error")
	}
}

func TestTheDetailsTypeOfACodeIsReadWithoutInterfaces(t *testing.T) {
	apiErr, err := FromResponse(404, []byte(notFound))
	if err != nil {
		t.Fatal(err)
	}
	resource, err := apiErr.ResourceDetails()
	if err != nil || resource.ID == nil || *resource.ID != "x" || resource.Resource == nil || *resource.Resource != "sandbox" {
		t.Fatalf("ResourceDetails: %+v %v", resource, err)
	}
	if _, err := apiErr.QuotaDetails(); err == nil || err.Error() != "sandbox.not_found does not carry QuotaDetails" {
		t.Fatalf("QuotaDetails of a not-found: %v", err)
	}
}
