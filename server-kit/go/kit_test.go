package pandastackerrors

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

type writtenEnvelope struct {
	Error struct {
		Code      string                     `json:"code"`
		Message   string                     `json:"message"`
		RequestID string                     `json:"request_id"`
		Details   map[string]json.RawMessage `json:"details"`
	} `json:"error"`
}

// TestEveryCodeIsWritten writes one error of every catalog code and checks the response. With
// PANDASTACK_ENVELOPES_OUT set it also writes each response as a JSON line to that file, for the
// schema validation done on the Node side (test/server-kit-go.test.ts).
func TestEveryCodeIsWritten(t *testing.T) {
	all := everyCode()
	if len(all) != len(Catalog) {
		t.Fatalf("everyCode has %d errors, the catalog %d codes", len(all), len(Catalog))
	}
	var lines []string
	for i, e := range all {
		if e.Code() != Catalog[i].Code {
			t.Fatalf("error %d is %s, catalog entry %s", i, e.Code(), Catalog[i].Code)
		}
		rec := httptest.NewRecorder()
		Write(rec, httptest.NewRequest("GET", "/", nil), e)
		res := rec.Result()
		if res.StatusCode != Catalog[i].Status {
			t.Errorf("%s: status %d, catalog %d", e.Code(), res.StatusCode, Catalog[i].Status)
		}
		var body writtenEnvelope
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: body %q: %v", e.Code(), rec.Body.String(), err)
		}
		if body.Error.Code != e.Code() || body.Error.Message == "" {
			t.Errorf("%s: body %s", e.Code(), rec.Body.String())
		}
		id := res.Header.Get("X-Request-Id")
		if !ValidRequestID(id) || body.Error.RequestID != id {
			t.Errorf("%s: X-Request-Id %q, request_id %q", e.Code(), id, body.Error.RequestID)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q", e.Code(), ct)
		}
		retryAfter := res.Header.Get("Retry-After")
		if Catalog[i].Retryable {
			if retryAfter != strconv.Itoa(e.RetryAfterSeconds()) || string(body.Error.Details["retryable"]) != "true" ||
				string(body.Error.Details["retry_after_sec"]) != retryAfter {
				t.Errorf("%s: Retry-After %q, details %s", e.Code(), retryAfter, rec.Body.String())
			}
		} else if retryAfter != "" || body.Error.Details["retryable"] != nil {
			t.Errorf("%s is not retryable: Retry-After %q, details %s", e.Code(), retryAfter, rec.Body.String())
		}
		headers := map[string]string{}
		for k := range res.Header {
			headers[strings.ToLower(k)] = res.Header.Get(k)
		}
		line, _ := json.Marshal(map[string]interface{}{"code": e.Code(), "status": res.StatusCode, "headers": headers, "body": json.RawMessage(rec.Body.Bytes())})
		lines = append(lines, string(line))
	}
	if out := os.Getenv("PANDASTACK_ENVELOPES_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDetailsAreTyped: every code's Details field is a struct whose fields are concrete types, all
// the way down; nothing is interface{} (any), so a handler cannot put arbitrary facts in details.
func TestDetailsAreTyped(t *testing.T) {
	var check func(path string, ty reflect.Type)
	check = func(path string, ty reflect.Type) {
		switch ty.Kind() {
		case reflect.Interface, reflect.Map:
			t.Errorf("%s is %s", path, ty)
		case reflect.Ptr, reflect.Slice:
			check(path+"[]", ty.Elem())
		case reflect.Struct:
			for i := 0; i < ty.NumField(); i++ {
				check(path+"."+ty.Field(i).Name, ty.Field(i).Type)
			}
		}
	}
	for _, e := range everyCode() {
		f, ok := reflect.TypeOf(e).Elem().FieldByName("Details")
		if !ok || f.Type.Kind() != reflect.Struct {
			t.Errorf("%s: Details is not a struct", e.Code())
			continue
		}
		check(e.Code()+".Details", f.Type)
	}
}

func TestUnknownErrorsAreInternal(t *testing.T) {
	rec := httptest.NewRecorder()
	Logger = nil
	Write(rec, httptest.NewRequest("GET", "/", nil), errors.New("db password is hunter2"))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "hunter2") || !strings.Contains(rec.Body.String(), `"internal.error"`) {
		t.Fatalf("got %d %s", rec.Code, rec.Body.String())
	}
	// A wrapped catalog error keeps its code.
	rec = httptest.NewRecorder()
	Write(rec, httptest.NewRequest("GET", "/", nil), fmt.Errorf("loading: %w", NewSandboxNotFound("", ResourceDetails{Resource: "sandbox", ID: "x"})))
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), `"sandbox.not_found"`) || !strings.Contains(rec.Body.String(), "The sandbox does not exist") {
		t.Fatalf("got %d %s", rec.Code, rec.Body.String())
	}
}

func TestMiddlewareIDsAndPanics(t *testing.T) {
	Logger = nil
	var seen string
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = RequestID(r)
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		Write(w, r, NewRateLimitApi("", RateLimitDetails{Limit: 1, WindowSec: 60}, 9000))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Header().Get("X-Request-Id") != seen || !strings.Contains(rec.Body.String(), seen) {
		t.Fatalf("request id %q not the one handlers saw (%q): %s", rec.Header().Get("X-Request-Id"), seen, rec.Body.String())
	}
	if rec.Header().Get("Retry-After") != "3600" {
		t.Fatalf("Retry-After %q: retry_after_sec is kept within 0-3600", rec.Header().Get("Retry-After"))
	}
	first := seen
	rec2 := httptest.NewRecorder()
	h.ServeHTTP(rec2, httptest.NewRequest("GET", "/panic", nil))
	id2 := rec2.Header().Get("X-Request-Id")
	if rec2.Code != 500 || !strings.Contains(rec2.Body.String(), `"internal.error"`) || id2 != seen || id2 == first {
		t.Fatalf("panic answered %d %s", rec2.Code, rec2.Body.String())
	}
}

func TestDecodeJSON(t *testing.T) {
	type body struct {
		Template string `json:"template"`
		TTL      int    `json:"ttl_seconds"`
	}
	cases := []struct {
		contentType, body, code, field string
	}{
		{"text/plain", "x", CodeValidationUnsupportedMediaType, "header.content-type"},
		{"application/json", `{"template": `, CodeValidationMalformedJson, "body"},
		{"application/json", `{"template": 1}`, CodeValidationInvalidBody, "body.template"},
		{"application/json", `{"nope": 1}`, CodeValidationInvalidBody, "body.nope"},
		{"application/json", `{"pad":"` + strings.Repeat("x", 100) + `"}`, CodeValidationBodyTooLarge, "body"},
		{"application/json; charset=utf-8", `{"template":"base","ttl_seconds":5}`, "", ""},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "/", strings.NewReader(c.body))
		r.Header.Set("Content-Type", c.contentType)
		var v body
		err := DecodeJSON(r, 64, &v)
		if c.code == "" {
			if err != nil || v.Template != "base" || v.TTL != 5 {
				t.Errorf("%s: %v %+v", c.body, err, v)
			}
			continue
		}
		if err == nil || err.Code() != c.code {
			t.Errorf("%s: got %v, want %s", c.body, err, c.code)
			continue
		}
		rec := httptest.NewRecorder()
		Write(rec, r, err)
		if !strings.Contains(rec.Body.String(), `"field":"`+c.field+`"`) {
			t.Errorf("%s: %s does not name %s", c.body, rec.Body.String(), c.field)
		}
	}
}
