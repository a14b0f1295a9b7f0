// NetworkGuard: bcmap reaches the network only when the user named a network source.
// GDAL and PROJ can otherwise fetch on their own: a GeoJSON's legacy "crs" link, a
// /vsicurl/ path inside a file, PROJ's CDN grids. The guard refuses all of those.
//
// libpq opens its own sockets, which none of the above sees: database connections are
// allowed only to the hosts the user's own sources name (allowDbSource, from the command
// line's sources), checked before every connection (checkDbSource) with the host and port
// written into the connection string, so neither PGHOST nor a service file can send it
// elsewhere afterwards.
//
// Threading: every function here may be called from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "io/DbSource.h"

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

// The hosts and ports a database source connects to, as libpq would pick them: hostaddr,
// else host, from the source, else from its service (PGSERVICEFILE, ~/.pg_service.conf,
// PGSYSCONFDIR or /etc/postgresql-common/pg_service.conf), else PGHOST, else the local
// socket folder; the port likewise, else 5432. "host:port" items, in order.
std::string dbTargetsOf(const DbSource& source);

// Adds the hosts `source` connects to to the database allow-list: call only for sources
// the user named (the command line's FILE arguments).
void allowDbSource(const DbSource& source);

// The source with its hosts and ports written in, when every one of them is on the
// allow-list; else nullopt and `why` names the refused host (never the password).
std::optional<DbSource> checkDbSource(const DbSource& source, std::string* why);

}  // namespace bcmap
