package kintone

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/kintone-sql/kintone/dsn"
)

// DriverName is the name the driver registers with database/sql.
const DriverName = "kintone"

func init() {
	sql.Register(DriverName, Driver{})
}

// Driver is the database/sql driver for Kintone. Use it through
// sql.Open("kintone", dsn), or skip the DSN with sql.OpenDB(NewConnector(cfg)).
type Driver struct{}

// Compile-time checks of the interfaces Driver implements.
var (
	_ driver.Driver        = Driver{}
	_ driver.DriverContext = Driver{}
)

// Open parses name as a DSN (see package dsn) and returns a connection.
// database/sql calls OpenConnector instead, so the DSN is parsed once.
func (d Driver) Open(name string) (driver.Conn, error) {
	c, err := d.OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses name as a DSN and returns a Connector for it. A bad
// DSN is an error naming the key at fault, never echoing a secret.
func (Driver) OpenConnector(name string) (driver.Connector, error) {
	cfg, err := dsn.Parse(name)
	if err != nil {
		return nil, err
	}
	c := NewConnector(cfg)
	if c.err != nil {
		return nil, c.err
	}
	return c, nil
}
