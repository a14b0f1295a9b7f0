// Layout: where the docked panels and the map canvas go this frame, from the window's size,
// the UI scale and the dock state. Dear ImGui 1.86 has no docking, so the viewer lays the
// regions out itself every frame: the layer list docks left, the legend right, the time
// bar along the bottom; the map canvas is what is left. A pure function, tested without a
// window (tests/ui/LayoutTest.cpp).
//
//   +-------------------- menu bar --------------------+
//   | left |            canvas              |  right   |
//   | dock |                                |  dock    |
//   +------+--------------------------------+----------+
//   |                  bottom dock (time)               |
//   +------------------- status bar --------------------+
//
// Each dock keeps a thin strip along its inner edge: the collapse/expand button at its
// start and, while expanded, a splitter the user drags to resize the dock. Collapsed, a
// dock is only its strip.
#pragma once

#include "ui/UiRect.h"

namespace bcmap {

// What the user chose, saved with the session (Session.cpp). Widths in logical pixels
// (times the UI scale on screen), so a session moves between screens.
struct DockState {
  float leftWidth = 310.0f;   // the layer list
  float rightWidth = 250.0f;  // the legend
  bool leftCollapsed = false, rightCollapsed = false, bottomCollapsed = false;
};

struct LayoutInput {
  float width = 0, height = 0;  // the window, window units
  float top = 0;                // the menu bar's bottom edge
  float bottom = 0;             // the status bar's top edge
  float scale = 1.0f;           // window units per logical pixel (HiDPI and 界面缩放)
  bool rightShown = true;       // something to dock right (the legend, when not on the canvas)
  bool bottomShown = true;      // something to dock at the bottom (the time bar)
  float bottomHeight = 0;       // the time bar's own height (window units); 0: a default
};

struct LayoutRects {
  UiRect left, right, bottom;  // each dock, its strip included (empty: not shown)
  UiRect leftStrip, rightStrip, bottomStrip;  // the strips (toggle button + splitter)
  UiRect leftContent, rightContent, bottomContent;  // what the panel in the dock fills
  UiRect canvas;               // the map
};

// Logical pixels: the strip's thickness, and the least width of an expanded dock.
inline constexpr float kDockStripPx = 20.0f;
inline constexpr float kDockMinPx = 180.0f;
// The share of the window's width and height the map canvas keeps, whatever the docks ask.
inline constexpr float kCanvasMinShare = 0.5f;

// The rectangles for this frame. Docks never overlap each other or the canvas; the canvas
// is the window between the menu and status bars less the docks, at least kCanvasMinShare
// of the window's width and of that height (wide docks are narrowed to make room).
LayoutRects computeLayout(const LayoutInput& in, const DockState& dock);

// The user dragged a side dock's splitter by `widerLogical` logical pixels (negative:
// narrower) while `shown` (this frame's layout, at `scale`) was on screen. First both side
// docks keep the widths shown (computeLayout narrows wide docks to leave the canvas its
// share; kept wider than shown, a dock came back at another width when the other one was
// folded, unfolded or dragged). Then the dragged one changes, at least kDockMinPx; wider
// than leaves the canvas its share, it narrows the other one, down to kDockMinPx.
void dragDockSplitter(DockState& dock, bool leftDock, float widerLogical, float scale, const LayoutRects& shown);

}  // namespace bcmap
