// Sections: 1. data fetch  2. the missing-data check of render and identify
#include "cli/CliData.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "host/DerivedData.h"
#include "host/InstallLayout.h"
#include "host/PluginHost.h"

namespace bcmap {

namespace {

// The data folder bcmap reads for these options.
std::string dataDirOf(const CliOptions& o) { return o.dataDir.empty() ? PluginHost::defaultDataDir() : o.dataDir; }

}  // namespace

// ---- 1. data fetch ----------------------------------------------------------------------
std::string dataFetchTarget(const CliOptions& o) { return o.into.empty() ? dataDirOf(o) : o.into; }

int runDataFetch(const CliOptions& o) {
  const std::string into = dataFetchTarget(o);
  if (into.empty()) {
    std::fprintf(stderr, "bcmap: data fetch: no data folder (neither XDG_DATA_HOME nor HOME is set): "
                         "give one with --into DIR\n");
    return kExitFailed;
  }
  const InstallLayout layout = currentInstallLayout();
  if (layout.dataFetchScript.empty()) {
    std::fprintf(stderr, "bcmap: data fetch: its scripts are not installed (%s/%s beside this bcmap's prefix)\n",
                 kInstalledProbeSubdir, kDataFetchScript);
    return kExitFailed;
  }
  std::vector<std::string> args = {"python3", layout.dataFetchScript, "--into", into};
  if (!o.cache.empty()) args.insert(args.end(), {"--cache", o.cache});
  if (o.noDownload) args.push_back("--no-download");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  execvp(argv[0], argv.data());
  std::fprintf(stderr, "bcmap: data fetch: cannot run python3 (%s): install Python 3\n", std::strerror(errno));
  return kExitFailed;
}

// ---- 2. the missing-data check of render and identify -----------------------------------
bool stopForMissingData(const CliOptions& o) {
  if (o.layersGiven) return false;
  const std::string dir = dataDirOf(o);
  if (missingDerivedData(dir).empty()) return false;
  std::fprintf(stderr, "bcmap: %s\n", missingDataSentence(dir).c_str());
  return true;
}

}  // namespace bcmap
