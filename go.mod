module github.com/kintone-sql/kintone

go 1.25

require (
	github.com/xwb1989/sqlparser v0.0.0-20180606152119-120387863bf2
	software.sslmate.com/src/go-pkcs12 v0.7.4
)

require golang.org/x/crypto v0.11.0 // indirect
