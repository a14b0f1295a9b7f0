#include "io/NetworkGuard.h"

#include <cpl_conv.h>
#include <cpl_http.h>
#include <ogr_srs_api.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/Log.h"

namespace bcmap {
namespace {

std::atomic<bool> gAllowed{false};
std::once_flag gInstallOnce;
std::mutex gConfigMutex;
std::optional<std::string> gSavedAllowedExtensions;  // the value before the guard set it

// GDAL's /vsicurl/ family opens only files whose extension is in this list (the option is
// meant to save requests; an extension no file has makes every open fail before any
// request is made). Defence in depth behind readVector's isRemotePath() check, for paths
// that reach GDAL some other way (a .vrt or a shapefile's sidecar naming a URL).
constexpr const char* kAllowedExtensionsOption = "CPL_VSIL_CURL_ALLOWED_EXTENSIONS";
constexpr const char* kNoExtension = ".bcmap-network-refused";

// GDAL calls this for every CPLHTTPFetch (GeoJSON "crs" links, OSR URL imports, WMS/WFS
// metadata ...). Returning nullptr lets GDAL's own curl code run; returning a result with
// an error fails the fetch without touching the network. GDAL frees the result with
// CPLHTTPDestroyResult, so it is allocated with CPL's allocator.
CPLHTTPResult* refuseFetch(const char* url, CSLConstList /*options*/, GDALProgressFunc /*progress*/,
                           void* /*progressArg*/, CPLHTTPFetchWriteFunc /*write*/,
                           void* /*writeArg*/, void* /*userData*/) {
  if (gAllowed.load()) return nullptr;
  const std::string what = std::string("network access refused: ") + (url != nullptr ? url : "(null)");
  logWarning(what);
  const std::string message = "bcmap: " + what;
  auto* result = static_cast<CPLHTTPResult*>(CPLCalloc(1, sizeof(CPLHTTPResult)));
  result->nStatus = 1;  // non-zero: the request failed (a curl error code in GDAL's own path)
  result->pszErrBuf = CPLStrdup(message.c_str());
  return result;
}

void applyVsiCurlBlock(bool block) {
  std::lock_guard lock(gConfigMutex);
  if (block) {
    if (!gSavedAllowedExtensions) {
      const char* previous = CPLGetConfigOption(kAllowedExtensionsOption, nullptr);
      gSavedAllowedExtensions = previous != nullptr ? previous : "";
    }
    CPLSetConfigOption(kAllowedExtensionsOption, kNoExtension);
  } else {
    const std::string previous = gSavedAllowedExtensions.value_or("");
    CPLSetConfigOption(kAllowedExtensionsOption, previous.empty() ? nullptr : previous.c_str());
    gSavedAllowedExtensions.reset();
  }
}

bool startsWithNoCase(std::string_view text, size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
  return true;
}

}  // namespace

void installNetworkGuard() {
  std::call_once(gInstallOnce, [] {
    CPLHTTPSetFetchCallback(&refuseFetch, nullptr);
    if (!gAllowed.load()) applyVsiCurlBlock(true);
    // GDAL's own PROJ contexts (used by OSR) must not fetch grids from the PROJ CDN either;
    // bcmap's Transformers switch it off on their own contexts (Projection.cpp).
    OSRSetPROJEnableNetwork(0);
  });
}

void allowNetwork(bool allowed) {
  installNetworkGuard();
  if (gAllowed.exchange(allowed) == allowed) return;
  applyVsiCurlBlock(!allowed);
  logInfo(allowed ? "network access allowed (the user named a network source)"
                  : "network access refused again");
}

bool networkAllowed() { return gAllowed.load(); }

bool isRemotePath(std::string_view path) {
  // Virtual file systems that read over the network. A match counts where a path may
  // start: at the beginning, or after '/', '{' or ':' (nested: /vsizip//vsicurl/...,
  // /vsizip/{/vsicurl/...}, a driver prefix "GPKG:/vsis3/..."); it must be followed by
  // '/', '_' (the _streaming variants), '?' (/vsicurl?url=...) or the end.
  static constexpr std::array<std::string_view, 9> kRemoteVsi = {
      "/vsicurl", "/vsis3", "/vsigs", "/vsiaz", "/vsiadls",
      "/vsioss", "/vsiswift", "/vsihdfs", "/vsiwebhdfs"};
  // URL schemes GDAL (or curl behind it) would fetch.
  static constexpr std::array<std::string_view, 6> kRemoteSchemes = {
      "http://", "https://", "ftp://", "ftps://", "s3://", "gs://"};
  for (size_t at = 0; at < path.size(); ++at) {
    const bool boundary = at == 0 || path[at - 1] == '/' || path[at - 1] == '{' || path[at - 1] == ':';
    if (!boundary) continue;
    for (std::string_view vsi : kRemoteVsi) {
      if (!startsWithNoCase(path, at, vsi)) continue;
      const size_t end = at + vsi.size();
      if (end == path.size() || path[end] == '/' || path[end] == '_' || path[end] == '?') return true;
    }
    for (std::string_view scheme : kRemoteSchemes)
      if (startsWithNoCase(path, at, scheme)) return true;
  }
  return false;
}

// ---- database connections (libpq's own sockets) ---------------------------------------
namespace {

std::mutex gDbMutex;
std::set<std::string> gDbAllowed;  // "host:port"

std::string envOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

// The key=value lines of [service] in the first service file that has it (libpq's order).
std::map<std::string, std::string> serviceParams(const std::string& service) {
  std::map<std::string, std::string> out;
  if (service.empty()) return out;
  std::vector<std::string> files;
  if (const char* f = std::getenv("PGSERVICEFILE")) files.emplace_back(f);
  else if (const char* home = std::getenv("HOME")) files.push_back(std::string(home) + "/.pg_service.conf");
  files.push_back(envOr("PGSYSCONFDIR", "/etc/postgresql-common") + "/pg_service.conf");
  auto trim = [](std::string t) {
    const size_t a = t.find_first_not_of(" \t\r"), b = t.find_last_not_of(" \t\r");
    return a == std::string::npos ? std::string() : t.substr(a, b - a + 1);
  };
  for (const std::string& file : files) {
    std::ifstream in(file);
    bool inSection = false, found = false;
    for (std::string line; std::getline(in, line);) {
      line = trim(line);
      if (line.empty() || line[0] == '#') continue;
      if (line.front() == '[') {
        inSection = line == "[" + service + "]";
        found = found || inSection;
        continue;
      }
      const size_t eq = line.find('=');
      if (inSection && eq != std::string::npos) out[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
    if (found) return out;
  }
  return out;
}

std::vector<std::string> splitCommas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

struct DbTargets {
  std::string hostKey;  // "host" or "hostaddr": where libpq connects
  std::string hosts, ports;
  std::vector<std::string> items;  // host:port
};

DbTargets resolveTargets(const DbSource& s) {
  const auto service = serviceParams(s.param("service").empty() ? envOr("PGSERVICE", "") : s.param("service"));
  auto pick = [&](const char* key, const char* env, std::string fallback) {
    if (std::string v = s.param(key); !v.empty()) return v;
    if (auto it = service.find(key); it != service.end() && !it->second.empty()) return it->second;
    return envOr(env, std::move(fallback));
  };
  DbTargets t;
  const std::string hostaddr = pick("hostaddr", "PGHOSTADDR", "");
  t.hostKey = hostaddr.empty() ? "host" : "hostaddr";
  t.hosts = hostaddr.empty() ? pick("host", "PGHOST", "/var/run/postgresql") : hostaddr;
  t.ports = pick("port", "PGPORT", "5432");
  const std::vector<std::string> hosts = splitCommas(t.hosts), ports = splitCommas(t.ports);
  for (size_t i = 0; i < hosts.size(); ++i) {
    // One port for all hosts, or one each (libpq's rule); an empty one is the default.
    std::string port = ports.size() == 1 ? ports[0] : i < ports.size() ? ports[i] : "";
    if (port.empty()) port = "5432";
    t.items.push_back((hosts[i].empty() ? "/var/run/postgresql" : hosts[i]) + ":" + port);
  }
  return t;
}

void setParam(DbSource& s, const std::string& key, const std::string& value) {
  for (auto& [k, v] : s.params)
    if (k == key) {
      v = value;
      return;
    }
  s.params.emplace_back(key, value);
}

}  // namespace

std::string dbTargetsOf(const DbSource& source) {
  std::string out;
  for (const std::string& item : resolveTargets(source).items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

void allowDbSource(const DbSource& source) {
  std::lock_guard lock(gDbMutex);
  for (const std::string& item : resolveTargets(source).items) gDbAllowed.insert(item);
}

std::optional<DbSource> checkDbSource(const DbSource& source, std::string* why) {
  const DbTargets t = resolveTargets(source);
  {
    std::lock_guard lock(gDbMutex);
    for (const std::string& item : t.items) {
      if (gDbAllowed.count(item) != 0) continue;
      const std::string what = "database connection to " + item +
                               " refused: no source the user named connects there";
      logWarning(what);
      if (why != nullptr) *why = what;
      return std::nullopt;
    }
  }
  DbSource pinned = source;
  setParam(pinned, t.hostKey, t.hosts);
  setParam(pinned, "port", t.ports);
  return pinned;
}

}  // namespace bcmap
