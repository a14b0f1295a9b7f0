// SearchPanel: the search box in the map's top-right corner and its results — each
// place's name, kind and county. Picking a result (click, or Enter on the highlighted one;
// ↑↓ move the highlight, Esc clears the box) asks the main loop to fly there.
#pragma once

#include <cfloat>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "host/SearchIndex.h"
#include "ui/UiRect.h"

namespace bcmap {

// Where to fly (lon/lat; the main loop converts to the display CRS).
struct FlyToRequest {
  std::string layerId;  // the place's topmost feature: refs.front()
  size_t feature = 0;
  Vec2 lonLat;          // the place itself: label anchor of a polygon, the point of a point
  Bounds lonLatBounds;  // around the place: flyToBounds(entry)
  Bounds featureLonLatBounds;  // the place's own extent (zero-size for a point): what the map fits
  PlaceKind kind = PlaceKind::Other;
  std::string label;    // "通榆县 Tongyu County"
};

// What the panel drew where (window units; empty when not drawn), for the test hook.
struct SearchPanelRects {
  UiRect window, input;
  std::vector<UiRect> results;  // the visible result rows, in order
  UiRect progress;              // "searching… N %" while big layers are scanned
};

class SearchPanel {
 public:
  // Set by the main loop on Ctrl+F and Edit → Search: the box takes the keyboard (its text
  // selected) within the next few draws; draw() clears the flag.
  bool focusRequested = false;
  // True while a focus request is being answered: the main loop draws the next frame too.
  bool focusPending() const { return focusDraws_ > 0; }

  // Draws the box with its top-right corner at (right, top) (window units) and, while the
  // box has text, the results. `uiScale`: window units per logical pixel. Queries `index`
  // again only when the text or index.version() changed (a scan of big layers changes it
  // as it finds more; its progress shows under the box). Returns a request when the user
  // picked a result this frame.
  // `maxWidth` (window units): the room the canvas has; the box is narrower on a small one.
  std::optional<FlyToRequest> draw(const SearchIndex& index, float uiScale, float right, float top,
                                   float maxWidth = FLT_MAX);

  const SearchPanelRects& rects() const { return rects_; }
  // The text typed so far; textChanged(): it changed during the last draw() (the main loop
  // hands new text to UiFont::addText so typed Chinese has glyphs).
  const std::string& text() const { return text_; }
  bool textChanged() const { return textChanged_; }
  // The results changed during the last draw() (the main loop hands their text to UiFont:
  // a big layer's names beyond the rows read at load may bring new glyphs).
  bool resultsChanged() const { return resultsChanged_; }
  // Index of the highlighted result (Enter picks it).
  size_t highlighted() const { return highlighted_; }
  const std::vector<SearchHit>& hits() const { return hits_; }

 private:
  std::optional<FlyToRequest> pick(size_t i);
  std::string text_;
  std::string queried_;         // the text hits_ answer
  uint64_t queriedVersion_ = 0; // the index version hits_ come from
  std::vector<SearchHit> hits_;
  size_t highlighted_ = 0;
  bool listOpen_ = false;       // closed after a pick, open again on typing or focus
  bool textChanged_ = false;
  bool resultsChanged_ = false;
  int focusDraws_ = 0;          // draws left after a focus request (focusPending)
  bool askedLastDraw_ = false, wasActive_ = false;
  SearchPanelRects rects_;
};

}  // namespace bcmap
