module github.com/kintone-sql/kintone/gorm

go 1.25.0

replace github.com/kintone-sql/kintone => ../

require (
	github.com/kintone-sql/kintone v0.0.0-00010101000000-000000000000
	gorm.io/driver/mysql v1.6.0
	gorm.io/gorm v1.31.2
)

require (
	filippo.io/edwards25519 v1.1.0 // indirect
	github.com/go-sql-driver/mysql v1.8.1 // indirect
	github.com/jinzhu/inflection v1.0.0 // indirect
	github.com/jinzhu/now v1.1.5 // indirect
	github.com/xwb1989/sqlparser v0.0.0-20180606152119-120387863bf2 // indirect
	golang.org/x/crypto v0.11.0 // indirect
	golang.org/x/text v0.20.0 // indirect
	software.sslmate.com/src/go-pkcs12 v0.7.4 // indirect
)
