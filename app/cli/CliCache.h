// `bcmap cache clear` and `bcmap cache info`: the data cache (io/TableCache.h), the columnar
// copies of the files bcmap read, under $XDG_CACHE_HOME/bcmap/data/. `clear` removes those
// only; the plugin probe cache beside them stays. And `--no-cache`, which any command and
// the viewer take: read every file from its source, neither reading nor writing the cache.
#pragma once

#include "cli/Cli.h"

namespace bcmap {

// Switches the data cache off for this process when the command line says --no-cache
// (main calls it before any command runs).
void applyCacheOptions(const CliOptions& o);

// `cache clear`: exit 0 (prints what went), 2 when an entry could not be removed.
// `cache info`: prints the folder, its size in bytes and MiB, the entry count, the limit
// and whether the cache is on; exit 0.
int runCache(const CliOptions& o);

}  // namespace bcmap
