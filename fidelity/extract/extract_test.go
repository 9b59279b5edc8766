package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func extractFixture(t *testing.T) map[string]Route {
	t.Helper()
	facts, err := Extract("testdata/svc")
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	byKey := map[string]Route{}
	for _, r := range facts.Routes {
		byKey[r.Component+" "+r.Method+" "+r.Path] = r
	}
	if facts.V1Prefix != "/v1" || !strings.HasPrefix(string(facts.V1Loc), "api/cmd/api/main.go:") {
		t.Fatalf("prefix %q at %q, want /v1 read from main.go", facts.V1Prefix, facts.V1Loc)
	}
	return byKey
}

func route(t *testing.T, routes map[string]Route, key string) Route {
	t.Helper()
	r, ok := routes[key]
	if !ok {
		keys := []string{}
		for k := range routes {
			keys = append(keys, k)
		}
		t.Fatalf("no route %q among %v", key, keys)
	}
	return r
}

func fieldNames(fs []Field) string {
	out := []string{}
	for _, f := range fs {
		n := f.Name
		if !f.Always {
			n += "?"
		}
		out = append(out, n)
	}
	return strings.Join(out, ",")
}

func TestStructBodyStatusAndRequest(t *testing.T) {
	r := route(t, extractFixture(t), "api POST /v1/widgets")
	if r.Handler != "createWidget" || !strings.HasPrefix(string(r.HandlerAt), "api/cmd/api/main.go:") {
		t.Errorf("handler %q at %q", r.Handler, r.HandlerAt)
	}
	if len(r.Responses) != 1 || r.Responses[0].Status != 201 || r.Responses[0].Shape.Kind != "object" {
		t.Fatalf("responses %+v, want one 201 object", r.Responses)
	}
	// json:"-" is skipped, omitempty is optional, the untagged embedded struct is inlined.
	if got := fieldNames(r.Responses[0].Shape.Fields); got != "id,label?,created_at" {
		t.Errorf("response fields %s", got)
	}
	if r.Request == nil || fieldNames(r.Request.Fields) != "name,size?" {
		t.Errorf("request body %+v", r.Request)
	}
	codes := []int{}
	for _, s := range r.Statuses {
		codes = append(codes, s.Code)
	}
	if len(codes) != 2 || codes[0] != 201 || codes[1] != 400 {
		t.Errorf("statuses %v, want [201 400]", codes)
	}
}

func TestMapLiteralQueryAndConditionalKeys(t *testing.T) {
	r := route(t, extractFixture(t), "api GET /v1/widgets")
	if len(r.Query) != 1 || r.Query[0].Name != "limit" {
		t.Errorf("query %+v", r.Query)
	}
	if len(r.Responses) != 1 {
		t.Fatalf("responses %+v", r.Responses)
	}
	// next is set under an if: not always written; count is set at the top level: always.
	if got := fieldNames(r.Responses[0].Shape.Fields); got != "items,limit,next?,count" {
		t.Errorf("fields %s", got)
	}
}

func TestAgentRoutesCrossPackageAndShadowing(t *testing.T) {
	routes := extractFixture(t)
	get := route(t, routes, "agent GET /v1/things/{id}")
	if !get.Public || len(get.Responses) != 1 || get.Responses[0].Status != 200 {
		t.Fatalf("agent GET: %+v", get)
	}
	sh := get.Responses[0].Shape
	if sh.GoType != "Thing" || !strings.HasPrefix(string(sh.Loc), "agent/internal/sandbox/sandbox.go:") || fieldNames(sh.Fields) != "id,tags?,owner,seen" {
		t.Errorf("shape %+v", sh)
	}
	shadowed := route(t, routes, "agent GET /v1/widgets")
	if shadowed.Public || !strings.Contains(shadowed.Reason, "control plane answers") {
		t.Errorf("agent route under an api route must be marked: %+v", shadowed)
	}
	del := route(t, routes, "api DELETE /v1/things/{id}")
	if del.Forwards == nil || del.Forwards.Component != "agent" || del.Forwards.Route != "DELETE /things/{id}" {
		t.Errorf("forward %+v", del.Forwards)
	}
}

func TestInternalAndUnresolved(t *testing.T) {
	routes := extractFixture(t)
	internal := route(t, routes, "api GET /v1/internal/nodes")
	if internal.Public || internal.Reason == "" {
		t.Errorf("internal route: %+v", internal)
	}
	catchAll := route(t, routes, "api * /v1/")
	if catchAll.Public {
		t.Errorf("catch-all must not be public")
	}
	odd := route(t, routes, "api GET /v1/odd")
	if len(odd.Responses) != 0 || len(odd.Unresolved) != 1 || odd.Unresolved[0].What != "status" || !strings.Contains(odd.Unresolved[0].Reason, "pick()") {
		t.Errorf("a computed status must be unresolved, not guessed: %+v", odd)
	}
}

func TestRunRefusesAPathThatIsNotACheckout(t *testing.T) {
	err := run(t.TempDir(), "abc", "")
	if err == nil || !strings.Contains(err.Error(), "not a checkout of the service") {
		t.Fatalf("err = %v", err)
	}
	if err := run("", "", ""); err == nil || !strings.Contains(err.Error(), "--src is required") {
		t.Fatalf("err = %v", err)
	}
}

func TestMountedBroker(t *testing.T) {
	r := route(t, extractFixture(t), "broker POST /v1/databases/{id}/proxy/v1/query")
	if r.Handler != "server.handleQuery" || len(r.Responses) != 1 || fieldNames(r.Responses[0].Shape.Fields) != "rows,row_count" {
		t.Errorf("broker route through its auth wrapper: %+v", r)
	}
}

func TestMountMustBeRegistered(t *testing.T) {
	_, err := mount(&Repo{}, nil, brokerMount)
	if err == nil || !strings.Contains(err.Error(), "registers no pass-through") {
		t.Fatalf("err = %v", err)
	}
}

func TestStatusHeldInALocalOfConstants(t *testing.T) {
	r := route(t, extractFixture(t), "api GET /v1/health")
	if len(r.Statuses) != 2 || r.Statuses[0].Code != 200 || r.Statuses[1].Code != 503 || len(r.Unresolved) != 0 {
		t.Errorf("statuses %+v unresolved %+v, want 200 and 503", r.Statuses, r.Unresolved)
	}
	if len(r.Query) != 1 || r.Query[0].Name != "deep" {
		t.Errorf("query %+v", r.Query)
	}
}

func TestRawJSONWriteAndRedirect(t *testing.T) {
	routes := extractFixture(t)
	hook := route(t, routes, "api POST /v1/hook")
	if len(hook.Responses) != 1 || hook.Responses[0].Kind != "json" || fieldNames(hook.Responses[0].Shape.Fields) != "ok,n" {
		t.Errorf("a JSON literal written raw is an object with its keys: %+v", hook.Responses)
	}
	back := route(t, routes, "api GET /v1/back")
	if len(back.Responses) != 0 || len(back.Statuses) != 1 || back.Statuses[0].Code != 302 {
		t.Errorf("a redirect is 302 and no success body: %+v %+v", back.Statuses, back.Responses)
	}
}

func TestSliceOfAStatedSliceKeepsItsType(t *testing.T) {
	r := route(t, extractFixture(t), "agent GET /v1/things")
	if len(r.Responses) != 1 || r.Responses[0].Shape.Kind != "array" || r.Responses[0].Shape.Items == nil || r.Responses[0].Shape.Items.GoType != "Thing" {
		t.Errorf("responses %+v", r.Responses)
	}
}

func TestRunNeedsACommitOutsideAGitCheckout(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{apiDir, agentDir} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	err := run(dir, "", "")
	if err == nil || !strings.Contains(err.Error(), "pass --commit") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunWritesTheFactsWithTheCommit(t *testing.T) {
	out := filepath.Join(t.TempDir(), "facts.json")
	if err := run("testdata/svc", "abc123", out); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var f Facts
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Commit != "abc123" || !strings.Contains(f.Generated, "GENERATED") || len(f.Routes) == 0 {
		t.Errorf("facts header %q %q, %d routes", f.Commit, f.Generated, len(f.Routes))
	}
}

func TestPatternCovers(t *testing.T) {
	cases := []struct {
		api, agent string
		want       bool
	}{
		{"/v1/a/{id}", "/v1/a/b", true},
		{"/v1/a/{id}", "/v1/a/{x}", true},
		{"/v1/a/b", "/v1/a/{x}", false},
		{"/v1/a/{rest...}", "/v1/a/b/c", true},
		{"/v1/p/", "/v1/p/x/y", true},
		{"/v1/a/{id}", "/v1/a/b/c", false},
		{"/v1/a", "/v1/b", false},
	}
	for _, c := range cases {
		if got := patternCovers(c.api, c.agent); got != c.want {
			t.Errorf("patternCovers(%q, %q) = %v", c.api, c.agent, got)
		}
	}
	shadowed := route(t, extractFixture(t), "agent GET /v1/widgets/special")
	if shadowed.Public || !strings.Contains(shadowed.Reason, "api/cmd/api/main.go:") {
		t.Errorf("a wildcard api pattern takes the agent route: %+v", shadowed)
	}
}

func TestStatusReturnedByAFunction(t *testing.T) {
	r := route(t, extractFixture(t), "api GET /v1/ready")
	if len(r.Statuses) != 2 || r.Statuses[0].Code != 200 || r.Statuses[1].Code != 503 || len(r.Unresolved) != 0 {
		t.Fatalf("statuses %+v unresolved %+v", r.Statuses, r.Unresolved)
	}
	if len(r.Responses) != 1 || r.Responses[0].Status != 200 || r.Responses[0].Shape.GoType != "healthReport" {
		t.Errorf("responses %+v", r.Responses)
	}
}

func TestMapLiteralsAppendedToAList(t *testing.T) {
	r := route(t, extractFixture(t), "agent GET /v1/sessions")
	if len(r.Responses) != 1 || r.Responses[0].Shape.Kind != "array" || fieldNames(r.Responses[0].Shape.Items.Fields) != "id,cells" {
		t.Errorf("responses %+v", r.Responses)
	}
}
