// UiRect: an axis-aligned rectangle in window units (GLFW's window coordinates, what ImGui
// lays out in) — where a panel or widget was drawn. The viewer places panels around each
// other with them; the UI tests click and mask with them (testing/TestRects.h).
#pragma once

namespace bcmap {

struct UiRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return !(x1 > x0 && y1 > y0); }
};

}  // namespace bcmap
