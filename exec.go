package kintone

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/kintone-sql/kintone/translate"
)

// execWrite runs a write plan (INSERT, UPDATE, DELETE).
func (cn *conn) execWrite(ctx context.Context, st translate.Statement) (driver.Result, error) {
	return nil, fmt.Errorf("kintone: %T cannot be executed", st)
}
