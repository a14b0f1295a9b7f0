#include "model/Log.h"

#include <cstdio>
#include <mutex>

namespace bcmap {
namespace {
std::mutex gMutex;
std::vector<LogEntry> gEntries;
LogLevel gEcho = LogLevel::Warning;
constexpr size_t kMaxEntries = 10000;  // keeps a runaway logger from eating memory
}  // namespace

const char* logLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
  }
  return "?";
}

void logMessage(LogLevel level, std::string message) {
  std::lock_guard lock(gMutex);
  if (level >= gEcho) std::fprintf(stderr, "bcmap: %s: %s\n", logLevelName(level), message.c_str());
  if (gEntries.size() >= kMaxEntries) gEntries.erase(gEntries.begin(), gEntries.begin() + kMaxEntries / 10);
  gEntries.push_back({level, std::move(message)});
}

void setLogEchoLevel(LogLevel level) {
  std::lock_guard lock(gMutex);
  gEcho = level;
}

std::vector<LogEntry> logSnapshot() {
  std::lock_guard lock(gMutex);
  return gEntries;
}

}  // namespace bcmap
