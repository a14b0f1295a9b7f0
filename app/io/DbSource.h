// DbSource: a layer source that is a table on a PostgreSQL/PostGIS server, parsed in one
// place. Two spellings:
//   PG:"dbname=bcmap host=db.example port=5432 tables=schema.name"   (GDAL's; quotes optional)
//   postgresql://user[:password]@host[:port]/dbname?table=schema.name[&sslmode=...]
// `table`/`tables` names the table (schema defaults to public) and is taken off: libpq
// rejects parameters it does not know. Everything else is a libpq connection parameter.
//
// The PostgreSQL driver is used only for such explicit sources: isDbSource() is false for
// anything that exists as a file ("./PG:x", or "PG:x" when a file of that name is there).
//
// Passwords: one typed into the source is used but never shown. display() writes it as ***
// (and stays parseable); rememberDbPassword() keeps the real one in this process only, and a
// source that says *** gets it back in connectionInfo(). Without one, libpq takes the
// password from ~/.pgpass, a service file or PGPASSWORD, as it always does.
//
// Bounded waits: every connection made from connectionInfo() gives up after libpq's
// connect_timeout (a server that is down, or accepts and never answers) and has its
// statements cancelled by the server after statement_timeout (a server that is slow), so a
// layer whose server misbehaves fails with the reason instead of hanging its command. The
// source's own connect_timeout wins, as does $PGCONNECT_TIMEOUT; so does a statement_timeout
// in its `options` or in $PGOPTIONS (kept: libpq would drop it for the `options` given); a
// source naming a service gets no `options` (its service file's would be overridden).
//
// Threading: parsing is pure; the password store and the timeouts are guarded and may be
// used from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bcmap {

struct DbSource {
  std::vector<std::pair<std::string, std::string>> params;  // libpq keyword -> value, in order
  std::string schema = "public";
  std::string table;
  bool url = false;  // written as a postgresql:// URL (display() keeps the spelling)

  // The value of a connection parameter; empty when not given.
  std::string param(std::string_view key) const;
  // The source as the user may see it: the password as ***.
  std::string display() const;
  // libpq's key=value form with the real password (a remembered one for ***; none when
  // nothing was remembered) and the timeouts (dbTimeouts()): for GDAL as
  // "PG:" + connectionInfo(). Never log it.
  std::string connectionInfo() const;
  // "schema"."table", each quoted as an SQL identifier.
  std::string quotedTable() const;
  // schema.table for names and messages (unquoted).
  std::string tableName() const { return schema + "." + table; }
};

// How long a connection may take to open, and a statement to run, in seconds (0: no limit).
// Defaults kDbConnectTimeoutS and kDbStatementTimeoutS, or $BCMAP_DB_CONNECT_TIMEOUT and
// $BCMAP_DB_STATEMENT_TIMEOUT (read once); setDbTimeouts changes them for this process
// (`bcmap db prepare` lifts the statement limit: building overviews is one long statement).
inline constexpr int kDbConnectTimeoutS = 10;
inline constexpr int kDbStatementTimeoutS = 60;
struct DbTimeouts {
  int connectS = kDbConnectTimeoutS;
  int statementS = kDbStatementTimeoutS;
};
DbTimeouts dbTimeouts();
void setDbTimeouts(DbTimeouts timeouts);

// True when `text` is spelled as a database source (PG: or postgresql:// / postgres://),
// case-insensitive. Says nothing about files: see isDbSource.
bool looksLikeDbSource(std::string_view text);

// A database source, not a file: spelled as one and no file of that name exists (relative
// names are looked up in `baseDir`, or the current folder when it is empty).
bool isDbSource(const std::string& text, const std::string& baseDir = {});

// Parses either spelling. Errors name the problem, never the password.
std::optional<DbSource> parseDbSource(std::string_view text, std::string* err);

// A source from its parts (File ▸ Open's database tab): libpq keyword -> value, empty values
// left out (libpq's defaults, ~/.pgpass...), and the table as schema.name or name; written
// as a URL. `table` may be empty only when `needTable` is false (listing a server's tables).
std::optional<DbSource> makeDbSource(const std::vector<std::pair<std::string, std::string>>& params,
                                     const std::string& table, bool needTable, std::string* err);

// `name` as an SQL identifier: in double quotes, a double quote doubled.
std::string quoteSqlIdentifier(std::string_view name);

// Keeps the password typed into `source` (if any, and not ***) for this process, so a
// source displayed as *** connects with it. Returns the source as display() writes it.
std::string rememberDbPassword(const DbSource& source);

// `text` with every remembered password replaced by ***: for messages from GDAL or libpq.
std::string redactDbPasswords(std::string text);

}  // namespace bcmap
