// Sections: 1. small text helpers  2. the two spellings (GDAL's PG: string, the URL)
// 3. DbSource's forms  4. remembered passwords  5. timeouts
#include "io/DbSource.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>

namespace bcmap {
namespace fs = std::filesystem;

// ---- 1. small text helpers --------------------------------------------------------------
namespace {

constexpr std::string_view kRedacted = "***";

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

// The part after the URL scheme, or nullopt when `text` is not a postgresql URL.
std::optional<std::string_view> urlBody(std::string_view text) {
  for (std::string_view scheme : {std::string_view("postgresql://"), std::string_view("postgres://")})
    if (startsWithNoCase(text, scheme)) return text.substr(scheme.size());
  return std::nullopt;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percentDecode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

std::string percentEncode(std::string_view in, std::string_view keep = "") {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : in) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || keep.find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

// A libpq conninfo value: bare when it can be, else in single quotes with \ and ' escaped.
std::string conninfoValue(std::string_view v) {
  bool bare = !v.empty();
  for (char c : v)
    if (std::isspace(static_cast<unsigned char>(c)) || c == '\'' || c == '\\' || c == '"') bare = false;
  if (bare) return std::string(v);
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

bool setTable(DbSource& s, const std::string& value, std::string* err) {
  auto fail = [err](std::string m) {
    if (err) *err = std::move(m);
    return false;
  };
  if (value.empty()) return fail("the table is empty");
  if (value.find(',') != std::string::npos) return fail("one table per source (tables=" + value + ")");
  if (value.find('\0') != std::string::npos) return fail("the table name holds a NUL character");
  const size_t dot = value.find('.');
  if (dot == std::string::npos) {
    s.table = value;
  } else {
    s.schema = value.substr(0, dot);
    s.table = value.substr(dot + 1);
    if (s.schema.empty() || s.table.empty()) return fail("the table '" + value + "' is not schema.name");
  }
  return true;
}

}  // namespace

// ---- 2. the two spellings ----------------------------------------------------------------
namespace {

// GDAL's PG: form: libpq's key=value list, optionally in double quotes, with GDAL's
// `tables=` beside the libpq parameters.
std::optional<DbSource> parseConninfo(std::string_view text, std::string* err) {
  auto fail = [err](std::string m) -> std::optional<DbSource> {
    if (err) *err = std::move(m);
    return std::nullopt;
  };
  std::string_view s = text;
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  DbSource out;
  bool haveTable = false;
  size_t i = 0;
  auto skipSpace = [&] {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  };
  while (true) {
    skipSpace();
    if (i >= s.size()) break;
    const size_t keyStart = i;
    while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::string key(s.substr(keyStart, i - keyStart));
    skipSpace();
    if (i >= s.size() || s[i] != '=') return fail("expected key=value after '" + key + "' in the PG: string");
    ++i;
    skipSpace();
    std::string value;
    if (i < s.size() && s[i] == '\'') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          value.push_back(s[i + 1]);
          i += 2;
        } else if (s[i] == '\'') {
          ++i;
          closed = true;
          break;
        } else {
          value.push_back(s[i++]);
        }
      }
      if (!closed) return fail("an unclosed quote after '" + key + "=' in the PG: string");
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) value.push_back(s[i++]);
    }
    if (key == "tables" || key == "table") {
      if (!setTable(out, value, err)) return std::nullopt;
      haveTable = true;
    } else {
      out.params.emplace_back(std::move(key), std::move(value));
    }
  }
  if (!haveTable) return fail("no table named (add tables=schema.name)");
  return out;
}

// postgresql://user:password@host:port/dbname?table=schema.name&param=value
std::optional<DbSource> parseUrl(std::string_view body, std::string* err) {
  auto fail = [err](std::string m) -> std::optional<DbSource> {
    if (err) *err = std::move(m);
    return std::nullopt;
  };
  DbSource out;
  out.url = true;
  std::string_view query;
  if (const size_t q = body.find('?'); q != std::string_view::npos) {
    query = body.substr(q + 1);
    body = body.substr(0, q);
  }
  std::string_view dbname;
  if (const size_t slash = body.find('/'); slash != std::string_view::npos) {
    dbname = body.substr(slash + 1);
    body = body.substr(0, slash);
  }
  std::string decoded;
  if (const size_t at = body.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = body.substr(0, at);
    body = body.substr(at + 1);
    std::string_view user = userinfo, password;
    bool havePassword = false;
    if (const size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      password = userinfo.substr(colon + 1);
      havePassword = true;
    }
    if (!percentDecode(user, &decoded)) return fail("a bad %-escape in the URL's user");
    if (!decoded.empty()) out.params.emplace_back("user", decoded);
    if (havePassword) {
      if (!percentDecode(password, &decoded)) return fail("a bad %-escape in the URL's password");
      out.params.emplace_back("password", decoded);
    }
  }
  // host[:port], or several separated by commas; [v6] addresses in brackets.
  std::string hosts, ports;
  bool anyPort = false;
  size_t start = 0;
  while (start <= body.size() && !body.empty()) {
    size_t end = body.find(',', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view spec = body.substr(start, end - start);
    std::string_view host = spec, port;
    if (!spec.empty() && spec.front() == '[') {
      const size_t close = spec.find(']');
      if (close == std::string_view::npos) return fail("an unclosed [ in the URL's host");
      host = spec.substr(1, close - 1);
      if (close + 1 < spec.size() && spec[close + 1] == ':') port = spec.substr(close + 2);
    } else if (const size_t colon = spec.rfind(':'); colon != std::string_view::npos) {
      host = spec.substr(0, colon);
      port = spec.substr(colon + 1);
    }
    if (!percentDecode(host, &decoded)) return fail("a bad %-escape in the URL's host");
    if (!hosts.empty() || start > 0) hosts += ',';
    hosts += decoded;
    if (start > 0) ports += ',';
    ports += std::string(port);
    anyPort = anyPort || !port.empty();
    start = end + 1;
    if (end == body.size()) break;
  }
  if (!hosts.empty()) out.params.emplace_back("host", hosts);
  if (anyPort) out.params.emplace_back("port", ports);
  if (!dbname.empty()) {
    if (!percentDecode(dbname, &decoded)) return fail("a bad %-escape in the URL's database name");
    out.params.emplace_back("dbname", decoded);
  }
  bool haveTable = false;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return fail("a URL parameter without a value");
    std::string key, value;
    if (!percentDecode(pair.substr(0, eq), &key) || !percentDecode(pair.substr(eq + 1), &value))
      return fail("a bad %-escape in the URL's parameters");
    if (key == "table" || key == "tables") {
      if (!setTable(out, value, err)) return std::nullopt;
      haveTable = true;
    } else {
      // A parameter in the query overrides the same one in the URL's authority, as in libpq.
      bool replaced = false;
      for (auto& [k, v] : out.params)
        if (k == key) v = value, replaced = true;
      if (!replaced) out.params.emplace_back(std::move(key), std::move(value));
    }
  }
  if (!haveTable) return fail("no table named (add ?table=schema.name)");
  return out;
}

}  // namespace

bool looksLikeDbSource(std::string_view text) {
  return startsWithNoCase(text, "pg:") || urlBody(text).has_value();
}

bool isDbSource(const std::string& text, const std::string& baseDir) {
  if (!looksLikeDbSource(text)) return false;
  std::error_code ec;
  const fs::path p = baseDir.empty() || fs::path(text).is_absolute() ? fs::path(text) : fs::path(baseDir) / text;
  return !fs::exists(p, ec);
}

std::optional<DbSource> makeDbSource(const std::vector<std::pair<std::string, std::string>>& params,
                                     const std::string& table, bool needTable, std::string* err) {
  DbSource out;
  out.url = true;
  for (const auto& [k, v] : params)
    if (!v.empty()) out.params.emplace_back(k, v);
  std::string why;
  if (table.empty() && !needTable) return out;
  if (!setTable(out, table, &why)) {
    if (err) *err = "database source: " + why;
    return std::nullopt;
  }
  return out;
}

std::optional<DbSource> parseDbSource(std::string_view text, std::string* err) {
  std::string why;
  std::optional<DbSource> s;
  if (auto body = urlBody(text)) {
    s = parseUrl(*body, &why);
  } else if (startsWithNoCase(text, "pg:")) {
    s = parseConninfo(text.substr(3), &why);
  } else {
    why = "not a database source (PG:... or postgresql://...)";
  }
  if (!s && err) *err = "database source: " + why;
  return s;
}

// ---- 3. DbSource's forms -------------------------------------------------------------------
std::string DbSource::param(std::string_view key) const {
  for (const auto& [k, v] : params)
    if (k == key) return v;
  return {};
}

std::string quoteSqlIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string DbSource::quotedTable() const { return quoteSqlIdentifier(schema) + "." + quoteSqlIdentifier(table); }

std::string DbSource::display() const {
  if (url) {
    std::string out = "postgresql://";
    const std::string user = param("user");
    const bool password = !param("password").empty();
    if (!user.empty() || password) {
      out += percentEncode(user);
      if (password) out += ":" + std::string(kRedacted);
      out += "@";
    }
    std::string host = param("host"), port = param("port");
    // Hosts and ports pair up by position; a unix socket folder is %-encoded.
    size_t hs = 0, ps = 0;
    bool first = true;
    while (!host.empty() || !port.empty()) {
      const size_t he = host.find(',', hs), pe = port.find(',', ps);
      const std::string h = host.substr(hs, he == std::string::npos ? std::string::npos : he - hs);
      const std::string p = ps <= port.size() ? port.substr(ps, pe == std::string::npos ? std::string::npos : pe - ps) : "";
      if (!first) out += ",";
      first = false;
      out += h.find(':') != std::string::npos ? "[" + h + "]" : percentEncode(h);
      if (!p.empty()) out += ":" + p;
      if (he == std::string::npos) break;
      hs = he + 1;
      ps = pe == std::string::npos ? port.size() + 1 : pe + 1;
    }
    out += "/" + percentEncode(param("dbname"));
    out += "?table=" + percentEncode(tableName());
    for (const auto& [k, v] : params)
      if (k != "user" && k != "password" && k != "host" && k != "port" && k != "dbname")
        out += "&" + percentEncode(k) + "=" + percentEncode(v);
    return out;
  }
  std::string out = "PG:";
  for (const auto& [k, v] : params)
    out += k + "=" + (k == "password" ? std::string(kRedacted) : conninfoValue(v)) + " ";
  return out + "tables=" + conninfoValue(tableName());
}

// ---- 4. remembered passwords ---------------------------------------------------------------
namespace {

using PasswordKey = std::tuple<std::string, std::string, std::string, std::string>;  // host, port, db, user

std::mutex gPasswordMutex;
std::map<PasswordKey, std::string> gPasswords;

PasswordKey keyOf(const DbSource& s) { return {s.param("host"), s.param("port"), s.param("dbname"), s.param("user")}; }

}  // namespace

std::string DbSource::connectionInfo() const {
  const DbTimeouts limits = dbTimeouts();
  const std::string statementOption =
      limits.statementS > 0 ? "-c statement_timeout=" + std::to_string(limits.statementS * 1000) : std::string();
  bool haveConnectTimeout = false, haveOptions = false;
  std::string out;
  for (const auto& [k, v] : params) {
    std::string value = v;
    if (k == "connect_timeout") haveConnectTimeout = true;
    if (k == "options") {
      haveOptions = true;
      if (!statementOption.empty() && value.find("statement_timeout") == std::string::npos)
        value += (value.empty() ? "" : " ") + statementOption;
    }
    if (k == "password" && value == kRedacted) {
      std::lock_guard lock(gPasswordMutex);
      auto it = gPasswords.find(keyOf(*this));
      if (it == gPasswords.end()) continue;  // libpq asks ~/.pgpass, the service file, PGPASSWORD
      value = it->second;
    }
    if (!out.empty()) out += " ";
    out += k + "=" + conninfoValue(value);
  }
  // libpq's own environment says the same things; a parameter here would override it, so
  // PGCONNECT_TIMEOUT is left to libpq, PGOPTIONS is kept in the options, and a service
  // (whose file may hold options of its own) keeps its options untouched.
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v != nullptr ? v : "");
  };
  if (!haveConnectTimeout && limits.connectS > 0 && env("PGCONNECT_TIMEOUT").empty())
    out += (out.empty() ? "" : " ") + std::string("connect_timeout=") + std::to_string(limits.connectS);
  const bool service = !param("service").empty() || !env("PGSERVICE").empty();
  if (!haveOptions && !statementOption.empty() && !service) {
    std::string options = env("PGOPTIONS");
    if (options.find("statement_timeout") == std::string::npos)
      options += (options.empty() ? "" : " ") + statementOption;
    out += (out.empty() ? "" : " ") + ("options=" + conninfoValue(options));
  }
  return out;
}

std::string rememberDbPassword(const DbSource& source) {
  const std::string password = source.param("password");
  if (!password.empty() && password != kRedacted) {
    std::lock_guard lock(gPasswordMutex);
    gPasswords[keyOf(source)] = password;
  }
  return source.display();
}

std::string redactDbPasswords(std::string text) {
  std::lock_guard lock(gPasswordMutex);
  for (const auto& [key, password] : gPasswords) {
    // The password as typed, and as it appears %-encoded in a URL.
    for (const std::string& form : {password, percentEncode(password)}) {
      if (form.empty()) continue;
      for (size_t at = text.find(form); at != std::string::npos; at = text.find(form, at + kRedacted.size()))
        text.replace(at, form.size(), kRedacted);
    }
  }
  return text;
}

// ---- 5. timeouts ------------------------------------------------------------------------------
namespace {

std::mutex gTimeoutMutex;

int secondsFromEnv(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return end != nullptr && *end == '\0' && n >= 0 && n <= 86400 ? static_cast<int>(n) : fallback;
}

DbTimeouts& timeouts() {
  static DbTimeouts t{secondsFromEnv("BCMAP_DB_CONNECT_TIMEOUT", kDbConnectTimeoutS),
                      secondsFromEnv("BCMAP_DB_STATEMENT_TIMEOUT", kDbStatementTimeoutS)};
  return t;
}

}  // namespace

DbTimeouts dbTimeouts() {
  std::lock_guard lock(gTimeoutMutex);
  return timeouts();
}

void setDbTimeouts(DbTimeouts t) {
  std::lock_guard lock(gTimeoutMutex);
  timeouts() = t;
}

}  // namespace bcmap
