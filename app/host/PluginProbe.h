// PluginProbe: before the host loads a new or changed plugin into its own process, it opens
// it in a child (bcmap-probe, app/probe/) that calls what loading calls (dlopen, the entry
// function, create, attach, describe, settings, destroy). A plugin that crashes or hangs there takes
// only the child down; the host reports "crashed in <step> (signal N: SIGxxx)" or "did not
// answer within N s" as the layer's reason and never loads it.
//
// Results are remembered by (path, size, modification time) in a small TSV file, so a
// plugin is probed once per build, not once per start.
//
// Threading: PluginProber is thread-safe; probes of different plugins may run at once.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bcmap {

// The entry function sleeping or spinning for longer than this is treated as hung
// (a plugin's entry function returns a static table; 5 s is generous even on a loaded
// machine under a sanitizer).
inline constexpr int kDefaultProbeTimeoutMs = 5000;

enum class ProbeOutcome {
  None = 0,     // not probed
  Ok,           // opened, described and closed cleanly
  Refused,      // a clean refusal the host makes too (no entry point, other ABI, describe failed)
  Crashed,      // killed by a signal
  TimedOut,     // did not finish within the timeout; killed
  Exited,       // exited abnormally without an answer (the plugin called exit(), a sanitizer report)
  Unavailable   // the probe could not be run (no bcmap-probe, spawn failed)
};
const char* probeOutcomeName(ProbeOutcome o);

struct ProbeResult {
  ProbeOutcome outcome = ProbeOutcome::None;
  std::string step;     // the step the child was in: dlopen, entry, create, describe, ...
  int signal = 0;       // Crashed
  int exitStatus = 0;   // Exited
  std::string message;  // Refused/Crashed/TimedOut/Exited/Unavailable: the reason, for the layer panel
  std::string id, nameZh, nameEn, version;  // Ok: what describe() said
  bool fromCache = false;
  double durationMs = 0;  // the child's wall time (0 from the cache)

  // The host must not load the plugin into its own process.
  bool blocksLoading() const {
    return outcome == ProbeOutcome::Crashed || outcome == ProbeOutcome::TimedOut ||
           outcome == ProbeOutcome::Exited;
  }
};

struct ProbeOptions {
  std::string probePath;  // the bcmap-probe executable; empty: no probing
  int timeoutMs = kDefaultProbeTimeoutMs;
  std::string cacheFile;  // empty: results are remembered in memory only
  std::string dataDir;    // handed to the plugin's attach() (the default data folder)

  // BCMAP_PROBE (a path, or "off"), else bcmap-probe beside the running executable, else
  // the one this build made; BCMAP_PROBE_TIMEOUT_MS; the cache in BCMAP_CACHE_DIR, else
  // $XDG_CACHE_HOME/bcmap, else ~/.cache/bcmap (probe-cache.tsv).
  static ProbeOptions fromEnvironment();
  static std::string defaultProbePath();
  static std::string defaultCacheFile();
};

// Runs bcmap-probe on one file, without the cache. `fileToProbe` is what the child opens;
// `pluginDir` (the plugin's own folder, not a private copy's; empty: fileToProbe's folder)
// and `dataDir` are what its attach() is told.
ProbeResult runProbe(const std::string& probePath, const std::string& fileToProbe, int timeoutMs,
                     const std::string& pluginDir = {}, const std::string& dataDir = {});

class PluginProber {
 public:
  explicit PluginProber(ProbeOptions options);
  const ProbeOptions& options() const { return options_; }

  // The plugin at `path` (its identity in the cache, with size and mtime) as found by
  // probing `fileToProbe` (the same file, or the private copy about to be loaded). The
  // plugin's attach() is told the folder of `path`.
  ProbeResult probe(const std::string& path, const std::string& fileToProbe, uint64_t size, int64_t mtimeNs);
  // Probes the plugins that the cache does not know, several at once (start-up).
  void probeAll(const std::vector<std::string>& paths);

  // Counters since construction (tests, bench).
  size_t probesRun() const;
  size_t cacheHits() const;

 private:
  struct Entry {
    uint64_t size = 0;
    int64_t mtimeNs = 0;
    int timeoutMs = 0;
    ProbeResult result;
  };
  std::optional<ProbeResult> lookup(const std::string& path, uint64_t size, int64_t mtimeNs);
  void remember(const std::string& path, uint64_t size, int64_t mtimeNs, const ProbeResult& r);
  void loadCacheLocked();
  void saveCacheLocked();

  ProbeOptions options_;
  mutable std::mutex mutex_;
  bool cacheLoaded_ = false;
  std::map<std::string, Entry> cache_;
  size_t probesRun_ = 0, cacheHits_ = 0;
};

}  // namespace bcmap
