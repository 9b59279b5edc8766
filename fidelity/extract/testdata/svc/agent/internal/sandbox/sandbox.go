package sandbox

import "time"

type Manager struct{}

// Thing is what the agent answers for a thing.
type Thing struct {
	ID    string   `json:"id"`
	Tags  []string `json:"tags,omitempty"`
	Owner *string  `json:"owner"`
	// omitempty does not drop a struct held by value: Seen is always written.
	Seen time.Time `json:"seen,omitempty"`
}

func (m *Manager) Get(id string) (*Thing, error) { return &Thing{ID: id}, nil }
