package catalog

import "github.com/kintone-sql/kintone/internal/scan"

// Record is one decoded record: field code -> structured value as
// Field.Codec.DecodeRecord returns it ("$id" and "$revision" as int64, nil
// for an empty value). For a child table, the pipeline builds the rows'
// records itself from the parent's SUBTABLE value. It is the record a scan
// (internal/scan) decodes, so that pages pass to the pipeline as they are.
type Record = scan.Record
