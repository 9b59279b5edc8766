package main

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"
)

// TypeRef is a type expression together with where it was written, so that its names resolve
// in the right package and file.
type TypeRef struct {
	Expr ast.Expr
	Pkg  *Pkg
	File *ast.File
}

var scalarKinds = map[string]string{
	"string": "string", "bool": "boolean", "byte": "integer", "rune": "integer",
	"int": "integer", "int8": "integer", "int16": "integer", "int32": "integer", "int64": "integer",
	"uint": "integer", "uint8": "integer", "uint16": "integer", "uint32": "integer", "uint64": "integer",
	"float32": "number", "float64": "number",
}

// externalKinds are types of other modules whose JSON form is known from their documentation.
var externalKinds = map[string]string{
	"time.Time": "string", "time.Duration": "integer", "json.RawMessage": "any", "sql.NullString": "object",
}

// TypeString prints a type expression the way it reads in the source.
func TypeString(e ast.Expr) string { return types.ExprString(e) }

// Shape resolves a type to its JSON shape, following named types across the checkout's
// packages. depth bounds how far nested objects are expanded (top level and array items).
func (r *Repo) Shape(t TypeRef, depth int) *Shape {
	switch e := t.Expr.(type) {
	case *ast.StarExpr:
		return r.Shape(TypeRef{e.X, t.Pkg, t.File}, depth)
	case *ast.ParenExpr:
		return r.Shape(TypeRef{e.X, t.Pkg, t.File}, depth)
	case *ast.ArrayType:
		if id, ok := e.Elt.(*ast.Ident); ok && id.Name == "byte" {
			return &Shape{Kind: "string", GoType: "[]byte"}
		}
		s := &Shape{Kind: "array", GoType: TypeString(e)}
		if depth > 0 {
			s.Items = r.Shape(TypeRef{e.Elt, t.Pkg, t.File}, depth-1)
		}
		return s
	case *ast.MapType:
		return &Shape{Kind: "map", GoType: TypeString(e)}
	case *ast.InterfaceType:
		return &Shape{Kind: "any", GoType: TypeString(e)}
	case *ast.StructType:
		s := &Shape{Kind: "object", GoType: "struct{...}"}
		if depth > 0 {
			s.Fields = r.structFields(e, t, depth)
		}
		return s
	case *ast.Ident:
		if k, ok := scalarKinds[e.Name]; ok {
			return &Shape{Kind: k, GoType: e.Name}
		}
		if e.Name == "any" {
			return &Shape{Kind: "any", GoType: "any"}
		}
		if e.Name == "error" {
			return &Shape{Kind: "unresolved", GoType: "error", Reason: "an error value marshals as {} unless it implements json.Marshaler"}
		}
		return r.named(t.Pkg, e.Name, depth)
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		if !ok {
			break
		}
		name := x.Name + "." + e.Sel.Name
		if t.File != nil {
			if dir, found := r.ImportDir(t.File, x.Name); found && dir != "" {
				p, err := r.Load(dir)
				if err != nil {
					return &Shape{Kind: "unresolved", GoType: name, Reason: "package " + dir + " does not parse: " + err.Error()}
				}
				return r.named(p, e.Sel.Name, depth)
			}
		}
		if k, ok := externalKinds[name]; ok {
			return &Shape{Kind: k, GoType: name}
		}
		return &Shape{Kind: "unresolved", GoType: name, Reason: "type " + name + " is outside the service's source"}
	}
	return &Shape{Kind: "unresolved", GoType: TypeString(t.Expr), Reason: "type expression not followed"}
}

// named resolves a type declared in package p; a type with its own MarshalJSON is not guessed at.
func (r *Repo) named(p *Pkg, name string, depth int) *Shape {
	ts, ok := p.Types[name]
	if !ok {
		return &Shape{Kind: "unresolved", GoType: name, Reason: "type " + name + " not found in " + p.Dir}
	}
	for _, m := range p.Methods["MarshalJSON"] {
		if ReceiverType(m) == name {
			return &Shape{Kind: "unresolved", GoType: name, Loc: r.Pos(m.Pos()), Reason: "type " + name + " has its own MarshalJSON"}
		}
	}
	s := r.Shape(TypeRef{ts.Type, p, p.FileOf(ts)}, depth)
	s.GoType = name
	if s.Loc == "" {
		s.Loc = r.Pos(ts.Pos())
	}
	return s
}

// structFields lists the JSON properties of a struct as encoding/json writes them: json tag
// names, omitempty, `-` skipped, unexported skipped, untagged embedded structs inlined.
func (r *Repo) structFields(st *ast.StructType, t TypeRef, depth int) []Field {
	out := []Field{}
	for _, f := range st.Fields.List {
		tag := ""
		if f.Tag != nil {
			tag = reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("json")
		}
		if tag == "-" {
			continue
		}
		parts := strings.Split(tag, ",")
		jsonName, omit := parts[0], false
		for _, o := range parts[1:] {
			if o == "omitzero" || o == "omitempty" && !r.isStructValue(TypeRef{f.Type, t.Pkg, t.File}) {
				omit = true
			}
		}
		if len(f.Names) == 0 && jsonName == "" {
			inner := r.Shape(TypeRef{f.Type, t.Pkg, t.File}, depth)
			out = append(out, inner.Fields...)
			continue
		}
		names := []string{}
		for _, n := range f.Names {
			if ast.IsExported(n.Name) {
				names = append(names, n.Name)
			}
		}
		if len(f.Names) == 0 {
			names = []string{TypeString(f.Type)}
		}
		for _, n := range names {
			name := jsonName
			if name == "" {
				name = n
			}
			out = append(out, Field{Name: name, GoType: TypeString(f.Type), OmitEmpty: omit, Always: !omit, Loc: r.Pos(f.Pos())})
		}
	}
	return out
}

// isStructValue: a struct type held by value, which encoding/json writes even with omitempty
// (omitempty only drops false, 0, "", nil and empty arrays, slices and maps).
func (r *Repo) isStructValue(t TypeRef) bool {
	switch x := t.Expr.(type) {
	case *ast.StructType:
		return true
	case *ast.SelectorExpr:
		if TypeString(x) == "time.Time" {
			return true
		}
	case *ast.Ident:
		if _, basic := scalarKinds[x.Name]; basic || x.Name == "any" || x.Name == "error" {
			return false
		}
	default:
		return false
	}
	pkg, spec := r.declOf(t)
	if spec == nil {
		return false
	}
	return r.isStructValue(TypeRef{spec.Type, pkg, pkg.FileOf(spec)})
}
