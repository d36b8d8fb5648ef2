module github.com/kintone-sql/kintone

go 1.25
