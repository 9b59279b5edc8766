package api

import (
	"encoding/json"
	"net/http"

	"example.com/agent/internal/sandbox"
)

func NewRouter(mgr *sandbox.Manager) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		t, _ := mgr.Get(r.PathValue("id"))
		_ = json.NewEncoder(w).Encode(t)
	})
	mux.HandleFunc("GET /things", func(w http.ResponseWriter, r *http.Request) {
		all := []sandbox.Thing{}
		kept := all[:0]
		_ = json.NewEncoder(w).Encode(kept)
	})
	mux.HandleFunc("GET /widgets/special", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
	mux.HandleFunc("GET /sessions", func(w http.ResponseWriter, r *http.Request) {
		out := []map[string]any{}
		for _, id := range []string{"a"} {
			out = append(out, map[string]any{"id": id, "cells": 1})
		}
		_ = json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("DELETE /things/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	mux.HandleFunc("GET /widgets", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
}
