package main

import (
	"go/ast"
	"go/token"
)

// Env records, for each local name of a handler, the type it was declared or assigned with
// and, for map literals, the literal itself. It is filled by reading declarations, never guessed.
type Env struct {
	repo  *Repo
	pkg   *Pkg
	file  *ast.File
	types map[string]TypeRef
	lits  map[string]*ast.CompositeLit
	// items: map literals appended to a slice (x = append(x, map[string]any{...})).
	items map[string]*ast.CompositeLit
}

func NewEnv(repo *Repo, pkg *Pkg, file *ast.File) *Env {
	return &Env{repo: repo, pkg: pkg, file: file, types: map[string]TypeRef{}, lits: map[string]*ast.CompositeLit{}, items: map[string]*ast.CompositeLit{}}
}

func (e *Env) ref(x ast.Expr) TypeRef { return TypeRef{x, e.pkg, e.file} }

// AddParams declares a parameter list (and a method receiver).
func (e *Env) AddParams(fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, n := range f.Names {
			e.types[n.Name] = e.ref(f.Type)
		}
	}
}

// Walk reads every declaration and assignment in body, in order.
func (e *Env) Walk(body ast.Node) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			e.assign(s.Lhs, s.Rhs)
		case *ast.ValueSpec:
			for i, name := range s.Names {
				if s.Type != nil {
					e.types[name.Name] = e.ref(s.Type)
				} else if i < len(s.Values) {
					e.assign([]ast.Expr{name}, []ast.Expr{s.Values[i]})
				}
			}
		case *ast.RangeStmt:
			if v, ok := s.Value.(*ast.Ident); ok {
				if t, ok := e.TypeOf(s.X); ok {
					if arr, ok := deref(t.Expr).(*ast.ArrayType); ok {
						e.types[v.Name] = TypeRef{arr.Elt, t.Pkg, t.File}
					}
				}
			}
		}
		return true
	})
}

func (e *Env) assign(lhs, rhs []ast.Expr) {
	if len(rhs) == 1 && len(lhs) > 1 {
		if call, ok := rhs[0].(*ast.CallExpr); ok {
			if results := e.results(call); results != nil {
				for i, l := range lhs {
					if id, ok := l.(*ast.Ident); ok && i < len(results) && id.Name != "_" {
						e.types[id.Name] = results[i]
					}
				}
			}
		}
		return
	}
	for i, l := range lhs {
		id, ok := l.(*ast.Ident)
		if !ok || i >= len(rhs) || id.Name == "_" {
			continue
		}
		if call, ok := rhs[i].(*ast.CallExpr); ok && isIdent(call.Fun, "append") && len(call.Args) == 2 && isIdent(call.Args[0], id.Name) {
			if lit := compositeOf(call.Args[1]); lit != nil {
				if _, isMap := lit.Type.(*ast.MapType); isMap && e.items[id.Name] == nil {
					e.items[id.Name] = lit
				}
			}
		}
		if lit := compositeOf(rhs[i]); lit != nil {
			if _, isMap := lit.Type.(*ast.MapType); isMap {
				e.lits[id.Name] = lit
			}
		}
		if _, known := e.types[id.Name]; known {
			continue // the first declaration decides; later `x = ...` keep the type
		}
		if t, ok := e.TypeOf(rhs[i]); ok {
			e.types[id.Name] = t
		}
	}
}

func compositeOf(x ast.Expr) *ast.CompositeLit {
	if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
		x = u.X
	}
	lit, _ := x.(*ast.CompositeLit)
	return lit
}

func deref(x ast.Expr) ast.Expr {
	for {
		s, ok := x.(*ast.StarExpr)
		if !ok {
			return x
		}
		x = s.X
	}
}

// TypeOf reads the type of an expression where the source states it.
func (e *Env) TypeOf(x ast.Expr) (TypeRef, bool) {
	switch x := x.(type) {
	case *ast.CompositeLit:
		if x.Type != nil {
			return e.ref(x.Type), true
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return e.TypeOf(x.X)
		}
	case *ast.ParenExpr:
		return e.TypeOf(x.X)
	case *ast.SliceExpr:
		return e.TypeOf(x.X)
	case *ast.Ident:
		t, ok := e.types[x.Name]
		return t, ok
	case *ast.SelectorExpr:
		return e.fieldType(x)
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok {
			switch id.Name {
			case "make", "new":
				if len(x.Args) > 0 {
					return e.ref(x.Args[0]), true
				}
			case "append":
				if len(x.Args) > 0 {
					return e.TypeOf(x.Args[0])
				}
			}
		}
		if rs := e.results(x); len(rs) > 0 {
			return rs[0], true
		}
	}
	return TypeRef{}, false
}

// fieldType resolves x.F when x's type is a struct declared in the checkout.
func (e *Env) fieldType(sel *ast.SelectorExpr) (TypeRef, bool) {
	t, ok := e.TypeOf(sel.X)
	if !ok {
		return TypeRef{}, false
	}
	pkg, spec := e.repo.declOf(t)
	if spec == nil {
		return TypeRef{}, false
	}
	st, ok := spec.Type.(*ast.StructType)
	if !ok {
		return TypeRef{}, false
	}
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if n.Name == sel.Sel.Name {
				return TypeRef{f.Type, pkg, pkg.FileOf(spec)}, true
			}
		}
	}
	return TypeRef{}, false
}

// results are the declared result types of the function or method a call reaches, when
// exactly one declaration (or several with the same result types) answers to it.
func (e *Env) results(call *ast.CallExpr) []TypeRef {
	fd, pkg := e.Callee(call)
	if fd == nil || fd.Type.Results == nil {
		return nil
	}
	out := []TypeRef{}
	for _, f := range fd.Type.Results.List {
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		for i := 0; i < n; i++ {
			out = append(out, TypeRef{f.Type, pkg, pkg.FileOf(fd)})
		}
	}
	return out
}

// Callee finds the declaration a call reaches: a function of this package, a function of an
// imported package of the checkout, or a method (by the receiver's known type, else by a name
// that only one declaration in the package carries).
func (e *Env) Callee(call *ast.CallExpr) (*ast.FuncDecl, *Pkg) {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		if fd, ok := e.pkg.Funcs[fn.Name]; ok {
			return fd, e.pkg
		}
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok {
			if _, local := e.types[x.Name]; !local {
				if dir, found := e.repo.ImportDir(e.file, x.Name); found {
					if dir == "" {
						return nil, nil
					}
					p, err := e.repo.Load(dir)
					if err != nil {
						return nil, nil
					}
					return p.Funcs[fn.Sel.Name], p
				}
			}
		}
		if t, ok := e.TypeOf(fn.X); ok {
			if pkg, spec := e.repo.declOf(t); spec != nil {
				for _, m := range pkg.Methods[fn.Sel.Name] {
					if ReceiverType(m) == spec.Name.Name {
						return m, pkg
					}
				}
			}
			return nil, nil
		}
		if ms := e.pkg.Methods[fn.Sel.Name]; len(ms) == 1 {
			return ms[0], e.pkg
		}
	}
	return nil, nil
}

// declOf finds the type declaration a (possibly pointer) named type refers to.
func (r *Repo) declOf(t TypeRef) (*Pkg, *ast.TypeSpec) {
	switch x := deref(t.Expr).(type) {
	case *ast.Ident:
		if s, ok := t.Pkg.Types[x.Name]; ok {
			return t.Pkg, s
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok && t.File != nil {
			if dir, found := r.ImportDir(t.File, id.Name); found && dir != "" {
				if p, err := r.Load(dir); err == nil {
					if s, ok := p.Types[x.Sel.Name]; ok {
						return p, s
					}
				}
			}
		}
	}
	return nil, nil
}
