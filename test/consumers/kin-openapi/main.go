// Loads an OpenAPI document with kin-openapi, validates it, and compiles regular expressions with
// Go's regexp (RE2). Used by test/consumers-kin-openapi.test.ts.
//
//	kin-openapi SPEC [PATTERNS.json]
//
// Prints one JSON object: {"load": error or "", "validate": error or "", "patterns": {pattern: error}}.
// Exit status 0 whatever it found (the test judges), 2 on bad usage.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"

	"github.com/getkin/kin-openapi/openapi3"
)

type report struct {
	OpenAPI    string            `json:"openapi"`
	Load       string            `json:"load"`
	Validate   string            `json:"validate"`
	Operations int               `json:"operations"`
	Schemas    int               `json:"schemas"`
	Patterns   map[string]string `json:"patterns"`
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: kin-openapi SPEC [PATTERNS.json]")
		os.Exit(2)
	}
	out := report{Patterns: map[string]string{}}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromFile(os.Args[1])
	if err != nil {
		out.Load = err.Error()
	} else {
		out.OpenAPI = doc.OpenAPI
		for _, item := range doc.Paths {
			out.Operations += len(item.Operations())
		}
		out.Schemas = len(doc.Components.Schemas)
		if err := doc.Validate(context.Background()); err != nil {
			out.Validate = err.Error()
		}
	}
	if len(os.Args) == 3 {
		data, err := os.ReadFile(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		var patterns []string
		if err := json.Unmarshal(data, &patterns); err != nil {
			fmt.Fprintln(os.Stderr, "patterns file: ", err)
			os.Exit(2)
		}
		for _, p := range patterns {
			out.Patterns[p] = ""
			if _, err := regexp.Compile(p); err != nil {
				out.Patterns[p] = err.Error()
			}
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		os.Exit(1)
	}
}
