package main

import (
	"fmt"
	"go/ast"
	"regexp"
	"strings"
)

// internalRule marks routes customers do not call, with the reason the route exists.
type internalRule struct {
	component string
	method    string
	path      *regexp.Regexp
	reason    string
}

var internalRules = []internalRule{
	{"api", "", regexp.MustCompile(`^/v1/internal/`), "node-token route the agents call (natid claim registry), not customers"},
	{"agent", "", regexp.MustCompile(`^/v1/db/\{id\}/restore$`), "failover restore the control plane calls on a target agent"},
	{"agent", "GET", regexp.MustCompile(`^/v1/metrics$`), "the agent's Prometheus scrape endpoint"},
	{"agent", "GET", regexp.MustCompile(`^/v1/audit$`), "the agent's operator audit log"},
	{"agent", "GET", regexp.MustCompile(`^/v1/stats/boot$`), "the agent's operator boot statistics"},
}

// Classify decides which routes a client reaches and which registration answers them.
func Classify(regs []*registration) {
	apiRoutes := map[string]*registration{}
	for _, g := range regs {
		rt := &g.route
		if rt.Method == "*" {
			rt.Public, rt.Reason = false, "registered for every method: a pass-through (raw proxy or method fallback), no fixed request or response"
		}
		for _, rule := range internalRules {
			if rule.component == rt.Component && (rule.method == "" || rule.method == rt.Method) && rule.path.MatchString(rt.Path) {
				rt.Public, rt.Reason = false, rule.reason
			}
		}
		if rt.Component != "api" || !rt.Public {
			continue
		}
		key := rt.Method + " " + rt.Path
		if first, dup := apiRoutes[key]; dup {
			primary, other := first, g
			if isFallback(first) && !isFallback(g) {
				primary, other = g, first
			}
			apiRoutes[key] = primary
			other.route.Public = false
			if isFallback(other) {
				other.route.Reason = fmt.Sprintf("fallback while the backing store is not configured; the route is %s", primary.route.Loc)
			} else {
				other.route.Reason = fmt.Sprintf("also registered on mux %q; the public registration is %s", other.mux, primary.route.Loc)
			}
			continue
		}
		apiRoutes[key] = g
	}
	for _, g := range regs {
		rt := &g.route
		if rt.Component != "agent" || !rt.Public {
			continue
		}
		if api := shadowing(regs, rt); api != nil {
			rt.Public, rt.Reason = false, "the control plane answers this path itself ("+string(api.route.Loc)+")"
		}
	}
}

// shadowing finds the control plane's registration that takes an agent route's requests before
// the /v1/ pass-through does: any of its patterns (other than the catch-all) that matches the
// agent route's path for its method. ServeMux prefers the more specific pattern, and the
// catch-all is the least specific of all.
func shadowing(regs []*registration, agent *Route) *registration {
	var best *registration
	for _, g := range regs {
		api := &g.route
		if api.Component != "api" || api.Path == "/v1/" || (api.Method != "*" && api.Method != agent.Method) {
			continue
		}
		if patternCovers(api.Path, agent.Path) && (best == nil || literals(api.Path) > literals(best.route.Path)) {
			best = g
		}
	}
	return best
}

// literals counts a pattern's literal segments: of two patterns that match a path, ServeMux
// takes the one with more.
func literals(p string) int {
	n := 0
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if !strings.HasPrefix(seg, "{") {
			n++
		}
	}
	return n
}

// patternCovers: every path the agent pattern matches, the api pattern matches too (a
// wildcard segment covers any segment, `{x...}` or a trailing slash covers the rest).
func patternCovers(api, agent string) bool {
	a, b := strings.Split(strings.Trim(api, "/"), "/"), strings.Split(strings.Trim(agent, "/"), "/")
	for i, seg := range a {
		if strings.HasSuffix(seg, "...}") || (i == len(a)-1 && strings.HasSuffix(api, "/") && seg == "") {
			return true
		}
		if i >= len(b) {
			return false
		}
		wild := strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
		if !wild && seg != b[i] {
			return false
		}
	}
	if strings.HasSuffix(api, "/") && len(b) >= len(a) {
		return true
	}
	return len(a) == len(b)
}

// isFallback: a handler that only answers that the feature is unavailable.
func isFallback(g *registration) bool {
	name := strings.ToLower(g.route.Handler)
	if strings.Contains(name, "unavailable") {
		return true
	}
	return g.encl != nil && strings.Contains(strings.ToLower(g.encl.Name.Name), "unavailable")
}

// V1Prefix reads how the control plane's reverse proxy maps its paths to the agent's: the
// prefix its Director trims from r.URL.Path.
func V1Prefix(r *Repo, p *Pkg) (string, Loc, error) {
	for _, f := range p.Files {
		var prefix string
		var loc Loc
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if ok && TypeString(c.Fun) == "strings.TrimPrefix" && len(c.Args) == 2 && strings.HasSuffix(TypeString(c.Args[0]), ".URL.Path") {
				if s, ok := p.StringConst(c.Args[1]); ok && prefix == "" {
					prefix, loc = s, r.Pos(c.Pos())
				}
			}
			return prefix == ""
		})
		if prefix != "" {
			return prefix, loc, nil
		}
	}
	return "", "", fmt.Errorf("no strings.TrimPrefix(r.URL.Path, \"...\") in %s: cannot tell how the control plane maps paths to the agent", p.Dir)
}

// LinkForwards names the agent route an api handler hands its request to.
func LinkForwards(regs []*registration, prefix string) {
	agent := map[string]*registration{}
	for _, g := range regs {
		if g.route.Component == "agent" {
			agent[g.route.Method+" "+g.route.Path] = g
		}
	}
	for _, g := range regs {
		f := g.route.Forwards
		if g.route.Component != "api" || f == nil {
			continue
		}
		if a, ok := agent[g.route.Method+" "+g.route.Path]; ok {
			f.Component = "agent"
			f.Route = a.route.Method + " " + strings.TrimPrefix(a.route.Path, prefix)
		}
	}
}
