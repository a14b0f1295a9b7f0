#include "core/PluginHost.h"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/Log.h"

namespace fs = std::filesystem;

namespace bcmap {

PluginModule::~PluginModule() {
  if (handle) dlclose(handle);
}

std::string PluginHost::defaultPluginDir() {
  // Plugins sit in <exe dir>/plugins in the build tree; fall back to the configured path.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = exe.parent_path() / "plugins";
    if (fs::is_directory(beside, ec)) return beside.string();
  }
  return BCMAP_DEFAULT_PLUGIN_DIR;
}

std::string PluginHost::defaultDataDir() {
  if (const char* env = std::getenv("BCMAP_DATA_DIR"); env && *env) return env;
  return BCMAP_DEFAULT_DATA_DIR;
}

void PluginHost::scan(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      logWarning("plugin folder " + dir + ": not a folder, skipped");
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.path().extension() == ".so") found.push_back(entry.path());
    std::sort(found.begin(), found.end());
    for (const fs::path& p : found) open(p.string());
  }
}

static bool looksLikeElf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

PluginModule& PluginHost::open(const std::string& pathIn) {
  auto m = std::make_unique<PluginModule>();
  std::error_code ec;
  const fs::path abs = fs::absolute(pathIn, ec);
  m->path = abs.lexically_normal().string();
  m->fileName = abs.filename().string();
  PluginModule& mod = *m;
  modules_.push_back(std::move(m));

  if (!fs::is_regular_file(mod.path, ec)) {
    mod.error = "not a regular file";
    return mod;
  }
  // dlopen() of a text file gives a cryptic "invalid ELF header"; say it plainly.
  if (!looksLikeElf(mod.path)) {
    mod.error = "not a shared library (no ELF header)";
    return mod;
  }
  // Always an absolute path: dlopen never searches the library path for it.
  mod.handle = dlopen(mod.path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!mod.handle) {
    const char* e = dlerror();
    mod.error = std::string("cannot be loaded: ") + (e ? e : "unknown dlopen error");
    return mod;
  }
  dlerror();
  void* sym = dlsym(mod.handle, BCMAP_ENTRY_SYMBOL);
  if (!sym) {
    mod.error = std::string("not a bcmap plugin: no entry point ") + BCMAP_ENTRY_SYMBOL;
    return mod;
  }
  auto entry = reinterpret_cast<bcmap_plugin_entry_fn>(sym);
  const bcmap_plugin_v1* vt = entry(BCMAP_ABI_MAJOR, BCMAP_ABI_MINOR);
  if (!vt) {
    mod.error = "entry point returned no plugin table";
    return mod;
  }
  // The ABI major is checked before anything else in the table is read.
  if (vt->abi_major != BCMAP_ABI_MAJOR) {
    mod.error = "built for plugin ABI " + std::to_string(vt->abi_major) + "." + std::to_string(vt->abi_minor) +
                ", this bcmap speaks ABI " + std::to_string(BCMAP_ABI_MAJOR) + "." +
                std::to_string(BCMAP_ABI_MINOR) + " (majors must match; rebuild the plugin)";
    return mod;
  }
  // A table from an older minor is shorter: every field we call must fit in it.
  if (vt->struct_size < offsetof(bcmap_plugin_v1, describe_feature) + sizeof(vt->describe_feature)) {
    mod.error = "plugin table too small (struct_size " + std::to_string(vt->struct_size) + ")";
    return mod;
  }
  if (!vt->create || !vt->destroy || !vt->describe || !vt->load || !vt->style) {
    mod.error = "plugin table lacks a required callback (create, destroy, describe, load, style)";
    return mod;
  }
  mod.vtable = vt;
  return mod;
}

PluginModule* PluginHost::findByFileName(const std::string& fileName) {
  for (auto& m : modules_)
    if (m->fileName == fileName && m->ok()) return m.get();
  return nullptr;
}

}  // namespace bcmap
