// Sections: 1. the file  2. from the viewer  3. to the viewer
#include "ui/Session.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/LayerStore.h"
#include "core/Log.h"
#include "core/Projection.h"

namespace bcmap {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int kSessionVersion = 1;  // bumped when a member changes meaning

std::string dayText(int32_t day) { return formatDate(day); }

// A float as the double with the shortest decimal form that reads back as the same float,
// so the file says 0.4 rather than 0.4000000059604645.
double shortestDouble(float v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::strtod(std::string(buf, r.ptr).c_str(), nullptr);
}

// Members of the wrong type make the whole file suspect: say which one.
bool wrongType(std::string* err, const std::string& where, const char* expected) {
  if (err) *err = where + ": expected " + expected;
  return false;
}

bool readLayer(const Json& j, size_t index, LayerSession& out, std::string* err) {
  const std::string where = "layers[" + std::to_string(index) + "]";
  if (!j.is_object()) return wrongType(err, where, "an object");
  auto id = j.find("id");
  if (id == j.end() || !id->is_string() || id->get_ref<const std::string&>().empty())
    return wrongType(err, where + ".id", "a non-empty string");
  out.id = id->get<std::string>();
  if (auto v = j.find("visible"); v != j.end()) {
    if (!v->is_boolean()) return wrongType(err, where + ".visible", "true or false");
    out.visible = v->get<bool>();
  }
  if (auto v = j.find("opacity"); v != j.end()) {
    if (!v->is_number()) return wrongType(err, where + ".opacity", "a number");
    out.opacity = std::clamp(v->get<float>(), 0.0f, 1.0f);
    if (!std::isfinite(out.opacity)) out.opacity = 1.0f;
  }
  out.order = static_cast<int>(index);
  if (auto v = j.find("order"); v != j.end()) {
    if (!v->is_number_integer()) return wrongType(err, where + ".order", "an integer");
    out.order = v->get<int>();
  }
  if (auto v = j.find("settings"); v != j.end()) {
    if (!v->is_object()) return wrongType(err, where + ".settings", "an object of strings");
    for (auto it = v->begin(); it != v->end(); ++it) {
      if (!it->is_string()) return wrongType(err, where + ".settings." + it.key(), "a string");
      out.settings.emplace_back(it.key(), it->get<std::string>());
    }
  }
  return true;
}

bool readSession(const Json& j, SessionData& s, std::string* err) {
  if (!j.is_object()) return wrongType(err, "the file", "a JSON object");
  if (auto v = j.find("displayCrs"); v != j.end()) {
    if (!v->is_string()) return wrongType(err, "displayCrs", "a string");
    s.displayCrs = v->get<std::string>();
  }
  if (auto v = j.find("view"); v != j.end()) {
    if (!v->is_object()) return wrongType(err, "view", "an object");
    const Json& view = *v;
    for (const char* k : {"centerX", "centerY", "unitsPerPixel"})
      if (!view.contains(k) || !view[k].is_number()) return wrongType(err, std::string("view.") + k, "a number");
    s.center = {view["centerX"].get<double>(), view["centerY"].get<double>()};
    s.unitsPerPixel = view["unitsPerPixel"].get<double>();
    s.hasView = std::isfinite(s.center.x) && std::isfinite(s.center.y) && std::isfinite(s.unitsPerPixel) &&
                s.unitsPerPixel > 0;
  }
  if (auto v = j.find("time"); v != j.end()) {
    if (!v->is_object()) return wrongType(err, "time", "an object");
    const Json& t = *v;
    if (auto a = t.find("all"); a != t.end()) {
      if (!a->is_boolean()) return wrongType(err, "time.all", "true or false");
      s.timeAll = a->get<bool>();
    }
    if (auto d = t.find("day"); d != t.end()) {
      const std::optional<int32_t> day = d->is_string() ? parseDate(d->get<std::string>()) : std::nullopt;
      if (!day) return wrongType(err, "time.day", "a date YYYY-MM-DD");
      s.day = std::clamp(*day, kTimeFirstDay, kTimeLastDay);
    }
    if (auto sp = t.find("speedDaysPerSec"); sp != t.end()) {
      if (!sp->is_number()) return wrongType(err, "time.speedDaysPerSec", "a number");
      // The nearest of the speeds the slider offers.
      const double want = sp->get<double>();
      for (int i = 0; i < kTimeSpeedCount; ++i)
        if (std::abs(kTimeSpeeds[i].daysPerSec - want) < std::abs(kTimeSpeeds[s.timeSpeed].daysPerSec - want))
          s.timeSpeed = i;
    }
  }
  if (auto v = j.find("layers"); v != j.end()) {
    if (!v->is_array()) return wrongType(err, "layers", "an array");
    for (size_t i = 0; i < v->size(); ++i) {
      LayerSession l;
      if (!readLayer((*v)[i], i, l, err)) return false;
      s.layers.push_back(std::move(l));
    }
  }
  return true;
}

}  // namespace

// ---- 1. the file ---------------------------------------------------------------------------
std::string sessionFilePath() {
  if (const char* p = std::getenv("BCMAP_SESSION"); p && *p) return p;
  // XDG Base Directory Specification: $XDG_CONFIG_HOME, default $HOME/.config.
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x && fs::path(x).is_absolute())
    return (fs::path(x) / "bcmap" / "session.json").string();
  if (const char* h = std::getenv("HOME"); h && *h) return (fs::path(h) / ".config" / "bcmap" / "session.json").string();
  return {};
}

std::string sessionToJson(const SessionData& s) {
  Json j = Json::object();
  j["version"] = kSessionVersion;
  j["displayCrs"] = s.displayCrs;
  if (s.hasView) j["view"] = {{"centerX", s.center.x}, {"centerY", s.center.y}, {"unitsPerPixel", s.unitsPerPixel}};
  const int speed = std::clamp(s.timeSpeed, 0, kTimeSpeedCount - 1);
  j["time"] = {{"all", s.timeAll}, {"day", dayText(s.day)}, {"speedDaysPerSec", kTimeSpeeds[speed].daysPerSec}};
  Json layers = Json::array();
  for (const LayerSession& l : s.layers) {
    Json settings = Json::object();
    for (const auto& [k, v] : l.settings) settings[k] = v;
    layers.push_back({{"id", l.id},
                      {"visible", l.visible},
                      {"opacity", shortestDouble(l.opacity)},
                      {"order", l.order},
                      {"settings", std::move(settings)}});
  }
  j["layers"] = std::move(layers);
  // Paths from the file system need not be UTF-8: replace what is not, rather than fail.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::optional<SessionData> sessionFromJson(std::string_view text, std::string* err) {
  Json j;
  try {
    j = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    if (err) *err = e.what();
    return std::nullopt;
  }
  SessionData s;
  try {
    if (!readSession(j, s, err)) return std::nullopt;
  } catch (const Json::exception& e) {  // a number out of an int's range, say
    if (err) *err = e.what();
    return std::nullopt;
  }
  return s;
}

bool saveSession(const std::string& path, const SessionData& s, std::string* err) {
  auto fail = [&](const std::string& why) {
    if (err) *err = "session " + path + ": " + why;
    return false;
  };
  if (path.empty()) return fail("no place to save it (set BCMAP_SESSION or HOME)");
  std::error_code ec;
  const fs::path dir = fs::path(path).parent_path();
  if (!dir.empty()) fs::create_directories(dir, ec);
  if (ec) return fail("cannot make the folder: " + ec.message());
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << sessionToJson(s);
    if (!out.flush()) return fail("cannot write " + tmp);
  }
  fs::rename(tmp, path, ec);
  if (ec) return fail(ec.message());
  return true;
}

std::optional<SessionData> loadSession(const std::string& path, std::string* err) {
  if (err) err->clear();
  std::error_code ec;
  if (path.empty() || !fs::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    if (err) *err = "session " + path + ": cannot read it";
    return std::nullopt;
  }
  std::string why;
  std::optional<SessionData> s = sessionFromJson(text.str(), &why);
  if (!s && err) *err = "session " + path + ": " + why;
  return s;
}

// ---- 2. from the viewer --------------------------------------------------------------------
SessionData captureSession(ViewerState& st) {
  SessionData s;
  s.displayCrs = st.displayCrs;
  s.hasView = std::isfinite(st.view.center.x) && std::isfinite(st.view.center.y) && st.view.unitsPerPixel > 0;
  s.center = st.view.center;
  s.unitsPerPixel = st.view.unitsPerPixel;
  s.timeAll = st.time.all;
  s.day = st.time.day;
  s.timeSpeed = st.time.speed;
  auto& layers = st.session->store->layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = *layers[i];
    if (l.isFileLayer) continue;
    LayerSession ls;
    ls.id = l.id;
    ls.visible = l.visible;
    ls.opacity = l.opacity;
    ls.order = static_cast<int>(i);
    for (const LayerSetting& setting : l.settings) ls.settings.emplace_back(setting.key, setting.value);
    s.layers.push_back(std::move(ls));
  }
  return s;
}

// ---- 3. to the viewer ----------------------------------------------------------------------
int restoreLayers(const SessionData& s, LayerStore& store, bool restoreVisibility) {
  int restored = 0;
  std::vector<std::pair<int, Layer*>> known;  // saved order, layer
  for (const LayerSession& saved : s.layers) {
    Layer* l = store.find(saved.id);
    if (!l || l->isFileLayer) {
      if (saved.id.rfind("file:", 0) != 0)
        logInfo("session: layer " + saved.id + " is no longer there; its saved state is ignored");
      continue;
    }
    bool changed = false;
    for (const auto& [key, value] : saved.settings) {
      auto it = std::find_if(l->settings.begin(), l->settings.end(), [&](const LayerSetting& x) { return x.key == key; });
      if (it == l->settings.end()) {
        logInfo("session: layer " + l->id + " has no setting '" + key + "' any more; ignored");
        continue;
      }
      if (it->value != value) {
        it->value = value;
        changed = true;
      }
    }
    if (restoreVisibility) l->visible = saved.visible;
    // A pending layer gets the values at its first load; a loaded or failed one loads again
    // (a failed one may have failed for a value the session changes).
    if ((changed && l->status != LayerStatus::Pending) || (l->visible && l->status == LayerStatus::Pending))
      store.load(*l);
    if (l->status == LayerStatus::Failed) logWarning("session: layer " + l->id + " failed: " + l->error);
    l->opacity = saved.opacity;
    l->opacitySet = true;  // later loads (async ones too) keep it
    known.emplace_back(saved.order, l);
    ++restored;
  }
  // Draw order: the saved layers in their saved order; the others keep their index.
  std::stable_sort(known.begin(), known.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Layer*> order;
  for (const auto& k : known) order.push_back(k.second);
  auto& layers = store.layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    Layer* l = layers[i].get();
    if (std::none_of(known.begin(), known.end(), [&](const auto& k) { return k.second == l; }))
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(std::min(i, order.size())), l);
  }
  for (size_t target = 0; target < order.size(); ++target) {
    size_t from = target;
    while (from < layers.size() && layers[from].get() != order[target]) ++from;
    if (from < layers.size() && from != target) store.move(from, target);
  }
  return restored;
}

bool restoreDisplayCrs(const SessionData& s, ViewerState& st) {
  if (s.displayCrs.empty() || s.displayCrs == st.displayCrs) return true;
  std::string err;
  auto toLonLat = Transformer::create(s.displayCrs, kLonLatCrs, &err);
  if (!toLonLat) {
    logWarning("session: display CRS " + s.displayCrs + " is not usable (" + err + "); keeping " + st.displayCrs);
    return false;
  }
  st.displayCrs = s.displayCrs;
  st.toLonLat = std::move(toLonLat);
  st.displayIsGeographic = isGeographicCrs(st.displayCrs);
  return true;
}

bool restoreView(const SessionData& s, ViewerState& st) {
  if (!s.hasView || s.displayCrs != st.displayCrs) return false;
  st.view.center = s.center;
  st.view.unitsPerPixel = s.unitsPerPixel;
  return true;
}

void restoreTime(const SessionData& s, ViewerState& st) {
  st.time.all = s.timeAll;
  st.time.day = std::clamp(s.day, kTimeFirstDay, kTimeLastDay);
  st.time.speed = std::clamp(s.timeSpeed, 0, kTimeSpeedCount - 1);
  st.time.playing = false;
}

}  // namespace bcmap
