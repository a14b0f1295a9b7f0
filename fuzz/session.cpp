// Harness: the session file reader (host/SessionFile.h) on any bytes as a session file.
// loadSession must give a session or a message — never crash, hang or grow without bound —
// and a session it gives must survive a round trip: what sessionToJson writes reads back.
//
// Left out: a displayCrs that is neither empty, an EPSG number, AUTH:CODE nor text starting
// with "+" (normalizeCrs refuses a "+" string without +proj=/+init= at once). The reader
// hands other text to PROJ (normalizeCrs), whose search of its database by name takes 1.5 s
// a text (7 s and more under ASan), so such inputs would take the whole run; that search is
// PROJ's, and its cost is reported in fuzz/README.md.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <string>

#include "FuzzSupport.h"
#include "host/SessionFile.h"

namespace {

// Text normalizeCrs reads without a search by name.
bool quickCrsText(const std::string& text) {
  size_t a = 0, b = text.size();
  while (a < b && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(text[b - 1]))) --b;
  const std::string t = text.substr(a, b - a);
  if (t.empty() || t[0] == '+') return true;
  const size_t colon = t.find(':');
  for (size_t i = 0; i < t.size(); ++i) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (i == colon) continue;
    if (!std::isalnum(c) && c != '_' && c != '.') return false;
  }
  return colon == std::string::npos ? std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); })
                                    : colon > 0 && colon + 1 < t.size();
}

bool slowCrs(const uint8_t* data, size_t size) {
  const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (!j.is_object()) return false;
  const auto crs = j.find("displayCrs");
  return crs != j.end() && crs->is_string() && !quickCrsText(crs->get<std::string>());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size <= bcmap::kMaxSessionBytes && slowCrs(data, size)) return 0;
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
