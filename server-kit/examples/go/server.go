package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
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
	snapshotPattern  = regexp.MustCompile(`^snap-[0-9a-z-]{4,64}$`)
	volumePattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	statuses         = map[string]bool{"creating": true, "running": true, "paused": true, "hibernated": true, "failed": true, "deleted": true}
)

type template struct{ cpu, memoryMB int }

var templates = map[string]template{
	"base": {1, 512}, "code-interpreter": {2, 2048}, "agent": {2, 4096}, "browser": {2, 4096}, "postgres-16": {2, 2048},
}

// Sandbox is the API's Sandbox object.
type Sandbox struct {
	ID           string            `json:"id"`
	Template     string            `json:"template"`
	Status       string            `json:"status"`
	CPU          int               `json:"cpu"`
	MemoryMB     int               `json:"memory_mb"`
	GuestIP      *string           `json:"guest_ip"`
	BootMs       *int              `json:"boot_ms"`
	BootMode     *string           `json:"boot_mode"`
	Metadata     map[string]string `json:"metadata"`
	CreatedAt    string            `json:"created_at"`
	TTLSeconds   int               `json:"ttl_seconds"`
	Persistent   bool              `json:"persistent"`
	ParentID     *string           `json:"parent_id"`
	FromSnapshot *string           `json:"from_snapshot"`
	Volumes      []struct{}        `json:"volumes"`
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
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
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

func stillCreating(sb *Sandbox, what string) error {
	return pse.NewSandboxConflict("Sandbox "+sb.ID+" is still creating; "+what+" in 1 s",
		pse.SandboxStateDetails{SandboxID: sb.ID, Status: sb.Status}, 1)
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := 50
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > 200 {
			return pse.InvalidParameter("query.limit", "range", "must be an integer from 1 to 200")
		}
		limit = n
	}
	status := q.Get("status")
	if _, ok := q["status"]; ok && !statuses[status] {
		return pse.InvalidParameter("query.status", "enum", "must be a sandbox status")
	}
	cursor, hasCursor := q["cursor"]
	if hasCursor && (len(cursor[0]) < 1 || len(cursor[0]) > 256) {
		return pse.InvalidParameter("query.cursor", "length", "must be 1 to 256 characters")
	}
	s.mu.Lock()
	all := make([]*Sandbox, 0, len(s.sandboxes))
	for _, sb := range s.sandboxes {
		if status == "" || sb.Status == status {
			all = append(all, sb)
		}
	}
	// Newest first.
	sort.Slice(all, func(i, j int) bool { return all[i].seq > all[j].seq })
	start := 0
	if hasCursor {
		start = -1
		for i, sb := range all {
			if sb.ID == cursor[0] {
				start = i + 1
			}
		}
		if start < 0 {
			s.mu.Unlock()
			return pse.InvalidParameter("query.cursor", "unknown_cursor", "not a next_cursor of this listing")
		}
	}
	end := start + limit
	if end > len(all) {
		end = len(all)
	}
	items := make([]Sandbox, 0, end-start)
	for _, sb := range all[start:end] {
		items = append(items, *sb)
	}
	var next *string
	if end < len(all) {
		next = &items[len(items)-1].ID
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]interface{}{"items": items, "next_cursor": next})
	return nil
}

type createBody struct {
	Template     *string           `json:"template"`
	TTLSeconds   *int              `json:"ttl_seconds"`
	Persistent   *bool             `json:"persistent"`
	FromSnapshot *string           `json:"from_snapshot"`
	Metadata     map[string]string `json:"metadata"`
	Volumes      []struct {
		Name     string `json:"name"`
		ReadOnly *bool  `json:"read_only"`
	} `json:"volumes"`
	// Accepted from older clients and ignored: the template decides.
	CPU      *int `json:"cpu"`
	MemoryMB *int `json:"memory_mb"`
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) error {
	var body createBody
	if err := pse.DecodeJSON(r, bodyLimit, &body); err != nil {
		return err
	}
	switch {
	case body.Template == nil:
		return pse.InvalidBody("body.template", "required", "template is required")
	case !templatePattern.MatchString(*body.Template):
		return pse.InvalidBody("body.template", "pattern", "must be a template name")
	case body.TTLSeconds != nil && (*body.TTLSeconds < 1 || *body.TTLSeconds > 604800):
		return pse.InvalidBody("body.ttl_seconds", "range", "must be from 1 to 604800")
	case body.FromSnapshot != nil && !snapshotPattern.MatchString(*body.FromSnapshot):
		return pse.InvalidBody("body.from_snapshot", "pattern", "must be a snapshot id")
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
	tpl, ok := templates[*body.Template]
	if !ok {
		return pse.NewTemplateNotFound("Template "+*body.Template+" does not exist", pse.ResourceDetails{Resource: "template", ID: *body.Template})
	}
	if body.FromSnapshot != nil {
		return pse.NewSnapshotNotFound("Snapshot "+*body.FromSnapshot+" does not exist", pse.ResourceDetails{Resource: "snapshot", ID: *body.FromSnapshot})
	}
	// This example has no volumes, so any named volume is missing.
	if len(body.Volumes) > 0 {
		name := body.Volumes[0].Name
		return pse.NewVolumeNotFound("Volume "+name+" does not exist", pse.ResourceDetails{Resource: "volume", ID: name})
	}
	sb := &Sandbox{ID: newUUID(), Template: *body.Template, Status: "creating", CPU: tpl.cpu, MemoryMB: tpl.memoryMB,
		Metadata: body.Metadata, CreatedAt: time.Now().UTC().Format(time.RFC3339), TTLSeconds: 3600, Volumes: []struct{}{}}
	if sb.Metadata == nil {
		sb.Metadata = map[string]string{}
	}
	if body.TTLSeconds != nil {
		sb.TTLSeconds = *body.TTLSeconds
	}
	if body.Persistent != nil {
		sb.Persistent = *body.Persistent
	}
	s.mu.Lock()
	s.seq++
	sb.seq = s.seq
	s.sandboxes[sb.ID] = sb
	created := *sb
	s.mu.Unlock()
	time.AfterFunc(s.bootDelay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		ip, ms, mode := "10.11.0.2", int(s.bootDelay/time.Millisecond), "snapshot-natid"
		sb.Status, sb.GuestIP, sb.BootMs, sb.BootMode = "running", &ip, &ms, &mode
	})
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
	sb, err := s.find(id)
	if err != nil {
		return err
	}
	if sb.Status == "creating" {
		return stillCreating(sb, "retry the delete")
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
	sb, err := s.find(id)
	creating := err == nil && sb.Status == "creating"
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
	if creating {
		return stillCreating(sb, "retry the command")
	}
	// Commands are not executed: echo is answered, anything else exits 127.
	started := time.Now()
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
	result["duration_ms"] = int(time.Since(started) / time.Millisecond)
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
