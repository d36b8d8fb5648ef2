package kintonegorm

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	kintone "github.com/kintone-sql/kintone"
)

// isDuplicateMessage reports whether msg is Kintone's validation message
// for a value that another record already holds in a field that prohibits
// duplicates, in English or Japanese (QUERY-AND-FIELDS.md B.5). The
// language follows the user's settings; others are not recognized.
func isDuplicateMessage(msg string) bool {
	switch msg {
	case "This value already exists in another record.", "値がほかのレコードと重複しています。":
		return true
	}
	return false
}

// Translate maps Kintone's errors to GORM's, when gorm.Config.TranslateError
// is set: a duplicate value in a unique field (CB_VA01 with Kintone's
// "already exists in another record" message) becomes gorm.ErrDuplicatedKey,
// still wrapping the driver's error. Other errors are returned as they are.
func (Dialector) Translate(err error) error {
	var ae *kintone.APIError
	if !errors.As(err, &ae) || ae.Code != "CB_VA01" {
		return err
	}
	for _, msgs := range ae.Errors {
		for _, m := range msgs {
			if isDuplicateMessage(m) {
				return fmt.Errorf("%w: %w", gorm.ErrDuplicatedKey, err)
			}
		}
	}
	return err
}
