package main

import (
	"go/ast"
	"regexp"
	"sort"
	"strings"
)

// funcLitText is how go/types prints a function literal inside a wrapper call.
var funcLitText = regexp.MustCompile(`\(func\([^)]*\)[^)]*literal\)`)

// registration is one mux.Handle/HandleFunc call found in a package.
type registration struct {
	route   Route
	mux     string
	handler ast.Expr
	encl    *ast.FuncDecl
	pkg     *Pkg
	order   int
}

var httpMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true}

// Registrations finds every HandleFunc/Handle call with a constant pattern in a package.
func (r *Repo) Registrations(p *Pkg, component string) []*registration {
	out := []*registration{}
	for _, f := range p.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				c, ok := n.(*ast.CallExpr)
				if !ok || len(c.Args) != 2 {
					return true
				}
				sel, ok := c.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
					return true
				}
				pattern, ok := p.StringConst(c.Args[0])
				if !ok {
					return true
				}
				method, path := "*", pattern
				if i := strings.Index(pattern, " "); i > 0 && httpMethods[pattern[:i]] {
					method, path = pattern[:i], strings.TrimSpace(pattern[i+1:])
				}
				out = append(out, &registration{
					route: Route{Method: method, Path: path, Component: component, Pattern: pattern, Loc: r.Pos(c.Pos()), Handler: handlerName(c.Args[1]), Query: []QueryParam{}, Statuses: []Status{}, Responses: []Response{}, Unresolved: []Unresolved{}, Public: true},
					mux:   TypeString(sel.X), handler: c.Args[1], encl: fd, pkg: p, order: len(out),
				})
				return true
			})
		}
	}
	return out
}

func handlerName(x ast.Expr) string {
	if _, ok := x.(*ast.FuncLit); ok {
		return "func literal"
	}
	return funcLitText.ReplaceAllString(TypeString(x), "func literal")
}

// Read analyses a registration's handler: it unwraps middleware, resolves methods and handler
// factories, and reads the function body it reaches.
func (r *Repo) Read(reg *registration) {
	r.read(reg, reg.handler, reg.encl, reg.pkg, 0)
	sort.SliceStable(reg.route.Query, func(i, j int) bool { return reg.route.Query[i].Name < reg.route.Query[j].Name })
}

func (r *Repo) read(reg *registration, h ast.Expr, encl *ast.FuncDecl, p *Pkg, depth int) {
	rt := &reg.route
	if depth > maxFollow {
		rt.Unresolved = append(rt.Unresolved, Unresolved{What: "handler", Reason: "handler wrapping not followed deeper", Loc: r.Pos(h.Pos())})
		return
	}
	switch h := h.(type) {
	case *ast.FuncLit:
		rt.HandlerAt = r.Pos(h.Pos())
		env := r.enclosingEnv(encl, p)
		r.Analyze(rt, h.Type, h.Body, env)
		return
	case *ast.Ident:
		if fd, ok := p.Funcs[h.Name]; ok {
			r.readDecl(rt, fd, p)
			return
		}
		if lit := localFuncLit(encl, h.Name); lit != nil {
			r.read(reg, lit, encl, p, depth+1)
			return
		}
	case *ast.SelectorExpr:
		if fd := methodFor(p, h.Sel.Name, encl); fd != nil {
			r.readDecl(rt, fd, p)
			return
		}
	case *ast.CallExpr:
		for i := len(h.Args) - 1; i >= 0; i-- {
			if isHandlerExpr(h.Args[i]) {
				r.read(reg, h.Args[i], encl, p, depth+1)
				return
			}
		}
		env := r.enclosingEnv(encl, p)
		if fd, fp := env.Callee(h); fd != nil && fd.Body != nil {
			if lit := returnedFuncLit(fd); lit != nil {
				r.read(reg, lit, fd, fp, depth+1)
				return
			}
		}
	}
	rt.Unresolved = append(rt.Unresolved, Unresolved{What: "handler", Reason: "handler is a value built elsewhere: " + TypeString(h), Loc: r.Pos(h.Pos())})
}

func (r *Repo) readDecl(rt *Route, fd *ast.FuncDecl, p *Pkg) {
	rt.HandlerAt = r.Pos(fd.Pos())
	rt.Handler = fd.Name.Name
	if rc := ReceiverType(fd); rc != "" {
		rt.Handler = rc + "." + fd.Name.Name
	}
	env := NewEnv(r, p, p.FileOf(fd))
	env.AddParams(fd.Recv)
	r.Analyze(rt, fd.Type, fd.Body, env)
}

func (r *Repo) enclosingEnv(encl *ast.FuncDecl, p *Pkg) *Env {
	env := NewEnv(r, p, p.FileOf(encl))
	env.AddParams(encl.Recv)
	env.AddParams(encl.Type.Params)
	return env
}

func isHandlerExpr(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.FuncLit:
		return true
	case *ast.SelectorExpr:
		return !isIdent(x.X, "http")
	case *ast.CallExpr:
		return TypeString(x.Fun) == "http.HandlerFunc"
	}
	return false
}

// methodFor picks the method a selector handler names, preferring the registering method's
// own receiver type when several types declare it.
func methodFor(p *Pkg, name string, encl *ast.FuncDecl) *ast.FuncDecl {
	ms := p.Methods[name]
	if recv := ReceiverType(encl); recv != "" {
		for _, m := range ms {
			if ReceiverType(m) == recv {
				return m
			}
		}
	}
	if len(ms) == 1 {
		return ms[0]
	}
	return nil
}

func localFuncLit(encl *ast.FuncDecl, name string) *ast.FuncLit {
	var found *ast.FuncLit
	ast.Inspect(encl.Body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			for i, l := range as.Lhs {
				if isIdent(l, name) {
					if lit, ok := as.Rhs[i].(*ast.FuncLit); ok {
						found = lit
					}
				}
			}
		}
		return found == nil
	})
	return found
}

func returnedFuncLit(fd *ast.FuncDecl) *ast.FuncLit {
	var found *ast.FuncLit
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
			x := ret.Results[0]
			if c, ok := x.(*ast.CallExpr); ok && TypeString(c.Fun) == "http.HandlerFunc" && len(c.Args) == 1 {
				x = c.Args[0]
			}
			if lit, ok := x.(*ast.FuncLit); ok {
				found = lit
			}
		}
		return found == nil
	})
	return found
}
