// bcmap_plugin_bench: what plugin robustness (issue #3) costs, written to its own section of
// bench/RESULTS.md.
//
//   bcmap_plugin_bench [--out FILE] [--runs N] [--bcmap PATH]
//
// 1. probe      the crash probe at start-up: PluginHost::scan over the build's plugin folder
//               with no probe, with every plugin probed (cold: empty cache) and with every
//               result cached (warm); the same as whole `bcmap layers` processes; one probe.
// 2. reload     hot reload, headless: from the rename of a rebuilt plugin over the old file
//               to the layer reloaded (and prepared for EPSG:3857), driven the way the
//               viewer's loop drives it (PluginWatcher::startWaking + LayerStore::pollLoaded).
//
// Every number is the median of --runs runs (9 by default). Start-up runs are fresh child
// processes (bcmap_plugin_bench --child scan ...), each with its own cache folder when cold.
//
// Sections: 1. children  2. measuring  3. report  4. main
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "BenchUtil.h"
#include "host/LayerStore.h"
#include "model/Log.h"
#include "host/PluginHost.h"
#include "host/PluginProbe.h"
#include "host/PluginWatcher.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace fs = std::filesystem;

namespace bcmap::bench {
namespace {

constexpr const char* kBeginMarker = "<!-- plugin bench: begin (bcmap_plugin_bench rewrites this section) -->";
constexpr const char* kEndMarker = "<!-- plugin bench: end -->";

struct Options {
  std::string out;
  int runs = 9;
  std::string bcmap = BCMAP_EXE;
  std::string self;
};

std::string tempDir(const std::string& what) {
  std::string tmpl = (fs::temp_directory_path() / ("bcmap-plugin-bench-" + what + "-XXXXXX")).string();
  return mkdtemp(tmpl.data()) ? tmpl : std::string();
}

// ---- 1. children -----------------------------------------------------------------------------
// `--child scan`: one start-up's plugin scan, as openSession does it. Prints key<TAB>value.
int childScan() {
  PluginHost host;
  const double t0 = monotonicMs();
  host.scan({PluginHost::defaultPluginDir()});
  const double t1 = monotonicMs();
  size_t ok = 0;
  for (const auto& m : host.modules()) ok += m->ok();
  std::printf("scan_ms\t%.3f\nmodules\t%zu\nok\t%zu\n", t1 - t0, host.modules().size(), ok);
  if (host.prober())
    std::printf("probes\t%zu\nhits\t%zu\n", host.prober()->probesRun(), host.prober()->cacheHits());
  return 0;
}

std::map<std::string, double> parseKeys(const std::string& out) {
  std::map<std::string, double> keys;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) keys[line.substr(0, tab)] = std::atof(line.c_str() + tab + 1);
  }
  return keys;
}

// ---- 2. measuring ------------------------------------------------------------------------------
struct Stat {
  double median = 0, min = 0, max = 0;
};
Stat stat(const std::vector<double>& v) {
  if (v.empty()) return {};
  return {bcmap::bench::median(v), *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end())};
}

struct ProbeNumbers {
  Stat scanOff, scanCold, scanWarm, layersOff, layersCold, layersWarm, oneProbe;
  size_t plugins = 0, probesCold = 0, probesWarm = 0;
  int failures = 0;
};

ProbeNumbers measureProbe(const Options& o) {
  ProbeNumbers n;
  std::vector<double> off, cold, warm, lOff, lCold, lWarm, one;
  const std::string warmDir = tempDir("warm");
  auto scan = [&](const std::vector<std::string>& env, std::vector<double>& into, size_t* probes) {
    // BCMAP_PROBE=off in `env` turns the probe off in the child (ProbeOptions::fromEnvironment).
    const ProcessResult r = runProcess({o.self, "--child", "scan"}, env);
    const auto keys = parseKeys(r.output);
    if (r.exitCode != 0 || !keys.count("scan_ms")) {
      ++n.failures;
      std::fprintf(stderr, "child scan failed: %s\n", r.output.c_str());
      return;
    }
    into.push_back(keys.at("scan_ms"));
    n.plugins = static_cast<size_t>(keys.at("modules"));
    if (probes && keys.count("probes")) *probes = static_cast<size_t>(keys.at("probes"));
  };
  auto layers = [&](const std::vector<std::string>& env, std::vector<double>& into) {
    const ProcessResult r = runProcess({o.bcmap, "layers"}, env);
    if (r.exitCode != 0) {
      ++n.failures;
      return;
    }
    into.push_back(r.wallMs);
  };
  scan({"BCMAP_CACHE_DIR=" + warmDir}, cold, nullptr);  // fills the warm cache
  for (int i = 0; i < o.runs; ++i) {
    scan({"BCMAP_PROBE=off"}, off, nullptr);
    const std::string coldDir = tempDir("cold");
    scan({"BCMAP_CACHE_DIR=" + coldDir}, cold, &n.probesCold);
    fs::remove_all(coldDir);
    scan({"BCMAP_CACHE_DIR=" + warmDir}, warm, &n.probesWarm);
    layers({"BCMAP_PROBE=off"}, lOff);
    const std::string coldDir2 = tempDir("cold");
    layers({"BCMAP_CACHE_DIR=" + coldDir2}, lCold);
    fs::remove_all(coldDir2);
    layers({"BCMAP_CACHE_DIR=" + warmDir}, lWarm);
  }
  cold.erase(cold.begin());  // the run that filled the warm cache was cold too, but first
  fs::remove_all(warmDir);
  // One probe of one plugin (spawn, exec, dlopen, entry, create, describe, settings, exit).
  const std::string counties = PluginHost::defaultPluginDir() + "/bcmap_counties.so";
  for (int i = 0; i < o.runs; ++i) {
    const ProbeResult r = runProbe(ProbeOptions::defaultProbePath(), counties, kDefaultProbeTimeoutMs);
    if (r.outcome == ProbeOutcome::Ok) one.push_back(r.durationMs);
    else ++n.failures;
  }
  n.scanOff = stat(off), n.scanCold = stat(cold), n.scanWarm = stat(warm);
  n.layersOff = stat(lOff), n.layersCold = stat(lCold), n.layersWarm = stat(lWarm);
  n.oneProbe = stat(one);
  return n;
}

struct ReloadNumbers {
  Stat total, detect, reload, prepare;
  int quietMs = PluginWatcher::kDefaultQuietMs;
  int failures = 0;
};

// The viewer's loop in miniature: sleep until woken (watcher or loader), then poll both.
ReloadNumbers measureReload(const Options& o) {
  ReloadNumbers n;
  initGdal();
  initProj();
  const std::string dir = tempDir("reload");
  const std::string cache = tempDir("reload-cache");
  const fs::path target = fs::path(dir) / "bcmap_reload_probe.so";
  const std::string variants = BCMAP_BENCH_RELOAD_DIR;
  auto install = [&](int version) {
    const fs::path tmp = target.string() + ".partial";
    fs::copy_file(variants + "/bcmap_bench_reload_v" + std::to_string(version) + ".so", tmp,
                  fs::copy_options::overwrite_existing);
    fs::rename(tmp, target);
  };
  install(1);
  PluginHost host;
  ProbeOptions po = ProbeOptions::fromEnvironment();
  po.cacheFile = cache + "/probe-cache.tsv";
  host.setProber(std::make_shared<PluginProber>(po));
  host.setInteractive(true);
  host.scan({dir});
  LayerStore store(PluginHost::defaultDataDir());
  store.addPluginLayers(host);
  store.loadAll();
  Layer* l = store.find("reload_probe");
  if (!l || l->status != LayerStatus::Loaded) {
    ++n.failures;
    return n;
  }
  std::mutex m;
  std::condition_variable cv;
  bool woken = false;
  auto wake = [&] {
    std::lock_guard lock(m);
    woken = true;
    cv.notify_one();
  };
  PluginWatcher watcher;
  std::string err;
  watcher.watch(dir, &err);
  watcher.startWaking(wake);
  store.setOnResultReady(wake);

  std::vector<double> total, detect, reload, prepare;
  for (int i = 0; i < o.runs; ++i) {
    const int version = i % 2 ? 1 : 2;
    const std::string want = std::to_string(version) + ".0.0";
    const double t0 = monotonicMs();
    install(version);
    double tDetect = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (l->version != want && std::chrono::steady_clock::now() < deadline) {
      {
        std::unique_lock lock(m);
        cv.wait_until(lock, deadline, [&] { return woken; });
        woken = false;
      }
      for (const std::string& p : watcher.poll()) {
        if (tDetect == 0) tDetect = monotonicMs();
        store.pluginFileChanged(host, p);
      }
      store.pollLoaded();
    }
    const double tLoaded = monotonicMs();
    if (l->version != want || !l->reloadError.empty()) {
      ++n.failures;
      continue;
    }
    store.prepare(*l, "EPSG:3857", nullptr);
    const double tPrepared = monotonicMs();
    total.push_back(tPrepared - t0);
    detect.push_back(tDetect - t0);
    reload.push_back(tLoaded - tDetect);
    prepare.push_back(tPrepared - tLoaded);
  }
  n.total = stat(total), n.detect = stat(detect), n.reload = stat(reload), n.prepare = stat(prepare);
  fs::remove_all(dir);
  fs::remove_all(cache);
  return n;
}

// ---- 3. report ----------------------------------------------------------------------------------
std::string ms(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.2f ms" : "%.1f ms", v);
  return buf;
}
std::string row(const std::string& what, const Stat& s, const std::string& note = "") {
  return "| " + what + " | " + ms(s.median) + " | " + ms(s.min) + " | " + ms(s.max) + " | " + note + " |\n";
}

std::string report(const Options& o, const ProbeNumbers& p, const ReloadNumbers& r) {
  const MachineInfo mi = machineInfo();
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0) load[0] = load[1] = load[2] = 0;
  char loadText[64];
  std::snprintf(loadText, sizeof loadText, "%.2f %.2f %.2f", load[0], load[1], load[2]);
  std::string s;
  s += std::string(kBeginMarker) + "\n\n";
  s += "## Plugins: crash probe at start-up, hot reload\n\n";
  s += "Written by `$(BUILD)/bench/bcmap_plugin_bench --out bench/RESULTS.md` (bench/PluginBench.cpp), " +
       std::string(date) + ", " + mi.cpuModel + " (" + std::to_string(mi.cores) + " cores), " + BCMAP_BUILD_TYPE +
       " build, load average " + loadText + ". Median, min and max of " + std::to_string(o.runs) +
       " runs; start-up runs are fresh processes.\n\n";
  s += "### Crash probe at start-up\n\n";
  s += "The build's plugin folder: " + std::to_string(p.plugins) + " plugins. *cold*: an empty probe cache, every "
       "plugin probed in a child (`bcmap-probe`, up to 8 at once); *warm*: every result cached by path, size and "
       "modification time (`probe-cache.tsv`); *off*: `BCMAP_PROBE=off`.\n\n";
  s += "| what | median | min | max | |\n|---|---:|---:|---:|---|\n";
  s += row("`PluginHost::scan`, probe off", p.scanOff);
  s += row("`PluginHost::scan`, cold", p.scanCold, std::to_string(p.probesCold) + " probes");
  s += row("`PluginHost::scan`, warm", p.scanWarm, std::to_string(p.probesWarm) + " probes");
  s += row("`bcmap layers` (whole process), probe off", p.layersOff);
  s += row("`bcmap layers`, cold", p.layersCold);
  s += row("`bcmap layers`, warm", p.layersWarm);
  s += row("one probe (`runProbe`, bcmap_counties.so)", p.oneProbe, "spawn, exec, dlopen, entry, create, describe, settings, exit");
  s += "\n### Hot reload (headless)\n\n";
  s += "A rebuilt plugin (`tests/host/fixtures/reload_probe.cpp`, two builds alternating) renamed over the old file in a "
       "watched folder, to the layer reloaded with its new features and prepared for EPSG:3857 — the loop the "
       "viewer runs: `PluginWatcher::startWaking` and `LayerStore::setOnResultReady` wake it, then `poll()` → "
       "`pluginFileChanged()` → `pollLoaded()`. Not included: drawing the frame (one frame, see the tables above).\n\n";
  s += "| step | median | min | max | |\n|---|---:|---:|---:|---|\n";
  s += row("file renamed → watcher reports it", r.detect, "the " + std::to_string(r.quietMs) + " ms quiet time (debounce) is most of it");
  s += row("→ layer reloaded (`pollLoaded`)", r.reload, "private copy, probe (new file: not cached), dlopen, create, describe, settings, load, style");
  s += row("→ prepared (projection, triangles)", r.prepare);
  s += row("**file change → layer reloaded and prepared**", r.total, "target: under 1 s to the new layer on screen");
  if (p.failures || r.failures)
    s += "\nFailed runs (left out): " + std::to_string(p.failures + r.failures) + ".\n";
  s += "\n" + std::string(kEndMarker) + "\n";
  return s;
}


}  // namespace
}  // namespace bcmap::bench

// ---- 4. main --------------------------------------------------------------------------------------
int main(int argc, char** argv) {
  using namespace bcmap::bench;
  Options o;
  o.self = fs::read_symlink("/proc/self/exe").string();
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--child" && i + 1 < argc && std::string(argv[i + 1]) == "scan") {
      bcmap::setLogEchoLevel(bcmap::LogLevel::Error);
      return childScan();
    } else if (a == "--out") {
      o.out = next();
    } else if (a == "--runs") {
      o.runs = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--bcmap") {
      o.bcmap = next();
    } else {
      std::fprintf(stderr, "usage: bcmap_plugin_bench [--out FILE] [--runs N] [--bcmap PATH]\n");
      return 1;
    }
  }
  bcmap::setLogEchoLevel(bcmap::LogLevel::Error);
  const ProbeNumbers p = measureProbe(o);
  const ReloadNumbers r = measureReload(o);
  const std::string section = report(o, p, r);
  std::fputs(section.c_str(), stdout);
  if (!o.out.empty() && !writeSection(o.out, section, kBeginMarker, kEndMarker)) {
    std::fprintf(stderr, "bcmap_plugin_bench: cannot write %s\n", o.out.c_str());
    return 2;
  }
  return p.failures || r.failures ? 2 : 0;
}
