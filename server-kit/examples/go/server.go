package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	pse "github.com/pandastack-io/pandastack-contract/server-kit/go/pandastackerrors"
)

const bodyLimit = 1 << 20

var (
	uuidPattern      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	workspacePattern = regexp.MustCompile(`^ws_[0-9a-z]{4,32}$`)
	templatePattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,62}$`)
	volumePattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
)

type template struct{ cpu, memoryMB int }

var templates = map[string]template{
	"base": {1, 512}, "code-interpreter": {2, 2048}, "agent": {2, 4096}, "browser": {2, 4096}, "postgres-16": {2, 2048},
}

// Sandbox is the API's Sandbox object: the agent's store row.
type Sandbox struct {
	ID           string            `json:"id"`
	Template     string            `json:"template"`
	CPU          int               `json:"cpu"`
	MemoryMB     int               `json:"memory_mb"`
	Status       string            `json:"status"`
	GuestIP      string            `json:"guest_ip"`
	HostTAP      string            `json:"host_tap"`
	MAC          string            `json:"mac"`
	VsockCID     int               `json:"vsock_cid"`
	FromSnapshot string            `json:"from_snapshot"`
	Metadata     map[string]string `json:"metadata,omitempty"`
	CreatedAt    string            `json:"created_at"`
	BootMs       int               `json:"boot_ms"`
	BootMode     string            `json:"boot_mode,omitempty"`
	seq          int
}

// Server keeps the sandboxes of one workspace in memory.
type Server struct {
	token, workspace string
	broken           bool
	bootDelay        time.Duration
	mu               sync.Mutex
	seq              int
	sandboxes        map[string]*Sandbox
}

// NewServer returns the example's handler, wrapped in the kit's middleware.
func NewServer(token, workspace string, broken bool) http.Handler {
	s := &Server{token: token, workspace: workspace, broken: broken, bootDelay: 20 * time.Millisecond, sandboxes: map[string]*Sandbox{}}
	return pse.Middleware(http.HandlerFunc(s.route))
}

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func methodNotAllowed(r *http.Request, allowed ...string) error {
	return pse.NewRouteMethodNotAllowed(fmt.Sprintf("%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allowed, " or ")),
		pse.MethodDetails{Method: r.Method, Path: r.URL.Path, Allowed: allowed})
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if err := s.dispatch(w, r); err != nil {
		pse.Write(w, r, err)
	}
}

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) error {
	path := r.URL.Path
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case path == "/healthz":
		if r.Method != http.MethodGet {
			return methodNotAllowed(r, "GET")
		}
		writeJSON(w, http.StatusOK, map[string]interface{}{"status": "ok", "checks": map[string]string{"PANDASTACK_DB_DSN": "ok"}})
		return nil
	case path == "/v1/sandboxes":
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			return methodNotAllowed(r, "GET", "POST")
		}
		if err := s.authenticate(r); err != nil {
			return err
		}
		if r.Method == http.MethodGet {
			return s.list(w, r)
		}
		return s.create(w, r)
	case len(parts) == 3 && parts[0] == "v1" && parts[1] == "sandboxes":
		if r.Method != http.MethodGet && r.Method != http.MethodDelete {
			return methodNotAllowed(r, "GET", "DELETE")
		}
		if err := s.authenticate(r); err != nil {
			return err
		}
		if r.Method == http.MethodGet {
			return s.get(w, r, parts[2])
		}
		return s.delete(w, r, parts[2])
	case len(parts) == 4 && parts[0] == "v1" && parts[1] == "sandboxes" && parts[3] == "exec":
		if r.Method != http.MethodPost {
			return methodNotAllowed(r, "POST")
		}
		if err := s.authenticate(r); err != nil {
			return err
		}
		return s.exec(w, r, parts[2])
	}
	return pse.NewRouteNotFound("No route "+r.Method+" "+path, pse.RouteDetails{Method: r.Method, Path: path})
}

// authenticate: the API key, then the workspace header (malformed: 400; another workspace: 401).
func (s *Server) authenticate(r *http.Request) error {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return pse.NewAuthMissingToken("Send an API key as 'Authorization: Bearer <token>'", pse.EmptyDetails{})
	}
	if auth != "Bearer "+s.token {
		return pse.NewAuthInvalidToken("The bearer token is not a valid API key", pse.EmptyDetails{})
	}
	if named := r.Header.Get("X-PandaStack-Workspace"); named != "" {
		if !workspacePattern.MatchString(named) {
			return pse.InvalidParameter("header.x-pandastack-workspace", "pattern", "must match ^ws_[0-9a-z]{4,32}$")
		}
		if named != s.workspace {
			return pse.NewAuthWorkspaceMismatch("This token cannot act in workspace "+named, pse.WorkspaceDetails{WorkspaceID: named})
		}
	}
	return nil
}

func (s *Server) find(id string) (*Sandbox, error) {
	if !uuidPattern.MatchString(id) {
		return nil, pse.InvalidParameter("path.id", "format", "must be a UUID")
	}
	sb, ok := s.sandboxes[id]
	if !ok {
		return nil, pse.NewSandboxNotFound("Sandbox "+id+" does not exist", pse.ResourceDetails{Resource: "sandbox", ID: id})
	}
	return sb, nil
}

// list answers the whole list, newest first, as a bare array.
func (s *Server) list(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	items := make([]Sandbox, 0, len(s.sandboxes))
	for _, sb := range s.sandboxes {
		items = append(items, *sb)
	}
	s.mu.Unlock()
	sort.Slice(items, func(i, j int) bool { return items[i].seq > items[j].seq })
	writeJSON(w, http.StatusOK, items)
	return nil
}

type createBody struct {
	Template     *string           `json:"template"`
	TTLSeconds   *int              `json:"ttl_seconds"`
	Persistent   *bool             `json:"persistent"`
	FromSnapshot *string           `json:"from_snapshot"`
	Metadata     map[string]string `json:"metadata"`
	DiskGB       *int              `json:"disk_gb"`
	Volumes      []struct {
		Name     string `json:"name"`
		ReadOnly *bool  `json:"read_only"`
	} `json:"volumes"`
	// Read and overridden: the template decides.
	CPU      *int `json:"cpu"`
	MemoryMB *int `json:"memory_mb"`
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) error {
	var body createBody
	if err := pse.DecodeJSON(r, bodyLimit, &body); err != nil {
		return err
	}
	switch {
	case body.Template == nil && body.FromSnapshot == nil:
		return pse.InvalidBody("body.template", "required", "template or from_snapshot is required")
	case body.Template != nil && !templatePattern.MatchString(*body.Template):
		return pse.InvalidBody("body.template", "pattern", "must be a template name")
	case body.TTLSeconds != nil && (*body.TTLSeconds < 1 || *body.TTLSeconds > 604800):
		return pse.InvalidBody("body.ttl_seconds", "range", "must be from 1 to 604800")
	case body.DiskGB != nil && (*body.DiskGB < 1 || *body.DiskGB > 1024):
		return pse.InvalidBody("body.disk_gb", "range", "must be from 1 to 1024")
	case body.FromSnapshot != nil && !uuidPattern.MatchString(*body.FromSnapshot):
		return pse.InvalidBody("body.from_snapshot", "format", "must be a snapshot id (a UUID)")
	case body.FromSnapshot != nil && len(body.Volumes) > 0:
		return pse.InvalidBody("body.volumes", "additional_property", "volumes cannot be attached when restoring from a snapshot")
	case len(body.Metadata) > 64:
		return pse.InvalidBody("body.metadata", "maxProperties", "at most 64 labels")
	case len(body.Volumes) > 14:
		return pse.InvalidBody("body.volumes", "maxItems", "at most 14 volumes")
	}
	for i, v := range body.Volumes {
		if !volumePattern.MatchString(v.Name) {
			return pse.InvalidBody(fmt.Sprintf("body.volumes[%d].name", i), "pattern", "must be a volume name")
		}
	}
	// This example keeps no snapshots, so any named snapshot is missing.
	if body.FromSnapshot != nil {
		return pse.NewSnapshotNotFound("Snapshot "+*body.FromSnapshot+" does not exist", pse.ResourceDetails{Resource: "snapshot", ID: *body.FromSnapshot})
	}
	tpl, ok := templates[*body.Template]
	if !ok {
		return pse.NewTemplateNotFound("Template "+*body.Template+" does not exist", pse.ResourceDetails{Resource: "template", ID: *body.Template})
	}
	// This example has no volumes, so any named volume is missing.
	if len(body.Volumes) > 0 {
		name := body.Volumes[0].Name
		return pse.NewVolumeNotFound("Volume "+name+" does not exist", pse.ResourceDetails{Resource: "volume", ID: name})
	}
	// The service answers once the VM has booted: the sandbox is running when it is returned.
	time.Sleep(s.bootDelay)
	id := newUUID()
	sb := &Sandbox{ID: id, Template: *body.Template, Status: "running", CPU: tpl.cpu, MemoryMB: tpl.memoryMB,
		GuestIP: "10.11.0.2", HostTAP: "ns-" + id[:8], MAC: "06:00:0a:0b:00:02", VsockCID: 3,
		Metadata: body.Metadata, CreatedAt: time.Now().UTC().Format(time.RFC3339),
		BootMs: int(s.bootDelay / time.Millisecond), BootMode: "snapshot-natid"}
	s.mu.Lock()
	s.seq++
	sb.seq = s.seq
	s.sandboxes[sb.ID] = sb
	created := *sb
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, created)
	return nil
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, id string) error {
	s.mu.Lock()
	sb, err := s.find(id)
	var copy Sandbox
	if err == nil {
		copy = *sb
	}
	s.mu.Unlock()
	if err != nil {
		if _, missing := err.(*pse.SandboxNotFoundError); missing && s.broken {
			// What the kit replaces: a bare message, no code, no request id.
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "sandbox not found"})
			return nil
		}
		return err
	}
	writeJSON(w, http.StatusOK, copy)
	return nil
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.find(id); err != nil {
		return err
	}
	delete(s.sandboxes, id)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type execBody struct {
	Cmd            *string `json:"cmd"`
	TimeoutSeconds *int    `json:"timeout_seconds"`
}

func (s *Server) exec(w http.ResponseWriter, r *http.Request, id string) error {
	s.mu.Lock()
	_, err := s.find(id)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	var body execBody
	if err := pse.DecodeJSON(r, bodyLimit, &body); err != nil {
		return err
	}
	switch {
	case body.Cmd == nil:
		return pse.InvalidBody("body.cmd", "required", "cmd is required")
	case len(*body.Cmd) < 1 || len(*body.Cmd) > 131072:
		return pse.InvalidBody("body.cmd", "length", "must be 1 to 131072 characters")
	case body.TimeoutSeconds != nil && (*body.TimeoutSeconds < 1 || *body.TimeoutSeconds > 3600):
		return pse.InvalidBody("body.timeout_seconds", "range", "must be from 1 to 3600")
	}
	// Commands are not executed: echo is answered, anything else exits 127.
	cmd := *body.Cmd
	result := map[string]interface{}{"stdout": "", "stderr": "", "exit_code": 0}
	if cmd == "echo" || strings.HasPrefix(cmd, "echo ") {
		result["stdout"] = strings.TrimPrefix(strings.TrimPrefix(cmd, "echo"), " ") + "\n"
	} else {
		name := cmd
		if fields := strings.Fields(cmd); len(fields) > 0 {
			name = fields[0]
		}
		result["stderr"] = "sh: " + name + ": not found (this example runs only echo)\n"
		result["exit_code"] = 127
	}
	writeJSON(w, http.StatusOK, result)
	return nil
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
