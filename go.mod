module github.com/kintone-sql/kintone

go 1.25.0

require (
	github.com/DATA-DOG/go-sqlmock v1.5.2
	github.com/creack/pty v1.1.24
	github.com/xwb1989/sqlparser v0.0.0-20180606152119-120387863bf2
	golang.org/x/term v0.45.0
	software.sslmate.com/src/go-pkcs12 v0.7.4
)

require (
	golang.org/x/crypto v0.11.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
