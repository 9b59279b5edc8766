// The round trip through openapi-generator's Go client (see ../README.md).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	client "github.com/pandastack-io/pandastack-client-go"
	pandastack "github.com/pandastack-io/pandastack-contract/languages/go"
)

const missing = "00000000-0000-4000-8000-000000000000"
const file = "/workspace/hello.txt"

func api(url string) *client.APIClient {
	cfg := client.NewConfiguration()
	cfg.Servers = client.ServerConfigurations{{URL: url}}
	return client.NewAPIClient(cfg)
}

func auth(token string) context.Context {
	return context.WithValue(context.Background(), client.ContextAccessToken, token)
}

func must(err error, what string) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
		os.Exit(1)
	}
}

func roundTrip(c *client.APIClient, ctx context.Context, text string) map[string]any {
	created, _, err := c.SandboxesAPI.CreateSandbox(ctx).SandboxCreate(client.SandboxCreate{Template: client.PtrString("code-interpreter")}).Execute()
	must(err, "create")
	status := created.GetStatus()
	for i := 0; i < 100 && string(status) != "running"; i++ { // bounded: 100 polls, 50 ms apart
		time.Sleep(50 * time.Millisecond)
		got, _, err := c.SandboxesAPI.GetSandbox(ctx, created.GetId()).Execute()
		must(err, "get")
		status = got.GetStatus()
	}
	body, err := os.CreateTemp("", "roundtrip-")
	must(err, "temp file")
	defer os.Remove(body.Name())
	_, err = body.WriteString(text)
	must(err, "temp file")
	_, err = body.Seek(0, io.SeekStart)
	must(err, "temp file")
	written, _, err := c.FilesystemAPI.WriteFile(ctx, created.GetId()).Path(file).Body(body).Execute()
	must(err, "write")
	ran, _, err := c.ExecAPI.ExecCommand(ctx, created.GetId()).ExecRequest(client.ExecRequest{Cmd: "cat " + file}).Execute()
	must(err, "exec")
	read, _, err := c.FilesystemAPI.ReadFile(ctx, created.GetId()).Path(file).Execute()
	must(err, "read")
	content, err := io.ReadAll(read)
	must(err, "read")
	_, err = c.SandboxesAPI.DeleteSandbox(ctx, created.GetId()).Execute()
	must(err, "delete")
	return map[string]any{"created_status": created.GetStatus(), "status": status, "bytes": written.GetBytes(),
		"stdout": ran.GetStdout(), "exit_code": ran.GetExitCode(), "read": string(content)}
}

// failure reads the error of a call that must fail through the languages/go package.
func failure(resp *http.Response, err error) map[string]any {
	var generic *client.GenericOpenAPIError
	if err == nil || resp == nil || !errors.As(err, &generic) {
		fmt.Fprintf(os.Stderr, "expected an error response, got %v\n", err)
		os.Exit(1)
	}
	apiErr, parseErr := pandastack.FromResponse(resp.StatusCode, generic.Body())
	must(parseErr, "read the error")
	return describe(apiErr)
}

func describe(apiErr *pandastack.APIError) map[string]any {
	wrapped := fmt.Errorf("calling the API: %w", apiErr)
	found, ok := pandastack.AsAPIError(wrapped)
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
	c := api(url)
	ctx := auth(os.Getenv("PANDASTACK_API_KEY"))
	errs := map[string]any{}
	_, resp, err := c.SandboxesAPI.GetSandbox(ctx, missing).Execute()
	errs["not_found"] = failure(resp, err)
	_, resp, err = c.SandboxesAPI.CreateSandbox(auth(os.Getenv("QUOTA_API_KEY"))).SandboxCreate(client.SandboxCreate{Template: client.PtrString("code-interpreter")}).Execute()
	errs["quota"] = failure(resp, err)
	rate := auth(os.Getenv("RATE_API_KEY"))
	_, _, _ = c.SandboxesAPI.GetSandbox(rate, missing).Execute() // the one call a minute allows
	_, resp, err = c.SandboxesAPI.GetSandbox(rate, missing).Execute()
	errs["rate_limited"] = failure(resp, err)
	_, resp, err = api(os.Getenv("UNKNOWN_URL")).SandboxesAPI.GetSandbox(ctx, missing).Execute()
	errs["unknown"] = failure(resp, err)
	out, err := json.Marshal(map[string]any{"roundtrip": roundTrip(c, ctx, os.Getenv("FILE_TEXT")), "errors": errs})
	must(err, "json")
	fmt.Println(strings.TrimSpace(string(out)))
}
