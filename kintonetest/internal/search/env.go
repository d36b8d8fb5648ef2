package search

import "time"

// Env is the context a query runs in.
type Env struct {
	// Now is the emulator's clock at the time of the request. The zero time
	// means time.Now().
	Now time.Time
	// Loc is the calling user's time zone: TODAY() and the other day-based
	// functions are calendar days there (QUERY-AND-FIELDS.md A.7). Nil means
	// UTC.
	Loc *time.Location
	// LoginUser is the caller's user code, for LOGINUSER().
	LoginUser string
	// PrimaryOrganization is the caller's primary organization code, "" for
	// none (a PRIMARY_ORGANIZATION() condition is then ignored).
	PrimaryOrganization string
	// UserOrder returns the hidden numeric ID Kintone sorts CREATOR and
	// MODIFIER by; nil sorts by code.
	UserOrder func(code string) int64
}

// loc returns the user's time zone, UTC when unset.
func (e Env) loc() *time.Location {
	if e.Loc == nil {
		return time.UTC
	}
	return e.Loc
}

// now returns the request's clock, the real clock when unset.
func (e Env) now() time.Time {
	if e.Now.IsZero() {
		return time.Now()
	}
	return e.Now
}
