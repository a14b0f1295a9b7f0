#include "ui/Layout.h"

#include <algorithm>
#include <cmath>

namespace bcmap {

namespace {

// The time bar's height before it was first measured: one row of controls and its padding.
constexpr float kDefaultBottomPx = 64.0f;

}  // namespace

LayoutRects computeLayout(const LayoutInput& in, const DockState& dock) {
  LayoutRects r;
  const float s = in.scale > 0 ? in.scale : 1.0f;
  const float strip = kDockStripPx * s;
  const float w = std::max(0.0f, in.width);
  const float top = std::clamp(in.top, 0.0f, in.height);
  const float bottom = std::clamp(in.bottom, top, in.height);
  const float tall = bottom - top;

  // The bottom dock first: it runs the window's full width, so the time bar is as wide as
  // it can be on a small window, and the side docks stop above it.
  float bottomH = 0;
  if (in.bottomShown) {
    const float content = in.bottomHeight > 0 ? in.bottomHeight : kDefaultBottomPx * s;
    bottomH = dock.bottomCollapsed ? strip : content;
    bottomH = std::floor(std::min(bottomH, (1 - kCanvasMinShare) * tall));
  }
  const float sideBottom = bottom - bottomH;

  // The side docks: the user's widths, at least kDockMinPx, then narrowed together (in
  // proportion) until the canvas keeps its share of the width. Strips never shrink.
  auto wanted = [&](bool collapsed, float logical) {
    return collapsed ? 0.0f : std::max(kDockMinPx, logical) * s;  // beside the strip
  };
  float leftW = wanted(dock.leftCollapsed, dock.leftWidth);
  float rightW = in.rightShown ? wanted(dock.rightCollapsed, dock.rightWidth) : 0.0f;
  const float strips = strip + (in.rightShown ? strip : 0.0f);
  const float room = std::max(0.0f, (1 - kCanvasMinShare) * w - strips);
  if (leftW + rightW > room) {
    const float k = room / (leftW + rightW);
    leftW *= k;
    rightW *= k;
  }
  // Whole window units, so the docks' windows (ImGui places them on whole units) meet the
  // canvas exactly rather than a fraction over it.
  leftW = std::floor(leftW);
  rightW = std::floor(rightW);
  const float left = leftW + strip;
  const float right = in.rightShown ? rightW + strip : 0.0f;

  r.left = UiRect{0, top, left, sideBottom};
  r.leftStrip = UiRect{left - strip, top, left, sideBottom};
  if (!dock.leftCollapsed) r.leftContent = UiRect{0, top, left - strip, sideBottom};
  if (in.rightShown) {
    r.right = UiRect{w - right, top, w, sideBottom};
    r.rightStrip = UiRect{w - right, top, w - right + strip, sideBottom};
    if (!dock.rightCollapsed) r.rightContent = UiRect{w - right + strip, top, w, sideBottom};
  }
  if (in.bottomShown) {
    r.bottom = UiRect{0, sideBottom, w, bottom};
    r.bottomStrip = UiRect{0, sideBottom, strip, bottom};
    if (!dock.bottomCollapsed) r.bottomContent = UiRect{strip, sideBottom, w, bottom};
  }
  r.canvas = UiRect{left, top, w - right, sideBottom};
  return r;
}

void dragDockSplitter(DockState& dock, bool leftDock, float widerLogical, float scale, const LayoutRects& shown) {
  const float s = scale > 0 ? scale : 1.0f;
  const float strip = kDockStripPx * s;
  auto contentWidth = [&](const UiRect& d) { return d.empty() ? 0.0f : std::max(0.0f, (d.x1 - d.x0) - strip); };
  // What is on screen becomes what is kept (a folded dock keeps its width for unfolding).
  if (!dock.leftCollapsed && !shown.leftContent.empty()) dock.leftWidth = contentWidth(shown.left) / s;
  if (!dock.rightCollapsed && !shown.rightContent.empty()) dock.rightWidth = contentWidth(shown.right) / s;
  const bool rightShown = !shown.right.empty();
  const float w = rightShown ? shown.right.x1 : shown.canvas.x1;  // the window's width
  const float strips = strip + (rightShown ? strip : 0.0f);
  const float room = std::max(0.0f, (1 - kCanvasMinShare) * w - strips);
  const float other = leftDock ? (rightShown && !dock.rightCollapsed ? contentWidth(shown.right) : 0.0f)
                               : (dock.leftCollapsed ? 0.0f : contentWidth(shown.left));
  // Wider pushes the other dock narrower, down to its least width; both then fit the room,
  // so what is kept is what is shown.
  const float otherLeast = other > 0 ? std::min(other, kDockMinPx * s) : 0.0f;
  const float most = std::max(kDockMinPx, (room - otherLeast) / s);
  float& width = leftDock ? dock.leftWidth : dock.rightWidth;
  width = std::clamp(width + widerLogical, kDockMinPx, most);
  if (other > 0 && width * s + other > room) {
    float& otherWidth = leftDock ? dock.rightWidth : dock.leftWidth;
    otherWidth = std::max(otherLeast / s, (room - width * s) / s);
  }
}

}  // namespace bcmap
