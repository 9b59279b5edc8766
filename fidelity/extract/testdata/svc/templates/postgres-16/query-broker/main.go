package main

import (
	"encoding/json"
	"net/http"
)

type server struct{}

type queryResult struct {
	Rows     [][]any `json:"rows"`
	RowCount int     `json:"row_count"`
}

func (s *server) routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/query", s.auth(s.handleQuery))
}

func (s *server) auth(next http.HandlerFunc) http.HandlerFunc { return next }

func (s *server) handleQuery(w http.ResponseWriter, r *http.Request) {
	res := queryResult{}
	_ = json.NewEncoder(w).Encode(res)
}
