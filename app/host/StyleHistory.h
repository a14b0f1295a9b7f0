// StyleHistory: undo and redo of the user's style changes (issue 4: Ctrl+Z). Each entry is
// one layer's style before and after a change — a StyleSpec, or nullopt for the plugin's
// own style — so undoing is LayerStore::setUserStyle(layer, entry.before).
//
// A drag (a slider held, a colour being picked) makes many changes a second; recorded as
// `ongoing`, they merge into one entry that keeps the style from before the drag, so one
// Ctrl+Z undoes the whole gesture.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "style/Style.h"

namespace bcmap {

class LayerStore;

struct StyleChange {
  std::string layerId;
  std::optional<StyleSpec> before, after;  // nullopt: the plugin's style
};

class StyleHistory {
 public:
  // Keeps the last `limit` changes (older ones are forgotten).
  explicit StyleHistory(size_t limit = 100) : limit_(limit) {}

  // Records a change that has been applied; forgets what was undone. A change to the same
  // layer while the entry on top is still ongoing merges into it. A change that changes
  // nothing (before == after, also after merging) leaves no entry.
  void record(const std::string& layerId, std::optional<StyleSpec> before, std::optional<StyleSpec> after,
              bool ongoing = false);

  // The change to take back (apply its `before`), moved to the redo side; nullopt when none.
  std::optional<StyleChange> undo();
  // The change undone last (apply its `after`), moved back; nullopt when none.
  std::optional<StyleChange> redo();

  bool canUndo() const { return !done_.empty(); }
  bool canRedo() const { return !undone_.empty(); }
  // What undo() and redo() would take back or replay next, without doing it (the Edit
  // menu names the layer); null when there is none.
  const StyleChange* nextUndo() const { return done_.empty() ? nullptr : &done_.back().change; }
  const StyleChange* nextRedo() const { return undone_.empty() ? nullptr : &undone_.back(); }
  size_t undoCount() const { return done_.size(); }
  // Forgets every change of one layer (it was removed), or every change.
  void forgetLayer(const std::string& layerId);
  void clear();

 private:
  struct Entry {
    StyleChange change;
    bool ongoing = false;
  };
  size_t limit_;
  std::vector<Entry> done_;         // oldest first
  std::vector<StyleChange> undone_;  // most recently undone last
};

// The viewer's calls, on the UI thread. A style change asked for by the style editor:
// applied with LayerStore::setUserStyle when it differs from the layer's style (a slider
// let go on its last value only closes the ongoing entry) and recorded. False, with the
// reason, when the layer is gone or refuses the style (nothing is recorded then).
bool applyStyleChange(LayerStore& store, StyleHistory& history, const std::string& layerId,
                      const std::optional<StyleSpec>& spec, bool ongoing, std::string* err);
// Ctrl+Z and Ctrl+Y (Ctrl+Shift+Z): take back or replay the last change. The id of the
// layer whose style changed, or "" when there was nothing to do (or its layer is gone:
// that entry is dropped, err says so).
std::string undoStyleChange(LayerStore& store, StyleHistory& history, std::string* err);
std::string redoStyleChange(LayerStore& store, StyleHistory& history, std::string* err);

}  // namespace bcmap
