#include "io/NetworkGuard.h"

#include <cpl_conv.h>
#include <cpl_http.h>
#include <ogr_srs_api.h>

#include <array>
#include <atomic>
#include <cctype>
#include <mutex>
#include <optional>
#include <string>

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

}  // namespace bcmap
