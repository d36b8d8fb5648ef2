module github.com/kintone-sql/kintone/examples

go 1.25.0

replace github.com/kintone-sql/kintone => ../

require github.com/kintone-sql/kintone v0.0.0-00010101000000-000000000000

require (
	github.com/jmoiron/sqlx v1.4.0
	github.com/xwb1989/sqlparser v0.0.0-20180606152119-120387863bf2 // indirect
	golang.org/x/crypto v0.11.0 // indirect
	software.sslmate.com/src/go-pkcs12 v0.7.4 // indirect
)
