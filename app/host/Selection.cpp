#include "host/Selection.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "host/LayerStore.h"

namespace bcmap {

void Selection::insert(const Layer& layer, size_t feature) {
  FeatureRef ref{layer.id, feature};
  if (!index_.insert(ref).second) return;
  entries_.push_back({std::move(ref), layer.generation, layer.table.ids.empty() ? std::string() : layer.table.ids[feature]});
  ++version_;
  ++userVersion_;
}

void Selection::restore(const Layer& layer, size_t feature) {
  if (feature >= layer.table.featureCount()) return;
  const uint64_t user = userVersion_;
  insert(layer, feature);
  userVersion_ = user;  // what a session brought back is no pick of the user's
}

void Selection::select(const Layer& layer, size_t feature, SelectMode mode) {
  if (feature >= layer.table.featureCount()) return;
  const FeatureRef ref{layer.id, feature};
  switch (mode) {
    case SelectMode::Replace:
      if (entries_.size() == 1 && entries_.front().ref == ref) return;
      clear();
      insert(layer, feature);
      return;
    case SelectMode::Toggle:
      if (contains(ref)) remove(ref);
      else insert(layer, feature);
      return;
    case SelectMode::Add: insert(layer, feature); return;
  }
}

void Selection::selectNothing(SelectMode mode) {
  if (mode == SelectMode::Replace) clear();
}

void Selection::remove(const FeatureRef& ref) {
  if (!index_.erase(ref)) return;
  entries_.erase(std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.ref == ref; }));
  ++version_;
  ++userVersion_;
}

void Selection::clear() {
  if (entries_.empty()) return;
  entries_.clear();
  index_.clear();
  ++version_;
  ++userVersion_;
}

bool Selection::contains(std::string_view layerId, size_t feature) const {
  return contains(FeatureRef{std::string(layerId), feature});
}

std::vector<FeatureRef> Selection::refs() const {
  std::vector<FeatureRef> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.ref);
  return out;
}

std::vector<size_t> Selection::featuresOf(std::string_view layerId) const {
  std::vector<size_t> out;
  // index_ is ordered by (layer id, feature): the layer's references are one run.
  for (auto it = index_.lower_bound(FeatureRef{std::string(layerId), 0}); it != index_.end() && it->layerId == layerId; ++it)
    out.push_back(it->feature);
  return out;
}

bool Selection::validate(LayerStore& store) {
  // The usual case, every frame: nothing changed, nothing is copied.
  auto current = [&](const Entry& e) {
    const Layer* l = store.find(e.ref.layerId);
    return l && l->status == LayerStatus::Loaded && l->generation == e.generation;
  };
  if (std::all_of(entries_.begin(), entries_.end(), current)) return false;

  // Feature id -> index of each reloaded layer, made once and only when needed.
  std::map<std::string, std::unordered_map<std::string_view, size_t>> byId;
  std::vector<Entry> kept;
  kept.reserve(entries_.size());
  for (Entry& e : entries_) {
    const Layer* l = store.find(e.ref.layerId);
    if (!l || l->status != LayerStatus::Loaded) continue;
    if (l->generation != e.generation) {
      if (e.featureId.empty() || l->table.ids.empty()) continue;
      auto [it, made] = byId.try_emplace(l->id);
      if (made)
        for (size_t f = 0; f < l->table.ids.size(); ++f) it->second.emplace(l->table.ids[f], f);
      const auto found = it->second.find(e.featureId);
      if (found == it->second.end()) continue;
      e.ref.feature = found->second;
      e.generation = l->generation;
    }
    kept.push_back(std::move(e));
  }
  entries_.clear();
  index_.clear();
  // A reload may map two references onto one feature (duplicate ids): keep the first.
  for (Entry& e : kept)
    if (index_.insert(e.ref).second) entries_.push_back(std::move(e));
  ++version_;
  return true;
}

}  // namespace bcmap
