// Selection: the features the user has picked — by a click on the map, a row of an attribute
// table, a saved session — as references (layer id, feature index). The inspector lists them,
// the map highlights them, the attribute tables mark their rows and export them.
//
// A feature index means something only for the load of the layer it was taken from, so each
// reference remembers the layer's generation and the feature's id. validate() (once a frame,
// or after LayerStore::pollLoaded reports changes) drops references to layers that are gone
// or no longer loaded, and after a reload finds each feature again by its id (layers whose
// features have no ids of their own lose their references: a number says nothing about which
// feature it was).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace bcmap {

struct Layer;
class LayerStore;

struct FeatureRef {
  std::string layerId;
  size_t feature = 0;
  auto operator<=>(const FeatureRef&) const = default;
};

// What a click does to the selection. Replace: a plain click (the feature alone; a click on
// nothing clears). Toggle: Shift-click (in or out). Add: in, whether it was or not.
enum class SelectMode : uint8_t { Replace = 0, Toggle = 1, Add = 2 };

class Selection {
 public:
  // Selects feature `feature` of `layer` as `mode` says. Out of range: nothing happens.
  void select(const Layer& layer, size_t feature, SelectMode mode);
  // Adds feature `feature` of `layer` as a session restores it: version() changes (the
  // highlight), userVersion() does not (the inspector opens on the user's picks only).
  void restore(const Layer& layer, size_t feature);
  // The click on empty map: Replace clears, Toggle and Add leave the selection as it is.
  void selectNothing(SelectMode mode);
  void remove(const FeatureRef& ref);
  void clear();

  bool contains(const FeatureRef& ref) const { return index_.count(ref) != 0; }
  bool contains(std::string_view layerId, size_t feature) const;
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  // In the order they were selected (the inspector lists them so).
  std::vector<FeatureRef> refs() const;
  // The selected features of one layer, ascending.
  std::vector<size_t> featuresOf(std::string_view layerId) const;

  // Drops or re-finds references after layers vanished, failed or reloaded (see the top of
  // this file). Returns true when the selection changed.
  bool validate(LayerStore& store);

  // Changes whenever the selection does: a cheap "redraw the highlight" test for callers.
  uint64_t version() const { return version_; }
  // Changes when a caller changes the selection (select, remove, clear), not when
  // validate() finds the features again after a reload: what the inspector opens on.
  uint64_t userVersion() const { return userVersion_; }

 private:
  struct Entry {
    FeatureRef ref;
    uint64_t generation = 0;  // Layer::generation when selected
    std::string featureId;    // FeatureTable::featureId when selected; "" without ids
  };
  std::vector<Entry> entries_;
  std::set<FeatureRef> index_;
  uint64_t version_ = 0;
  uint64_t userVersion_ = 0;
  void insert(const Layer& layer, size_t feature);
};

}  // namespace bcmap
