package translate

import "github.com/kintone-sql/kintone/translate/catalog"

// The translator's view of the apps is package catalog's; these names
// keep it where the driver and other users of translate find it.

// Schema is what the translator knows about the apps: see catalog.Schema.
type Schema = catalog.Schema

// App is an app as the translator sees it: see catalog.App.
type App = catalog.App

// Record is one decoded record: see catalog.Record.
type Record = catalog.Record

// Column describes a result column: see catalog.ResultColumn.
type Column = catalog.ResultColumn
