// Sections: 1. names  2. the template  3. runNewPlugin
#include "cli/CliNewPlugin.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli/Cli.h"

namespace fs = std::filesystem;

namespace bcmap {

namespace {

// ---- 1. names -----------------------------------------------------------------------------
std::string camel(const std::string& name) {
  std::string out;
  bool up = true;
  for (char c : name) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

// The template's name in every spelling, replaced by NAME's.
std::string renamed(const std::string& text, const std::string& name) {
  return replaceAll(replaceAll(replaceAll(text, "TEMPLATE", upper(name)), "Template", camel(name)), "template", name);
}

}  // namespace

std::string badPluginName(const std::string& name) {
  // Names that would clash with the SDK's own folders or CMake targets.
  static const std::set<std::string> kReserved = {"sdk", "template", "plugins"};
  if (!std::regex_match(name, std::regex("[a-z][a-z0-9_]*")))
    return "'" + name + "' is not a layer id: use a lower-case letter, then lower-case letters, digits or '_'";
  if (kReserved.count(name)) return "'" + name + "' is reserved; pick another name";
  return {};
}

// ---- 2. the template ----------------------------------------------------------------------
std::string projectTemplateDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const fs::path beside = exe.parent_path() / "plugin-template";
  if (fs::is_directory(beside, ec)) return beside.string();
  const fs::path installed = (exe.parent_path().parent_path() / BCMAP_INSTALL_TEMPLATE_SUBDIR).lexically_normal();
  if (fs::is_directory(installed, ec)) return installed.string();
  return {};
}

// ---- 3. runNewPlugin ------------------------------------------------------------------------
int runNewPlugin(const CliOptions& o) {
  const std::string name = o.files[0];
  auto fail = [](const std::string& m, int code) {
    std::fprintf(stderr, "bcmap: new-plugin: %s\n", m.c_str());
    return code;
  };
  if (std::string why = badPluginName(name); !why.empty()) return fail(why, kExitUsage);
  const fs::path target = fs::absolute(fs::path(o.files.size() > 1 ? o.files[1] : ".") / name).lexically_normal();
  std::error_code ec;
  if (fs::exists(target, ec) || fs::is_symlink(target, ec))
    return fail(target.string() + " already exists; pick another NAME or DIR", kExitUsage);
  const std::string from = projectTemplateDir();
  if (from.empty()) return fail("the project template (share/bcmap/plugin-template) is missing: reinstall bcmap", kExitFailed);

  std::vector<fs::path> sources;
  for (const auto& e : fs::recursive_directory_iterator(from, ec))
    if (e.is_regular_file()) sources.push_back(e.path());
  std::sort(sources.begin(), sources.end());
  // Written into a staging folder beside the target and renamed into place when complete: a
  // crash or a full disk leaves no half-made project under the name (only a ".NAME.new-*"
  // folder, which nothing reads).
  const fs::path staging = target.parent_path() / ("." + name + ".new-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  std::vector<std::string> written;
  for (const fs::path& src : sources) {
    const std::string rel = renamed(fs::relative(src, from).string(), name);
    const fs::path dst = staging / rel;
    std::ifstream in(src, std::ios::binary);
    std::string text(static_cast<size_t>(fs::file_size(src, ec)), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    fs::create_directories(dst.parent_path(), ec);
    std::ofstream out(dst, std::ios::binary);
    out << renamed(text, name);
    out.flush();
    out.close();
    if (!in || !out) {
      fs::remove_all(staging, ec);
      return fail(dst.string() + ": cannot be written", kExitFailed);
    }
    written.push_back((fs::path(name) / rel).string());
  }
  if (::rename(staging.c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    fs::remove_all(staging, ec);
    return fail(target.string() + ": cannot be created: " + why, kExitFailed);
  }
  // An installed bcmap knows its prefix (three folders above share/bcmap/plugin-template):
  // CMake finds the SDK there without the user looking it up.
  std::string prefixHint;
  const fs::path tdir = fs::path(from).lexically_normal();
  if (tdir.filename() == "plugin-template" && tdir.parent_path().filename() == "bcmap") {
    const fs::path prefix = tdir.parent_path().parent_path().parent_path();
    if (fs::is_regular_file(prefix / "lib" / "cmake" / "bcmap" / "bcmapConfig.cmake", ec) && prefix != "/usr")
      prefixHint = " -DCMAKE_PREFIX_PATH=" + prefix.string();
  }
  std::printf("Created %s:\n", target.c_str());
  for (const std::string& w : written) std::printf("  %s\n", w.c_str());
  std::printf(
      "\nNext (%s/README.md says more):\n"
      "  1. Edit %s.cpp (names, fields, style, tooltip) and plugin.json; put your data in place\n"
      "     of %s_points.geojson.\n"
      "  2. cmake -S %s -B %s/build%s && cmake --build %s/build\n"
      "  3. ctest --test-dir %s/build   (runs bcmap check-plugin on it)\n"
      "  4. cmake --install %s/build    (into your plugin folder: a running bcmap shows it)\n",
      name.c_str(), name.c_str(), name.c_str(), target.c_str(), target.c_str(), prefixHint.c_str(), target.c_str(),
      target.c_str(), target.c_str());
  return kExitOk;
}

}  // namespace bcmap
