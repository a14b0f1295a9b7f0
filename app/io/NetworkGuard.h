// NetworkGuard: bcmap reaches the network only when the user named a network source.
// GDAL and PROJ can otherwise fetch on their own: a GeoJSON's legacy "crs" link, a
// /vsicurl/ path inside a file, PROJ's CDN grids. The guard refuses all of those.
//
// Threading: every function here may be called from any thread.
#pragma once

#include <string_view>

namespace bcmap {

// Installs the guard (idempotent, thread-safe): a GDAL HTTP fetch callback that refuses
// every request while network access is not allowed, /vsicurl/-style file systems
// refusing to open anything, and PROJ's network (CDN grids) switched off for GDAL's PROJ
// contexts. initGdal() calls it; the app calls it before any GDAL or PROJ use.
void installNetworkGuard();

// Lets GDAL reach the network (true) or stops it again (false). Only call with true when
// the user typed a network source (a URL) themselves; never because a file asked for it.
void allowNetwork(bool allowed);
bool networkAllowed();

// True for paths that GDAL would read over the network: /vsicurl/, /vsis3/, /vsigs/,
// /vsiaz/, /vsiadls/, /vsioss/, /vsiswift/, /vsihdfs/, /vsiwebhdfs/ (and their
// _streaming variants), URLs (http://, https://, ftp://, ...) and connection strings
// holding them (e.g. "WFS:https://..."), also nested inside other virtual file systems
// (/vsizip//vsicurl/..., /vsigzip/{/vsis3/...}). Case-insensitive.
bool isRemotePath(std::string_view path);

}  // namespace bcmap
