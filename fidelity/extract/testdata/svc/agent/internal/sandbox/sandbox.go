package sandbox

type Manager struct{}

// Thing is what the agent answers for a thing.
type Thing struct {
	ID    string   `json:"id"`
	Tags  []string `json:"tags,omitempty"`
	Owner *string  `json:"owner"`
}

func (m *Manager) Get(id string) (*Thing, error) { return &Thing{ID: id}, nil }
