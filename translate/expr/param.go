package expr

// ParamRef is one placeholder in order of appearance.
type ParamRef struct {
	Pos     int
	Name    string // "" for ?
	Ordinal int    // 1-based among the ? placeholders, 0 for :name
}
