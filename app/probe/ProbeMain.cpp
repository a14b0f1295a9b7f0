// bcmap-probe PLUGIN.so [PLUGIN_DIR [DATA_DIR]]: opens one layer plugin the way the host
// does (dlopen, the entry function, the ABI check, create, attach, describe, settings,
// destroy, dlclose) in a process of its own, so that a plugin that crashes or hangs there
// takes only this process down. PLUGIN_DIR is the plugin's own folder, handed to attach()
// (the host may probe a private copy from elsewhere); default: the folder of PLUGIN.so.
// The host (app/host/PluginProbe.cpp) runs it before it loads a new or changed plugin.
//
// Output, on stdout (the protocol; the plugin's own stdout is sent to stderr):
//   step <name>          before each step, so a parent that sees the process die knows where
//   {"ok":true,"id":..,"name_zh":..,"name_en":..,"version":..,"abi":"1.1"}   last line, exit 0
//   {"ok":false,"step":..,"error":..}                         a refusal the host also makes, exit 1
// Usage errors exit 2.
//
// Only libc: no C++ runtime (no std::string, no exceptions), so it starts in a millisecond.
#include <dlfcn.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <bcmap/bcmap_plugin.h>

namespace {

// The protocol goes to a copy of the original stdout; fd 1 then points at stderr so that
// whatever the plugin prints cannot be mistaken for a protocol line.
int gOut = 1;

void writeAll(const char* s, size_t n) {
  while (n > 0) {
    const ssize_t w = write(gOut, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

void writeText(const char* s) { writeAll(s, std::strlen(s)); }

void step(const char* name) {
  writeText("step ");
  writeText(name);
  writeText("\n");
}

// Writes s as a JSON string (quotes included). UTF-8 passes through; control characters
// are escaped.
void writeJsonString(const char* s) {
  writeText("\"");
  for (const char* p = s ? s : ""; *p; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\') {
      const char esc[2] = {'\\', static_cast<char>(c)};
      writeAll(esc, 2);
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      writeText(esc);
    } else {
      writeAll(p, 1);
    }
  }
  writeText("\"");
}

[[noreturn]] void refuse(const char* stepName, const char* error) {
  writeText("{\"ok\":false,\"step\":");
  writeJsonString(stepName);
  writeText(",\"error\":");
  writeJsonString(error);
  writeText("}\n");
  _exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4 || argv[1][0] == '-') {
    std::fprintf(stderr,
                 "usage: bcmap-probe PLUGIN.so [PLUGIN_DIR [DATA_DIR]]\n"
                 "Opens a bcmap layer plugin in this process and reports what it is (one JSON line).\n");
    return 2;
  }
  gOut = dup(1);
  if (gOut < 0 || dup2(2, 1) < 0) {
    std::perror("bcmap-probe: dup");
    return 2;
  }
  const char* path = argv[1];
  char message[1200];
  // attach()'s folders: the plugin's own (default: where PLUGIN.so is) and the data folder.
  char pluginDir[4096];
  if (argc >= 3) {
    std::snprintf(pluginDir, sizeof pluginDir, "%s", argv[2]);
  } else {
    std::snprintf(pluginDir, sizeof pluginDir, "%s", path);
    char* slash = std::strrchr(pluginDir, '/');
    if (!slash) std::snprintf(pluginDir, sizeof pluginDir, ".");
    else if (slash == pluginDir) slash[1] = 0;
    else *slash = 0;
  }
  const char* dataDir = argc >= 4 ? argv[3] : "";

  step("dlopen");  // the plugin's static initialisers run here
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* e = dlerror();
    refuse("dlopen", e ? e : "unknown dlopen error");
  }
  step("dlsym");
  dlerror();
  void* sym = dlsym(handle, BCMAP_ENTRY_SYMBOL);
  if (!sym) refuse("dlsym", "no entry point " BCMAP_ENTRY_SYMBOL);

  step("entry");
  bcmap_plugin_entry_fn entry;
  static_assert(sizeof entry == sizeof sym, "function and object pointers differ in size");
  std::memcpy(&entry, &sym, sizeof entry);
  const bcmap_plugin_v1* vt = entry(BCMAP_ABI_MAJOR, BCMAP_ABI_MINOR);
  if (!vt) refuse("entry", "entry point returned no plugin table");

  step("abi");
  if (vt->abi_major != BCMAP_ABI_MAJOR) {
    std::snprintf(message, sizeof message, "built for plugin ABI %u.%u, this bcmap speaks ABI %u.%u",
                  vt->abi_major, vt->abi_minor, BCMAP_ABI_MAJOR, BCMAP_ABI_MINOR);
    refuse("abi", message);
  }
  if (vt->struct_size < offsetof(bcmap_plugin_v1, describe_feature) + sizeof(vt->describe_feature))
    refuse("abi", "plugin table too small");
  if (!vt->create || !vt->destroy || !vt->describe || !vt->load || !vt->style)
    refuse("abi", "plugin table lacks a required callback (create, destroy, describe, load, style)");

  const unsigned abiMajor = vt->abi_major, abiMinor = vt->abi_minor;  // vt goes with dlclose

  step("create");
  void* instance = vt->create();
  if (!instance) refuse("create", "create failed: no instance (create() returned NULL; a C++ layer's constructor threw)");

  char err[1024] = {0};
  // ABI 1.3: only where the table reaches attach (a 1.2 table ends before it).
  if (vt->struct_size >= offsetof(bcmap_plugin_v1, attach) + sizeof(vt->attach) && vt->attach) {
    step("attach");
    bcmap_host_context_v1 context;
    std::memset(&context, 0, sizeof context);
    context.struct_size = sizeof context;
    context.host_abi_major = BCMAP_ABI_MAJOR;
    context.host_abi_minor = BCMAP_ABI_MINOR;
    context.plugin_dir = pluginDir;
    context.data_dir = dataDir;
    if (vt->attach(instance, &context, err, sizeof err) != BCMAP_OK) {
      std::snprintf(message, sizeof message, "attach failed: %s", err);
      refuse("attach", message);
    }
  }

  step("describe");
  bcmap_layer_info_v1 info;
  std::memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  err[0] = 0;
  if (vt->describe(instance, &info, err, sizeof err) != BCMAP_OK) {
    std::snprintf(message, sizeof message, "describe failed: %s", err);
    refuse("describe", message);
  }
  // Copies: the strings stay valid only until destroy().
  char id[256], nameZh[256], nameEn[256], version[64];
  std::snprintf(id, sizeof id, "%s", info.id ? info.id : "");
  std::snprintf(nameZh, sizeof nameZh, "%s", info.name_zh ? info.name_zh : "");
  std::snprintf(nameEn, sizeof nameEn, "%s", info.name_en ? info.name_en : "");
  std::snprintf(version, sizeof version, "%s", info.version ? info.version : "");

  if (vt->settings) {
    step("settings");
    const bcmap_setting_v1* settings = nullptr;
    uint32_t count = 0;
    err[0] = 0;
    if (vt->settings(instance, &settings, &count, err, sizeof err) != BCMAP_OK) {
      std::snprintf(message, sizeof message, "settings failed: %s", err);
      refuse("settings", message);
    }
  }

  step("destroy");
  vt->destroy(instance);
  step("dlclose");  // static destructors run here
  dlclose(handle);

  writeText("{\"ok\":true,\"id\":");
  writeJsonString(id);
  writeText(",\"name_zh\":");
  writeJsonString(nameZh);
  writeText(",\"name_en\":");
  writeJsonString(nameEn);
  writeText(",\"version\":");
  writeJsonString(version);
  std::snprintf(message, sizeof message, ",\"abi\":\"%u.%u\"}\n", abiMajor, abiMinor);
  writeText(message);
  // Skip exit handlers: a plugin's atexit() functions are not ours to run (and their
  // crashes would be reported against a plugin that otherwise works).
  _exit(0);
}
