// Log: one process-wide log that GDAL, PROJ, plugins and the app all write to. The UI's
// log panel and the CLI's stderr read from it.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace bcmap {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

struct LogEntry {
  LogLevel level;
  std::string message;
};

// Thread-safe.
void logMessage(LogLevel level, std::string message);
inline void logInfo(std::string m) { logMessage(LogLevel::Info, std::move(m)); }
inline void logWarning(std::string m) { logMessage(LogLevel::Warning, std::move(m)); }
inline void logError(std::string m) { logMessage(LogLevel::Error, std::move(m)); }

// Messages at or above `level` are also printed to stderr (the CLI sets Warning; the
// viewer sets Error). Default: Warning.
void setLogEchoLevel(LogLevel level);
std::vector<LogEntry> logSnapshot();
const char* logLevelName(LogLevel level);

}  // namespace bcmap
