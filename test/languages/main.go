// Reads error bodies with the generated Go model and reports what it read.
//
//	models-check            cases on stdin: a JSON list of {"where", "body"}
//	models-check fetch URL  one GET to a local server; the answer is the case
//
// Prints one JSON object per case (see test/languages-models.test.ts for the fields).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"pandastack.test/models/pandastack"
)

type result map[string]interface{}

func describe(where string, body []byte) result {
	r := result{"where": where}
	envelope, err := pandastack.ParseError(body)
	if err != nil {
		r["ok"] = false
		r["error"] = err.Error()
		return r
	}
	e := envelope.Error
	r["ok"] = true
	r["code"] = string(e.Code)
	r["known"] = e.Code.Known()
	r["message"] = e.Message
	r["request_id"] = e.RequestID
	r["retryable"] = e.Retryable()
	r["retry_after_sec"] = nil
	if s, ok := e.RetryAfterSec(); ok {
		r["retry_after_sec"] = s
	}
	r["status"], r["details_type"] = nil, nil
	if entry, ok := pandastack.ErrorCatalog[e.Code]; ok {
		r["status"], r["details_type"] = entry.Status, entry.DetailsType
	}
	out, err := envelope.Marshal()
	if err != nil {
		r["ok"], r["error"] = false, err.Error()
		return r
	}
	r["envelope"] = json.RawMessage(out)
	r["typed_details"], r["typed_type"], r["typed_error"] = nil, nil, nil
	typed, known, err := e.TypedDetails()
	if err != nil {
		r["typed_error"] = err.Error()
	} else if known {
		b, err := json.Marshal(typed)
		if err != nil {
			r["typed_error"] = err.Error()
		} else {
			r["typed_details"], r["typed_type"] = json.RawMessage(b), fmt.Sprintf("%T", typed)
		}
	}
	return r
}

func main() {
	enc := json.NewEncoder(os.Stdout)
	if len(os.Args) == 3 && os.Args[1] == "fetch" {
		client := http.Client{Timeout: 10 * time.Second}
		res, err := client.Get(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		r := describe("server", body)
		r["http_status"] = res.StatusCode
		_ = enc.Encode(r)
		return
	}
	var cases []struct {
		Where string          `json:"where"`
		Body  json.RawMessage `json:"body"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "cases:", err)
		os.Exit(2)
	}
	for _, c := range cases {
		_ = enc.Encode(describe(c.Where, c.Body))
	}
}
