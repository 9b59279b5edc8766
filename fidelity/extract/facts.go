// The JSON shape of the facts file: what the service's source says about each route.
package main

// Loc is a file:line inside the service checkout, relative to its root.
type Loc string

// Facts is the whole output file.
type Facts struct {
	Generated string  `json:"generated"`
	Source    string  `json:"source"`
	Commit    string  `json:"commit"`
	V1Prefix  string  `json:"v1_prefix"`
	V1Loc     Loc     `json:"v1_prefix_loc"`
	Routes    []Route `json:"routes"`
}

// Route is one registration of a handler on a method and path pattern.
type Route struct {
	Method     string       `json:"method"`
	Path       string       `json:"path"`
	Component  string       `json:"component"`
	Pattern    string       `json:"pattern"`
	Loc        Loc          `json:"loc"`
	Handler    string       `json:"handler"`
	HandlerAt  Loc          `json:"handler_loc,omitempty"`
	Public     bool         `json:"public"`
	Reason     string       `json:"reason,omitempty"`
	Statuses   []Status     `json:"statuses"`
	Responses  []Response   `json:"responses"`
	Request    *Shape       `json:"request_body,omitempty"`
	Query      []QueryParam `json:"query"`
	Forwards   *Forward     `json:"forwards,omitempty"`
	Unresolved []Unresolved `json:"unresolved"`
}

// Status is a status code the handler writes; Code 0 with Unresolved when not a constant.
type Status struct {
	Code     int  `json:"code"`
	Loc      Loc  `json:"loc"`
	Implicit bool `json:"implicit,omitempty"`
}

// Response is one body written on a success status (or the default 200).
type Response struct {
	Status int    `json:"status"`
	Kind   string `json:"kind"`
	Loc    Loc    `json:"loc"`
	Shape  *Shape `json:"shape,omitempty"`
}

// Shape describes a JSON value: its kind and, for objects, the top-level fields.
type Shape struct {
	Kind   string  `json:"kind"`
	GoType string  `json:"go_type,omitempty"`
	Loc    Loc     `json:"loc,omitempty"`
	Fields []Field `json:"fields,omitempty"`
	Items  *Shape  `json:"items,omitempty"`
	Reason string  `json:"reason,omitempty"`
}

// Field is one JSON property of an object.
type Field struct {
	Name      string `json:"name"`
	GoType    string `json:"go_type"`
	OmitEmpty bool   `json:"omitempty"`
	Always    bool   `json:"always"`
	Loc       Loc    `json:"loc"`
}

// QueryParam is one query parameter the handler reads.
type QueryParam struct {
	Name string `json:"name"`
	Loc  Loc    `json:"loc"`
}

// Forward says the handler hands the request to the agent through the control plane's proxy.
type Forward struct {
	Component string `json:"component"`
	Route     string `json:"route"`
	Loc       Loc    `json:"loc"`
}

// Unresolved is something the extractor saw but could not determine, with why.
type Unresolved struct {
	What   string `json:"what"`
	Reason string `json:"reason"`
	Loc    Loc    `json:"loc"`
}
