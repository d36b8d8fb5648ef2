package parse

import (
	"go/scanner"
	gotoken "go/token"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// This file collects the SQL statements of the repository's tests and
// README, and generates more, for the differential and round-trip tests.

// sqlStart recognises a string that is a statement.
var sqlStart = regexp.MustCompile(`(?i)^\s*(\(\s*)?(select|insert|update|delete|show|describe|desc|explain|with|replace)\s`)

// repoCorpus returns the distinct statements written in the repository's
// Go tests and README.
func repoCorpus(t testing.TB) []string {
	seen := map[string]bool{}
	add := func(s string) {
		if sqlStart.MatchString(s) && len(s) < 4000 {
			seen[s] = true
		}
	}
	var files []string
	for _, g := range []string{"../*_test.go", "../../*_test.go", "../../cmd/*/*_test.go", "../../*/*_test.go", "../../internal/*/*_test.go"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s scanner.Scanner
		fset := gotoken.NewFileSet()
		s.Init(fset.AddFile(f, -1, len(src)), src, nil, 0)
		for {
			_, tok, lit := s.Scan()
			if tok == gotoken.EOF {
				break
			}
			if tok == gotoken.STRING {
				if v, err := strconv.Unquote(lit); err == nil {
					add(v)
				}
			}
		}
	}
	if readme, err := os.ReadFile("../../README.md"); err == nil {
		for _, line := range strings.Split(string(readme), "\n") {
			line = strings.TrimSpace(line)
			if i := strings.Index(line, "  -- "); i > 0 {
				line = strings.TrimSpace(line[:i])
			}
			add(line)
		}
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(string(readme), -1) {
			add(m[1])
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// genExprs are expression fragments the generated statements combine.
var genExprs = []string{
	"a", "t.a", "db.t.a", "`my col`", "$id", "顧客名", "1", "-1", "- -1", "1.5", ".5", "1e3", "0x1F", "X'1F'", "B'01'",
	"'s'", `'it''s'`, `'a\%b'`, `"dq"`, "?", "NULL", "TRUE", "false",
	"a + b * c", "a - b - c", "(a + b) * c", "a / b DIV c % d MOD e", "a | b & c << 1 >> 2 ^ 3",
	"-a", "!a", "~a", "+a", "NOT a", "NOT NOT a", "a = 1", "a <=> NULL", "a != b", "a <> b", "a < b", "a >= b",
	"a IS NULL", "a IS NOT TRUE", "a IS FALSE", "a IN (1, 2)", "a NOT IN (SELECT b FROM t)", "a BETWEEN 1 AND 2",
	"a NOT BETWEEN b + 1 AND c * 2", "a NOT LIKE 'x%' ESCAPE '!'", "a LIKE ?", "a REGEXP 'x'", "a NOT RLIKE 'x'",
	"CASE a WHEN 1 THEN 'x' ELSE 'y' END", "CASE WHEN a > 1 THEN b END", "COUNT(*)", "count(DISTINCT a)",
	"SUM(a + 1)", "IF(a, b, c)", "LEFT(a, 2)", "MOD(a, 2)", "REPLACE(a, 'x', 'y')", "CAST(a AS CHAR(3))",
	"CAST(a AS DECIMAL(10, 2))", "CONVERT(a, SIGNED)", "CONVERT(a USING utf8)", "a COLLATE utf8_bin", "BINARY a",
	"DATE(a) + INTERVAL 1 DAY", "INTERVAL 2 HOUR + a", "EXISTS (SELECT 1)", "(SELECT MAX(a) FROM t)", "(a, b)",
	"CURRENT_TIMESTAMP", "current_date()", "NOW()", "a && b || c", "SUBSTRING(a, 1, 2)", "substr(a FROM 1 FOR 2)",
	"GROUP_CONCAT(DISTINCT a ORDER BY b SEPARATOR ',')", "a->'$.x'", "a->>'$.y'", "(a)", "((a = 1))",
	"TODAY()", "FROM_TODAY(-7, DAYS)", "a IS NULL = 1", "DEFAULT", "VALUES(a)", "status", "date", "`select`",
	"t.`select`", "a XOR b", "a IS UNKNOWN", "DATE '2024-05-01'",
}

// genTemplates are statements with %s holes.
var genTemplates = []string{
	"SELECT %s FROM t",
	"SELECT a FROM t WHERE %s",
	"SELECT a, COUNT(*) FROM t GROUP BY %s HAVING %s ORDER BY a DESC LIMIT 1",
	"UPDATE t SET a = %s WHERE %s",
	"DELETE FROM t WHERE %s ORDER BY %s LIMIT 2",
	"INSERT INTO t (a, b) VALUES (%s, %s)",
	"SELECT %s AS x, %s y",
}

// genOps join two fragments.
var genOps = []string{"AND", "OR", "=", "+", "*", "<", "-", "IS NULL AND"}

// genStatements returns generated statements: every fragment in every
// template, and pairs of fragments joined by operators.
func genStatements() []string {
	var out []string
	fill := func(tmpl string, xs ...string) string {
		n := strings.Count(tmpl, "%s")
		args := make([]any, n)
		for i := range args {
			args[i] = xs[i%len(xs)]
		}
		return sprintf(tmpl, args...)
	}
	for _, tmpl := range genTemplates {
		for _, e := range genExprs {
			out = append(out, fill(tmpl, e))
		}
	}
	for i, a := range genExprs {
		for j, b := range genExprs {
			op := genOps[(i+j)%len(genOps)]
			out = append(out, "SELECT a FROM t WHERE "+a+" "+op+" "+b)
		}
	}
	out = append(out, genFixed...)
	// Random expressions three operators deep, for precedence.
	rng := rand.New(rand.NewPCG(13, 13))
	ops := []string{"OR", "||", "XOR", "AND", "&&", "=", "<=>", "<>", "<", ">=", "|", "&", "<<", ">>", "+", "-", "*", "/", "DIV", "%", "MOD", "^"}
	leaves := []string{"a", "1", "-b", "NOT c", "!d", "e IS NULL", "f IN (1)", "g BETWEEN 1 AND 2", "h LIKE 'x'", "(i + 1)", "~j", "BINARY k", "l COLLATE utf8_bin", "?"}
	var gen func(depth int) string
	gen = func(depth int) string {
		if depth == 0 || rng.IntN(4) == 0 {
			return leaves[rng.IntN(len(leaves))]
		}
		e := gen(depth-1) + " " + ops[rng.IntN(len(ops))] + " " + gen(depth-1)
		if rng.IntN(5) == 0 {
			e = "(" + e + ")"
		}
		return e
	}
	for range 3000 {
		out = append(out, "SELECT "+gen(3)+" FROM t WHERE "+gen(3))
	}
	return out
}

// genFixed are statements for the constructs the fragments do not reach.
var genFixed = []string{
	"SELECT * FROM t1 JOIN t2 ON t1.a = t2.a",
	"SELECT * FROM t1 INNER JOIN t2 USING (a, b)",
	"SELECT * FROM t1 CROSS JOIN t2",
	"SELECT * FROM t1 LEFT OUTER JOIN t2 ON t1.a = t2.a RIGHT JOIN t3 ON t3.b = t2.b",
	"SELECT * FROM t1 NATURAL JOIN t2",
	"SELECT * FROM t1 NATURAL LEFT JOIN t2",
	"SELECT * FROM t1 STRAIGHT_JOIN t2 ON t1.a = t2.a",
	"SELECT * FROM t1, t2 AS x, t3 y WHERE t1.a = x.a",
	"SELECT * FROM (t1, t2)",
	"SELECT * FROM (t1 JOIN t2 ON t1.a = t2.a)",
	"SELECT * FROM (SELECT a FROM t) AS d",
	"SELECT * FROM (SELECT a FROM t) d WHERE d.a > 1",
	"SELECT a FROM t UNION SELECT b FROM u",
	"SELECT a FROM t UNION ALL SELECT b FROM u UNION DISTINCT SELECT c FROM v ORDER BY 1 LIMIT 3",
	"(SELECT a FROM t) UNION (SELECT b FROM u) ORDER BY a",
	"SELECT a FROM t INTERSECT SELECT b FROM u",
	"SELECT a FROM t EXCEPT SELECT b FROM u",
	"WITH x AS (SELECT 1) SELECT * FROM x",
	"SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC) FROM t",
	"SELECT DISTINCT a FROM t", "SELECT ALL a FROM t", "SELECT COUNT(ALL a), SUM(ALL a), MAX(ALL a) FROM t",
	"SELECT COUNT(ALL *) FROM t", "SELECT SQL_NO_CACHE a FROM t", "SELECT STRAIGHT_JOIN a FROM t",
	"SELECT 1", "SELECT 1 FROM dual", "SELECT a FROM t LIMIT 5, 10", "SELECT a FROM t LIMIT 5 OFFSET 10",
	"SELECT a FROM t LIMIT ?", "SELECT t.* FROM t", "SELECT db.t.* FROM db.t", "SELECT a FROM t FOR UPDATE",
	"SELECT a FROM t LOCK IN SHARE MODE", "SELECT a FROM t USE INDEX (i)", "SELECT a FROM t PARTITION (p)",
	"INSERT INTO t VALUES (1, 2)", "INSERT t (a) VALUES (1)", "INSERT INTO t (a, b) VALUES (1, DEFAULT), (2, 3)",
	"INSERT INTO t (a) VALUES (?), (?), (?)", "INSERT INTO t (a, b) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b), a = a + ?",
	"INSERT INTO t (a) SELECT b FROM u WHERE c = 1", "INSERT INTO t (a) SELECT b FROM u ON DUPLICATE KEY UPDATE a = VALUES(a)",
	"INSERT INTO t SET a = 1", "INSERT IGNORE INTO t (a) VALUES (1)", "REPLACE INTO t (a) VALUES (1)",
	"INSERT INTO t (a) VALUES ()", "INSERT INTO t () VALUES ()", "INSERT INTO t (t.a) VALUES (1)",
	"UPDATE t SET a = 1, b = b + 1 WHERE c IN (1, 2) ORDER BY $id LIMIT 10", "UPDATE t AS x SET x.a = DEFAULT",
	"UPDATE t1 JOIN t2 ON t1.a = t2.a SET t1.b = t2.b", "DELETE FROM t", "DELETE FROM t WHERE a = 1 LIMIT 1",
	"DELETE t FROM t JOIN u ON t.a = u.a", "DELETE FROM t USING t JOIN u", "DELETE FROM db.t WHERE $id = :id",
	"SHOW TABLES", "SHOW FULL TABLES", "SHOW TABLES FROM kintone", "SHOW TABLES IN kintone LIKE 'a%'",
	"SHOW TABLES WHERE Tables_in_kintone > 'a'", "SHOW DATABASES", "SHOW VARIABLES", "SHOW CREATE TABLE t",
	"EXPLAIN SELECT a FROM t", "EXPLAIN INSERT INTO t (a) VALUES (1)", "EXPLAIN UPDATE t SET a = 1", "EXPLAIN DELETE FROM t",
	"CREATE TABLE t (a int)", "DROP TABLE t", "SET autocommit = 1", "USE db", "BEGIN", "COMMIT", "ROLLBACK",
	"TRUNCATE TABLE t", "ALTER TABLE t ADD COLUMN b int", "SELECT a FROM t;", "SELECT a FROM t; SELECT 1",
	"SELECT a, FROM t", "SELECT a FROM", "SELECT (a FROM t", "SELECT a FROM t WHERE", "SELECT a FROM t ORDER a",
	"SELECT a FROM t GROUP a", "SELECT * FROM t WHERE a IN ()", "SELECT * FROM t WHERE a = = 1", "FOO BAR",
	"SELECT a b c FROM t", "SELECT 'abc' 'def'", "SELECT a FROM t WHERE a LIKE b LIKE c", "SELECT a = b = c FROM t",
	"SELECT MATCH (a) AGAINST ('x') FROM t", "SELECT a FROM t WHERE a = ANY (SELECT b FROM u)",
	"SELECT CAST(a AS SIGNED INTEGER), CAST(a AS UNSIGNED), CAST(a AS DATE), CAST(a AS DATETIME(3)), CAST(a AS BINARY(4)) FROM t",
	"SELECT a FROM t WHERE a IN (SELECT b FROM u UNION SELECT c FROM v)",
	"SELECT a FROM t WHERE (a, b) IN ((1, 2), (3, 4))", "SELECT a FROM t WHERE a = (SELECT 1) + 1",
	"SELECT a FROM t ORDER BY a ASC, b DESC, c", "SELECT a AS 'x y' FROM t AS 'u'", "SELECT a FROM `app`.`sub`",
	"SELECT `a``b` FROM t", "SELECT a FROM t WHERE b = 'x\\ny\\'z'", "SELECT a\u3000FROM\u3000t", "SELECT a FROM t -- c\nWHERE a = 1",
	"SELECT a FROM t # c\n WHERE /* x */ a = 1", "SELECT /* c */ a FROM t",
}
