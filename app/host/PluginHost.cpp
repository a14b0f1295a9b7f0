// Sections: 1. folders  2. private copies  3. opening a library  4. the host's list
#include "host/PluginHost.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "host/InstallLayout.h"
#include "io/XdgDirs.h"
#include "model/Log.h"

namespace fs = std::filesystem;

namespace bcmap {

PluginModule::~PluginModule() {
  if (handle) dlclose(handle);
  if (!loadedFrom.empty()) unlink(loadedFrom.c_str());
}

PluginHost::PluginHost() {
  ProbeOptions o = ProbeOptions::fromEnvironment();
  if (!o.probePath.empty()) prober_ = std::make_shared<PluginProber>(std::move(o));
}

// ---- 1. folders -------------------------------------------------------------------------------
std::string PluginHost::defaultPluginDir() {
  // Beside the executable in the build tree, <prefix>/lib/bcmap/plugins when installed.
  return currentInstallLayout().pluginDir;
}

std::string PluginHost::defaultDataDir() {
  // $BCMAP_DATA_DIR, the build tree's geodata link, else the user's data folder.
  return currentInstallLayout().dataDir;
}

std::vector<std::string> PluginHost::listPlugins(const std::vector<std::string>& dirs) {
  std::vector<std::string> all;
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      logWarning("plugin folder " + dir + ": not a folder, skipped");
      continue;
    }
    // A lone NAME.so, or a folder NAME/ holding NAME.so (with its plugin.json and data).
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const fs::path p = fs::absolute(entry.path(), ec).lexically_normal();
      if (p.extension() == ".so" && !entry.is_directory(ec)) found.push_back(p);
      else if (entry.is_directory(ec) && fs::exists(p / (p.filename().string() + ".so"), ec))
        found.push_back(p / (p.filename().string() + ".so"));
    }
    std::sort(found.begin(), found.end());
    for (const fs::path& p : found) all.push_back(p.string());
  }
  return all;
}

// ---- 2. private copies ----------------------------------------------------------------------
namespace {

struct CopyDir {
  std::string path;
  ~CopyDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

// Copies `src` into the private folder under a name no earlier copy had. `srcStat` gets the
// source's stat taken from the descriptor the bytes were read from, so the probe cache keys
// the content that was copied.
std::string makePrivateCopy(const std::string& src, const std::string& fileName, struct stat& srcStat,
                            std::string* err) {
  const std::string dir = pluginCopyDir();
  if (dir.empty()) {
    *err = "no private folder for plugin copies (set XDG_RUNTIME_DIR or TMPDIR to a writable folder)";
    return {};
  }
  static std::atomic<uint64_t> counter{0};
  const std::string dst = dir + "/" + std::to_string(++counter) + "-" + fileName;
  const int in = ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0 || fstat(in, &srcStat) != 0) {
    *err = std::string("cannot be read: ") + std::strerror(errno);
    if (in >= 0) close(in);
    return {};
  }
  const int out = ::open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
  if (out < 0) {
    *err = "cannot copy to " + dst + ": " + std::strerror(errno);
    close(in);
    return {};
  }
  bool ok = true;
  char buf[1 << 16];
  while (true) {
    const ssize_t n = read(in, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = write(out, buf + done, static_cast<size_t>(n - done));
      if (w < 0) {
        if (errno == EINTR) continue;
        ok = false;
        break;
      }
      done += w;
    }
    if (!ok) break;
  }
  if (close(out) != 0) ok = false;
  close(in);
  if (!ok) {
    *err = "cannot copy to " + dst + ": " + std::strerror(errno);
    unlink(dst.c_str());
    return {};
  }
  return dst;
}

}  // namespace

std::string pluginCopyDir() {
  static CopyDir dir;
  static std::once_flag once;
  std::call_once(once, [] {
    std::error_code ec;
    fs::path base;
    if (const std::string run = xdg::runtimeDir(); !run.empty() && access(run.c_str(), W_OK) == 0) base = run;
    else base = fs::temp_directory_path(ec);
    std::string tmpl = (base / "bcmap-plugins-XXXXXX").string();
    if (mkdtemp(tmpl.data())) dir.path = tmpl;  // mkdtemp makes it 0700
    else logWarning("plugin copies: cannot make a folder in " + base.string() + ": " + std::strerror(errno));
  });
  return dir.path;
}

// ---- 3. opening a library ---------------------------------------------------------------------
namespace {

bool looksLikeElf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

std::string realPath(const std::string& p) {
  char buf[PATH_MAX];
  return realpath(p.c_str(), buf) ? std::string(buf) : std::string();
}

bool isInside(const std::string& file, const std::string& folder) {
  const std::string prefix = folder == "/" ? folder : folder + "/";
  return file.size() > prefix.size() && file.compare(0, prefix.size(), prefix) == 0;
}

std::string modeText(mode_t m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

// The checks made before any of a library's code runs, in this process or a probe: its real
// path stays in its folder, neither it nor its folder can be changed by other users, and it
// is an ELF file. On success `real` and `st` describe the file that will be loaded.
bool checkPluginFile(const std::string& absPath, std::string& real, struct stat& st, std::string& error) {
  const std::string folder = fs::path(absPath).parent_path().string();
  if (lstat(absPath.c_str(), &st) != 0) {
    error = std::string("not a regular file (") + std::strerror(errno) + ")";
    return false;
  }
  // The plugin folder is what the user trusts: a link out of it is code from elsewhere.
  real = realPath(absPath);
  const std::string realFolder = realPath(folder);
  if (real.empty() || realFolder.empty()) {
    error = std::string("cannot be resolved: ") + std::strerror(errno);
    return false;
  }
  if (!isInside(real, realFolder)) {
    error = "refused: a symlink leading out of the plugin folder " + folder + " (to " + real + ")";
    return false;
  }
  if (stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    error = "not a regular file";
    return false;
  }
  // As sudo does for its plugins: code that other users can change is not loaded.
  if (st.st_mode & S_IWOTH) {
    error = "refused: writable by other users (mode " + modeText(st.st_mode) +
            "; plugins others can change are not loaded, as sudo refuses them; chmod o-w " + absPath + ")";
    return false;
  }
  for (const std::string& dir : {fs::path(real).parent_path().string(), realFolder}) {
    struct stat ds {};
    if (stat(dir.c_str(), &ds) == 0 && (ds.st_mode & S_IWOTH)) {
      error = "refused: its folder " + dir + " is writable by other users (mode " + modeText(ds.st_mode) +
              "; anyone could replace the plugin, so it is not loaded, as sudo refuses such plugins)";
      return false;
    }
  }
  // dlopen() of a text file gives a cryptic "invalid ELF header"; say it plainly.
  if (!looksLikeElf(real)) {
    error = "not a shared library (no ELF header)";
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<PluginModule> PluginHost::openModule(const std::string& pathIn, const OpenOptions& options) {
  auto m = std::make_unique<PluginModule>();
  PluginModule& mod = *m;
  std::error_code ec;
  const fs::path abs = fs::absolute(pathIn, ec).lexically_normal();
  mod.path = abs.string();
  mod.fileName = abs.filename().string();
  mod.pluginDir = abs.parent_path().string();
  // plugin.json first: it is only read, and a plugin refused for any reason is listed with it.
  std::string metadataError;
  mod.metadata = readPluginMetadata(mod.path, &metadataError);
  if (!metadataError.empty()) {
    mod.error = metadataError;
    return m;
  }
  std::string real;
  struct stat st {};
  if (!checkPluginFile(mod.path, real, st, mod.error)) return m;

  std::string loadPath = mod.path;
  if (options.privateCopy) {
    std::string err;
    loadPath = makePrivateCopy(real, mod.fileName, st, &err);
    if (loadPath.empty()) {
      mod.error = err;
      return m;
    }
    mod.loadedFrom = loadPath;
  }

  if (options.prober) {
    const int64_t mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    mod.probe = options.prober->probe(real, loadPath, static_cast<uint64_t>(st.st_size), mtimeNs);
    if (mod.probe.blocksLoading()) {
      mod.error = mod.probe.message;
      return m;
    }
    // What the entry point said, against plugin.json, before the library comes in here.
    if (mod.probe.outcome == ProbeOutcome::Ok && mod.metadata) {
      if (std::string e = metadataMismatch(*mod.metadata, mod.probe.id, mod.probe.nameZh, mod.probe.nameEn);
          !e.empty()) {
        mod.error = e;
        return m;
      }
    }
    if (mod.probe.outcome == ProbeOutcome::Unavailable) {
      static std::atomic<bool> warned{false};
      if (!warned.exchange(true)) logWarning(mod.probe.message + "; plugins are opened without it");
    }
  }

  // Always an absolute path: dlopen never searches the library path for it.
  mod.handle = dlopen(loadPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!mod.handle) {
    const char* e = dlerror();
    mod.error = std::string("cannot be loaded: ") + (e ? e : "unknown dlopen error");
    return m;
  }
  dlerror();
  void* sym = dlsym(mod.handle, BCMAP_ENTRY_SYMBOL);
  if (!sym) {
    mod.error = std::string("not a bcmap plugin: no entry point ") + BCMAP_ENTRY_SYMBOL;
    return m;
  }
  auto entry = reinterpret_cast<bcmap_plugin_entry_fn>(sym);
  const bcmap_plugin_v1* vt = entry(BCMAP_ABI_MAJOR, BCMAP_ABI_MINOR);
  if (!vt) {
    mod.error = "entry point returned no plugin table";
    return m;
  }
  // The ABI major is checked before anything else in the table is read.
  if (vt->abi_major != BCMAP_ABI_MAJOR) {
    mod.error = "built for plugin ABI " + std::to_string(vt->abi_major) + "." + std::to_string(vt->abi_minor) +
                ", this bcmap speaks ABI " + std::to_string(BCMAP_ABI_MAJOR) + "." +
                std::to_string(BCMAP_ABI_MINOR) + " (majors must match; rebuild the plugin)";
    return m;
  }
  // A table from an older minor is shorter: every field we call must fit in it.
  if (vt->struct_size < offsetof(bcmap_plugin_v1, describe_feature) + sizeof(vt->describe_feature)) {
    mod.error = "plugin table too small (struct_size " + std::to_string(vt->struct_size) + ")";
    return m;
  }
  if (!vt->create || !vt->destroy || !vt->describe || !vt->load || !vt->style) {
    mod.error = "plugin table lacks a required callback (create, destroy, describe, load, style)";
    return m;
  }
  mod.vtable = vt;
  return m;
}

// ---- 4. the host's list -------------------------------------------------------------------------
void PluginHost::scan(const std::vector<std::string>& dirs) {
  const std::vector<std::string> paths = listPlugins(dirs);
  // Cold start: the probes of all unknown plugins at once rather than one after another
  // (only of those that pass the checks: a refused plugin's code never runs, not even there).
  if (prober_) {
    std::vector<std::string> probe;
    for (const std::string& p : paths) {
      std::string real, error;
      struct stat st {};
      if (checkPluginFile(p, real, st, error)) probe.push_back(real);
    }
    prober_->probeAll(probe);
  }
  for (const std::string& p : paths) open(p);
}

PluginModule& PluginHost::open(const std::string& path) { return *adopt(openModule(path, openOptions())); }

std::shared_ptr<PluginModule> PluginHost::adopt(std::shared_ptr<PluginModule> module) {
  modules_.push_back(std::move(module));
  return modules_.back();
}

void PluginHost::replace(std::shared_ptr<PluginModule> module) {
  for (auto& m : modules_)
    if (m->path == module->path) {
      m = std::move(module);
      return;
    }
  modules_.push_back(std::move(module));
}

PluginModule* PluginHost::findByFileName(const std::string& fileName) {
  return sharedByFileName(fileName).get();
}

std::shared_ptr<PluginModule> PluginHost::sharedByFileName(const std::string& fileName) {
  for (auto& m : modules_)
    if (m->fileName == fileName && m->ok()) return m;
  return nullptr;
}

std::shared_ptr<PluginModule> PluginHost::findByPath(const std::string& path) {
  std::error_code ec;
  const std::string abs = fs::absolute(path, ec).lexically_normal().string();
  for (auto& m : modules_)
    if (m->path == abs) return m;
  return nullptr;
}

}  // namespace bcmap
