#include "cli/CliCache.h"

#include <cstdio>
#include <string>

#include "io/TableCache.h"

namespace bcmap {

void applyCacheOptions(const CliOptions& o) {
  if (o.noCache) setDataCacheEnabled(false);
}

int runCache(const CliOptions& o) {
  const std::string dir = dataCacheDir();
  if (dir.empty()) {
    std::fprintf(stderr, "bcmap cache: no cache folder (neither $XDG_CACHE_HOME nor $HOME is set)\n");
    return kExitFailed;
  }
  if (o.cacheAction == "clear") {
    size_t removed = 0;
    std::string why;
    if (!clearDataCache(dir, &removed, &why)) {
      std::fprintf(stderr, "bcmap cache clear: %s\n", why.c_str());
      return kExitFailed;
    }
    std::printf("removed %zu cached file%s from %s\n", removed, removed == 1 ? "" : "s", dir.c_str());
    return kExitOk;
  }
  const DataCacheUsage u = dataCacheUsage(dir);
  std::printf("folder: %s\n", dir.c_str());
  std::printf("files: %zu\n", u.files);
  std::printf("size: %llu bytes (%.1f MiB)\n", static_cast<unsigned long long>(u.bytes),
              static_cast<double>(u.bytes) / (1 << 20));
  std::printf("limit: %llu bytes (%.1f MiB; $BCMAP_DATA_CACHE_MAX_MB)\n",
              static_cast<unsigned long long>(dataCacheLimitBytes()),
              static_cast<double>(dataCacheLimitBytes()) / (1 << 20));
  std::printf("enabled: %s\n", dataCacheEnabled() ? "yes" : "no ($BCMAP_DATA_CACHE=0 or --no-cache)");
  return kExitOk;
}

}  // namespace bcmap
