// hostile_read: one vector file through io/VectorReader (readVector, the entry point that
// `bcmap render` and the viewer use), the outcome as one JSON line on stdout.
//
// The hostile corpus test (tests/corpora/hostile/run_cases.py) runs it once per case in a
// child process, so a crash, a sanitizer report or a hang is that case's alone and the
// driver's timeout can end it. The network is never allowed here: a file that asks for it
// (a "crs" link, a /vsicurl/ path, a schema URL) must be read without it or refused.
//
// usage: hostile_read PATH
// stdout: {"ok": true, "features": N, "withGeometry": N, "skipped": N, "kind": "...",
//          "vertices": N} or {"ok": false, "error": "..."}; exit 0 either way (1: usage).
#include <cstdio>
#include <string>

#include "io/VectorReader.h"
#include "model/FeatureTable.h"
#include "model/Log.h"

namespace {

std::string jsonString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      // Non-ASCII as \u00XX of each byte: valid JSON whatever bytes a message quotes; the
      // driver takes them back as bytes (run_cases.py: a case's `says`).
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: hostile_read PATH\n");
    return 1;
  }
  // The app's CLI echoes warnings and errors to stderr; so does this, the driver keeps them.
  bcmap::setLogEchoLevel(bcmap::LogLevel::Warning);
  bcmap::VectorReadOptions options;
  options.path = argv[1];
  std::string err;
  auto result = bcmap::readVector(options, &err);
  if (!result) {
    std::printf("{\"ok\": false, \"error\": %s}\n", jsonString(err).c_str());
    return 0;
  }
  const bcmap::GeometryColumn& g = result->table.geometry;
  size_t withGeometry = 0;
  for (size_t f = 0; f < g.featureCount(); ++f)
    if (g.featureParts[f + 1] > g.featureParts[f]) ++withGeometry;
  std::printf("{\"ok\": true, \"features\": %zu, \"withGeometry\": %zu, \"skipped\": %zu, \"kind\": %s, "
              "\"vertices\": %zu}\n",
              result->table.featureCount(), withGeometry, result->skipped,
              jsonString(bcmap::geometryKindName(result->kind)).c_str(), g.xy.size());
  return 0;
}
