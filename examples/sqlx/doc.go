// Package sqlxexample shows github.com/jmoiron/sqlx over the Kintone
// driver; its tests are the examples, run against the kintonetest
// emulator.
//
// sqlx needs nothing special: it already treats an unknown driver's bind
// variables as ?, the driver's own. Registering the driver says so
// explicitly, and keeps Rebind and BindNamed right if sqlx ever changes
// that default:
//
//	sqlx.BindDriver("kintone", sqlx.QUESTION)
//	db, err := sqlx.Open("kintone", dsn)
//
// A pool opened from a Connector has no driver name: give it to sqlx,
//
//	db := sqlx.NewDb(sql.OpenDB(kintone.NewConnector(cfg)), "kintone")
//
// Struct fields map to field codes with db tags; the record number and
// revision are `db:"$id"` and `db:"$revision"`. Three things to know:
//
//   - SELECT * returns every field of the app, system fields included
//     (creator, created time, ...); name the columns, or use db.Unsafe()
//     to let sqlx ignore the ones a struct lacks.
//   - sqlx's named parameters take letters, digits, _ and . only, so :$id
//     cannot be written: bind $id under another name (WHERE `$id` = :id).
//   - sqlx.In expands every slice argument into one ? per element. The
//     driver binds a []string to IN (?) itself, and takes []string as the
//     value of a CHECK_BOX or MULTI_SELECT field: with sqlx.In, such a
//     value would be expanded too, so use In for IN lists only.
//
// An empty Kintone value is NULL: scan fields that may be empty into
// sql.Null* types or pointers.
package sqlxexample
