package pandastackerrors

import (
	"fmt"
	"net/http"
)

// Middleware gives every request a fresh request id (in the X-Request-Id response header and in
// the request's context, where Write and RequestID find it) and turns a panic in next into an
// internal.error response, if nothing was written yet. http.ErrAbortHandler passes through.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := NewRequestID()
		w.Header().Set(HeaderRequestID, id)
		r = WithRequestID(r, id)
		tw := &trackingWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			if Logger != nil {
				Logger.Printf("pandastackerrors: %s: panic: %v", id, v)
			}
			if tw.wrote {
				// Too late for an envelope: end the connection so the client sees a failure.
				panic(http.ErrAbortHandler)
			}
			Write(tw, r, fmt.Errorf("panic: %v", v))
		}()
		next.ServeHTTP(tw, r)
	})
}

// trackingWriter remembers whether the status line went out.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackingWriter) WriteHeader(status int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(status)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

// Flush passes through, so streaming handlers keep working under the middleware.
func (t *trackingWriter) Flush() {
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		t.wrote = true
		f.Flush()
	}
}
