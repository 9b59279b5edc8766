package main

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// maxFollow bounds how deep the extractor follows helper functions a handler passes its
// ResponseWriter or Request to.
const maxFollow = 3

// scope is what one function body is read with: its names, and which of them are the
// handler's ResponseWriter and Request.
type scope struct {
	env      *Env
	w, r     string
	bodyVars map[string]bool
	queries  map[string]bool
	top      map[ast.Stmt]bool
	body     ast.Node
}

// analysis accumulates what a handler and the helpers it calls write and read.
type analysis struct {
	repo   *Repo
	route  *Route
	writes []Response // Status 0 = written without an explicit status
	stream bool
	// computed: a WriteHeader with a status the extractor cannot read; a body written without
	// its own status then goes out with that unknown status, not the default 200.
	computed bool
	stack    map[*ast.FuncDecl]bool
}

// Analyze reads a handler body. outer holds the parameters of the function that registers it
// (closures see them) and, for a method handler, its receiver.
func (r *Repo) Analyze(route *Route, ft *ast.FuncType, body *ast.BlockStmt, env *Env) {
	a := &analysis{repo: r, route: route, stack: map[*ast.FuncDecl]bool{}}
	env.AddParams(ft.Params)
	env.Walk(body)
	w, req := paramNames(ft)
	a.scan(body, &scope{env: env, w: w, r: req, bodyVars: map[string]bool{}, queries: map[string]bool{}, top: topLevel(body), body: body}, 0)
	a.finish()
}

func paramNames(ft *ast.FuncType) (string, string) {
	names := []string{}
	for _, f := range ft.Params.List {
		for _, n := range f.Names {
			names = append(names, n.Name)
		}
	}
	for len(names) < 2 {
		names = append(names, "")
	}
	return names[0], names[1]
}

func topLevel(body *ast.BlockStmt) map[ast.Stmt]bool {
	m := map[ast.Stmt]bool{}
	for _, s := range body.List {
		m[s] = true
	}
	return m
}

func isIdent(x ast.Expr, name string) bool {
	id, ok := x.(*ast.Ident)
	return ok && name != "" && id.Name == name
}

func (a *analysis) scan(body ast.Node, s *scope, depth int) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			a.noteAssign(n, s)
		case *ast.BasicLit:
			if n.Kind == token.STRING && strings.Contains(n.Value, "text/event-stream") {
				a.stream = true
			}
		case *ast.IndexExpr:
			a.noteQueryIndex(n, s)
		case *ast.CallExpr:
			a.call(n, s, depth)
		}
		return true
	})
}

// noteAssign remembers names holding the request body or its query values.
func (a *analysis) noteAssign(n *ast.AssignStmt, s *scope) {
	for i, l := range n.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok || i >= len(n.Rhs) && len(n.Rhs) != 1 {
			continue
		}
		rhs := n.Rhs[0]
		if i < len(n.Rhs) {
			rhs = n.Rhs[i]
		}
		text := TypeString(rhs)
		if s.r != "" && mentionsBody(text, s.r) {
			s.bodyVars[id.Name] = true
		}
		if s.r != "" && text == s.r+".URL.Query()" {
			s.queries[id.Name] = true
		}
	}
}

func (a *analysis) noteQueryIndex(n *ast.IndexExpr, s *scope) {
	if s.r == "" || (TypeString(n.X) != s.r+".URL.Query()" && !isQueryVar(n.X, s)) {
		return
	}
	if name, ok := s.env.pkg.StringConst(n.Index); ok {
		a.query(name, n.Pos())
	}
}

func isQueryVar(x ast.Expr, s *scope) bool {
	id, ok := x.(*ast.Ident)
	return ok && s.queries[id.Name]
}

func (a *analysis) query(name string, pos token.Pos) {
	for _, q := range a.route.Query {
		if q.Name == name {
			return
		}
	}
	a.route.Query = append(a.route.Query, QueryParam{Name: name, Loc: a.repo.Pos(pos)})
}

func (a *analysis) unresolved(what, reason string, pos token.Pos) {
	loc := a.route.HandlerAt
	if pos.IsValid() {
		loc = a.repo.Pos(pos)
	}
	a.route.Unresolved = append(a.route.Unresolved, Unresolved{What: what, Reason: reason, Loc: loc})
}

// StatusOf reads a status expression: an integer literal, http.StatusX, or a constant.
func StatusOf(x ast.Expr, p *Pkg) (int, bool) {
	switch x := x.(type) {
	case *ast.BasicLit:
		if x.Kind == token.INT {
			v, err := strconv.Atoi(x.Value)
			return v, err == nil
		}
	case *ast.SelectorExpr:
		if isIdent(x.X, "http") {
			v, ok := httpStatus[x.Sel.Name]
			return v, ok
		}
	case *ast.Ident:
		if v, ok := p.Consts[x.Name]; ok {
			return StatusOf(v, p)
		}
	}
	return 0, false
}

// StatusSet reads a status expression as the set of codes it can hold: a constant, or a local
// variable every assignment of which (in the function read) is a constant, or a result of a
// function of the service whose every return gives a constant in that place.
func StatusSet(x ast.Expr, s *scope) ([]int, bool) {
	return statusSet(x, s, 0)
}

func statusSet(x ast.Expr, s *scope, depth int) ([]int, bool) {
	if code, ok := StatusOf(x, s.env.pkg); ok {
		return []int{code}, true
	}
	id, ok := x.(*ast.Ident)
	if !ok || s.body == nil || depth > 2 {
		return nil, false
	}
	codes, all := []int{}, true
	ast.Inspect(s.body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range as.Lhs {
			if !isIdent(l, id.Name) {
				continue
			}
			var got []int
			var ok bool
			if len(as.Lhs) == len(as.Rhs) {
				got, ok = statusSet(as.Rhs[i], s, depth+1)
			} else if call, isCall := as.Rhs[0].(*ast.CallExpr); isCall && len(as.Rhs) == 1 {
				got, ok = returnedStatuses(call, i, s, depth+1)
			}
			codes, all = append(codes, got...), all && ok
		}
		return true
	})
	return codes, all && len(codes) > 0
}

// returnedStatuses reads the i-th result of every return statement of the function a call
// reaches.
func returnedStatuses(call *ast.CallExpr, i int, s *scope, depth int) ([]int, bool) {
	fd, pkg := s.env.Callee(call)
	if fd == nil || fd.Body == nil {
		return nil, false
	}
	env := NewEnv(s.env.repo, pkg, pkg.FileOf(fd))
	inner := &scope{env: env, body: fd.Body}
	codes, all := []int{}, true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		if ret, ok := n.(*ast.ReturnStmt); ok {
			if i >= len(ret.Results) {
				all = false
				return true
			}
			got, ok := statusSet(ret.Results[i], inner, depth)
			codes, all = append(codes, got...), all && ok
		}
		return true
	})
	return codes, all && len(codes) > 0
}
