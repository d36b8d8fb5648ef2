package store

import "github.com/kintone-sql/kintone/kintonetest/internal/apierr"

// Messages under CB_VA01 keys that only the store produces. Kintone's exact
// texts for these cases are not documented; they say what is wrong in the
// same style as the documented ones.
var (
	msgCodeInUse  = apierr.Text{En: "The field code is already in use.", Ja: "フィールドコードが重複しています。"}
	msgCodeNotKey = apierr.Text{En: "The field code must be the same as the key.", Ja: "フィールドコードはキーと同じである必要があります。"}
	msgBadCode    = apierr.Text{En: "The field code contains characters that cannot be used, or is reserved.", Ja: "フィールドコードに使用できない文字が含まれているか、予約されています。"}
	msgTypeChange = apierr.Text{En: "The field type cannot be changed.", Ja: "フィールドタイプは変更できません。"}
	// msgFutureCreated is for a created time after the write's own time
	// (QUERY-AND-FIELDS.md B.1: "CREATED_TIME must not be in the future").
	msgFutureCreated = apierr.Text{En: "The created datetime cannot be in the future.", Ja: "作成日時に未来の日時は指定できません。"}
)

// The deploy statuses of App.DeployStatus (REST-API.md §4.7).
const (
	deploySuccess = "SUCCESS"
	deployFail    = "FAIL"
	deployCancel  = "CANCEL"
)
