package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Pkg is one parsed directory of the service (non-test files only).
type Pkg struct {
	Dir     string
	Files   []*ast.File
	Funcs   map[string]*ast.FuncDecl
	Methods map[string][]*ast.FuncDecl
	Types   map[string]*ast.TypeSpec
	Consts  map[string]ast.Expr
	fileOf  map[ast.Node]*ast.File
}

// Repo parses packages of the checkout on demand and maps import paths to directories
// through the go.mod files it finds.
type Repo struct {
	Root    string
	Fset    *token.FileSet
	modules map[string]string // module path -> directory
	pkgs    map[string]*Pkg
}

func NewRepo(root string) (*Repo, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	r := &Repo{Root: root, Fset: token.NewFileSet(), modules: map[string]string{}, pkgs: map[string]*Pkg{}}
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if d.Name() == "go.mod" {
			data, rerr := os.ReadFile(p)
			if rerr != nil {
				return rerr
			}
			for _, line := range strings.Split(string(data), "\n") {
				if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
					r.modules[f[1]] = filepath.Dir(p)
				}
			}
		}
		return nil
	})
	return r, err
}

// DirOf maps an import path to a directory of the checkout, or "" when it is not the service's.
func (r *Repo) DirOf(importPath string) string {
	best := ""
	for mod := range r.modules {
		if (importPath == mod || strings.HasPrefix(importPath, mod+"/")) && len(mod) > len(best) {
			best = mod
		}
	}
	if best == "" {
		return ""
	}
	return filepath.Join(r.modules[best], strings.TrimPrefix(importPath, best))
}

// Load parses the package in dir (absolute or relative to the root).
func (r *Repo) Load(dir string) (*Pkg, error) {
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(r.Root, dir)
	}
	if p, ok := r.pkgs[dir]; ok {
		return p, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &Pkg{Dir: dir, Funcs: map[string]*ast.FuncDecl{}, Methods: map[string][]*ast.FuncDecl{}, Types: map[string]*ast.TypeSpec{}, Consts: map[string]ast.Expr{}, fileOf: map[ast.Node]*ast.File{}}
	names := []string{}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		f, perr := parser.ParseFile(r.Fset, filepath.Join(dir, n), nil, parser.ParseComments|parser.SkipObjectResolution)
		if perr != nil {
			return nil, perr
		}
		p.Files = append(p.Files, f)
		p.index(f)
	}
	r.pkgs[dir] = p
	return p, nil
}

func (p *Pkg) index(f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			p.fileOf[d] = f
			if d.Recv == nil {
				p.Funcs[d.Name.Name] = d
			} else {
				p.Methods[d.Name.Name] = append(p.Methods[d.Name.Name], d)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					p.Types[s.Name.Name] = s
					p.fileOf[s] = f
				case *ast.ValueSpec:
					if d.Tok == token.CONST {
						for i, n := range s.Names {
							if i < len(s.Values) {
								p.Consts[n.Name] = s.Values[i]
							}
						}
					}
				}
			}
		}
	}
}

// FileOf is the file a declaration of this package sits in.
func (p *Pkg) FileOf(n ast.Node) *ast.File { return p.fileOf[n] }

// ImportDir resolves an identifier used as a package name in file f to a directory of the
// checkout ("" for the standard library and other modules).
func (r *Repo) ImportDir(f *ast.File, name string) (string, bool) {
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		local := filepath.Base(path)
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local == name {
			return r.DirOf(path), true
		}
	}
	return "", false
}

// Pos renders a position as a path relative to the root plus the line.
func (r *Repo) Pos(pos token.Pos) Loc {
	p := r.Fset.Position(pos)
	rel, err := filepath.Rel(r.Root, p.Filename)
	if err != nil {
		rel = p.Filename
	}
	return Loc(filepath.ToSlash(rel) + ":" + strconv.Itoa(p.Line))
}

// ReceiverType names the receiver type of a method declaration ("" for a function).
func ReceiverType(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// StringConst reads a string literal, or a constant of the package naming one.
func (p *Pkg) StringConst(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.Ident:
		if v, ok := p.Consts[e.Name]; ok {
			return p.StringConst(v)
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			a, ok1 := p.StringConst(e.X)
			b, ok2 := p.StringConst(e.Y)
			return a + b, ok1 && ok2
		}
	}
	return "", false
}
