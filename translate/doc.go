// Package translate turns SQL text into an execution plan for Kintone: the
// part of the statement Kintone's record query language can answer with the
// same meaning, how to page through the records, and a Go pipeline for the
// rest. It knows the apps through the small Schema interface and does no
// I/O of its own; the driver runs the plans.
//
// # Statements
//
// The dialect is MySQL's, as translate/parse reads it (its package
// documentation has the whole grammar):
//
//	SELECT [ALL | DISTINCT] select_list FROM table [WHERE ...] [GROUP BY ...] [HAVING ...]
//	       [ORDER BY e [ASC | DESC] [NULLS FIRST | NULLS LAST], ...] [LIMIT n [OFFSET m]]
//	SELECT expressions                   (no table: one row)
//	SHOW [FULL] TABLES [FROM db] [LIKE 'p' | WHERE ...]
//	SHOW [FULL] {COLUMNS | FIELDS} {FROM | IN} table [LIKE 'p' | WHERE ...]
//	{DESCRIBE | DESC | EXPLAIN} table [column or pattern]
//	EXPLAIN SELECT ...                   (the plan, as one row; its plan column is the tree)
//	EXPLAIN {INSERT | UPDATE | DELETE} ... (the read and the writes, one row each; never writes)
//	INSERT INTO table [(col, ...)] VALUES (...), ... [ON DUPLICATE KEY UPDATE col = VALUES(col), ...]
//	INSERT INTO table [(col, ...)] SELECT ... [ON DUPLICATE KEY UPDATE ...]
//	REPLACE INTO table [(col, ...)] {VALUES (...), ... | SELECT ...}
//	UPDATE table SET col = expr, ... [WHERE ...] [ORDER BY ...] [LIMIT n]
//	DELETE FROM table [WHERE ...] [ORDER BY ...] [LIMIT n]
//
// Prepare parses and resolves a statement once; Bind plans it for a set of
// arguments; Translate does both. Placeholders are ? (NumInput counts them)
// or :name (NumInput counts the distinct names), not both in one
// statement. Arguments are nil, int64, float64, bool, string, []byte,
// time.Time (and the other integer and float types, named types of them,
// driver.Valuer), or a slice of any of those ([]string, []int64, []any,
// ...), which stands for the whole list in IN (?) or for the values of a
// multi-valued field in a write. An empty slice cannot stand for IN (?).
//
// Window frames (ROWS, RANGE), WITH RECURSIVE, CAST to types other than those
// under Functions, CONVERT ... USING, INTERVAL outside date arithmetic,
// COLLATE, REGEXP, bit operators and functions outside the supported set
// fail with an
// *UnsupportedError naming the construct and its line and column, as do
// INSERT IGNORE, INSERT ... SET, the REPLACEs the upsert cannot run (see
// Writing), writes to child tables and variables (@x, @@sql_mode). ALL
// (SELECT ALL, COUNT(ALL x), SUM(ALL x), ...) is MySQL's default and
// changes nothing. The parser reads most of them (refuse.go names them at
// their nodes, in source order, until the engine runs them); every
// position an error gives is the one the parser recorded for the node.
// A statement longer than MaxStatementBytes, with more than
// MaxStatementTokens tokens or nested deeper than MaxNesting is refused
// as it is read, before it is parsed whole.
//
// # Tables and columns
//
// A table is an app, named as the Schema resolves it: by ID (`42`), app
// code, unique app name or DSN alias. A SUBTABLE field is a child table
// named app.subtable (`app`.`sub`): its rows carry the parent record's $id,
// the row's id as $row_id, and the inner fields. information_schema.tables
// and information_schema.columns list the apps and their columns (child
// tables are reached through SHOW COLUMNS FROM app.subtable).
//
// The columns of an app are $id, $revision and every field that holds a
// value, in form order; STATUS, STATUS_ASSIGNEE and CATEGORY only when
// enabled. Names match field codes exactly first, then ignoring case when
// that is unambiguous. Words with '$' or Japanese letters need no
// backquotes ($id, 顧客名); field codes that are SQL keywords do (`Limit`).
//
// A result column is named by its alias, or as MySQL names it: a column
// by its name as the statement wrote it, a lone string literal by its value
// (SELECT 'hello' is a column named hello), any other expression by its text
// as written, with its case, spacing and quotes (YEAR(at), COUNT( * )).
//
// Values are what internal/field's codec makes of record JSON (see
// field.DriverValue): text as string, NUMBER and numeric CALC as the exact
// decimal text, DATE and DATETIME as time.Time in Options.Location, TIME as
// a time.Time on 0000-01-01 in UTC (a wall clock), $id and $revision as
// int64, the record number as text ("ORD-12" when the app has a code),
// multi-valued fields (checkbox, multi-select, users, organizations,
// groups, files, subtables) and CREATOR/MODIFIER as JSON text. An empty
// single-valued field is NULL; an empty multi-valued field is the empty
// list, JSON [], and never NULL (Column.Nullable is false for it, as for
// system fields and fields Kintone requires).
//
// # SQL semantics
//
// SQL's meaning wins wherever it differs from Kintone's:
//
//   - NULL (an empty value) follows three-valued logic: it never satisfies
//     =, <>, <, IN, NOT IN or NOT (...).
//   - Text compares byte by byte, case-sensitively (MySQL's binary
//     collation, and the order Kintone sorts text in).
//   - LIKE keeps its % and _ wildcards and \ escape (or ESCAPE 'c'); it is
//     always evaluated in Go, since Kintone's like is a word search.
//   - On a multi-valued column, IN is true when any element is listed and
//     NOT IN when none is (Kintone's meaning, which SQL lacks): a record
//     with nothing checked is NOT IN every list. = and < are errors there,
//     and so is IS [NOT] NULL, since a list is never NULL: JSON_LENGTH(x) =
//     0 tests an empty one (IS NULL meant that before lists read as [], so
//     it is refused rather than silently never true).
//   - Kintone keeps DATETIME and TIME to the minute, so every value given
//     for one (a literal, an argument, in a write or a comparison) is
//     truncated to the minute: at = '10:00:30' is at = '10:00', as the
//     value would be written. A comparison of a DATE with a date and time
//     follows the values (due = '2024-05-01 10:00' never holds).
//   - A TIME is a wall clock with no zone: it reads as a time.Time on
//     0000-01-01 in UTC, and a time.Time argument gives its wall clock in
//     its own zone, never converted to Options.Location.
//   - NULLs sort first ascending and last descending, as in MySQL.
//     ORDER BY x NULLS FIRST and x NULLS LAST (PostgreSQL's and SQLite's
//     syntax, not MySQL's, where x IS NULL, x does it) put them where
//     they say.
//   - Arithmetic is exact decimal arithmetic; / gives four more decimal
//     places than its dividend, and division by zero is NULL.
//   - || is OR and && is AND, as in MySQL's default sql_mode
//     (PIPES_AS_CONCAT is off): 'a' || 'b' is 0, not 'ab'; concatenate
//     with CONCAT. a XOR b is NULL when either is NULL, else true when
//     exactly one is true.
//
// # Functions
//
// The scalar functions have MySQL 8.0's meaning; text is counted in
// characters, not bytes, and a NULL argument gives NULL unless a function
// is about NULL:
//
//	COALESCE, IFNULL, NULLIF, IF
//	CONCAT, CONCAT_WS (skips NULLs), LOWER/LCASE, UPPER/UCASE, TRIM, LTRIM,
//	RTRIM, LENGTH/OCTET_LENGTH (bytes), CHAR_LENGTH/CHARACTER_LENGTH,
//	SUBSTRING/SUBSTR/MID, LEFT, RIGHT, REPLACE, LPAD, RPAD, INSTR, LOCATE
//	(2 or 3 arguments), REVERSE, REPEAT
//	ABS, FLOOR, CEIL/CEILING, ROUND, MOD, POWER/POW, SQRT, GREATEST, LEAST
//	YEAR, MONTH, DAY/DAYOFMONTH, HOUR, MINUTE, SECOND, DATE, QUARTER,
//	DAYOFWEEK (1 = Sunday), WEEKDAY (0 = Monday), DATEDIFF, LAST_DAY,
//	DAYOFYEAR, DAYNAME, MONTHNAME, WEEK (modes 0 to 7), WEEKOFYEAR,
//	YEARWEEK, MAKEDATE, DATE_FORMAT, STR_TO_DATE, EXTRACT(unit FROM x),
//	TIMESTAMPDIFF(unit, a, b)
//	NOW/CURRENT_TIMESTAMP/LOCALTIME/LOCALTIMESTAMP/SYSDATE, CURDATE/
//	CURRENT_DATE, CURTIME/CURRENT_TIME, UTC_TIMESTAMP, UTC_DATE, UTC_TIME
//	DATE_ADD, DATE_SUB, ADDDATE, SUBDATE, x + INTERVAL n unit,
//	x - INTERVAL n unit, INTERVAL n unit + x
//	JSON_LENGTH (1 or 2 arguments), JSON_CONTAINS, JSON_EXTRACT, x -> path,
//	x ->> path, JSON_UNQUOTE, JSON_ARRAY
//	a XOR b (and || as OR, && as AND: see SQL semantics)
//
// The aggregates are COUNT, SUM, AVG, MIN, MAX, GROUP_CONCAT([DISTINCT]
// x, ... [ORDER BY ...] [SEPARATOR 's']), STD/STDDEV/STDDEV_POP,
// STDDEV_SAMP, VARIANCE/VAR_POP and VAR_SAMP.
//
// Where MySQL would warn and go on, the engine stops with an error naming
// the value: a text that is not a number where a number is needed
// (MySQL reads its numeric prefix), a non-integer count or position
// (MySQL rounds it), a text that is not a date (MySQL gives NULL), a time
// of day given to QUARTER, DAYOFWEEK, WEEKDAY, DATEDIFF or LAST_DAY, and
// an LPAD, RPAD or REPEAT result over 64 MiB (MySQL's NULL past
// max_allowed_packet). Otherwise:
//
//   - LPAD and RPAD cut the text to the length when it is longer; a
//     negative length gives NULL, and so does an empty pad when padding
//     is needed. REPEAT with a count below 1 gives empty text.
//   - INSTR and LOCATE give 1-based character positions, 0 when absent;
//     LOCATE's start below 1 or past the character after the last gives
//     0. They compare byte by byte, as text does everywhere here.
//   - POWER, POW and SQRT compute a DOUBLE, as MySQL does, and give it as
//     a NUMBER: the exact decimal of the double's shortest text, which is
//     what MySQL prints (POW(2, 0.5) is 1.4142135623730951, POW(2, 3) is
//     8). The engine has no floating-point kind, so arithmetic on the
//     result afterwards is exact decimal arithmetic on that text. SQRT of
//     a negative number is NULL; a result that is infinite or not a
//     number (POW(0, -1), POW(-8, 0.5)) is an error, MySQL's DOUBLE value
//     is out of range.
//   - GREATEST and LEAST compare by the kind the arguments unify to:
//     integers, decimals (the result has the largest scale of the
//     arguments: GREATEST(2, 1.5) is 2.0), one kind of date or time, or
//     text for any other mix (MySQL 8.0 compares numbers and strings as
//     strings; a DATE with a DATETIME compares as text here).
//   - DATEDIFF counts the days between the date parts, each in its own
//     time zone; LAST_DAY gives a DATE.
//   - NOW() and the other clock functions give one value per statement
//     execution (each Bind reads the clock once, Options.Now), in
//     Options.Location; CURDATE() is a DATE, CURTIME() a TIME, NOW(n) and
//     CURTIME(n) keep n digits of the second (0 by default). SYSDATE() is
//     NOW() (MySQL reads the clock again for each call). UTC_TIMESTAMP()
//     is the same instant as NOW() in UTC, so NOW() = UTC_TIMESTAMP()
//     holds (MySQL compares the wall clocks); HOUR(UTC_TIMESTAMP()) and
//     DATE_FORMAT show UTC's. In WHERE, NOW() compared directly with a
//     field is Kintone's NOW(), which Kintone evaluates (see below);
//     anywhere else (NOW() - INTERVAL 1 DAY, DATE(NOW()), the select
//     list) it is SQL's.
//   - Date arithmetic works on the wall clock of a value in its own zone,
//     as MySQL's zoneless values. Months and years keep the day, or the
//     month's last day when it has fewer: 2024-01-31 + INTERVAL 1 MONTH
//     is 2024-02-29. A DATE stays a DATE when the unit is DAY or larger
//     (WEEK, MONTH, QUARTER, YEAR, YEAR_MONTH) and becomes a DATETIME
//     otherwise; a TIME stays a TIME, and a result outside 00:00:00 to
//     23:59:59 is an error (MySQL's TIME reaches 838:59:59). The units
//     are MICROSECOND, SECOND (which may have a fraction), MINUTE, HOUR,
//     DAY, WEEK, MONTH, QUARTER, YEAR, and the compound ones
//     SECOND_MICROSECOND ... YEAR_MONTH, whose value is text with a
//     number for each field ('1 2' DAY_HOUR, '-1:30' HOUR_MINUTE; given
//     fewer numbers, the leading fields are left out, as in MySQL).
//     A non-integer for an integer unit, text that is not an interval,
//     and a result outside years 1 to 9999 are errors (MySQL rounds,
//     reads a prefix, gives NULL). ADDDATE(d, n) and SUBDATE(d, n) add
//     days.
//   - TIMESTAMPDIFF truncates toward zero; MONTH, QUARTER and YEAR count
//     whole months as MySQL does (from 01-31 to 02-29 is 0 months).
//     TIMESTAMPDIFF, EXTRACT of a date unit, DATE_FORMAT, WEEK and the
//     other calendar functions take a date: a time of day alone is an
//     error (MySQL gives it today's date, or zeros).
//   - DATE_FORMAT has MySQL's specifiers with English names (%a %b %c %D
//     %d %e %f %H %h %I %i %j %k %l %M %m %p %r %S %s %T %U %u %V %v %W
//     %w %X %x %Y %y %%); %q for another character q gives q.
//     STR_TO_DATE reads the same specifiers but the week ones, and gives
//     a DATE, a TIME or a DATETIME by the format's specifiers; text that
//     does not match, text left over, and a zero or impossible date are
//     errors where MySQL gives NULL (or, for text left over, the value
//     with a warning).
//   - The JSON functions read a multi-valued field as the JSON text the
//     driver returns for it (a checkbox ["a","b"], a user selection
//     [{"code":"u","name":"User"}]) and text as JSON. JSON_EXTRACT, ->,
//     and JSON_ARRAY give JSON, returned as its text, compact as the
//     fields' JSON is (MySQL prints [1, 2]; here [1,2]); ->> and
//     JSON_UNQUOTE give text. A JSON scalar compares with a value as
//     MySQL compares them (tags->'$[0]' = 'a'). Paths are $, .key,
//     ."key", .*, [n], [last], [last - n], [*] and **; JSON_CONTAINS
//     takes its candidate as JSON text (JSON_CONTAINS(tags, '"a"')).
//     Text that is not JSON and a path that is not one are errors, as in
//     MySQL, and so is a number or date given to JSON_EXTRACT or
//     JSON_CONTAINS as a document (JSON_LENGTH counts it as one scalar).
//   - GROUP_CONCAT joins the text of the rows whose arguments are all
//     non-NULL (several arguments run together), in its ORDER BY's order
//     (NULLs first ascending; ORDER BY n is the nth argument) or in the
//     order the rows come, with ',' unless SEPARATOR says otherwise; NULL
//     over no rows. MySQL cuts the result at group_concat_max_len, 1024
//     bytes by default, with only a warning; here nothing is cut, and a
//     result over 64 MiB (MySQL's max_allowed_packet) is an error.
//   - The deviations and variances add the values exactly and give the
//     result as MySQL does, a DOUBLE (its shortest decimal, as POW's);
//     the sample ones (STDDEV_SAMP, VAR_SAMP) are NULL over one value.
//     They take no DISTINCT, as in MySQL.
//
// CAST(x AS type) and CONVERT(x, type) convert to SIGNED [INTEGER],
// UNSIGNED [INTEGER], DECIMAL[(p[, s])] (p 1 to 65, default 10; s 0 to
// 30 and at most p, default 0), CHAR[(n)] [CHARACTER SET utf8mb4],
// DATE, DATETIME and TIME, with MySQL's results wherever MySQL gives one
// without a warning; where MySQL warns and goes on, the engine stops with
// an error naming the value instead:
//
//   - To SIGNED and UNSIGNED, a decimal rounds half away from zero, a
//     negative integer wraps around 2^64 for UNSIGNED (CAST(-1 AS
//     UNSIGNED) is 18446744073709551615, a NUMBER), and text must be an
//     integer: '1.5', '12abc' and empty text are errors where MySQL reads the
//     numeric prefix (1, 12, 0). A value out of the type's range, or a
//     negative decimal or text for UNSIGNED, is an error where MySQL
//     clips it.
//   - To DECIMAL(p, s), the value rounds half away from zero to s places;
//     text must be a whole number (exponents allowed); a value needing
//     more than p digits is an error where MySQL gives the largest one.
//   - To CHAR, a value becomes its text (a list its JSON), cut to n
//     characters when n is given, as in MySQL.
//   - A date or time becomes its text, or as a number its digits, by its
//     kind: a DATE 20240501, a DATETIME 20240501103000, a TIME 103000.
//   - To DATE, DATETIME and TIME, text must read as YYYY-MM-DD,
//     YYYY-MM-DD HH:MM[:SS[.fff]], RFC 3339 or HH:MM[:SS[.fff]]; other
//     text and numbers are errors (MySQL reads '2024/5/1' and 20240501
//     as dates). DATETIME and TIME keep whole seconds, a fraction rounded
//     as in MySQL. A TIME is a time of day, 00:00:00 to 23:59:59, so
//     MySQL's hours past 23 and negative times are errors, and a time of
//     day to DATE or DATETIME is an error (MySQL takes today's date).
//     DATETIME(n) and TIME(n) are refused for n above 0.
//
// Kintone's query functions (TODAY(), FROM_TODAY(-7, DAYS), THIS_MONTH(LAST),
// LOGINUSER(), PRIMARY_ORGANIZATION(), ...) may be compared with a field in
// WHERE, with Kintone's meaning (a day or period in the Kintone user's time
// zone). Only Kintone evaluates them, so a condition that would need one in
// Go (under an OR with a LIKE, say) is refused. NOW() is one of them only
// there, compared directly with a field; elsewhere it is SQL's NOW().
//
// # What Kintone evaluates
//
// WHERE is split into a Kintone query and a residual the pipeline checks.
// The query may return more records than SQL wants, never fewer:
//
//   - exact, no residual: $id; =, IN, > and >= on numbers, dates, times and
//     date-times; IN and NOT IN on checkboxes, multi-selects and users
//     (for options, with values that are defined options: any other value
//     makes Kintone fail, so that leaf is left to Go; a user code "" is
//     dropped, since Kintone may read it as "nothing selected"). NOT IN
//     relies on Kintone's documented meaning, the negation of in, which an
//     empty field satisfies. DROP_DOWN's documented idioms (IS NULL as in
//     (""), <> as not in ("", v)); JSON_LENGTH(files) = 0 and > 0 as is
//     empty and is not empty; never-empty system fields.
//     STATUS = and IN send the state names as given: the form API does not
//     list states, and Kintone refuses an unknown one (GAIA_IQ10) rather
//     than matching nothing.
//   - exact but for empty values: <, <=, <> on numbers, dates and times,
//     <> and NOT IN on radio buttons and STATUS (Kintone reportedly treats
//     an empty NUMBER as minus infinity, and which empty scalar values pass
//     not in is undocumented). The residual is "x IS NOT NULL", and is
//     dropped when another condition already proves x non-empty.
//   - narrowed: text = and IN (case and width folding are undocumented),
//     MULTI_LINE_TEXT IS NULL (Kintone's is empty also matches blank
//     text), JSON_LENGTH(x) = 0 on a checkbox or multi-select as not in
//     (every option) (a record holding only deleted options matches too),
//     and positive conditions on a child table (Kintone matches a record
//     when one of its rows matches). The residual is the condition.
//   - Go only: everything else, including text <>, ranges and IS NULL,
//     LIKE, expressions, and comparisons between columns.
//
// An empty value is assumed to fail > and >= in Kintone, as the report on
// NUMBER says; every other undocumented behaviour is checked again in Go.
// The reference test runs every plan against a strict and a loose model of
// the undocumented behaviour and demands SQL's answer under both.
//
// ORDER BY is left to Kintone when every key is a column Kintone sorts as
// SQL does: $id, created and updated times, text, links, numbers, dates,
// times and date-times. Kintone documents where empty values sort only for
// text (first, ascending); for the other types this package assumes the
// same (empty is lowest, as for comparisons), and the pipeline checks the
// order of the rows as they arrive, failing with ErrOrderMismatch on a NULL
// out of place. Options, users and STATUS sort in Go, and so does a key
// whose NULLS FIRST or NULLS LAST goes against that placement (ASC NULLS
// LAST, DESC NULLS FIRST). Sort keys end with $id so that ties have a
// fixed order.
//
// Kintone sorts a drop-down or radio button in the order of its options
// in the form, not SQL's order of their texts. But the options are known,
// so an ORDER BY whose first key is such a field, with a LIMIT, reads the
// records of each option in turn, the options in SQL's order of their
// texts, with the rest of the ORDER BY pushed as usual (or sorted in Go
// within the option): "(cond) and f in ("opt")", each read started only
// when the one before has ended, so that the LIMIT stops after the first
// few. The empty drop-downs are one more read, in ("") (documented), where
// SQL puts NULLs. The values of options removed from the form since the
// records were saved are read with not in (every option), sorted in Go
// and merged in their place; for a radio button, whose empty values have
// no query of their own, that read takes them too, and two counts check
// that it did (else every record is read, and those of no option kept).
// A condition on the field (IN, <>, IS NULL) leaves out the reads it rules
// out. First, though, one request reads a page of every record of the
// condition by $id: when it returns fewer than a page (500), it holds
// them all, and they are sorted in Go, so that few records cost one
// request as any other read of them; a full page is dropped and the
// reads per option follow, a request more. Not for DISTINCT, grouping,
// window functions, keys that are expressions, a child table, the read
// of an UPDATE or DELETE, or a field of more than optimize.MaxOptionReads
// options; EXPLAIN shows a row per read, that page's first.
//
// # Reading
//
// Bind picks the cheapest read (DESIGN.md's plan table), as Read.Strategy:
//
//   - StrategyCount: COUNT(*) with a WHERE Kintone answers exactly and no
//     GROUP BY: one GET with totalCount.
//   - StrategySingle: LIMIT n with n <= 500 and offset + n <= 10,000 and
//     nothing done in Go: one GET with limit and offset.
//   - StrategySeek: no ORDER BY, or ORDER BY $id: pages "(cond) and $id >
//     last order by $id asc limit 500"; with many pages to go after the
//     first (and a DSN concurrency above 1), several at once by offset,
//     each repeating the last record of the one before (a leap read, see
//     internal/scan's leap.go).
//   - StrategyKeyset: ORDER BY the creation time (never empty, compared
//     exactly, never changed once the record is added): pages "(cond) and
//     (k > K or (k = K and $id > I)) order by k, $id", K and I those of
//     the last record read.
//   - StrategyOffset: ORDER BY other fields Kintone sorts (the update time
//     among them), when the read ends within the first 10,000 records:
//     pages with limit and offset, each anchored on the last record of the
//     one before, then the change check (see Paging). When only the first
//     page's total can tell (no LIMIT, or a filter in Go),
//     Read.CursorFallback is set, and a read that passes offset 10,000
//     goes on through a cursor, unless it sorts by one key (then $id) that
//     Kintone compares exactly: the update or creation time, or a NUMBER,
//     numeric CALC, DATE, TIME or DATETIME field. Then past the limit its
//     offsets count from the last record read; a descending read whose key
//     may be empty reads the empty values last, by $id; an ascending one
//     that begins with more than 10,000 empty values takes a cursor
//     (internal/scan's rebase.go). The pages Paging foresees are asked
//     for at once (Paging.Ahead). A cursor is taken too by a read whose first page shows that
//     the user may not view the update time (the change check needs it);
//     with CursorNever (Read.NoCursor) it goes on as Read.Sorted says
//     instead, or fails when its records do not fit.
//   - StrategyCursor: the rest of those orders (an OFFSET of 10,000 or
//     more, or a total above it), and every multi-page read with
//     Options.Cursor == CursorAlways: the cursor API. With CursorNever
//     such a read seeks and sorts in Go instead. A driver whose cursors are
//     all taken may do the same for a read whose records fit in
//     Options.MaxBufferedRows (scan.NoCursorHold when 0) and whose $id pages
//     are not many more than the cursor's requests: see Read.Sorted.
//   - StrategyNone: metadata tables, LIMIT 0, conditions that never hold.
//
// Cursors are a scarce resource (ten per domain, shared by every client),
// so a read uses one only when no other plan exists. The plans also differ
// in what a read sees of records that change while it goes from page to
// page, since Kintone has no snapshot reads. Whatever the plan, a read of
// several pages returns its rows in the SQL order, never a record twice,
// and every record that matches its condition and keeps its sort keys
// throughout comes exactly once; a record changed during the read comes
// as it was when its page was read. A change that could make the read
// miss a record fails it with ErrRecordsChanged instead:
//
//   - A cursor fixes which records it returns, and their order, when it is
//     created, and reads their values page by page. Each record that
//     matched then comes exactly once (unless deleted), but a record whose
//     sort key changes comes at its old place with its new value: out of
//     the SQL order. The driver checks each page (Read.OrderCheck) and
//     fails with ErrRecordsChanged before handing such a row on. (A
//     record changed so that it no longer matches the condition still
//     comes, with its new values.)
//   - Offset pages each sort the records as they are when the page is
//     read. A record moved across the end of a page shifts every later one
//     by one, so plain offset pages would skip or repeat records that did
//     not change at all. Anchored pages find the last record read again
//     and go on after it, so every record that does not change comes
//     exactly once, in the SQL order. When the anchor itself changed, the
//     latest record of its page that did not anchors the read instead;
//     when they all changed, or moved more than a page, the read fails
//     with ErrRecordsChanged. A record whose sort key changes so that it
//     moves across the anchor is met again (moved on: it is left out, it
//     came once) or missed (moved back among the rows handed on): after
//     the last page, one more request (one per 500 records it finds)
//     asks for the records updated since shortly before the first page
//     that the read did not hand on, and one of them that existed before
//     the read and sorts among the rows handed on fails the read with
//     ErrRecordsChanged, after its last row. A record added during
//     the read may come or not. Every change sets Kintone's update time,
//     kept to the minute, so the check also covers records updated in the
//     minute before the read began. It leaves out the $ids handed on by
//     runs (all of them when they form at most 30 runs, else the 30
//     longest), so that after an import of the records it reads it still
//     costs one request; the rows handed on in other runs are read again
//     (after a bulk update of scattered records, about one request per
//     page), and so are other records changed in that time (one request
//     per 500).
//   - Keyset and $id seek pages ask for the records after the last one
//     read, by keys no change moves: never out of order, never a record
//     skipped or repeated. ORDER BY the update time, which every change
//     moves, reads by offset pages and their change check.
//
// A read that fails with ErrRecordsChanged returned correct rows up to the
// error; run again, it reads the records as they are then.
//
// The SELECT that finds the records of an UPDATE or DELETE is read while
// the write goes on, and the write moves what offset and keyset pages go
// by (a deleted page shifts the next one; an update moves a record past
// the anchor, to be read and written again). It is read by a cursor, whose
// records are fixed, or by $id (sorting in Go without cursors) instead.
//
// Read.Fields names exactly the fields the plan uses. When Go filters,
// groups or sorts, LIMIT and OFFSET are applied in Go, and Read.MaxRecords
// tells the driver when it may stop reading.
//
// # Joins, subqueries, set operations, windows
//
// FROM may join tables ([INNER], LEFT, RIGHT, FULL [OUTER], CROSS, comma
// lists, ON, USING, NATURAL, parentheses, derived tables and WITH names).
// Each table is planned as a single-table SELECT of the columns the
// statement needs with the conditions that concern it alone, so Kintone
// does for each side what it does for one table; a WHERE condition goes
// to a side unless the side may go unmatched in an outer join (a
// condition that rejects the NULLs such a join adds turns it into an
// inner join first), and an ON condition of an outer join goes only to
// the side that may go unmatched. Equalities between the sides are
// hashed (a NUMBER and an integer that are equal meet, as do a user and
// its code); the rest of a join's condition is checked on each pair.
//
// The executor reads one side first (the preserved side of an outer
// join; for an inner join the side Kintone narrows). When it ends within
// exec.SmallSide rows it is the side held, and when the plan allows
// (plan.KeyLookup: the other side is an app's table and its key a field)
// its keys go into the other side's query as key in (...) in batches of
// optimize.LookupBatch; with more than one batch a count request first
// checks that the batches are fewer than the other side's pages (a batch
// matching more than a page of records costs more than one request, so
// a lookup costs at most one request per batch more than the whole
// read). When
// the first side passes exec.SmallSide rows the other side is read up to
// as many; the smaller is held and the other streams; when both pass, the
// first is held, within Options.MaxBufferedRows (optimize.DefaultJoinHold
// when 0), past which the join fails with ErrTooManyRows. An app joined
// to its own child table on $id (and EXISTS over a child table) is one
// read of the app (plan.Unnest).
//
// An uncorrelated subquery runs before the query that reads it, and its
// value replaces it (plan.Apply): x IN (SELECT ...) becomes x IN (its
// values), which Kintone evaluates when there are at most LookupBatch
// of them; NOT IN, an empty result and NULLs keep SQL's rules. A
// correlated [NOT] EXISTS or IN that is a condition of WHERE's
// top-level AND is a semi (anti) join of FROM with the subquery's tables;
// any other correlated subquery (a value, NOT IN, one under OR) is
// planned and run for each distinct set of the outer values it reads
// (expr.Subquery.Outer), its result kept (plan.Apply.PerRow).
// UNION, INTERSECT and EXCEPT ([ALL]) run their queries in turn and
// combine the rows in Go; a distinct UNION, INTERSECT and EXCEPT hold what
// they must remember. Window functions are computed after GROUP BY and
// HAVING, over every row, with SQL's default frame; a query with one
// sends Kintone no LIMIT.
//
// A SELECT of several reads has Read nil: the driver runs it with
// RunReads, opening each read when the plan comes to it.
//
// # The plan tree
//
// What Go does over the records is a tree of operators (package plan):
// the Kintone read, a metadata table or nothing at the leaf, then
// Flatten, CheckOrder, Filter, Aggregate, Window, Project, Distinct, Sort
// and Limit as the statement needs them, and Join, Unnest, Derived,
// Apply and SetOp where the statement has several reads. Tree returns it; EXPLAIN's plan
// column prints it, the root first and each input indented under the node
// that reads it, and its go column lists the same nodes on one line.
// Package exec runs it, one iterator per node.
//
// Select.Run takes the records as a Source and returns Rows whose Next
// fills database/sql's dest slice. Filtering, projection, DISTINCT and
// LIMIT stream: memory stays flat and a satisfied LIMIT stops the reading.
// An ORDER BY done in Go, GROUP BY and aggregates must see every record
// first; ORDER BY with LIMIT keeps only the best LIMIT + OFFSET rows, GROUP
// BY one entry per group, DISTINCT the rows already returned, all capped by
// Options.MaxBufferedRows (ErrTooManyRows).
//
// Options.MaxRows is a LIMIT for every SELECT that has none (the DSN's
// maxRows): it is planned like one, so it goes to Kintone as a limit when
// nothing is done in Go, stops paged reads at the cap, and bounds a sort
// in Go by the cap. Aggregates and GROUP BY see every record; only their
// result rows are capped. Metadata (SHOW, DESCRIBE, information_schema)
// and the reads of UPDATE, DELETE and INSERT ... SELECT are never capped:
// a write applies to every row its WHERE names.
//
// The driver's part, for a *Select s:
//
//   - rows := s.RunReads(r), where r opens each read the plan meets (its
//     one read, s.Read; or a join's sides, a lookup's batches, a
//     subquery, a page tried first and the reads of one option each) and
//     counts the records of a count read. The driver does
//     this for every strategy but StrategyCount; the items below say what
//     opening a read of each strategy means.
//   - StrategyCount: GET records.json with app s.Read.App, query
//     s.Read.Query.String(), fields s.Read.Fields and totalCount=true; rows
//     := s.RunCount(totalCount).
//   - StrategySingle: one GET with s.Read.Query.String(); feed the records.
//   - StrategySeek: last, read, end := 0, 0, NewSeekEnd(); loop q, limit
//     := s.Read.SeekQuery(last, read); GET, with totalCount when
//     end.AskTotal(limit); feed the records, last = the last record's $id,
//     read += len; stop unless s.Read.More(len, limit, read) and not
//     end.Last(len, limit, the page's totalCount or -1). A read may stop
//     only on the total of the page it stops at (SeekEnd).
//   - StrategyOffset, StrategyKeyset: pg := s.Read.Paging(); while req, ok
//     := pg.Next(), GET req.Query with totalCount and req.Fields (or
//     s.Read.Fields when nil), tell pg.Began when Kintone answered the
//     first one (its Date header less the time the request took), decode
//     the records and feed what pg.Accept(records, totalCount) returns.
//     If pg.Fallback(), go on as for StrategyCursor (as Read.Sorted says
//     when s.Read.NoCursor). Rows that end before
//     the records do (a LIMIT applied in Go) call pg.Stop with the last
//     record they took, and run the requests Next still returns.
//   - StrategyCursor: POST records/cursor.json with s.Read.Query.String(),
//     s.Read.Fields and size s.Read.PageSize; GET pages until next is false
//     (or until s.Read.Offset + s.Read.MaxRecords records were read), pass
//     each page through s.Read.OrderCheck() and skip the first
//     s.Read.Offset records; DELETE the cursor if the rows are closed
//     before the end. Without a cursor: s.Read.Sorted(), when its Fits
//     says so; else wait for a cursor (fail with TooMany when NoCursor).
//
// Each record is decoded with s.Read.DecodeRecord, and the Source returns
// io.EOF after the last one. s.Columns describe the output columns
// (DatabaseType, ScanType, Nullable).
//
// # Writing
//
// A write plan is a list of WriteItem, one per record: its statement row,
// its $id or update key, the revision it must still have, and the fields
// in record JSON's write form (field.Codec.EncodeField: dates in the
// Location, DATETIME in UTC, a slice or JSON text for checkboxes,
// multi-selects and user selections, JSON rows for subtables). DEFAULT
// leaves a field out so that Kintone applies its default. $id, $revision
// and the fields Kintone computes cannot be written; CREATOR, MODIFIER,
// CREATED_TIME and UPDATED_TIME only by an INSERT. Values known at Bind
// are encoded there, so that a bad one is a *ValueError before anything
// is sent.
//
// An INSERT (or REPLACE) without a column list takes, as MySQL takes
// every column in order, the fields a new record may be given in form
// order, as DESCRIBE lists them: not $id, $revision, the record number,
// CALC, STATUS, STATUS_ASSIGNEE, CATEGORY, nor CREATOR, MODIFIER and
// their times (Kintone fills them; only an app administrator may set
// them, by name), nor a lookup's copy targets (Kintone overwrites them).
// A row of another length is an error naming the row, the counts and
// the columns, at the row. INSERT INTO t () VALUES () and INSERT INTO t
// VALUES () add a record of defaults, as MySQL adds a row of defaults.
//
// UPDATE applies SET left to right, as MySQL's single-table UPDATE: the
// last assignment to a column wins, and a later expression reads the
// value an earlier one gave (SET a = a + 1, b = a gives b the new a;
// WHERE and ORDER BY read the record as it was). The earlier expression
// stands in for the column, which is exact when the column keeps the
// value as SQL compares it: a value of its kind, a number for a number,
// NULL for a field that can be empty. Reading back a value Kintone
// converts (text into a DATE, a text argument into a NUMBER) is refused
// at the column read. An overwritten constant is still encoded, so that
// a bad one fails as in MySQL's strict mode; an overwritten expression
// of the record is not computed.
//
// REPLACE is MySQL's "delete the row with the new row's unique key, then
// insert the new row". It runs as Kintone's upsert by the unique
// SINGLE_LINE_TEXT or NUMBER field among its columns (Insert.KeyField),
// every other writable field the statement leaves out or gives DEFAULT
// sent with its default from the form, so that the record written holds
// the new row and nothing of the old one whether it is added or updated.
// Without a unique field among the columns no record can conflict, and
// REPLACE is an INSERT. Refused, with the reason: several unique fields
// among the columns (MySQL would delete every record holding one of the
// values), a key of another type, a CREATOR or time column (the update
// keeps them), a field reset to a default only Kintone computes (the
// time or user of the write, a DATETIME in the user's zone), and an
// unlisted unique field with a default. One difference is deliberate and
// kept: an updated record keeps its $id, record number, creator,
// comments and history (MySQL's new row would have a new
// AUTO_INCREMENT id), and RowsAffected counts it once, not twice.
//
// A bulk INSERT whose VALUES rows after the first are all placeholders,
// (?, ?), (?, ?), ..., is parsed as its first row only; the other rows
// are bound straight from the arguments, on several goroutines when there
// are thousands (valuesrun.go). The plan and the errors are those of the
// general path.
//
//   - *Insert with Items: INSERT ... VALUES. With Select: INSERT ...
//     SELECT; run Select like any read and turn each row into an item
//     with Insert.Item (SameApp: read every row before writing).
//   - Insert.KeyField: ON DUPLICATE KEY UPDATE (or REPLACE by a unique
//     field), which becomes Kintone's
//     upsert (PUT records.json, upsert true, updateKey on the unique
//     SINGLE_LINE_TEXT or NUMBER field among the columns). Kintone writes
//     the same record whether it adds or updates, so every inserted column
//     but the key must be assigned VALUES(col). DEFAULT in a row sends the
//     field's default, so that a record found gets it as in MySQL (left
//     out, the field would keep its old value); a default only Kintone
//     computes (the time or user of the write) is refused there.
//   - *Update with Items: the WHERE is $id = n, $id IN (...), $id = n AND
//     $revision = r (optimistic locking: a stale revision is GAIA_CO02),
//     or unique_field = v (Update.ByKey, Kintone's updateKey), and every
//     SET value is the same for all rows: no read is needed. Otherwise
//     Select reads $id, $revision and the row-dependent SET values (any
//     WHERE, ORDER BY and LIMIT, planned like a SELECT), and Update.Item
//     makes an update that carries the revision read, so that a record
//     changed in between is a conflict, not a lost update.
//   - *Delete: the same, with Items for $id = n, $id IN (...) and $id = n
//     AND $revision = r, and Select (with Delete.Item) otherwise.
//
// The driver sends the items in Kintone's largest batches (DESIGN.md):
// batches of MaxBulkRequests * MaxWriteRecords rows, each one records.json
// request (up to MaxWriteRecords records) or one bulkRequest. The Select
// that finds the records of an UPDATE or DELETE pages by keys no change
// moves, whatever Options.Cursor says: by $id, or by keyset pages for an
// ORDER BY the creation time and $id. The write cannot move what is still
// to read, and each page's records match the WHERE with the values the
// page returns (a cursor fixes its records when it is created and reads
// their values later, so a record edited out of the WHERE meanwhile would
// still come). Its rows stream into the batches as they are read; another
// ORDER BY is done in Go first. The rows an INSERT ... SELECT copies are read as a
// SELECT's are.
//
// EXPLAIN of a write binds and checks it as a run would, then returns its
// plan as rows instead: a "read" row with EXPLAIN SELECT's columns for the
// Select, if any, and a "write" row with the operation (POST, PUT or DELETE
// of records.json, upsert), the target (new records, by $id, by updateKey,
// or the records the read finds), the rows and requests when known, the
// batches and the revisions checked. Its plan column is the write as a
// tree: a write node over the rows written (the VALUES, the records the
// WHERE names, or the read's tree).
//
// # Stages
//
// The translator is a pipeline of packages, each taking what the one
// before gives:
//
//	parse     SQL text -> syntax tree, a position on every node
//	catalog   the tables a statement names and their columns (Schema)
//	expr      bound expressions and SQL's value semantics
//	plan      the logical plan: a tree of nodes, printed by EXPLAIN
//	optimize  what Kintone does: WHERE pushdown, ORDER BY, the read strategy
//	exec      iterators over positional rows that run the tree
//	sqlerr    the errors every stage returns, with positions
//
// This package binds a statement's syntax tree to the catalog, assembles
// the plan and its Kintone read (an internal/scan.Spec, which the driver's
// pagers in internal/fetch follow), and is the face the driver uses:
// Prepare, Bind, Translate and the Statement types.
package translate
