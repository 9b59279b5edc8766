package main

import (
	"encoding/json"
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// call classifies one call inside a handler: a status, a body write, a request decode, a query
// read, a hand-off to the proxy, or a helper to follow.
func (a *analysis) call(c *ast.CallExpr, s *scope, depth int) {
	sel, _ := c.Fun.(*ast.SelectorExpr)
	if sel != nil {
		if a.method(c, sel, s) {
			return
		}
	}
	a.helper(c, s, depth)
}

// method handles calls of the form x.M(...) that need no declaration to read.
func (a *analysis) method(c *ast.CallExpr, sel *ast.SelectorExpr, s *scope) bool {
	name, recv := sel.Sel.Name, TypeString(sel.X)
	switch {
	case name == "WriteHeader" && isIdent(sel.X, s.w) && len(c.Args) == 1:
		a.status(c.Args[0], s, c.Pos())
	case name == "Write" && isIdent(sel.X, s.w):
		a.writes = append(a.writes, a.rawWrite(c, s))
	case name == "Encode" && isEncoderOn(sel.X, s.w) && len(c.Args) == 1:
		a.writes = append(a.writes, Response{Kind: "json", Loc: a.repo.Pos(c.Pos()), Shape: a.bodyShape(c.Args[0], s)})
	case name == "Decode" && len(c.Args) == 1 && a.readsBody(sel.X, s):
		a.request(c.Args[0], s, c.Pos())
	case recv == "json" && name == "Unmarshal" && len(c.Args) == 2 && a.readsBody(c.Args[0], s):
		a.request(c.Args[1], s, c.Pos())
	case (name == "Get" || name == "Has") && len(c.Args) == 1 && s.r != "" && (recv == s.r+".URL.Query()" || isQueryVar(sel.X, s)):
		a.queryArg(c.Args[0], s, c.Pos())
	case (name == "FormValue" || name == "PostFormValue") && isIdent(sel.X, s.r) && len(c.Args) == 1:
		a.queryArg(c.Args[0], s, c.Pos())
	case recv == "http" && name == "Error" && len(c.Args) == 3 && isIdent(c.Args[0], s.w):
		a.status(c.Args[2], s, c.Pos())
	case recv == "http" && name == "Redirect" && len(c.Args) == 4 && isIdent(c.Args[0], s.w):
		a.status(c.Args[3], s, c.Pos())
	case (recv == "io" && (name == "Copy" || name == "WriteString") || recv == "fmt" && strings.HasPrefix(name, "Fprint")) && len(c.Args) > 0 && isIdent(c.Args[0], s.w):
		a.writes = append(a.writes, Response{Kind: "text", Loc: a.repo.Pos(c.Pos())})
	case name == "ServeHTTP" && len(c.Args) == 2 && isIdent(c.Args[0], s.w):
		a.route.Forwards = &Forward{Component: "proxy", Route: recv, Loc: a.repo.Pos(c.Pos())}
	case name == "Upgrade" && len(c.Args) >= 2 && isIdent(c.Args[0], s.w), recv == "websocket" && name == "Accept":
		a.route.Statuses = append(a.route.Statuses, Status{Code: 101, Loc: a.repo.Pos(c.Pos())})
		a.writes = append(a.writes, Response{Status: 101, Kind: "stream", Loc: a.repo.Pos(c.Pos())})
	default:
		return false
	}
	return true
}

func isEncoderOn(x ast.Expr, w string) bool {
	c, ok := x.(*ast.CallExpr)
	return ok && TypeString(c.Fun) == "json.NewEncoder" && len(c.Args) == 1 && isIdent(c.Args[0], w)
}

// readsBody: the decoder or byte slice comes from the request body.
func (a *analysis) readsBody(x ast.Expr, s *scope) bool {
	if s.r == "" {
		return false
	}
	if mentionsBody(TypeString(x), s.r) {
		return true
	}
	id, ok := x.(*ast.Ident)
	return ok && s.bodyVars[id.Name]
}

func (a *analysis) queryArg(x ast.Expr, s *scope, pos token.Pos) {
	if name, ok := s.env.pkg.StringConst(x); ok {
		a.query(name, pos)
		return
	}
	a.unresolved("query parameter", "name is computed: "+TypeString(x), pos)
}

func (a *analysis) status(x ast.Expr, s *scope, pos token.Pos) {
	if codes, ok := StatusSet(x, s); ok {
		for _, code := range codes {
			a.route.Statuses = append(a.route.Statuses, Status{Code: code, Loc: a.repo.Pos(pos)})
		}
		return
	}
	a.computed = true
	a.unresolved("status", "status is computed: "+TypeString(x), pos)
}

// request records the type a body is decoded into.
func (a *analysis) request(target ast.Expr, s *scope, pos token.Pos) {
	t, ok := s.env.TypeOf(target)
	if !ok {
		a.unresolved("request body", "type of decode target "+TypeString(target)+" not stated", pos)
		return
	}
	sh := a.repo.Shape(t, 1)
	if sh.Loc == "" {
		sh.Loc = a.repo.Pos(pos)
	}
	if a.route.Request == nil || a.route.Request.Kind == "any" || a.route.Request.Kind == "map" {
		a.route.Request = sh
	}
}

// helper handles a call that passes the ResponseWriter or the Request on: a write helper
// (writer, status, body), or a function of the checkout that is read in turn.
func (a *analysis) helper(c *ast.CallExpr, s *scope, depth int) {
	wAt, rAt := -1, -1
	for i, arg := range c.Args {
		if isIdent(arg, s.w) {
			wAt = i
		}
		if isIdent(arg, s.r) {
			rAt = i
		}
	}
	if wAt < 0 && rAt < 0 {
		return
	}
	fd, pkg := s.env.Callee(c)
	if wAt >= 0 && wAt+1 < len(c.Args) && rAt < 0 {
		if codes, ok := StatusSet(c.Args[wAt+1], s); ok {
			for _, code := range codes {
				a.route.Statuses = append(a.route.Statuses, Status{Code: code, Loc: a.repo.Pos(c.Pos())})
				if wAt+2 < len(c.Args) && code < 300 {
					a.writes = append(a.writes, Response{Status: code, Kind: helperKind(fd), Loc: a.repo.Pos(c.Pos()), Shape: a.bodyShape(c.Args[wAt+2], s)})
				}
			}
			return
		}
		if fd != nil && isStatusParam(fd, wAt+1) {
			a.unresolved("status", "status is computed: "+TypeString(c.Args[wAt+1]), c.Pos())
			return
		}
	}
	if fd == nil || fd.Body == nil {
		return
	}
	if depth >= maxFollow || a.stack[fd] {
		a.unresolved("helper", "not followed past depth "+strconv.Itoa(maxFollow)+": "+fd.Name.Name, c.Pos())
		return
	}
	a.follow(c, fd, pkg, s, wAt, rAt, depth)
}

func isStatusParam(fd *ast.FuncDecl, at int) bool {
	i := 0
	for _, f := range fd.Type.Params.List {
		for range f.Names {
			if i == at {
				return TypeString(f.Type) == "int"
			}
			i++
		}
	}
	return false
}

func helperKind(fd *ast.FuncDecl) string {
	if fd == nil || fd.Body == nil {
		return "unresolved"
	}
	kind := "text"
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Encode" || TypeString(sel) == "json.Marshal") {
			kind = "json"
		}
		return true
	})
	return kind
}

// follow reads a helper's body with its parameters bound to the caller's arguments.
func (a *analysis) follow(c *ast.CallExpr, fd *ast.FuncDecl, pkg *Pkg, s *scope, wAt, rAt, depth int) {
	env := NewEnv(a.repo, pkg, pkg.FileOf(fd))
	if fd.Recv != nil {
		env.AddParams(fd.Recv)
	}
	env.AddParams(fd.Type.Params)
	inner := &scope{env: env, bodyVars: map[string]bool{}, queries: map[string]bool{}, top: topLevel(fd.Body), body: fd.Body}
	i := 0
	for _, f := range fd.Type.Params.List {
		for _, n := range f.Names {
			if i < len(c.Args) {
				switch {
				case i == wAt:
					inner.w = n.Name
				case i == rAt:
					inner.r = n.Name
				default:
					if t, ok := s.env.TypeOf(c.Args[i]); ok && TypeString(f.Type) == "any" {
						env.types[n.Name] = t
					}
				}
			}
			i++
		}
	}
	env.Walk(fd.Body)
	a.stack[fd] = true
	a.scan(fd.Body, inner, depth+1)
	delete(a.stack, fd)
}

// mentionsBody: the expression text uses <r>.Body of the request itself (not rr.Body).
func mentionsBody(text, r string) bool {
	return regexp.MustCompile(`(^|[^\w.])` + regexp.QuoteMeta(r) + `\.Body\b`).MatchString(text)
}

// rawWrite reads w.Write(x): a JSON object when x is []byte of a string literal holding one
// (its keys are then the fields, always written), text otherwise.
func (a *analysis) rawWrite(c *ast.CallExpr, s *scope) Response {
	loc := a.repo.Pos(c.Pos())
	if len(c.Args) == 1 {
		if conv, ok := c.Args[0].(*ast.CallExpr); ok && TypeString(conv.Fun) == "[]byte" && len(conv.Args) == 1 {
			if text, ok := s.env.pkg.StringConst(conv.Args[0]); ok {
				var obj map[string]json.RawMessage
				if json.Unmarshal([]byte(text), &obj) == nil {
					sh := &Shape{Kind: "object", GoType: "JSON literal", Loc: loc}
					for _, k := range jsonKeys(text) {
						sh.Fields = append(sh.Fields, Field{Name: k, Always: true, Loc: loc})
					}
					return Response{Kind: "json", Loc: loc, Shape: sh}
				}
			}
		}
	}
	return Response{Kind: "text", Loc: loc}
}

// jsonKeys lists an object literal's keys in the order written.
func jsonKeys(text string) []string {
	dec := json.NewDecoder(strings.NewReader(text))
	keys := []string{}
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 && dec.More() {
				keys = append(keys, t)
				_ = skipValue(dec)
			}
		}
	}
}

func skipValue(dec *json.Decoder) error {
	var v json.RawMessage
	return dec.Decode(&v)
}
