// Sections: 1. names and options  2. running the child  3. reading its answer  4. the cache
#include "host/PluginProbe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include <bcmap/bcmap_plugin.h>
#include "host/InstallLayout.h"
#include "io/AtomicFile.h"
#include "io/XdgDirs.h"
#include "model/Log.h"

extern char** environ;

namespace fs = std::filesystem;

namespace bcmap {

// ---- 1. names and options -------------------------------------------------------------------
const char* probeOutcomeName(ProbeOutcome o) {
  switch (o) {
    case ProbeOutcome::None: return "none";
    case ProbeOutcome::Ok: return "ok";
    case ProbeOutcome::Refused: return "refused";
    case ProbeOutcome::Crashed: return "crashed";
    case ProbeOutcome::TimedOut: return "timeout";
    case ProbeOutcome::Exited: return "exited";
    case ProbeOutcome::Unavailable: return "unavailable";
  }
  return "?";
}

namespace {

std::string envOr(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// What the steps bcmap-probe reports (app/probe/ProbeMain.cpp) mean to a reader.
std::string describeStep(const std::string& step) {
  if (step == "dlopen") return "dlopen (its static initialisers)";
  if (step == "dlsym") return "dlsym";
  if (step == "entry") return std::string("its entry function ") + BCMAP_ENTRY_SYMBOL;
  if (step == "abi") return "the ABI check";
  if (step == "create" || step == "attach" || step == "describe" || step == "settings" || step == "destroy") return step + "()";
  if (step == "dlclose") return "dlclose (its static destructors)";
  return "start-up, before dlopen";
}

std::string secondsText(int ms) {
  char buf[32];
  if (ms % 1000 == 0) std::snprintf(buf, sizeof buf, "%d s", ms / 1000);
  else std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000.0);
  return buf;
}

std::string signalText(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return "signal " + std::to_string(sig) + (abbrev ? std::string(": SIG") + abbrev : std::string());
}

}  // namespace

std::string ProbeOptions::defaultProbePath() {
  // Beside the executable in the build tree, <prefix>/libexec/bcmap when installed.
  return currentInstallLayout().probePath;
}

std::string ProbeOptions::defaultCacheFile() {
  fs::path dir;
  if (const std::string d = envOr("BCMAP_CACHE_DIR"); !d.empty()) dir = d;
  else if (const std::string cache = xdg::cacheHome(); !cache.empty()) dir = fs::path(cache) / "bcmap";
  else return {};
  return (dir / "probe-cache.tsv").string();
}

ProbeOptions ProbeOptions::fromEnvironment() {
  ProbeOptions o;
  const std::string probe = envOr("BCMAP_PROBE");
  if (probe == "off" || probe == "0") o.probePath.clear();
  else if (!probe.empty()) o.probePath = probe;
  else o.probePath = defaultProbePath();
  if (const std::string t = envOr("BCMAP_PROBE_TIMEOUT_MS"); !t.empty()) {
    char* end = nullptr;
    const long ms = std::strtol(t.c_str(), &end, 10);
    if (end && *end == 0 && ms > 0 && ms <= 600000) o.timeoutMs = static_cast<int>(ms);
    else logWarning("BCMAP_PROBE_TIMEOUT_MS=" + t + ": not a time in milliseconds (1..600000); using " +
                    std::to_string(o.timeoutMs));
  }
  o.cacheFile = defaultCacheFile();
  o.dataDir = currentInstallLayout().dataDir;
  return o;
}

// ---- 2. running the child ---------------------------------------------------------------------
namespace {

// The child's environment: ours, with the sanitizers told to let signals kill the child
// (an ASan or TSan build of the probe would otherwise catch SIGSEGV, print a report and
// exit 1 or 66) and ASan not to look for leaks in a plugin we are about to throw away.
std::vector<std::string> childEnvironment() {
  constexpr const char* kSignalsForProbe =
      "handle_segv=0:handle_sigbus=0:handle_abort=0:handle_sigfpe=0:handle_sigill=0";
  const std::string asanForProbe = std::string(kSignalsForProbe) + ":detect_leaks=0";
  // Appended to what the user set (a later flag wins), or set when unset.
  struct Options {
    std::string prefix, extra;
    bool seen = false;
  } options[] = {{"ASAN_OPTIONS=", asanForProbe}, {"TSAN_OPTIONS=", kSignalsForProbe}};
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    for (Options& o : options)
      if (kv.rfind(o.prefix, 0) == 0) {
        kv += std::string(kv.size() > o.prefix.size() ? ":" : "") + o.extra;
        o.seen = true;
      }
    env.push_back(std::move(kv));
  }
  for (const Options& o : options)
    if (!o.seen) env.push_back(o.prefix + o.extra);
  return env;
}

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) close(f);
  }
  void closeEnd(int i) {
    if (fd[i] >= 0) close(fd[i]);
    fd[i] = -1;
  }
};

void stopChild(pid_t pid) {
  // The child leads its own process group: whatever the plugin forked goes with it.
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
}

}  // namespace

ProbeResult runProbe(const std::string& probePath, const std::string& fileToProbe, int timeoutMs,
                     const std::string& pluginDir, const std::string& dataDir) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  ProbeResult r;
  auto unavailable = [&](const std::string& why) {
    r.outcome = ProbeOutcome::Unavailable;
    r.message = "the crash probe " + probePath + " could not run: " + why;
    return r;
  };
  if (probePath.empty()) return unavailable("no bcmap-probe executable");

  Pipe out, err;
  if (pipe2(out.fd, O_CLOEXEC) != 0 || pipe2(err.fd, O_CLOEXEC) != 0) return unavailable(std::strerror(errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTERM, SIGINT, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  // glibc's posix_spawn is clone(CLONE_VM|CLONE_VFORK): no copy of a big, threaded parent.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP |
                                      POSIX_SPAWN_USEVFORK);

  std::vector<std::string> envStrings = childEnvironment();
  std::vector<char*> envp;
  for (std::string& s : envStrings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string arg0 = probePath, arg1 = fileToProbe;
  std::string arg2 = pluginDir.empty() ? fs::path(fileToProbe).parent_path().string() : pluginDir, arg3 = dataDir;
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), arg3.data(), nullptr};

  pid_t pid = -1;
  const int spawnErr = posix_spawn(&pid, probePath.c_str(), &actions, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawnErr != 0) return unavailable(std::strerror(spawnErr));
  out.closeEnd(1);
  err.closeEnd(1);

  // Read both pipes until they close, the child is gone, or the time is up.
  std::string stdoutText, stderrTail;
  constexpr size_t kStderrKeep = 2048;  // enough for the last lines of a sanitizer report
  const auto deadline = start + std::chrono::milliseconds(timeoutMs);
  bool timedOut = false;
  int status = 0;
  bool reaped = false;
  char buf[4096];
  while (true) {
    const auto now = Clock::now();
    if (now >= deadline) {
      timedOut = true;
      break;
    }
    const int waitMs =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
    pollfd fds[2];
    nfds_t n = 0;
    if (out.fd[0] >= 0) fds[n++] = {out.fd[0], POLLIN, 0};
    if (err.fd[0] >= 0) fds[n++] = {err.fd[0], POLLIN, 0};
    if (n == 0) {
      // Both pipes closed: the child has exited or is about to (or closed them and hangs).
      const pid_t w = waitpid(pid, &status, WNOHANG);
      if (w == pid) {
        reaped = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(waitMs, 5)));
      continue;
    }
    const int pr = poll(fds, n, waitMs);
    if (pr < 0 && errno != EINTR) break;
    for (nfds_t i = 0; i < n && pr > 0; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      const bool isOut = fds[i].fd == out.fd[0];
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        if (isOut) out.closeEnd(0);
        else err.closeEnd(0);
        continue;
      }
      if (isOut) {
        stdoutText.append(buf, static_cast<size_t>(got));
      } else {
        stderrTail.append(buf, static_cast<size_t>(got));
        if (stderrTail.size() > 2 * kStderrKeep) stderrTail.erase(0, stderrTail.size() - kStderrKeep);
      }
    }
  }
  if (!reaped) {
    if (timedOut) stopChild(pid);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  r.durationMs = std::chrono::duration<double, std::milli>(Clock::now() - start).count();

  // ---- 3. reading its answer ----
  std::string lastStep, answer;
  std::istringstream lines(stdoutText);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("step ", 0) == 0) lastStep = line.substr(5);
    else if (!line.empty() && line[0] == '{') answer = line;
  }
  r.step = lastStep.empty() ? "start" : lastStep;
  if (timedOut) {
    r.outcome = ProbeOutcome::TimedOut;
    r.message = "did not answer within " + secondsText(timeoutMs) + " (stuck in " + describeStep(r.step) +
                "); not loaded";
    return r;
  }
  if (WIFSIGNALED(status)) {
    r.outcome = ProbeOutcome::Crashed;
    r.signal = WTERMSIG(status);
    r.message = "crashed in " + describeStep(r.step) + " (" + signalText(r.signal) + "); not loaded";
    return r;
  }
  if (!answer.empty()) {
    const nlohmann::json j = nlohmann::json::parse(answer, nullptr, false);
    if (j.is_object() && j.value("ok", false)) {
      r.outcome = ProbeOutcome::Ok;
      r.id = j.value("id", "");
      r.nameZh = j.value("name_zh", "");
      r.nameEn = j.value("name_en", "");
      r.version = j.value("version", "");
      return r;
    }
    if (j.is_object()) {
      r.outcome = ProbeOutcome::Refused;
      r.step = j.value("step", r.step);
      r.message = j.value("error", "refused");
      return r;
    }
  }
  r.outcome = ProbeOutcome::Exited;
  r.exitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  // The last non-empty line of its stderr says why, more often than not.
  std::string why;
  std::istringstream errLines(stderrTail);
  for (std::string line; std::getline(errLines, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) why = line;
  r.message = "exited with status " + std::to_string(r.exitStatus) + " in " + describeStep(r.step) +
              (why.empty() ? std::string() : ": " + why) + "; not loaded";
  return r;
}

// ---- 4. the cache ------------------------------------------------------------------------------
namespace {

constexpr const char* kCacheHeader =
    "# bcmap probe cache v1: path size mtime_ns abi timeout_ms outcome step signal exit message id name_zh "
    "name_en version";

std::string hostAbi() { return std::to_string(BCMAP_ABI_MAJOR) + "." + std::to_string(BCMAP_ABI_MINOR); }

std::string escapeField(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\\') out += "\\\\";
    else out += c;
  }
  return out;
}

std::string unescapeField(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out += c == 't' ? '\t' : c == 'n' ? '\n' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<ProbeOutcome> outcomeFromName(const std::string& s) {
  for (ProbeOutcome o : {ProbeOutcome::Ok, ProbeOutcome::Refused, ProbeOutcome::Crashed, ProbeOutcome::TimedOut,
                         ProbeOutcome::Exited})
    if (s == probeOutcomeName(o)) return o;
  return std::nullopt;
}

}  // namespace

PluginProber::PluginProber(ProbeOptions options) : options_(std::move(options)) {}

size_t PluginProber::probesRun() const {
  std::lock_guard lock(mutex_);
  return probesRun_;
}

size_t PluginProber::cacheHits() const {
  std::lock_guard lock(mutex_);
  return cacheHits_;
}

void PluginProber::loadCacheLocked() {
  cacheLoaded_ = true;
  if (options_.cacheFile.empty()) return;
  std::ifstream in(options_.cacheFile);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    // Split by hand: getline() would drop the empty fields at the end of a line.
    std::vector<std::string> f;
    for (size_t from = 0;;) {
      const size_t tab = line.find('\t', from);
      f.push_back(unescapeField(line.substr(from, tab == std::string::npos ? std::string::npos : tab - from)));
      if (tab == std::string::npos) break;
      from = tab + 1;
    }
    if (f.size() != 14 || f[3] != hostAbi()) continue;  // another bcmap's verdicts do not hold
    const std::optional<ProbeOutcome> outcome = outcomeFromName(f[5]);
    if (!outcome) continue;
    Entry e;
    char* end = nullptr;
    e.size = std::strtoull(f[1].c_str(), &end, 10);
    e.mtimeNs = std::strtoll(f[2].c_str(), &end, 10);
    e.timeoutMs = std::atoi(f[4].c_str());
    e.result.outcome = *outcome;
    e.result.step = f[6];
    e.result.signal = std::atoi(f[7].c_str());
    e.result.exitStatus = std::atoi(f[8].c_str());
    e.result.message = f[9];
    e.result.id = f[10];
    e.result.nameZh = f[11];
    e.result.nameEn = f[12];
    e.result.version = f[13];
    cache_[f[0]] = std::move(e);
  }
}

void PluginProber::saveCacheLocked() {
  if (options_.cacheFile.empty()) return;
  const fs::path file(options_.cacheFile);
  // Written beside, synced and renamed over, so a reader (another bcmap) never sees half a
  // file, nor a crash leaves one.
  std::ostringstream out;
  out << kCacheHeader << '\n';
  for (const auto& [path, e] : cache_) {
    const ProbeResult& r = e.result;
    out << escapeField(path) << '\t' << e.size << '\t' << e.mtimeNs << '\t' << hostAbi() << '\t' << e.timeoutMs
        << '\t' << probeOutcomeName(r.outcome) << '\t' << escapeField(r.step) << '\t' << r.signal << '\t'
        << r.exitStatus << '\t' << escapeField(r.message) << '\t' << escapeField(r.id) << '\t'
        << escapeField(r.nameZh) << '\t' << escapeField(r.nameEn) << '\t' << escapeField(r.version) << '\n';
  }
  std::string why;
  if (!writeFileAtomically(file.string(), out.str(), &why))
    logInfo("plugin probe cache " + file.string() + ": cannot be written (" + why + "); results are kept in memory");
}

std::optional<ProbeResult> PluginProber::lookup(const std::string& path, uint64_t size, int64_t mtimeNs) {
  std::lock_guard lock(mutex_);
  if (!cacheLoaded_) loadCacheLocked();
  auto it = cache_.find(path);
  if (it == cache_.end() || it->second.size != size || it->second.mtimeNs != mtimeNs) return std::nullopt;
  // A timeout under a shorter limit than ours proves nothing: try again with ours.
  if (it->second.result.outcome == ProbeOutcome::TimedOut && it->second.timeoutMs < options_.timeoutMs)
    return std::nullopt;
  ++cacheHits_;
  ProbeResult r = it->second.result;
  r.fromCache = true;
  r.durationMs = 0;
  return r;
}

void PluginProber::remember(const std::string& path, uint64_t size, int64_t mtimeNs, const ProbeResult& r) {
  std::lock_guard lock(mutex_);
  ++probesRun_;
  if (r.outcome == ProbeOutcome::Unavailable || r.outcome == ProbeOutcome::None) return;
  if (!cacheLoaded_) loadCacheLocked();
  // Re-read what other processes wrote meanwhile would be nicer; last writer wins is enough
  // for a cache whose worst case is one probe too many.
  cache_[path] = Entry{size, mtimeNs, options_.timeoutMs, r};
  saveCacheLocked();
}

ProbeResult PluginProber::probe(const std::string& path, const std::string& fileToProbe, uint64_t size,
                                int64_t mtimeNs) {
  if (std::optional<ProbeResult> cached = lookup(path, size, mtimeNs)) return *cached;
  ProbeResult r = runProbe(options_.probePath, fileToProbe, options_.timeoutMs,
                           fs::path(path).parent_path().string(), options_.dataDir);
  remember(path, size, mtimeNs, r);
  return r;
}

void PluginProber::probeAll(const std::vector<std::string>& paths) {
  struct Todo {
    std::string path;
    uint64_t size;
    int64_t mtimeNs;
  };
  std::vector<Todo> todo;
  for (const std::string& p : paths) {
    struct stat st {};
    if (stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    const int64_t mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    char real[PATH_MAX];
    const std::string key = realpath(p.c_str(), real) ? std::string(real) : p;
    {
      std::lock_guard lock(mutex_);
      if (!cacheLoaded_) loadCacheLocked();
      auto it = cache_.find(key);
      if (it != cache_.end() && it->second.size == static_cast<uint64_t>(st.st_size) &&
          it->second.mtimeNs == mtimeNs && it->second.result.outcome != ProbeOutcome::TimedOut)
        continue;
    }
    todo.push_back({key, static_cast<uint64_t>(st.st_size), mtimeNs});
  }
  if (todo.size() < 2) return;  // one probe is as fast inline, when the plugin is opened
  // Probes mostly wait (exec, dlopen, a hung plugin's timeout): more than the cores.
  const size_t threads = std::min<size_t>(todo.size(), 8);
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < todo.size();) probe(todo[i].path, todo[i].path, todo[i].size, todo[i].mtimeNs);
    });
  for (std::thread& t : pool) t.join();
}

}  // namespace bcmap
