#include "cli/CliVersion.h"

#include <gdal.h>
#include <proj.h>

#include <bcmap/bcmap_plugin.h>

namespace bcmap {

std::string versionText(const std::vector<LibraryVersion>& more) {
  std::vector<LibraryVersion> all{
      {"bcmap", BCMAP_VERSION},
      {"plugin ABI", std::to_string(BCMAP_ABI_MAJOR) + "." + std::to_string(BCMAP_ABI_MINOR)},
      {"GDAL", GDALVersionInfo("RELEASE_NAME")},
      {"PROJ", proj_info().version},
  };
  all.insert(all.end(), more.begin(), more.end());
  std::string out;
  for (const auto& [name, version] : all) out += name + " " + version + "\n";
  return out;
}

}  // namespace bcmap
