// Harness: the session file reader (host/SessionFile.h) on any bytes as a session file.
// loadSession must give a session or a message — never crash, hang or grow without bound —
// and a session it gives must survive a round trip: what sessionToJson writes reads back.
#include <string>

#include "FuzzSupport.h"
#include "host/SessionFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = bcmap::fuzz::writeScratchFile(
      std::string_view(reinterpret_cast<const char*>(data), size), "-session.json");
  std::string err;
  const std::optional<bcmap::SessionData> s = bcmap::loadSession(path, &err);
  if (!s) {
    BCMAP_FUZZ_CHECK(!err.empty());
    return 0;
  }
  BCMAP_FUZZ_CHECK(err.empty());
  const std::string again = bcmap::sessionToJson(*s);
  std::string err2;
  const std::optional<bcmap::SessionData> back = bcmap::sessionFromJson(again, &err2);
  if (!back) std::fprintf(stderr, "round trip: %s\n", err2.c_str());
  BCMAP_FUZZ_CHECK(back.has_value());
  BCMAP_FUZZ_CHECK(back->layers.size() == s->layers.size());
  return 0;
}
