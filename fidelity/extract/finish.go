package main

import (
	"encoding/json"
	"sort"
)

// finish settles statuses and bodies: a body written without a status goes out as 200
// unless the handler sets exactly one success status itself; with several it is unresolved.
func (a *analysis) finish() {
	success := map[int]bool{}
	for _, st := range a.route.Statuses {
		if st.Code >= 200 && st.Code < 300 {
			success[st.Code] = true
		}
	}
	for _, w := range dedupe(a.writes) {
		if w.Status != 0 {
			if w.Status < 300 {
				a.route.Responses = append(a.route.Responses, w)
			}
			continue
		}
		if a.stream && w.Kind == "text" {
			w.Kind = "stream"
		}
		switch {
		case len(success) == 0 && a.computed:
			a.unresolved("response status", "body written after a status the extractor cannot read", 0)
			continue
		case len(success) == 0:
			w.Status = 200
			a.route.Statuses = append(a.route.Statuses, Status{Code: 200, Loc: w.Loc, Implicit: true})
			success[200] = true
		case len(success) == 1:
			for code := range success {
				w.Status = code
			}
		default:
			a.unresolved("response status", "body written without a status while the handler sets several", 0)
			continue
		}
		a.route.Responses = append(a.route.Responses, w)
	}
	if a.stream && len(a.route.Responses) == 0 {
		a.route.Responses = append(a.route.Responses, Response{Status: 200, Kind: "stream", Loc: a.route.HandlerAt})
	}
	for code := range success {
		if !hasResponse(a.route.Responses, code) {
			a.route.Responses = append(a.route.Responses, Response{Status: code, Kind: "none", Loc: statusLoc(a.route.Statuses, code)})
		}
	}
	sort.SliceStable(a.route.Statuses, func(i, j int) bool { return a.route.Statuses[i].Code < a.route.Statuses[j].Code })
	sort.SliceStable(a.route.Responses, func(i, j int) bool { return a.route.Responses[i].Status < a.route.Responses[j].Status })
}

func hasResponse(rs []Response, code int) bool {
	for _, r := range rs {
		if r.Status == code {
			return true
		}
	}
	return false
}

func statusLoc(ss []Status, code int) Loc {
	for _, s := range ss {
		if s.Code == code {
			return s.Loc
		}
	}
	return ""
}

// dedupe drops writes that say the same thing as an earlier one (same status, kind and shape);
// the first one's location stays.
func dedupe(ws []Response) []Response {
	seen := map[string]bool{}
	out := []Response{}
	for _, w := range ws {
		key, _ := json.Marshal(Response{Status: w.Status, Kind: w.Kind, Shape: w.Shape})
		if !seen[string(key)] {
			seen[string(key)] = true
			out = append(out, w)
		}
	}
	return out
}
