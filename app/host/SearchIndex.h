// SearchIndex: the place-name search over the loaded layers — Chinese names, English names,
// administrative codes and the pinyin of the Chinese names — with results ranked for the
// search box (SearchPanel) and everything needed to fly to a result.
//
// A place shown by several layers (the counties in the county, poverty-exit and water
// layers; the villages in three village layers) is one result; `refs` lists every layer
// that holds it. Building walks every feature once (about 1 ms for Baicheng's ~1,000
// places once the layers are prepared in lon/lat); a query walks the prepared keys only
// (about 0.2 ms for 2,500 places; SearchIndexTest prints both).
//
// A big layer (more than kIndexedFeaturesMax features: a million survey points) is not
// indexed: an entry per feature, a lon/lat copy of its geometry and a point-in-polygon test
// per feature froze the UI for over a minute and took gigabytes at 10M points (issue 11).
// Instead a query over it scans the layer's own name column, a slice per frame (scan()),
// keeping the best matches only; lon/lat and county are worked out for those alone.
//
// Sections: pinyin table · places · the index · scanning big layers
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/FeatureTable.h"

namespace bcmap {

class LayerStore;
class Transformer;

// ---- pinyin table --------------------------------------------------------------------
// geodata/baicheng_pinyin.json: {"version":1, "source":"...", "names": {"通榆县":
// {"full":"tongyuxian", "spaced":"tong yu xian", "initials":"tyx"}, ...}}. Keys here are
// normalized as queries are (normalizeSearchText).
struct PinyinName {
  std::string full;      // "tongyuxian"
  std::string initials;  // "tyx"
};

struct PinyinTable {
  std::unordered_map<std::string, PinyinName> names;  // by the Chinese name
  const PinyinName* find(const std::string& nameZh) const;
  bool empty() const { return names.empty(); }
};

// Reads the table. A missing or unreadable file gives an empty table and `err` (a warning:
// search still works on Chinese, codes and English). Entries without "full" are skipped.
PinyinTable loadPinyinTable(const std::string& path, std::string* err);
// The same from JSON text (`where` names the source in messages).
PinyinTable parsePinyinTable(std::string_view json, const std::string& where, std::string* err);

// What queries and keys are compared in: ASCII letters lower-cased, full-width ASCII
// (what a Chinese input method types) made half-width, 'ü' written 'v' as pinyin keyboards
// do, and spaces and apostrophes dropped ("Da'an" and "da an" are both "daan").
std::string normalizeSearchText(std::string_view text);

// ---- places --------------------------------------------------------------------------
// Ranked in this order when matches are equally good.
enum class PlaceKind : uint8_t { Other = 0, County = 1, Township = 2, Village = 3 };
// "县区 county" ... (UI words, Chinese then English).
const char* placeKindLabel(PlaceKind kind);
// The kind a Chinese administrative code says: 6 digits a county-level division, 9 a
// township, 12 a village (GB/T 2260 and the statistical division codes); Other else.
PlaceKind placeKindOfCode(std::string_view code);

// A feature that shows the place.
struct SearchRef {
  std::string layerId;
  size_t feature = 0;
};

struct SearchEntry {
  std::string nameZh, nameEn, code;
  std::string county;        // its county's Chinese name; "" for a county or when unknown
  PlaceKind kind = PlaceKind::Other;
  Vec2 lonLat{NAN, NAN};     // where to fly: the label anchor (polygons), the point, a line's start
  Bounds lonLatBounds;       // the feature's extent (zero-size for a point)
  std::vector<SearchRef> refs;  // topmost layer first; refs.front() is "the" feature
  // "通榆县 Tongyu County" (the Chinese name alone when there is no English).
  std::string displayText() const;

  // Normalized keys (normalizeSearchText); empty when absent.
  std::string keyZh, keyEn, keyCode, keyPinyin, keyInitials;
  // Where each word of the English name starts in keyEn ("tongyucounty": 0, 6). An English
  // name matches at a word's start only: "ty" is not inside "County" or "City" (issue 10).
  std::vector<uint32_t> keyEnWords;
  uint32_t nameLength = 0;  // code points of nameZh (the tie-break: shorter first)
};

// What a jump to the place frames, in lon/lat: the feature's extent; for a point (or a
// place smaller than that), a square around lonLat whose half-side suits the kind — a
// village 1.5 km, a township 4 km, a county 25 km, anything else 2 km — so the place shows
// among its neighbours. Empty when lonLat is not finite.
Bounds flyToBounds(const SearchEntry& entry);

enum class MatchLevel : uint8_t { None = 0, Exact = 1, Prefix = 2, Substring = 3 };
enum class MatchKey : uint8_t { None = 0, Chinese = 1, English = 2, Code = 3, Pinyin = 4, Initials = 5 };

struct SearchHit {
  const SearchEntry* entry = nullptr;  // valid until version() changes
  MatchLevel level = MatchLevel::None;
  MatchKey key = MatchKey::None;
};

// ---- the index -----------------------------------------------------------------------
// One layer as the index reads it. All pointers must stay valid during build() only.
struct SearchSource {
  std::string layerId;
  GeometryKind kind = GeometryKind::None;
  const FeatureTable* table = nullptr;        // attributes
  const GeometryColumn* lonLat = nullptr;     // the same features in EPSG:4326
  const std::vector<Vec2>* anchors = nullptr; // lon/lat label anchors per feature (may be null/empty)
  std::string labelField, secondaryField;     // the layer style's label fields ("" if none)
  // The CRS of table->geometry: a big layer (scanned, not indexed) needs no lonLat, and
  // its results are projected from here one by one.
  std::string crs = {};
};

// How far a scan of the big layers has got for the current text.
struct SearchScanProgress {
  size_t done = 0, total = 0;  // features
  bool active() const { return total > 0 && done < total; }
  double fraction() const { return total ? double(done) / double(total) : 1.0; }
};

class SearchIndex {
 public:
  // Layers with more features than this are scanned per query, not indexed.
  static constexpr size_t kIndexedFeaturesMax = 100'000;
  // The best matches a scan keeps (what the search box lists at most).
  static constexpr size_t kScanKeep = 50;

  // Rebuilds from the loaded layers (prepared in EPSG:4326, topmost first). UI thread.
  void build(LayerStore& store, const PinyinTable& pinyin);
  // Rebuilds from explicit sources, topmost first (build(LayerStore&) comes here; tests too).
  // A source with more than kIndexedFeaturesMax features, or without lonLat, is only noted
  // (its id, fields and size) for scan(): nothing per feature is kept or computed.
  void build(const std::vector<SearchSource>& sources, const PinyinTable& pinyin);
  // Whether the loaded layers (which, and their generations) differ from the last build.
  // O(layers): cheap enough to ask every frame.
  bool stale(LayerStore& store) const;

  // Matches for `text` (see the ranking rules in SearchIndex.cpp), best first, at most
  // `limit`: the indexed places, and what scans of the big layers found so far when `text`
  // is the text being scanned. Empty text (after normalization) matches nothing.
  std::vector<SearchHit> query(std::string_view text, size_t limit = 50) const;

  // Scans the big layers for `text`, at most `maxFeatures` features and until `deadline`
  // (checked every few thousand features), resuming where the last call stopped; a new
  // text starts over. When the best matches changed, version() changes (query again).
  // `sources`: the big layers' tables (by layerId; lonLat unused), valid during the call.
  // Returns the progress. UI thread.
  SearchScanProgress scan(const std::vector<SearchSource>& sources, std::string_view text, size_t maxFeatures,
                          std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());
  // The same over the store's layers; does nothing while stale(store) (build first).
  SearchScanProgress scan(LayerStore& store, std::string_view text, size_t maxFeatures,
                          std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());
  const SearchScanProgress& scanProgress() const { return scanProgress_; }
  // The big layers' ids, as the last build noted them (none indexed).
  std::vector<std::string> scannedLayers() const;

  // The Chinese name of the county containing `lonLat` (the counties layer of the last
  // build); "" outside all of them or without a counties layer.
  std::string countyAt(Vec2 lonLat) const;

  const std::vector<SearchEntry>& entries() const { return entries_; }
  // Changes with every build, so holders of SearchHits know to query again.
  uint64_t version() const { return version_; }

 private:
  struct CountyShape {
    std::string nameZh;
    Bounds bounds;
    std::vector<std::vector<Vec2>> rings;  // all rings of all parts (even-odd)
  };
  std::vector<SearchEntry> entries_;
  std::vector<CountyShape> counties_;
  std::vector<std::pair<uint64_t, uint64_t>> builtFrom_;  // (Layer::key, generation), in store order
  uint64_t version_ = 0;

  // ---- scanning big layers
  struct ScanLayer {
    std::string layerId, crs;
    GeometryKind kind = GeometryKind::None;
    std::string nameField, englishField, codeField, countyField;
    size_t features = 0;
    std::shared_ptr<Transformer> toLonLat;  // made at the first result
  };
  struct ScanCandidate {
    MatchLevel level = MatchLevel::None;
    MatchKey key = MatchKey::None;
    PlaceKind kind = PlaceKind::Other;
    uint32_t nameLength = 0;
    uint32_t layer = 0;  // in scanLayers_
    size_t feature = 0;
  };
  static bool betterCandidate(const ScanCandidate& a, const ScanCandidate& b);
  void materializeScan(const std::vector<const SearchSource*>& tables);
  std::vector<ScanLayer> scanLayers_;
  std::string scanText_;                // normalized
  size_t scanLayer_ = 0, scanFeature_ = 0;
  SearchScanProgress scanProgress_;
  std::vector<ScanCandidate> scanBest_;  // the best kScanKeep so far, best first
  std::deque<SearchEntry> scanEntries_;  // scanBest_ as places (a deque: hits point in)
};

}  // namespace bcmap
