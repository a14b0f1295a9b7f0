#include "BenchUtil.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

extern char** environ;

namespace bcmap::bench {

double monotonicMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double rank = std::ceil(p / 100.0 * double(v.size()));
  const size_t i = size_t(std::clamp(rank, 1.0, double(v.size()))) - 1;
  return v[i];
}

ProcessResult runProcess(const std::vector<std::string>& argv, const std::vector<std::string>& extraEnv) {
  ProcessResult r;
  if (argv.empty()) return r;
  // The child's output goes to a temporary file: a pipe would need a reader thread, and
  // the benchmark should not add work to the process it measures.
  char outPath[] = "/tmp/bcmap_bench_outXXXXXX";
  const int outFd = mkstemp(outPath);
  if (outFd < 0) return r;
  unlink(outPath);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> envStore;
  for (char** e = environ; *e; ++e) envStore.emplace_back(*e);
  for (const std::string& e : extraEnv) envStore.push_back(e);
  std::vector<char*> env;
  for (std::string& e : envStore) env.push_back(e.data());
  env.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, outFd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, outFd, STDERR_FILENO);
  pid_t pid = 0;
  const double t0 = monotonicMs();
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    close(outFd);
    r.output = std::string("cannot start ") + argv[0] + ": " + std::strerror(rc);
    return r;
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  r.wallMs = monotonicMs() - t0;
  r.peakRssMb = double(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  lseek(outFd, 0, SEEK_SET);
  char buf[4096];
  ssize_t n = 0;
  while ((n = read(outFd, buf, sizeof buf)) > 0) r.output.append(buf, size_t(n));
  close(outFd);
  return r;
}

MachineInfo machineInfo() {
  MachineInfo m;
  std::ifstream cpu("/proc/cpuinfo");
  for (std::string line; std::getline(cpu, line);) {
    if (line.rfind("model name", 0) == 0 && m.cpuModel.empty()) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) m.cpuModel = line.substr(colon + 2);
    }
  }
  m.cores = int(sysconf(_SC_NPROCESSORS_ONLN));
  std::ifstream mem("/proc/meminfo");
  for (std::string line; std::getline(mem, line);) {
    if (line.rfind("MemTotal:", 0) == 0) {
      std::istringstream in(line.substr(9));
      double kb = 0;
      in >> kb;
      m.ramGb = kb / (1024.0 * 1024.0);
    }
  }
  std::ifstream osRelease("/etc/os-release");
  for (std::string line; std::getline(osRelease, line);) {
    if (line.rfind("PRETTY_NAME=", 0) == 0) {
      m.os = line.substr(12);
      m.os.erase(std::remove(m.os.begin(), m.os.end(), '"'), m.os.end());
    }
  }
  utsname u{};
  if (uname(&u) == 0) m.os += std::string(", Linux ") + u.release;
#if defined(__clang__)
  m.compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  m.compiler = "GCC " __VERSION__;
#endif
  return m;
}

std::string shellJoin(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                         "0123456789-_./=:,+@%") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

bool writeSection(const std::string& path, const std::string& section, const char* beginMarker,
                  const char* endMarker) {
  std::string text;
  {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  const auto b = text.find(beginMarker), e = text.find(endMarker);
  if (b != std::string::npos && e != std::string::npos && e > b) {
    size_t end = e + std::strlen(endMarker);
    if (end < text.size() && text[end] == '\n') ++end;
    text.replace(b, end - b, section);
  } else {
    if (!text.empty() && text.back() != '\n') text += '\n';
    text += "\n" + section;
  }
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return bool(out);
}

}  // namespace bcmap::bench
