// Sections: 1. text  2. pinyin table  3. building  4. counties  5. query  6. scanning big layers
#include "host/SearchIndex.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <sstream>

#include "host/LayerStore.h"
#include "model/Log.h"
#include "io/Projection.h"

namespace bcmap {

namespace {

// Attribute names the index reads, in order of preference. The own code comes before a
// parent's: a village row carries its own `code` and its township's `township_code`
// (geodata/README.md), so parent codes are never taken for the place's own.
constexpr const char* kNameFields[] = {"name_zh", "village_zh", "name", "NAME"};
constexpr const char* kEnglishFields[] = {"name_en", "NAME_EN", "name_english"};
constexpr const char* kCodeFields[] = {"village_code", "code", "adcode", "town_code"};
constexpr const char* kCountyFields[] = {"county_zh", "county", "county_name"};

// Two places with the same name and kind but no codes to compare are one place when they
// are this close: a village's point and the start of its relocation route coincide, two
// villages of one name in different townships lie kilometres apart.
constexpr double kSamePlaceM = 1000.0;

template <size_t N>
const AttributeColumn* firstColumn(const FeatureTable& t, const char* const (&names)[N]) {
  for (const char* n : names)
    if (const AttributeColumn* c = t.column(n)) return c;
  return nullptr;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Without a code, the name's administrative suffix says the kind.
PlaceKind placeKindOfName(std::string_view nameZh) {
  for (std::string_view s : {"县", "市", "区", "旗"})
    if (endsWith(nameZh, s)) return PlaceKind::County;
  for (std::string_view s : {"镇", "乡", "街道", "苏木"})
    if (endsWith(nameZh, s)) return PlaceKind::Township;
  for (std::string_view s : {"村", "屯", "嘎查"})
    if (endsWith(nameZh, s)) return PlaceKind::Village;
  return PlaceKind::Other;
}

int kindRank(PlaceKind k) {
  switch (k) {
    case PlaceKind::County: return 0;
    case PlaceKind::Township: return 1;
    case PlaceKind::Village: return 2;
    case PlaceKind::Other: return 3;
  }
  return 3;
}

uint32_t codePoints(std::string_view s) {
  uint32_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Decodes one UTF-8 sequence at s[i] (advancing i); invalid bytes come back as themselves.
char32_t nextCodePoint(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return c;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      ++i;
      return c;
    }
    cp = (cp << 6) | (b(i + k) & 0x3Fu);
  }
  i += len;
  return cp;
}

// A polygon layer whose every feature has a 6-digit (county-level) code.
bool isCountyCodeLayer(const SearchSource& src) {
  if (src.kind != GeometryKind::Polygon || !src.table || src.table->featureCount() == 0) return false;
  const AttributeColumn* code = firstColumn(*src.table, kCodeFields);
  if (!code) return false;
  for (size_t f = 0; f < src.table->featureCount(); ++f)
    if (placeKindOfCode(code->text(f)) != PlaceKind::County) return false;
  return true;
}

bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

// Where each word of `name` starts in normalizeSearchText(name): a word follows the start, a
// space, a hyphen, a slash or a bracket ("Da'an" is one word: the apostrophe joins).
std::vector<uint32_t> wordStarts(std::string_view name) {
  std::vector<uint32_t> starts;
  bool atStart = true;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool separator = c == ' ' || c == '-' || c == '/' || c == '(' || c == ')' || c == ',' || c == '\t';
    if (!separator && atStart) {
      const uint32_t at = static_cast<uint32_t>(normalizeSearchText(name.substr(0, i)).size());
      if (starts.empty() || starts.back() != at) starts.push_back(at);
    }
    atStart = separator;
  }
  return starts;
}

// Even-odd over every ring.
bool ringsContain(const std::vector<std::vector<Vec2>>& rings, Vec2 q) {
  bool inside = false;
  for (const std::vector<Vec2>& ring : rings) {
    const size_t n = ring.size();
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
      const Vec2 a = ring[i], b = ring[j];
      if ((a.y > q.y) != (b.y > q.y) && q.x < (b.x - a.x) * (q.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
    }
  }
  return inside;
}

}  // namespace

// ---- 1. text -------------------------------------------------------------------------------
namespace {
// normalizeSearchText into a buffer the caller reuses: a scan normalizes millions of names
// and must not allocate for each.
void normalizeInto(std::string_view text, std::string& out) {
  out.clear();
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    char32_t cp = nextCodePoint(text, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
    if (cp == 0x3000) cp = ' ';                       // ideographic space
    if (cp == 0xFC || cp == 0xDC) cp = 'v';           // ü, Ü
    if (cp == ' ' || cp == '\t' || cp == '\'' || cp == 0x2018 || cp == 0x2019) continue;
    if (cp < 0x80) {
      out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
    } else {
      out.append(text.substr(start, i - start));
    }
  }
}

// How `key` matches the normalized query `q` (substring: anywhere past the start too).
MatchLevel matchLevel(const std::string& key, const std::string& q, bool substring) {
  if (key.size() < q.size()) return MatchLevel::None;
  if (key.compare(0, q.size(), q) == 0) return key.size() == q.size() ? MatchLevel::Exact : MatchLevel::Prefix;
  if (substring && key.find(q, 1) != std::string::npos) return MatchLevel::Substring;
  return MatchLevel::None;
}
}  // namespace

std::string normalizeSearchText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  normalizeInto(text, out);
  return out;
}

const char* placeKindLabel(PlaceKind kind) {
  switch (kind) {
    case PlaceKind::County: return "县区 county";
    case PlaceKind::Township: return "乡镇 township";
    case PlaceKind::Village: return "村 village";
    case PlaceKind::Other: return "其他 other";
  }
  return "";
}

PlaceKind placeKindOfCode(std::string_view code) {
  if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) return PlaceKind::Other;
  switch (code.size()) {
    case 6: return PlaceKind::County;
    case 9: return PlaceKind::Township;
    case 12: return PlaceKind::Village;
    default: return PlaceKind::Other;
  }
}

Bounds flyToBounds(const SearchEntry& e) {
  Bounds b;
  if (!finite(e.lonLat)) return b;
  const double halfKm = e.kind == PlaceKind::Village ? 1.5 : e.kind == PlaceKind::Township ? 4.0
                        : e.kind == PlaceKind::County ? 25.0 : 2.0;
  // Degrees of latitude and longitude per km near lonLat (a sphere of the WGS 84 mean radius
  // is plenty for framing a view).
  constexpr double kKmPerDegree = 6371.0088 * std::numbers::pi / 180;
  const double dLat = halfKm / kKmPerDegree;
  const double dLon = halfKm / (kKmPerDegree * std::max(std::cos(e.lonLat.y * std::numbers::pi / 180), 0.01));
  b.add(e.lonLat.x - dLon, e.lonLat.y - dLat);
  b.add(e.lonLat.x + dLon, e.lonLat.y + dLat);
  b.add(e.lonLatBounds);
  return b;
}

std::string SearchEntry::displayText() const { return nameEn.empty() ? nameZh : nameZh + " " + nameEn; }

// ---- 2. pinyin table -----------------------------------------------------------------------
const PinyinName* PinyinTable::find(const std::string& nameZh) const {
  auto it = names.find(normalizeSearchText(nameZh));
  return it == names.end() ? nullptr : &it->second;
}

PinyinTable parsePinyinTable(std::string_view json, const std::string& where, std::string* err) {
  PinyinTable table;
  const nlohmann::json j = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("names") || !j["names"].is_object()) {
    if (err) *err = where + ": not a pinyin table (expected a JSON object with \"names\")";
    return table;
  }
  for (const auto& [name, value] : j["names"].items()) {
    if (!value.is_object()) continue;
    PinyinName p;
    if (value.contains("full") && value["full"].is_string()) p.full = normalizeSearchText(value["full"].get<std::string>());
    if (value.contains("initials") && value["initials"].is_string())
      p.initials = normalizeSearchText(value["initials"].get<std::string>());
    if (p.full.empty()) continue;
    table.names.emplace(normalizeSearchText(name), std::move(p));
  }
  return table;
}

PinyinTable loadPinyinTable(const std::string& path, std::string* err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (err) *err = path + ": cannot read the pinyin table; search works without pinyin";
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parsePinyinTable(text.str(), path, err);
}

// ---- 3. building ---------------------------------------------------------------------------
void SearchIndex::build(LayerStore& store, const PinyinTable& pinyin) {
  builtFrom_.clear();
  std::vector<std::shared_ptr<const PreparedLayer>> keep;
  std::vector<SearchSource> sources;
  for (const auto& l : store.layers())
    if (l->status == LayerStatus::Loaded) builtFrom_.emplace_back(l->key, l->generation);
  // Topmost first: the last layer in the list draws on top.
  for (auto it = store.layers().rbegin(); it != store.layers().rend(); ++it) {
    Layer& l = **it;
    if (l.status != LayerStatus::Loaded) continue;
    if (l.table.featureCount() > kIndexedFeaturesMax) {
      // Scanned per query: no lon/lat copy (build(sources) notes the layer only).
      sources.push_back({l.id, l.kind, &l.table, nullptr, nullptr, l.style.labelField, l.style.labelSecondaryField,
                         l.sourceCrs});
      continue;
    }
    std::string err;
    std::shared_ptr<const PreparedLayer> p = store.prepare(l, kLonLatCrs, &err);
    if (!p) {
      logWarning("search: layer " + l.id + " left out: " + err);
      continue;
    }
    keep.push_back(p);
    sources.push_back({l.id, l.kind, &l.table, &p->geometry, &p->labelAnchor, l.style.labelField,
                       l.style.labelSecondaryField});
  }
  build(sources, pinyin);
}

bool SearchIndex::stale(LayerStore& store) const {
  size_t k = 0;
  for (const auto& l : store.layers()) {
    if (l->status != LayerStatus::Loaded) continue;
    if (k >= builtFrom_.size() || builtFrom_[k] != std::make_pair(l->key, l->generation)) return true;
    ++k;
  }
  return k != builtFrom_.size();
}

void SearchIndex::build(const std::vector<SearchSource>& sources, const PinyinTable& pinyin) {
  entries_.clear();
  counties_.clear();
  ++version_;
  scanLayers_.clear();
  scanText_.clear();
  scanLayer_ = scanFeature_ = 0;
  scanProgress_ = {};
  scanBest_.clear();
  scanEntries_.clear();
  const auto isBig = [](const SearchSource& src) {
    return src.table && (!src.lonLat || src.table->featureCount() > kIndexedFeaturesMax);
  };
  // Entries by Chinese name, to find the same place seen by another layer.
  std::unordered_map<std::string, std::vector<size_t>> byName;
  // The counties layer (for the county of places that do not name theirs): the layer with
  // the id "counties", else the first polygon layer whose features all have county codes.
  const SearchSource* countySource = nullptr;
  for (const SearchSource& src : sources)
    if (src.layerId == "counties" && src.kind == GeometryKind::Polygon && !isBig(src)) countySource = &src;
  for (size_t k = 0; k < sources.size() && !countySource; ++k)
    if (!isBig(sources[k]) && isCountyCodeLayer(sources[k])) countySource = &sources[k];
  std::vector<std::pair<size_t, size_t>> countyFeatures;  // (feature, entry) of countySource

  for (const SearchSource& src : sources) {
    if (!src.table) continue;
    const FeatureTable& t = *src.table;
    const AttributeColumn* name = src.labelField.empty() ? nullptr : t.column(src.labelField);
    if (!name) name = firstColumn(t, kNameFields);
    if (!name) continue;  // nothing to search by
    const AttributeColumn* english = firstColumn(t, kEnglishFields);
    if (!english && !src.secondaryField.empty()) english = t.column(src.secondaryField);
    const AttributeColumn* code = firstColumn(t, kCodeFields);
    const AttributeColumn* county = firstColumn(t, kCountyFields);
    if (isBig(src)) {
      scanLayers_.push_back({src.layerId, src.crs.empty() ? std::string(kLonLatCrs) : src.crs, src.kind, name->name,
                             english ? english->name : "", code ? code->name : "", county ? county->name : "",
                             t.featureCount(), nullptr});
      continue;
    }
    if (!src.lonLat || src.lonLat->featureCount() != t.featureCount()) continue;
    const bool haveAnchors = src.kind == GeometryKind::Polygon && src.anchors &&
                             src.anchors->size() == t.featureCount();
    const bool isCountyLayer = &src == countySource;

    const GeometryColumn& g = *src.lonLat;
    for (size_t f = 0; f < t.featureCount(); ++f) {
      SearchEntry e;
      e.nameZh = name->text(f);
      if (e.nameZh.empty()) continue;
      if (english) e.nameEn = english->text(f);
      if (code) e.code = code->text(f);
      if (county) e.county = county->text(f);
      e.kind = placeKindOfCode(e.code);
      if (e.kind == PlaceKind::Other) e.kind = placeKindOfName(e.nameZh);
      e.lonLatBounds = g.featureBounds(f);
      if (e.lonLatBounds.empty()) continue;  // no usable geometry: nowhere to fly
      if (haveAnchors && finite((*src.anchors)[f])) {
        e.lonLat = (*src.anchors)[f];
      } else if (src.kind == GeometryKind::Polygon) {
        e.lonLat = {(e.lonLatBounds.minX + e.lonLatBounds.maxX) / 2, (e.lonLatBounds.minY + e.lonLatBounds.maxY) / 2};
      } else {
        // A point, or where a line starts (a relocation route starts at its village).
        const uint32_t v = g.ringVertices[g.partRings[g.featureParts[f]]];
        e.lonLat = g.xy[v];
        if (!finite(e.lonLat))
          e.lonLat = {(e.lonLatBounds.minX + e.lonLatBounds.maxX) / 2, (e.lonLatBounds.minY + e.lonLatBounds.maxY) / 2};
      }
      if (e.kind == PlaceKind::County) e.county.clear();

      // The same place from another layer: same kind and name, and the same code, or no
      // code on one side and the two close together.
      const std::string nameKey = normalizeSearchText(e.nameZh);
      std::vector<size_t>& same = byName[nameKey];
      SearchEntry* into = nullptr;
      for (size_t k : same) {
        SearchEntry& o = entries_[k];
        if (o.kind != e.kind) continue;
        const bool codesAgree = !o.code.empty() && !e.code.empty() && o.code == e.code;
        const bool near = (o.code.empty() || e.code.empty()) && geodesicDistanceM(o.lonLat, e.lonLat) < kSamePlaceM;
        if (codesAgree || near) {
          into = &o;
          break;
        }
      }
      if (into) {
        into->refs.push_back({src.layerId, f});
        if (into->nameEn.empty()) into->nameEn = e.nameEn;
        if (into->code.empty()) into->code = e.code;
        if (into->county.empty()) into->county = e.county;
        if (isCountyLayer) countyFeatures.emplace_back(f, size_t(into - entries_.data()));
        continue;
      }
      e.refs.push_back({src.layerId, f});
      e.keyZh = nameKey;
      e.nameLength = codePoints(e.nameZh);
      if (const PinyinName* p = pinyin.find(e.nameZh)) {
        e.keyPinyin = p->full;
        e.keyInitials = p->initials;
      }
      if (isCountyLayer) countyFeatures.emplace_back(f, entries_.size());
      same.push_back(entries_.size());
      entries_.push_back(std::move(e));
    }
  }
  // Keys of what merging may have filled in.
  for (SearchEntry& e : entries_) {
    e.keyEn = normalizeSearchText(e.nameEn);
    e.keyEnWords = wordStarts(e.nameEn);
    e.keyCode = normalizeSearchText(e.code);
  }

  // ---- 4. counties: their shapes, and the county of every place that did not say
  if (countySource) {
    const GeometryColumn& g = *countySource->lonLat;
    for (const auto& [f, entry] : countyFeatures) {
      CountyShape c;
      c.nameZh = entries_[entry].nameZh;
      c.bounds = g.featureBounds(f);
      for (uint32_t part = g.featureParts[f]; part < g.featureParts[f + 1]; ++part)
        for (uint32_t r = g.partRings[part]; r < g.partRings[part + 1]; ++r) {
          const uint32_t v0 = g.ringVertices[r], v1 = g.ringVertices[r + 1];
          if (v1 - v0 >= 3) c.rings.emplace_back(g.xy.begin() + v0, g.xy.begin() + v1);
        }
      counties_.push_back(std::move(c));
    }
  }
  for (SearchEntry& e : entries_)
    if (e.kind != PlaceKind::County && e.county.empty()) e.county = countyAt(e.lonLat);
}

std::string SearchIndex::countyAt(Vec2 q) const {
  if (!finite(q)) return {};
  for (const CountyShape& c : counties_)
    if (q.x >= c.bounds.minX && q.x <= c.bounds.maxX && q.y >= c.bounds.minY && q.y <= c.bounds.maxY &&
        ringsContain(c.rings, q))
      return c.nameZh;
  return {};
}

// ---- 5. query ------------------------------------------------------------------------------
// Ranking: the best match over an entry's keys — an exact match of any key, then a prefix,
// then a substring — then the kind (county, township, village, other), then the shorter
// Chinese name, then the index's own order (topmost layer first, then feature order).
// Codes and pinyin initials match exactly or as a prefix only: "22" inside a village code
// or "t" inside initials says nothing about the place. An English name matches at the start
// of one of its words (a Substring match past the first): "ty" inside "County" or "City"
// listed every county (issue 10), "county" still finds them all.
std::vector<SearchHit> SearchIndex::query(std::string_view text, size_t limit) const {
  std::vector<SearchHit> hits;
  const std::string q = normalizeSearchText(text);
  if (q.empty() || limit == 0) return hits;
  const auto level = [&](const std::string& key, bool substring) { return matchLevel(key, q, substring); };
  // The index's own order for ties: entries_, then what the scan found, in its order.
  std::unordered_map<const SearchEntry*, size_t> scanOrder;
  const auto orderOf = [&](const SearchEntry* e) {
    const std::less<const SearchEntry*> before;
    if (!entries_.empty() && !before(e, entries_.data()) && before(e, entries_.data() + entries_.size()))
      return size_t(e - entries_.data());
    auto it = scanOrder.find(e);
    return entries_.size() + (it == scanOrder.end() ? 0 : it->second);
  };
  std::vector<const SearchEntry*> candidates;
  candidates.reserve(entries_.size() + scanEntries_.size());
  for (const SearchEntry& e : entries_) candidates.push_back(&e);
  if (q == scanText_)
    for (const SearchEntry& e : scanEntries_) {
      scanOrder.emplace(&e, scanOrder.size());
      candidates.push_back(&e);
    }
  for (const SearchEntry* ep : candidates) {
    const SearchEntry& e = *ep;
    SearchHit h{&e, MatchLevel::None, MatchKey::None};
    const auto consider = [&](const std::string& key, bool substring, MatchKey which) {
      const MatchLevel m = level(key, substring);
      if (m != MatchLevel::None && (h.level == MatchLevel::None || m < h.level)) {
        h.level = m;
        h.key = which;
      }
    };
    consider(e.keyZh, true, MatchKey::Chinese);
    if (h.level != MatchLevel::Exact) consider(e.keyCode, false, MatchKey::Code);
    if (h.level != MatchLevel::Exact) {
      consider(e.keyEn, false, MatchKey::English);
      if (h.level == MatchLevel::None)
        for (uint32_t at : e.keyEnWords)
          if (at > 0 && e.keyEn.compare(at, q.size(), q) == 0) {
            h.level = MatchLevel::Substring;
            h.key = MatchKey::English;
            break;
          }
    }
    if (h.level != MatchLevel::Exact) consider(e.keyPinyin, true, MatchKey::Pinyin);
    if (h.level != MatchLevel::Exact) consider(e.keyInitials, false, MatchKey::Initials);
    if (h.level != MatchLevel::None) hits.push_back(h);
  }
  const auto better = [&](const SearchHit& a, const SearchHit& b) {
    if (a.level != b.level) return a.level < b.level;
    const int ka = kindRank(a.entry->kind), kb = kindRank(b.entry->kind);
    if (ka != kb) return ka < kb;
    if (a.entry->nameLength != b.entry->nameLength) return a.entry->nameLength < b.entry->nameLength;
    return orderOf(a.entry) < orderOf(b.entry);
  };
  if (hits.size() > limit) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(limit), hits.end(), better);
    hits.resize(limit);
  } else {
    std::sort(hits.begin(), hits.end(), better);
  }
  return hits;
}

// ---- 6. scanning big layers ---------------------------------------------------------------
// The same ranking as query() (level, kind, shorter name), then the scan's order.
bool SearchIndex::betterCandidate(const ScanCandidate& a, const ScanCandidate& b) {
  if (a.level != b.level) return a.level < b.level;
  const int ka = kindRank(a.kind), kb = kindRank(b.kind);
  if (ka != kb) return ka < kb;
  if (a.nameLength != b.nameLength) return a.nameLength < b.nameLength;
  if (a.layer != b.layer) return a.layer < b.layer;
  return a.feature < b.feature;
}

std::vector<std::string> SearchIndex::scannedLayers() const {
  std::vector<std::string> ids;
  for (const ScanLayer& l : scanLayers_) ids.push_back(l.layerId);
  return ids;
}

SearchScanProgress SearchIndex::scan(LayerStore& store, std::string_view text, size_t maxFeatures,
                                     std::chrono::steady_clock::time_point deadline) {
  if (scanLayers_.empty() || stale(store)) return scanProgress_;
  std::vector<SearchSource> sources;
  for (const auto& l : store.layers())
    if (l->status == LayerStatus::Loaded && l->table.featureCount() > kIndexedFeaturesMax)
      sources.push_back({l->id, l->kind, &l->table, nullptr, nullptr, {}, {}, l->sourceCrs});
  return scan(sources, text, maxFeatures, deadline);
}

SearchScanProgress SearchIndex::scan(const std::vector<SearchSource>& sources, std::string_view text,
                                     size_t maxFeatures, std::chrono::steady_clock::time_point deadline) {
  const std::string q = normalizeSearchText(text);
  if (q != scanText_) {
    scanText_ = q;
    scanLayer_ = scanFeature_ = 0;
    if (!scanBest_.empty() || !scanEntries_.empty()) ++version_;
    scanBest_.clear();
    scanEntries_.clear();
    scanProgress_ = {};
    if (!q.empty())
      for (const ScanLayer& l : scanLayers_) scanProgress_.total += l.features;
  }
  if (!scanProgress_.active()) return scanProgress_;

  // The tables, by id; one that is gone or changed size is skipped (a rebuild follows).
  std::vector<const SearchSource*> tables(scanLayers_.size(), nullptr);
  for (size_t k = 0; k < scanLayers_.size(); ++k)
    for (const SearchSource& src : sources)
      if (src.layerId == scanLayers_[k].layerId && src.table && src.table->featureCount() == scanLayers_[k].features)
        tables[k] = &src;

  constexpr size_t kChunk = 4096;  // features between looks at the clock
  std::string key, other;
  bool changed = false;
  size_t budget = maxFeatures;
  while (scanLayer_ < scanLayers_.size() && budget > 0) {
    const ScanLayer& layer = scanLayers_[scanLayer_];
    const FeatureTable* t = tables[scanLayer_] ? tables[scanLayer_]->table : nullptr;
    const AttributeColumn* name = t ? t->column(layer.nameField) : nullptr;
    if (!name) {
      scanProgress_.done += layer.features - scanFeature_;
      ++scanLayer_;
      scanFeature_ = 0;
      continue;
    }
    const AttributeColumn* english = layer.englishField.empty() ? nullptr : t->column(layer.englishField);
    const AttributeColumn* code = layer.codeField.empty() ? nullptr : t->column(layer.codeField);
    // A String column is read in place; any other type through its text.
    const auto textOf = [](const AttributeColumn& c, size_t f, std::string& tmp) -> std::string_view {
      if (c.type == FieldType::String) return c.str(f);
      tmp = c.text(f);
      return tmp;
    };
    std::string tmp;
    const size_t end = std::min(layer.features, scanFeature_ + std::min(budget, kChunk));  // budget may be SIZE_MAX
    for (size_t f = scanFeature_; f < end; ++f) {
      const std::string_view raw = textOf(*name, f, tmp);
      if (raw.empty()) continue;
      normalizeInto(raw, key);
      ScanCandidate c;
      c.level = matchLevel(key, q, true);
      c.key = MatchKey::Chinese;
      std::string_view codeText;
      std::string codeTmp;
      if (code) codeText = textOf(*code, f, codeTmp);
      if (c.level != MatchLevel::Exact && code) {
        normalizeInto(codeText, other);
        const MatchLevel m = matchLevel(other, q, false);
        if (m != MatchLevel::None && (c.level == MatchLevel::None || m < c.level)) c = {m, MatchKey::Code};
      }
      if (c.level != MatchLevel::Exact && english) {
        std::string enTmp;
        const std::string_view en = textOf(*english, f, enTmp);
        normalizeInto(en, other);
        MatchLevel m = matchLevel(other, q, false);
        if (m == MatchLevel::None && other.find(q, 1) != std::string::npos)
          for (uint32_t at : wordStarts(en))
            if (at > 0 && other.compare(at, q.size(), q) == 0) m = MatchLevel::Substring;
        if (m != MatchLevel::None && (c.level == MatchLevel::None || m < c.level)) c = {m, MatchKey::English};
      }
      if (c.level == MatchLevel::None) continue;
      c.kind = placeKindOfCode(codeText);
      if (c.kind == PlaceKind::Other) c.kind = placeKindOfName(raw);
      c.nameLength = codePoints(raw);
      c.layer = static_cast<uint32_t>(scanLayer_);
      c.feature = f;
      if (scanBest_.size() >= kScanKeep && !betterCandidate(c, scanBest_.back())) continue;
      scanBest_.insert(std::upper_bound(scanBest_.begin(), scanBest_.end(), c, betterCandidate), c);
      if (scanBest_.size() > kScanKeep) scanBest_.pop_back();
      changed = true;
    }
    scanProgress_.done += end - scanFeature_;
    budget -= end - scanFeature_;
    scanFeature_ = end;
    if (scanFeature_ >= layer.features) {
      ++scanLayer_;
      scanFeature_ = 0;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
  }
  if (changed) {
    materializeScan(tables);
    ++version_;
  }
  return scanProgress_;
}

// The best candidates as places: names, where to fly (projected from the layer's CRS one
// feature at a time) and county. Places already made are kept.
void SearchIndex::materializeScan(const std::vector<const SearchSource*>& tables) {
  std::deque<SearchEntry> made;
  for (const ScanCandidate& c : scanBest_) {
    ScanLayer& layer = scanLayers_[c.layer];
    auto old = std::find_if(scanEntries_.begin(), scanEntries_.end(), [&](const SearchEntry& e) {
      return !e.refs.empty() && e.refs.front().feature == c.feature && e.refs.front().layerId == layer.layerId;
    });
    if (old != scanEntries_.end()) {
      made.push_back(std::move(*old));
      continue;
    }
    if (!tables[c.layer]) continue;  // its table is not at hand this time
    const FeatureTable& t = *tables[c.layer]->table;
    SearchEntry e;
    const auto textOf = [&](const std::string& field) {
      const AttributeColumn* col = field.empty() ? nullptr : t.column(field);
      return col ? col->text(c.feature) : std::string();
    };
    e.nameZh = textOf(layer.nameField);
    e.nameEn = textOf(layer.englishField);
    e.code = textOf(layer.codeField);
    e.county = textOf(layer.countyField);
    e.kind = c.kind;
    e.nameLength = c.nameLength;
    e.refs.push_back({layer.layerId, c.feature});
    if (!layer.toLonLat) {
      std::string err;
      auto tr = Transformer::create(layer.crs, kLonLatCrs, &err);
      if (!tr) logWarning("search: layer " + layer.layerId + ": " + err);
      else layer.toLonLat = std::make_shared<Transformer>(std::move(*tr));
    }
    const GeometryColumn& g = t.geometry;
    const Bounds b = g.featureBounds(c.feature);
    if (layer.toLonLat && !b.empty()) {
      if (layer.kind == GeometryKind::Polygon) {
        if (auto lb = layer.toLonLat->transformBounds(b)) e.lonLatBounds = *lb;
        e.lonLat = {(e.lonLatBounds.minX + e.lonLatBounds.maxX) / 2, (e.lonLatBounds.minY + e.lonLatBounds.maxY) / 2};
      } else {
        const uint32_t v = g.ringVertices[g.partRings[g.featureParts[c.feature]]];
        e.lonLat = layer.toLonLat->forward(g.xy[v]);
        if (layer.kind == GeometryKind::Point) {
          if (finite(e.lonLat)) e.lonLatBounds.add(e.lonLat.x, e.lonLat.y);
        } else if (auto lb = layer.toLonLat->transformBounds(b)) {
          e.lonLatBounds = *lb;
        }
      }
    }
    if (e.kind == PlaceKind::County) e.county.clear();
    else if (e.county.empty()) e.county = countyAt(e.lonLat);
    e.keyZh = normalizeSearchText(e.nameZh);
    e.keyEn = normalizeSearchText(e.nameEn);
    e.keyEnWords = wordStarts(e.nameEn);
    e.keyCode = normalizeSearchText(e.code);
    made.push_back(std::move(e));
  }
  scanEntries_ = std::move(made);
}

}  // namespace bcmap
