// Sections: 1. reading and writing JSON  2. the file  3. applying the layers
#include "host/SessionFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "host/LayerStore.h"
#include "io/AtomicFile.h"
#include "io/DbSource.h"
#include "io/Projection.h"
#include "io/XdgDirs.h"
#include "model/Log.h"

namespace bcmap {

namespace {

// ---- 1. reading and writing JSON -----------------------------------------------------------

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
  if (auto v = j.find("file"); v != j.end()) {
    if (!v->is_string()) return wrongType(err, where + ".file", "a path");
    out.file = v->get<std::string>();
  }
  if (auto v = j.find("gcj02"); v != j.end()) {
    if (!v->is_boolean()) return wrongType(err, where + ".gcj02", "true or false");
    out.gcj02 = v->get<bool>();
  }
  if (auto v = j.find("style"); v != j.end() && !v->is_null()) {
    if (!v->is_object()) return wrongType(err, where + ".style", "an object");
    out.style = v->dump();
  }
  if (auto v = j.find("selected"); v != j.end()) {
    if (!v->is_array()) return wrongType(err, where + ".selected", "an array of feature ids");
    for (const Json& fid : *v) {
      if (!fid.is_string() && !fid.is_number_integer()) return wrongType(err, where + ".selected[]", "a feature id");
      out.selected.push_back(fid.is_string() ? fid.get<std::string>() : std::to_string(fid.get<long long>()));
    }
  }
  return true;
}

// The deepest nesting of arrays and objects in `text`, counted without parsing (strings
// skipped), stopping once past `limit`: nlohmann's parser and dump() recurse once a level,
// so a document nested 100,000 deep must be refused before either sees it.
size_t jsonDepthBeyond(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

bool readSession(const Json& j, SessionData& s, std::string* err) {
  if (!j.is_object()) return wrongType(err, "the file", "a JSON object");
  if (auto v = j.find("displayCrs"); v != j.end()) {
    if (!v->is_string()) return wrongType(err, "displayCrs", "a string");
    s.displayCrs = v->get<std::string>();
    // Hand-edited text ("+proj=laea ...") means the CRS it names; what PROJ cannot read
    // stays as written, so restoring it says why.
    if (std::optional<std::string> crs = normalizeCrs(s.displayCrs, nullptr)) s.displayCrs = std::move(*crs);
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
    // The canvas it was seen in: optional (sessions before issue 10 have none).
    for (auto [key, out] : {std::pair<const char*, int*>{"widthPx", &s.viewWidthPx}, {"heightPx", &s.viewHeightPx}}) {
      if (!view.contains(key)) continue;
      if (!view[key].is_number_integer()) return wrongType(err, std::string("view.") + key, "a whole number");
      *out = static_cast<int>(std::clamp<int64_t>(view[key].get<int64_t>(), 0, 100000));
    }
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
    if (auto m = t.find("mode"); m != t.end()) {
      const std::string mode = m->is_string() ? m->get<std::string>() : "";
      if (mode == "span")
        s.timeMode = TimeMode::Span;
      else if (mode == "cumulative")
        s.timeMode = TimeMode::Cumulative;
      else if (mode == "window")
        s.timeMode = TimeMode::Window;
      else
        return wrongType(err, "time.mode", "\"span\", \"cumulative\" or \"window\"");
    }
    if (auto w = t.find("windowDays"); w != t.end()) {
      if (!w->is_number_integer()) return wrongType(err, "time.windowDays", "an integer");
      s.windowDays = std::clamp(w->get<int32_t>(), 1, kTimeLastDay - kTimeFirstDay + 1);
    }
    if (auto c = t.find("dateCounter"); c != t.end()) {
      if (!c->is_boolean()) return wrongType(err, "time.dateCounter", "true or false");
      s.dateCounter = c->get<bool>();
    }
  }
  if (auto v = j.find("panels"); v != j.end()) {
    if (!v->is_object()) return wrongType(err, "panels", "an object");
    s.hasPanels = true;
    PanelSession& p = s.panels;
    for (auto [key, flag] : {std::pair<const char*, bool*>{"legend", &p.legend}, {"inset", &p.inset},
                             {"search", &p.search}, {"navigation", &p.navigation}, {"chart", &p.chart},
                             {"log", &p.log}})
      if (auto b = v->find(key); b != v->end()) {
        if (!b->is_boolean()) return wrongType(err, std::string("panels.") + key, "true or false");
        *flag = b->get<bool>();
      }
    if (auto u = v->find("uiScale"); u != v->end()) {
      if (!u->is_number()) return wrongType(err, "panels.uiScale", "a number");
      p.uiScale = std::clamp(u->get<float>(), 0.75f, 2.0f);
      if (!std::isfinite(p.uiScale)) p.uiScale = 1.0f;
    }
    if (auto b = v->find("legendOnCanvas"); b != v->end()) {
      if (!b->is_boolean()) return wrongType(err, "panels.legendOnCanvas", "true or false");
      p.legendOnCanvas = b->get<bool>();
    }
    if (auto d = v->find("dock"); d != v->end()) {
      if (!d->is_object()) return wrongType(err, "panels.dock", "an object");
      p.hasDock = true;
      for (auto [key, width] : {std::pair<const char*, float*>{"leftWidth", &p.leftDockWidth}, {"rightWidth", &p.rightDockWidth}})
        if (auto n = d->find(key); n != d->end()) {
          if (!n->is_number()) return wrongType(err, std::string("panels.dock.") + key, "a number");
          const float w = n->get<float>();
          if (std::isfinite(w)) *width = std::clamp(w, 100.0f, 2000.0f);
        }
      for (auto [key, flag] : {std::pair<const char*, bool*>{"leftCollapsed", &p.leftCollapsed},
                               {"rightCollapsed", &p.rightCollapsed}, {"bottomCollapsed", &p.bottomCollapsed}})
        if (auto b = d->find(key); b != d->end()) {
          if (!b->is_boolean()) return wrongType(err, std::string("panels.dock.") + key, "true or false");
          *flag = b->get<bool>();
        }
    }
  }
  if (auto v = j.find("layers"); v != j.end()) {
    if (!v->is_array()) return wrongType(err, "layers", "an array");
    if (v->size() > kMaxSessionLayers) {
      if (err)
        *err = "layers: " + std::to_string(v->size()) + " layers, more than the " + std::to_string(kMaxSessionLayers) +
               " a session may hold";
      return false;
    }
    for (size_t i = 0; i < v->size(); ++i) {
      LayerSession l;
      if (!readLayer((*v)[i], i, l, err)) return false;
      s.layers.push_back(std::move(l));
    }
  }
  return true;
}

std::string settingValue(const Layer& l, const std::string& key) {
  for (const LayerSetting& s : l.settings)
    if (s.key == key) return s.value;
  return {};
}

// A saved user style goes back on its layer (LayerStore::setUserStyle); one this version
// cannot read is logged and the layer keeps the plugin's style.
void applySavedStyle(LayerStore& store, Layer& l, const std::string& style) {
  if (style.empty()) return;
  std::string err;
  std::optional<StyleSpec> spec = styleSpecFromJson(style, &err);
  if (spec && store.setUserStyle(l, std::move(spec), &err)) return;
  logWarning("session: layer " + l.id + ": the saved style is not used: " + err);
}

}  // namespace

// ---- 2. the file ---------------------------------------------------------------------------
std::string sessionFilePath() {
  if (const char* p = std::getenv("BCMAP_SESSION"); p && *p) return p;
  if (const std::string config = xdg::configHome(); !config.empty())
    return (fs::path(config) / "bcmap" / "session.json").string();
  return {};
}

std::string sessionToJson(const SessionData& s) {
  Json j = Json::object();
  j["version"] = kSessionVersion;
  j["displayCrs"] = s.displayCrs;
  if (s.hasView) {
    j["view"] = {{"centerX", s.center.x}, {"centerY", s.center.y}, {"unitsPerPixel", s.unitsPerPixel}};
    if (s.viewWidthPx > 0 && s.viewHeightPx > 0) {
      j["view"]["widthPx"] = s.viewWidthPx;
      j["view"]["heightPx"] = s.viewHeightPx;
    }
  }
  const int speed = std::clamp(s.timeSpeed, 0, kTimeSpeedCount - 1);
  static constexpr const char* kModeNames[] = {"span", "cumulative", "window"};
  j["time"] = {{"all", s.timeAll},
               {"day", dayText(s.day)},
               {"speedDaysPerSec", kTimeSpeeds[speed].daysPerSec},
               {"mode", kModeNames[static_cast<int>(s.timeMode)]},
               {"windowDays", s.windowDays},
               {"dateCounter", s.dateCounter}};
  if (s.hasPanels) {
    const PanelSession& p = s.panels;
    j["panels"] = {{"legend", p.legend}, {"inset", p.inset},   {"search", p.search},
                   {"navigation", p.navigation}, {"chart", p.chart}, {"log", p.log},
                   {"uiScale", shortestDouble(p.uiScale)}, {"legendOnCanvas", p.legendOnCanvas}};
    if (p.hasDock)
      j["panels"]["dock"] = {{"leftWidth", shortestDouble(p.leftDockWidth)},
                             {"rightWidth", shortestDouble(p.rightDockWidth)},
                             {"leftCollapsed", p.leftCollapsed},
                             {"rightCollapsed", p.rightCollapsed},
                             {"bottomCollapsed", p.bottomCollapsed}};
  }
  Json layers = Json::array();
  for (const LayerSession& l : s.layers) {
    Json settings = Json::object();
    for (const auto& [k, v] : l.settings) settings[k] = v;
    Json layer = {{"id", l.id},
                  {"visible", l.visible},
                  {"opacity", shortestDouble(l.opacity)},
                  {"order", l.order},
                  {"settings", std::move(settings)}};
    if (!l.file.empty()) {
      layer["file"] = l.file;
      layer["gcj02"] = l.gcj02;
    }
    // The style is kept as the JSON it was given: an unreadable one stays out of the file.
    if (!l.style.empty()) {
      Json style = Json::parse(l.style, nullptr, false);
      if (style.is_object()) layer["style"] = std::move(style);
    }
    if (!l.selected.empty()) layer["selected"] = l.selected;
    layers.push_back(std::move(layer));
  }
  j["layers"] = std::move(layers);
  // Paths from the file system need not be UTF-8: replace what is not, rather than fail.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::optional<SessionData> sessionFromJson(std::string_view text, std::string* err) {
  if (text.size() > kMaxSessionBytes) {
    if (err)
      *err = std::to_string(text.size()) + " bytes, more than the " + std::to_string(kMaxSessionBytes >> 20) +
             " MiB a session may be";
    return std::nullopt;
  }
  if (jsonDepthBeyond(text, kMaxSessionDepth) > kMaxSessionDepth) {
    if (err) *err = "nested deeper than " + std::to_string(kMaxSessionDepth) + " levels";
    return std::nullopt;
  }
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
  // A temporary file of its own (two viewers never share one), synced, then renamed: a
  // crash mid-write leaves the earlier session whole.
  std::string why;
  if (!writeFileAtomically(path, sessionToJson(s), &why)) return fail(why);
  return true;
}

std::string setAsideBadSession(const std::string& path, std::string* err) {
  // A FIFO or a device named as the session is not ours to move (as root, linking and
  // unlinking /dev/zero would remove it); nor is a folder.
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    if (err) *err = "session " + path + ": not a regular file; left where it is";
    return {};
  }
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  const std::string base = path + ".bad-" + stamp;
  std::error_code ec;
  for (int n = 1; n < 100; ++n) {
    const std::string target = n == 1 ? base : base + "-" + std::to_string(n);
    if (fs::exists(fs::symlink_status(target, ec))) continue;
    // link + unlink rather than rename: never replaces a file another process just made.
    if (::link(path.c_str(), target.c_str()) == 0) {
      ::unlink(path.c_str());
      return target;
    }
    if (errno == EEXIST) continue;
    fs::rename(path, target, ec);  // a file system without hard links
    if (!ec) return target;
    if (err) *err = "session " + path + ": cannot keep it as " + target + ": " + ec.message();
    return {};
  }
  if (err) *err = "session " + path + ": cannot keep it: every name for the copy is taken";
  return {};
}

std::optional<SessionData> loadSession(const std::string& path, std::string* err) {
  if (err) err->clear();
  std::error_code ec;
  if (path.empty() || !fs::exists(path, ec)) return std::nullopt;
  auto fail = [&](const std::string& why) -> std::optional<SessionData> {
    if (err) *err = "session " + path + ": " + why;
    return std::nullopt;
  };
  // Opened without blocking (a FIFO would wait for a writer forever), then checked on the
  // descriptor itself: only a regular file of at most kMaxSessionBytes is read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return fail(std::string("cannot open it: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st{};
  if (::fstat(fd, &st) != 0) return fail(std::string("cannot read it: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    return fail(std::string("not a regular file (") +
                (S_ISDIR(st.st_mode) ? "a folder" : S_ISFIFO(st.st_mode) ? "a FIFO" : "a device or socket") + ")");
  if (static_cast<uint64_t>(st.st_size) > kMaxSessionBytes)
    return fail(std::to_string(st.st_size) + " bytes, more than the " + std::to_string(kMaxSessionBytes >> 20) +
                " MiB a session may be");
  // Read to the end, but never past the limit: the file may grow while it is read.
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::string("cannot read it: ") + std::strerror(errno));
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxSessionBytes)
      return fail("more than the " + std::to_string(kMaxSessionBytes >> 20) + " MiB a session may be");
  }
  std::string why;
  std::optional<SessionData> s = sessionFromJson(text, &why);
  if (!s && err) *err = "session " + path + ": " + why;
  return s;
}

// ---- 3. applying the layers ----------------------------------------------------------------
int restoreLayers(const SessionData& s, LayerStore& store, PluginHost* host, bool restoreVisibility) {
  int restored = 0;
  std::vector<std::pair<int, Layer*>> known;  // saved order, layer
  for (const LayerSession& saved : s.layers) {
    Layer* l = nullptr;
    if (!saved.file.empty()) {
      // A file the session opened: opened again unless it is open already.
      for (auto& x : store.layers())
        if (x->isFileLayer && settingValue(*x, "path") == saved.file) l = x.get();
      if (!l && host) {
        std::error_code ec;
        // A database source (saved as DbSource::display(): no password) is no file.
        if (!isDbSource(saved.file) && !fs::exists(saved.file, ec)) {
          l = &store.addMissingLayer(saved.id, "文件不存在 file missing: " + saved.file);
          // Saved again as the file it was, so it opens once the file is back.
          l->isFileLayer = true;
          l->settings.push_back(LayerSetting{"path", "path", BCMAP_SETTING_TEXT, saved.file, saved.file, 0, 0, {}, false});
          l->settings.push_back(LayerSetting{"gcj02", "gcj02", BCMAP_SETTING_BOOL, saved.gcj02 ? "true" : "false",
                                             "false", 0, 0, {}, false});
          logWarning("session: layer " + saved.id + ": the file " + saved.file + " is missing");
        } else {
          l = &store.addFileLayer(*host, saved.file, saved.gcj02);
          store.load(*l);
        }
      }
    } else {
      l = store.find(saved.id);
      if (!l) {
        // Kept in the list, marked, so the user sees what the session expected.
        l = &store.addMissingLayer(saved.id, "插件缺失 plugin missing: no plugin makes the layer '" + saved.id + "'");
        logWarning("session: layer " + saved.id + " is missing (its plugin is not installed)");
      }
    }
    if (!l) continue;
    if (l->status == LayerStatus::Failed && l->refused) {
      l->visible = false;
      known.emplace_back(saved.order, l);
      continue;
    }
    bool changed = false;
    for (const auto& [key, value] : saved.settings) {
      // A plain iterator loop: clang before 16 cannot capture a structured binding in a lambda.
      auto it = l->settings.begin();
      while (it != l->settings.end() && it->key != key) ++it;
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
    applySavedStyle(store, *l, saved.style);
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


std::vector<std::pair<std::string, size_t>> restoreSelection(const SessionData& s, LayerStore& store,
                                                             std::string_view onlyLayer) {
  std::vector<std::pair<std::string, size_t>> out;
  for (const LayerSession& saved : s.layers) {
    if (saved.selected.empty() || (!onlyLayer.empty() && saved.id != onlyLayer)) continue;
    Layer* l = store.find(saved.id);
    if (!l || l->status != LayerStatus::Loaded) continue;
    // The layer's ids indexed once (the first feature of an id wins): a saved selection of
    // many ids over a big layer is linear, not ids x features.
    std::unordered_map<std::string, size_t> featureOf;
    featureOf.reserve(l->table.featureCount());
    for (size_t f = 0; f < l->table.featureCount(); ++f) featureOf.emplace(l->table.featureId(f), f);
    for (const std::string& id : saved.selected)
      if (auto it = featureOf.find(id); it != featureOf.end()) out.emplace_back(l->id, it->second);
  }
  return out;
}

}  // namespace bcmap
