package main

import (
	"encoding/json"
	"net/http"
	"net/http/httputil"
	"strings"
)

const widgetsPath = "/v1/widgets"

type widget struct {
	ID    string `json:"id"`
	Label string `json:"label,omitempty"`
	Note  string `json:"-"`
	base
}

type base struct {
	CreatedAt int64 `json:"created_at"`
}

type createReq struct {
	Name string `json:"name"`
	Size int    `json:"size,omitempty"`
}

func main() {
	proxy := &httputil.ReverseProxy{}
	proxy.Director = func(r *http.Request) { r.URL.Path = strings.TrimPrefix(r.URL.Path, "/v1") }
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+widgetsPath, createWidget)
	mux.HandleFunc("GET /v1/widgets", func(w http.ResponseWriter, r *http.Request) {
		limit := r.URL.Query().Get("limit")
		out := map[string]any{"items": []widget{}, "limit": limit}
		if limit != "" {
			out["next"] = "x"
		}
		out["count"] = 0
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("GET /v1/widgets/{name}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	mux.HandleFunc("GET /v1/internal/nodes", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	mux.HandleFunc("DELETE /v1/things/{id}", func(w http.ResponseWriter, r *http.Request) { proxy.ServeHTTP(w, r) })
	mux.HandleFunc("GET /v1/odd", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, pick(), mystery()) })
	mux.HandleFunc("GET /v1/health", func(w http.ResponseWriter, r *http.Request) {
		code := http.StatusOK
		if r.URL.Query().Has("deep") {
			code = http.StatusServiceUnavailable
		}
		writeJSON(w, code, map[string]string{"status": "x"})
	})
	mux.HandleFunc("POST /v1/hook", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"ok":true,"n":{"a":1}}`))
	})
	mux.HandleFunc("GET /v1/back", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/x", http.StatusFound)
	})
	mux.HandleFunc("GET /v1/ready", func(w http.ResponseWriter, r *http.Request) {
		code, report := health(r.URL.Query().Has("x"))
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(report)
	})
	mux.Handle("/v1/", proxy)
	mux.Handle("/v1/databases/{id}/proxy/", proxy)
}

func createWidget(w http.ResponseWriter, r *http.Request) {
	var req createReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad", http.StatusBadRequest)
		return
	}
	writeJSON(w, 201, widget{ID: "w1"})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func pick() int { return 200 + len(widgetsPath) }

type healthReport struct {
	Status string `json:"status"`
}

// health answers 200, or 503 while something is missing.
func health(missing bool) (int, healthReport) {
	code := http.StatusOK
	if missing {
		code = http.StatusServiceUnavailable
	}
	return code, healthReport{Status: "ok"}
}
