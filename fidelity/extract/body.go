package main

import (
	"go/ast"
	"go/token"
	"sort"
)

// bodyShape resolves the value a handler encodes: a map literal (with the keys it adds later),
// a struct literal, or a name whose type the source states.
func (a *analysis) bodyShape(x ast.Expr, s *scope) *Shape {
	if isIdent(x, "nil") {
		return &Shape{Kind: "null", Loc: a.repo.Pos(x.Pos())}
	}
	if lit := compositeOf(x); lit != nil {
		if _, isMap := lit.Type.(*ast.MapType); isMap {
			return a.mapLiteral(lit, "", s)
		}
	}
	if id, ok := x.(*ast.Ident); ok {
		if lit, ok := s.env.lits[id.Name]; ok {
			return a.mapLiteral(lit, id.Name, s)
		}
		if lit, ok := s.env.items[id.Name]; ok {
			return &Shape{Kind: "array", GoType: "[]" + TypeString(lit.Type), Loc: a.repo.Pos(x.Pos()), Items: a.mapLiteral(lit, "", s)}
		}
	}
	if t, ok := s.env.TypeOf(x); ok {
		sh := a.repo.Shape(t, 2)
		if sh.Loc == "" {
			sh.Loc = a.repo.Pos(x.Pos())
		}
		return sh
	}
	return &Shape{Kind: "unresolved", Loc: a.repo.Pos(x.Pos()), Reason: "type of " + TypeString(x) + " is not stated in the source"}
}

// mapLiteral lists a map literal's string keys as always-written fields, and keys the handler
// sets afterwards (name["k"] = v) as always written only when set at the top level of the body.
func (a *analysis) mapLiteral(lit *ast.CompositeLit, name string, s *scope) *Shape {
	sh := &Shape{Kind: "object", GoType: TypeString(lit.Type), Loc: a.repo.Pos(lit.Pos())}
	seen := map[string]bool{}
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := s.env.pkg.StringConst(kv.Key)
		if !ok {
			sh.Reason = "a key is computed: " + TypeString(kv.Key)
			continue
		}
		seen[key] = true
		sh.Fields = append(sh.Fields, Field{Name: key, GoType: a.valueType(kv.Value, s), Always: true, Loc: a.repo.Pos(kv.Pos())})
	}
	if name == "" {
		return sh
	}
	for _, f := range a.addedKeys(name, s) {
		if !seen[f.Name] {
			seen[f.Name] = true
			sh.Fields = append(sh.Fields, f)
		}
	}
	return sh
}

func (a *analysis) valueType(x ast.Expr, s *scope) string {
	if t, ok := s.env.TypeOf(x); ok {
		return TypeString(t.Expr)
	}
	if b, ok := x.(*ast.BasicLit); ok {
		switch b.Kind {
		case token.STRING:
			return "string"
		case token.INT:
			return "int"
		case token.FLOAT:
			return "float64"
		}
	}
	return ""
}

// addedKeys finds name["k"] = v assignments in the body the scope reads.
func (a *analysis) addedKeys(name string, s *scope) []Field {
	type found struct {
		pos token.Pos
		f   Field
	}
	all := []found{}
	for _, body := range s.bodies() {
		ast.Inspect(body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
				return true
			}
			ix, ok := as.Lhs[0].(*ast.IndexExpr)
			if !ok || !isIdent(ix.X, name) {
				return true
			}
			if key, ok := s.env.pkg.StringConst(ix.Index); ok {
				all = append(all, found{as.Pos(), Field{Name: key, GoType: a.valueType(as.Rhs[0], s), Always: s.top[as], Loc: a.repo.Pos(as.Pos())}})
			}
			return true
		})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].pos < all[j].pos })
	out := []Field{}
	for _, f := range all {
		out = append(out, f.f)
	}
	return out
}

func (s *scope) bodies() []ast.Node {
	out := []ast.Node{}
	for st := range s.top {
		out = append(out, st)
	}
	return out
}
