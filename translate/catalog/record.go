package catalog

// Record is one decoded record: field code -> structured value as
// Field.Codec.DecodeRecord returns it ("$id" and "$revision" as int64, nil
// for an empty value). For a child table, the pipeline builds the rows'
// records itself from the parent's SUBTABLE value.
type Record map[string]any
