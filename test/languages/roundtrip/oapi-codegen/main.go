// The round trip through oapi-codegen's Go client (see ../README.md). oapi-codegen answers with a
// response per operation, its Body and StatusCode() kept whatever the status.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
	pandastack "github.com/pandastack-io/pandastack-contract/languages/go"

	client "roundtrip/client"
)

var missing = openapi_types.UUID{0, 0, 0, 0, 0, 0, 0x40, 0, 0x80}

const file = "/workspace/hello.txt"

func sandboxCreate() client.CreateSandboxJSONRequestBody {
	template := client.TemplateName("code-interpreter")
	return client.CreateSandboxJSONRequestBody{Template: &template}
}

func api(url, token string) *client.ClientWithResponses {
	c, err := client.NewClientWithResponses(url, client.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}))
	must(err, "client")
	return c
}

func must(err error, what string) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
		os.Exit(1)
	}
}

// expect fails the run unless a call answered the status it had to.
func expect(status int, want int, body []byte, what string) {
	if status != want {
		fmt.Fprintf(os.Stderr, "%s: HTTP %d, expected %d: %s\n", what, status, want, body)
		os.Exit(1)
	}
}

func roundTrip(c *client.ClientWithResponses, text string) map[string]any {
	ctx := context.Background()
	created, err := c.CreateSandboxWithResponse(ctx, nil, sandboxCreate())
	must(err, "create")
	expect(created.StatusCode(), http.StatusCreated, created.Body, "create")
	id, status := created.JSON201.Id, string(created.JSON201.Status)
	for i := 0; i < 100 && status != "running"; i++ { // bounded: 100 polls, 50 ms apart
		time.Sleep(50 * time.Millisecond)
		got, err := c.GetSandboxWithResponse(ctx, id, nil)
		must(err, "get")
		expect(got.StatusCode(), http.StatusOK, got.Body, "get")
		status = string(got.JSON200.Status)
	}
	written, err := c.WriteFileWithBodyWithResponse(ctx, id, &client.WriteFileParams{Path: file}, "application/octet-stream", strings.NewReader(text))
	must(err, "write")
	expect(written.StatusCode(), http.StatusOK, written.Body, "write")
	ran, err := c.ExecCommandWithResponse(ctx, id, nil, client.ExecCommandJSONRequestBody{Cmd: "cat " + file})
	must(err, "exec")
	expect(ran.StatusCode(), http.StatusOK, ran.Body, "exec")
	read, err := c.ReadFileWithResponse(ctx, id, &client.ReadFileParams{Path: file})
	must(err, "read")
	expect(read.StatusCode(), http.StatusOK, read.Body, "read")
	deleted, err := c.DeleteSandboxWithResponse(ctx, id, nil)
	must(err, "delete")
	expect(deleted.StatusCode(), http.StatusNoContent, deleted.Body, "delete")
	return map[string]any{"created_status": created.JSON201.Status, "status": status, "bytes": written.JSON200.Bytes,
		"stdout": ran.JSON200.Stdout, "exit_code": ran.JSON200.ExitCode, "read": string(read.Body)}
}

// failure reads a failed call's response through the languages/go package.
func failure(status int, body []byte, err error) map[string]any {
	must(err, "call")
	apiErr, err := pandastack.FromResponse(status, body)
	must(err, "read the error")
	found, ok := pandastack.AsAPIError(fmt.Errorf("calling the API: %w", apiErr))
	if !ok {
		fmt.Fprintln(os.Stderr, "errors.As did not find the APIError")
		os.Exit(1)
	}
	var details any = json.RawMessage(found.Details)
	if found.Known() {
		typed, _, err := found.TypedDetails()
		must(err, "typed details")
		details = typed
	}
	var after any
	if sec, ok := found.RetryAfterSec(); ok {
		after = sec
	}
	return map[string]any{"http_status": found.Status, "code": found.Code, "known": found.Known(), "request_id": found.RequestID,
		"retryable": found.Retryable(), "retry_after_sec": after, "details": details, "text": found.Error()}
}

func main() {
	url := os.Getenv("PANDASTACK_URL")
	ctx := context.Background()
	c := api(url, os.Getenv("PANDASTACK_API_KEY"))
	errs := map[string]any{}
	got, err := c.GetSandboxWithResponse(ctx, missing, nil)
	errs["not_found"] = failure(got.StatusCode(), got.Body, err)
	created, err := api(url, os.Getenv("QUOTA_API_KEY")).CreateSandboxWithResponse(ctx, nil, sandboxCreate())
	errs["quota"] = failure(created.StatusCode(), created.Body, err)
	rate := api(url, os.Getenv("RATE_API_KEY"))
	_, _ = rate.GetSandboxWithResponse(ctx, missing, nil) // the one call a minute allows
	got, err = rate.GetSandboxWithResponse(ctx, missing, nil)
	errs["rate_limited"] = failure(got.StatusCode(), got.Body, err)
	got, err = api(os.Getenv("UNKNOWN_URL"), os.Getenv("PANDASTACK_API_KEY")).GetSandboxWithResponse(ctx, missing, nil)
	errs["unknown"] = failure(got.StatusCode(), got.Body, err)
	out, err := json.Marshal(map[string]any{"roundtrip": roundTrip(c, os.Getenv("FILE_TEXT")), "errors": errs})
	must(err, "json")
	fmt.Println(string(out))
}
