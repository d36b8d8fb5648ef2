package search

import "github.com/kintone-sql/kintone/internal/field"

// kind is how the evaluator treats a field's value: which Go type the store
// holds it in (store.Record) and how literals compare with it.
type kind int

const (
	kindNone         kind = iota // no record value: SUBTABLE, REFERENCE_TABLE, layout, $revision
	kindText                     // SINGLE_LINE_TEXT, LINK, STATUS: whole-string comparison
	kindLongText                 // MULTI_LINE_TEXT: like and is empty
	kindRichText                 // RICH_TEXT: like over the text of the HTML
	kindNumber                   // NUMBER and numeric CALC: canonical decimal text
	kindID                       // $id: Record.ID
	kindRecordNumber             // RECORD_NUMBER: "12" or "APPCODE-12"
	kindDate                     // DATE and CALC in DATE format: "YYYY-MM-DD"
	kindTime                     // TIME and CALC in TIME format: "HH:MM"
	kindDateTime                 // DATETIME, CREATED_TIME, UPDATED_TIME, CALC in DATETIME format
	kindDuration                 // CALC in HOUR_MINUTE or DAY_HOUR_MINUTE format: "49:30"
	kindOption                   // RADIO_BUTTON, DROP_DOWN: one option key
	kindOptions                  // CHECK_BOX, MULTI_SELECT, CATEGORY: option keys
	kindEntity                   // CREATOR, MODIFIER: one {code,name}
	kindEntities                 // USER_SELECT, ORGANIZATION_SELECT, GROUP_SELECT, STATUS_ASSIGNEE
	kindFile                     // FILE: attachments
)

// kindOf classifies a resolved field.
func kindOf(f fieldRef) kind {
	switch f.typ {
	case field.ID:
		return kindID
	case field.RecordNumber:
		return kindRecordNumber
	case field.SingleLineText, field.Link, field.Status:
		return kindText
	case field.MultiLineText:
		return kindLongText
	case field.RichText:
		return kindRichText
	case field.Number:
		return kindNumber
	case field.Calc:
		// A.6.3: a CALC whose format is a date, time or duration compares
		// in its own format [U]. The stored value follows B.1 ("2012-01-11",
		// "2012-01-11T11:30:00Z", "11:30", "49:30"), so such a CALC is
		// compared like the field type its format names, with literals
		// written the same way. The "integer, e.g. UNIX seconds" reading of
		// A.6.3 is accepted for durations only (seconds), where no other
		// literal form is obvious.
		if f.prop != nil {
			switch f.prop.Format {
			case "DATE":
				return kindDate
			case "DATETIME":
				return kindDateTime
			case "TIME":
				return kindTime
			case "HOUR_MINUTE", "DAY_HOUR_MINUTE":
				return kindDuration
			}
		}
		return kindNumber
	case field.Date:
		return kindDate
	case field.Time:
		return kindTime
	case field.DateTime, field.CreatedTime, field.UpdatedTime:
		return kindDateTime
	case field.RadioButton, field.DropDown:
		return kindOption
	case field.CheckBox, field.MultiSelect, field.Category:
		return kindOptions
	case field.Creator, field.Modifier:
		return kindEntity
	case field.UserSelect, field.OrganizationSelect, field.GroupSelect, field.StatusAssignee:
		return kindEntities
	case field.File:
		return kindFile
	}
	return kindNone
}

// hasOptions reports whether the field's values must be among its options
// (GAIA_IQ10, A.6.5). STATUS state names are also checked by Kintone, but
// the form does not carry the process's states, so STATUS is not checked
// here.
func hasOptions(t field.Type) bool {
	switch t {
	case field.CheckBox, field.MultiSelect, field.RadioButton, field.DropDown:
		return true
	}
	return false
}
