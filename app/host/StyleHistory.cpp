#include "host/StyleHistory.h"

#include <algorithm>

#include "host/LayerStore.h"

namespace bcmap {

void StyleHistory::record(const std::string& layerId, std::optional<StyleSpec> before,
                          std::optional<StyleSpec> after, bool ongoing) {
  undone_.clear();
  if (!done_.empty() && done_.back().ongoing && done_.back().change.layerId == layerId) {
    Entry& top = done_.back();
    top.change.after = std::move(after);
    top.ongoing = ongoing;
    if (top.change.before == top.change.after) done_.pop_back();  // dragged back to the start
    return;
  }
  if (before == after) return;
  done_.push_back(Entry{StyleChange{layerId, std::move(before), std::move(after)}, ongoing});
  if (done_.size() > limit_) done_.erase(done_.begin());
}

std::optional<StyleChange> StyleHistory::undo() {
  if (done_.empty()) return std::nullopt;
  StyleChange c = std::move(done_.back().change);
  done_.pop_back();
  undone_.push_back(c);
  return c;
}

std::optional<StyleChange> StyleHistory::redo() {
  if (undone_.empty()) return std::nullopt;
  StyleChange c = std::move(undone_.back());
  undone_.pop_back();
  done_.push_back(Entry{c, false});
  return c;
}

void StyleHistory::forgetLayer(const std::string& layerId) {
  std::erase_if(done_, [&](const Entry& e) { return e.change.layerId == layerId; });
  std::erase_if(undone_, [&](const StyleChange& c) { return c.layerId == layerId; });
}

void StyleHistory::clear() {
  done_.clear();
  undone_.clear();
}

bool applyStyleChange(LayerStore& store, StyleHistory& history, const std::string& layerId,
                      const std::optional<StyleSpec>& spec, bool ongoing, std::string* err) {
  Layer* l = store.find(layerId);
  if (!l) {
    if (err) *err = "no layer " + layerId;
    return false;
  }
  const std::optional<StyleSpec> before = l->userStyle;
  if (spec != before && !store.setUserStyle(*l, spec, err)) return false;
  history.record(layerId, before, spec, ongoing);
  return true;
}

namespace {

// Applies `to` to the layer of `c`; "" (and err) when the layer is gone or refuses it.
std::string restore(LayerStore& store, const StyleChange& c, const std::optional<StyleSpec>& to, std::string* err) {
  Layer* l = store.find(c.layerId);
  if (!l) {
    if (err) *err = "layer " + c.layerId + " is gone; its style change is dropped";
    return {};
  }
  return store.setUserStyle(*l, to, err) ? c.layerId : std::string();
}

}  // namespace

std::string undoStyleChange(LayerStore& store, StyleHistory& history, std::string* err) {
  const std::optional<StyleChange> c = history.undo();
  return c ? restore(store, *c, c->before, err) : std::string();
}

std::string redoStyleChange(LayerStore& store, StyleHistory& history, std::string* err) {
  const std::optional<StyleChange> c = history.redo();
  return c ? restore(store, *c, c->after, err) : std::string();
}

}  // namespace bcmap
