package apierr

import (
	"fmt"
	"net/http"
)

// The catalogue of errors the emulator returns. Statuses, codes and texts come
// from REST-API.md §2.3, §4, §5, §6 and QUERY-AND-FIELDS.md A.9 and B.5.
// Where the documents mark a status or text as unconfirmed, the choice made
// is noted beside the constructor.

// Validation returns an empty CB_VA01 "Missing or invalid input."; callers
// Add the per-key messages.
func Validation() *Error {
	return New(http.StatusBadRequest, "CB_VA01", Text{"Missing or invalid input.", "入力内容が正しくありません。"})
}

// Invalid returns CB_VA01 with one message under key.
func Invalid(key string, msg Text) *Error { return Validation().Add(key, msg) }

// Messages used under CB_VA01 keys.
var (
	MsgRequiredParam  = Text{"Required field.", "必須です。"}
	MsgRequired       = Text{"Required.", "必須です。"}
	MsgUnique         = Text{"This value already exists in another record.", "値がほかのレコードと重複しています。"}
	MsgNotNumber      = Text{"Only numbers are allowed.", "数字でなければなりません。"}
	MsgEnum           = Text{"must be one of the enum value", "Enum値のいずれかでなければなりません。"}
	MsgInteger        = Text{"Enter an integer value.", "整数を入力してください。"}
	MsgBoolean        = Text{"must be boolean.", "真偽値でなければなりません。"}
	MsgMin1           = Text{"must be greater than or equal to 1", "最小でも1以上です。"}
	MsgRevisionMin    = Text{"must be greater than or equal to -1", "最小でも-1以上です。"}
	MsgQuerySyntax    = Text{"unsupported query format", "クエリ記法が間違っています。"}
	MsgMaxAdd         = Text{"A maximum of 100 records can be added at one time.", "一度に100件までのレコードを追加できます。"}
	MsgMaxUpdate      = Text{"A maximum of 100 records can be updated at one time.", "一度に100件までのレコードを更新できます。"}
	MsgDeleteRange    = Text{"Between 1 and 100 records can be deleted at one time.", "一度に1件から100件までのレコードを削除できます。"}
	MsgRevisionsSize  = Text{"size must be between 0 and 100", "サイズは0から100の間でなければなりません。"}
	MsgBulkSize       = Text{"size must be between 1 and 20", "サイズは1から20の間でなければなりません。"}
	MsgInvalidDate    = Text{"Invalid date format.", "日付の形式が正しくありません。"}          // text unconfirmed (B.5)
	MsgInvalidTime    = Text{"Invalid time format.", "時刻の形式が正しくありません。"}          // text unconfirmed (B.5)
	MsgInvalidDTime   = Text{"Invalid date and time format.", "日時の形式が正しくありません。"} // text unconfirmed (B.5)
	MsgInvalidLink    = Text{"Invalid URL format.", "URL の形式が正しくありません。"}         // text unconfirmed (B.5)
	MsgCursorSize     = Text{"must be less than or equal to 500", "最大でも500以下です。"}
	MsgLimitOrOffset  = Text{"limit and offset cannot be specified in the query of a cursor.", "カーソルのクエリにlimitとoffsetは指定できません。"} // text unconfirmed (REST-API.md §10.7)
	MsgTooManyTokens  = Text{"You can specify up to 9 API tokens.", "APIトークンは9個まで指定できます。"}                                       // code and text unconfirmed (§10.2)
	MsgNameLength     = Text{"Name must be between 1 and 64 characters.", "1文字から64文字の間で指定してください。"}
	MsgFieldsSize     = Text{"size must be between 1 and 100", "サイズは1から100の間でなければなりません。"}
	MsgIDsSize        = Text{"size must be between 0 and 100", "サイズは0から100の間でなければなりません。"}
	MsgLimit100       = Text{"must be less than or equal to 100", "最大でも100以下です。"}
	MsgDeploySize     = Text{"size must be between 0 and 300", "サイズは0から300の間でなければなりません。"}
	MsgInvalidJSONVal = Text{"Invalid value.", "値が不正です。"}
)

// MaxLength is the message for a value longer than max characters.
func MaxLength(max int) Text {
	return Text{fmt.Sprintf("Enter less than %d characters.", max+1), fmt.Sprintf("%d文字より短くなければなりません。", max+1)}
}

// MinLength is the message for a value shorter than min characters.
func MinLength(min int) Text {
	return Text{fmt.Sprintf("Enter more than %d characters.", min-1), fmt.Sprintf("%d文字より長くなければなりません。", min-1)}
}

// MaxValue is the message for a number above max.
func MaxValue(max string) Text {
	return Text{fmt.Sprintf("The value must be %s or less.", max), fmt.Sprintf("%s以下である必要があります。", max)}
}

// MinValue is the message for a number below min.
func MinValue(min string) Text {
	return Text{fmt.Sprintf("The value must be %s or more.", min), fmt.Sprintf("%s以上である必要があります。", min)}
}

// NotInOptions is the message for a value that is not an option.
func NotInOptions(v string) Text {
	return Text{fmt.Sprintf("The value, \"%s\", is not in options.", v), fmt.Sprintf("\"%s\"は選択肢にありません。", v)}
}

// Authentication and authorization (REST-API.md §2.3).

// LoginRequired is 401 CB_AU01: no credentials at all.
func LoginRequired() *Error {
	return New(http.StatusUnauthorized, "CB_AU01", Text{"Please login.", "ログインしてください。"})
}

// PasswordFailed is 401 CB_WA01: wrong login or password.
func PasswordFailed() *Error {
	return New(http.StatusUnauthorized, "CB_WA01", Text{
		"Password authentication failed. The value in http header of X-Cybozu-Authorization is not valid.",
		"ユーザーのパスワード認証に失敗しました。「X-Cybozu-Authorization」ヘッダーの値が正しくありません。"})
}

// BasicAuthFailed is 401 for a missing or wrong Basic layer. Kintone's
// gateway answers this with an HTML page; the emulator answers JSON with
// code CB_AU01 so that clients see a 401 either way (unconfirmed shape).
func BasicAuthFailed() *Error {
	e := LoginRequired()
	e.Header = http.Header{"Www-Authenticate": {`Basic realm="kintone"`}}
	return e
}

// TokenMismatch is 400 GAIA_IA02: an unknown, draft or invalid API token.
func TokenMismatch() *Error {
	return New(http.StatusBadRequest, "GAIA_IA02", Text{
		"The specified API token does not match the API token generated via an app.",
		"指定したAPIトークンが、アプリで生成したAPIトークンと一致しません。"})
}

// TokenNoPermission is 403 GAIA_NO01: the token may not run this API.
func TokenNoPermission() *Error {
	return New(http.StatusForbidden, "GAIA_NO01", Text{
		"Using this API token, you cannot run the specified API.",
		"このAPIトークンでは、指定したAPIを実行できません。"})
}

// TokenDuplicate is 400 GAIA_DA03: two tokens of the same app.
func TokenDuplicate() *Error {
	return New(http.StatusBadRequest, "GAIA_DA03", Text{
		"You cannot specify a duplicate API token for the same app.",
		"同じアプリのAPIトークンを重複して指定することはできません。"})
}

// TooManyTokens is the error for 10 or more API tokens in one request. The
// code is unconfirmed (REST-API.md §10.2); CB_VA01 on the header is what an
// input-limit violation looks like everywhere else.
func TooManyTokens() *Error { return Invalid("X-Cybozu-API-Token", MsgTooManyTokens) }

// NoPrivilege is 403 CB_NO02.
func NoPrivilege() *Error {
	return New(http.StatusForbidden, "CB_NO02", Text{"No privilege to proceed.", "権限がありません。"})
}

// GuestPathRequired is 400 GAIA_IL23: a guest-space app through /k/v1/.
func GuestPathRequired() *Error {
	return New(http.StatusBadRequest, "GAIA_IL23", Text{
		"When you operate an app in a guest space, please send the request to '/k/guest/(guest space ID)/v1/...'.",
		"ゲストスペース内のアプリを操作する場合は、リクエストの送信先を「/k/guest/（ゲストスペースのID）/v1/...」にします。"})
}

// Resources.

// AppNotFound is 404 GAIA_AP01.
func AppNotFound(id string) *Error {
	return New(http.StatusNotFound, "GAIA_AP01", Text{
		fmt.Sprintf("The app (ID: %s) not found. The app may have been deleted.", id),
		fmt.Sprintf("指定したアプリ（id: %s）が見つかりません。削除されている可能性があります。", id)})
}

// RecordNotFound is 404 GAIA_RE01.
func RecordNotFound(id string) *Error {
	return New(http.StatusNotFound, "GAIA_RE01", Text{
		fmt.Sprintf("The specified record (ID: %s) is not found.", id),
		fmt.Sprintf("指定したレコード（id: %s）が見つかりません。", id)})
}

// DuplicateRecordID is 400 GAIA_RE09: the same id twice in one request.
func DuplicateRecordID(id string) *Error {
	return New(http.StatusBadRequest, "GAIA_RE09", Text{
		fmt.Sprintf("The record (ID: %s) is specified more than once.", id),
		fmt.Sprintf("レコード（id: %s）の指定が重複しています。", id)})
}

// UpdateKeyNoMatch is GAIA_RE20. The status is unconfirmed (400 or 404);
// 400 is chosen because the request, not a resource path, is at fault.
func UpdateKeyNoMatch() *Error {
	return New(http.StatusBadRequest, "GAIA_RE20", Text{
		`No records match the conditions specified in the "updateKey" field.`,
		"「updateKey」で指定した条件に一致するレコードがありません。"})
}

// UpdateKeyNotUnique is GAIA_IQ27 (status unconfirmed; 400 chosen).
func UpdateKeyNotUnique(code string) *Error {
	return New(http.StatusBadRequest, "GAIA_IQ27", Text{
		fmt.Sprintf(`The field (code: %s) specified in "updateKey" must be a Text or Number field with "Prohibit duplicate values" enabled.`, code),
		fmt.Sprintf("updateKeyに指定したフィールド（code: %s）は、「値の重複を禁止する」が設定された文字列（1行）または数値フィールドである必要があります。", code)})
}

// RevisionConflict is 409 GAIA_CO02.
func RevisionConflict() *Error {
	return New(http.StatusConflict, "GAIA_CO02", Text{
		"The revision is not the latest. Someone may update a record.",
		"指定したrevisionは最新ではありません。ほかのユーザーがレコードを更新した可能性があります。"})
}

// SettingsRevisionConflict is GAIA_CO03 (status unconfirmed; 409 chosen, as for GAIA_CO02).
func SettingsRevisionConflict(app string) *Error {
	return New(http.StatusConflict, "GAIA_CO03", Text{
		fmt.Sprintf("The revision is not the latest. Someone may update the app settings (ID: %s).", app),
		fmt.Sprintf("指定したrevisionは最新ではありません。ほかのユーザーがアプリの設定（id: %s）を更新した可能性があります。", app)})
}

// FieldNotFound is 400 GAIA_FC01 (form-field APIs).
func FieldNotFound(code string) *Error {
	return New(http.StatusBadRequest, "GAIA_FC01", Text{
		fmt.Sprintf("The field (code: %s) not found.", code),
		fmt.Sprintf("指定されたフィールド（code: %s）が見つかりません。", code)})
}

// CannotUpdateField is GAIA_UN10 (status unconfirmed; 400 chosen).
func CannotUpdateField(t string) *Error {
	return New(http.StatusBadRequest, "GAIA_UN10", Text{
		fmt.Sprintf("Cannot update field whose type is %s.", t),
		fmt.Sprintf("フィールドタイプが%sのフィールドは更新できません。", t)})
}

// CreatorFieldNeedsAdmin is GAIA_BF02 (status unconfirmed; 403 chosen: it is a permission problem).
func CreatorFieldNeedsAdmin(code string) *Error {
	return New(http.StatusForbidden, "GAIA_BF02", Text{
		fmt.Sprintf(`App permissions are required to add records with specifying a value in the "%s" field.`, code),
		fmt.Sprintf("「%s」フィールドに値を指定してレコードを追加するには、アプリ管理権限が必要です。", code)})
}

// FileNotFound is 404 GAIA_BL01.
func FileNotFound(key string) *Error {
	return New(http.StatusNotFound, "GAIA_BL01", Text{
		fmt.Sprintf("The specified file (id: %s) not found.", key),
		fmt.Sprintf("指定したファイル（id: %s）が見つかりません。", key)})
}

// InvalidJSON is CB_IJ01 (status unconfirmed; 400 chosen).
func InvalidJSON() *Error {
	return New(http.StatusBadRequest, "CB_IJ01", Text{"Invalid JSON string.", "不正なJSON文字列です。"})
}

// Query errors (QUERY-AND-FIELDS.md A.9). All are 400.

// QuerySyntax is CB_VA01 with errors.query.
func QuerySyntax() *Error { return Invalid("query", MsgQuerySyntax) }

// QueryFieldNotFound is GAIA_IQ11.
func QueryFieldNotFound(code string) *Error {
	return New(http.StatusBadRequest, "GAIA_IQ11", Text{
		fmt.Sprintf("Specified field (%s) not found.", code),
		fmt.Sprintf("指定されたフィールド（%s）が見つかりません。", code)})
}

// QueryOperator is GAIA_IQ03: the operator is not allowed for the type.
func QueryOperator(code, op string) *Error {
	return New(http.StatusBadRequest, "GAIA_IQ03", Text{
		fmt.Sprintf("The operator %s cannot be used for the field type of the %s field.", op, code),
		fmt.Sprintf("%sフィールドのフィールドタイプには演算子%sを使用できません。", code, op)})
}

// QuerySubtableEq is GAIA_IQ07: = or != on a field inside a SUBTABLE.
func QuerySubtableEq(code, op string) *Error {
	return New(http.StatusBadRequest, "GAIA_IQ07", Text{
		fmt.Sprintf("The operator %s cannot be used for the field type of the %s field when it is in a table.", op, code),
		fmt.Sprintf("テーブルに設定している場合、%sフィールドのフィールドタイプには、演算子%sを使用できません。", code, op)})
}

// QueryOption is GAIA_IQ10: a value that is not an option of the field.
func QueryOption(code, value string) *Error {
	return New(http.StatusBadRequest, "GAIA_IQ10", Text{
		fmt.Sprintf("The value \"%s\" does not exist in the options of the field \"%s\".", value, code),
		fmt.Sprintf("フィールド「%s」の項目に「%s」は存在しません。", code, value)})
}

// QueryLimit is GAIA_QU01.
func QueryLimit() *Error {
	return New(http.StatusBadRequest, "GAIA_QU01", Text{"limit must be 500 or less.", "limit には 500 以下の値を指定してください。"})
}

// QueryOffset is GAIA_QU02 (English text unconfirmed).
func QueryOffset() *Error {
	return New(http.StatusBadRequest, "GAIA_QU02", Text{"offset must be 10,000 or less.", "offset には 10,000 以下の値を指定してください。"})
}

// QueryUnsortable is GAIA_IS02; Kintone names the field's label.
func QueryUnsortable(label string) *Error {
	return New(http.StatusBadRequest, "GAIA_IS02", Text{
		fmt.Sprintf("The field \"%s\" cannot be used as a sort condition.", label),
		fmt.Sprintf("「%s」フィールドはソート条件に使用できません。", label)})
}

// QueryFuncArgs is GAIA_IL08: wrong number or kind of function arguments.
func QueryFuncArgs() *Error {
	return New(http.StatusBadRequest, "GAIA_IL08", Text{"The query is invalid.", "クエリの指定が不正です。"})
}

// QueryFuncUnit is GAIA_IQ25: a bad FROM_TODAY unit.
func QueryFuncUnit() *Error {
	return New(http.StatusBadRequest, "GAIA_IQ25", Text{
		`For the second argument of FROM_TODAY(), specify "DAYS", "WEEKS", "MONTHS" or "YEARS".`,
		"FROM_TODAY()の第2引数には、「DAYS」「WEEKS」「MONTHS」「YEARS」のいずれかを指定します。"})
}

// QueryFuncDay is GAIA_IQ23: a day outside 1..31.
func QueryFuncDay(v string) *Error {
	return New(http.StatusBadRequest, "GAIA_IQ23", Text{
		fmt.Sprintf("The specified day (%s) is invalid. Specify an integer from 1 to 31.", v),
		fmt.Sprintf("指定した日にち（%s）は無効です。1から31までの整数で指定します。", v)})
}

// QueryDottedSubtable is GAIA_IR02: a dotted path on a SUBTABLE (text unconfirmed).
func QueryDottedSubtable(path string) *Error {
	return New(http.StatusBadRequest, "GAIA_IR02", Text{
		fmt.Sprintf("The field (%s) cannot be specified in this way.", path),
		fmt.Sprintf("フィールド（%s）はこの形式で指定できません。", path)})
}

// ProcessDisabled is GAIA_ST02 (status unconfirmed; 400 chosen).
func ProcessDisabled() *Error {
	return New(http.StatusBadRequest, "GAIA_ST02", Text{
		"Your request failed. The process management feature has been disabled.",
		"操作に失敗しました。プロセス管理機能が無効化されています。"})
}

// Cursors and limits.

// CursorLimit is 429 GAIA_TM12: ten cursors are already open.
func CursorLimit() *Error {
	return New(http.StatusTooManyRequests, "GAIA_TM12", Text{
		"You cannot create a cursor because the number of cursors has reached the limit. Delete unnecessary cursors or try again later.",
		"作成できるカーソルの上限に達しているため、カーソルを作成できません。不要なカーソルを削除するか、しばらく経ってから再実行してください。"})
}

// CursorNotFound is 404 GAIA_CN01.
func CursorNotFound() *Error {
	return New(http.StatusNotFound, "GAIA_CN01", Text{
		"The specified cursor does not exist or has already expired.",
		"指定したカーソルは存在しないか、既に有効期限が切れています。"})
}

// ConcurrencyLimit is 429 GAIA_TO04.
func ConcurrencyLimit() *Error {
	return New(http.StatusTooManyRequests, "GAIA_TO04", Text{
		"The number of concurrent API requests exceeds the limit.",
		"APIの同時リクエスト数が上限を超えています。"})
}

// Routing (REST-API.md §3 and §10.3: unconfirmed; JSON bodies chosen).

// UnknownPath is 404 for a path that is not an API.
func UnknownPath() *Error {
	return New(http.StatusNotFound, "CB_NF01", Text{"The specified API does not exist.", "指定したAPIは存在しません。"})
}

// MethodNotAllowed is 405 for a known path with a method it lacks.
func MethodNotAllowed() *Error {
	return New(http.StatusMethodNotAllowed, "CB_IL02", Text{"Illegal request.", "不正なリクエストです。"})
}
