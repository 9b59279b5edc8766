package pandastackerrors

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The cost of the envelope beside the bare {"error": "..."} answer it replaces
// (npm run bench:server-kit runs both and prints the ratio).

func BenchmarkWriteEnvelope(b *testing.B) {
	r := httptest.NewRequest("GET", "/v1/sandboxes/x", nil)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w := httptest.NewRecorder()
		Write(w, r, NewSandboxNotFound("Sandbox x does not exist", ResourceDetails{Resource: "sandbox", ID: "x"}))
	}
}

func BenchmarkWriteBareError(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w := httptest.NewRecorder()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "sandbox not found"})
	}
}
