// TestHooks: what the interactive tests (tests/ui, under Xvfb) read from a running viewer.
//   BCMAP_TEST_STATE=/path/state.json   after every frame whose state changed, the view,
//                                       cursor, layers (with their settings), the time
//                                       slider, the session file and panel rectangles as JSON,
//                                       written atomically (temporary file + rename).
//   BCMAP_TEST_SCREENSHOT_DIR=/path     F12 saves the window's framebuffer there as PNG.
// Both are off unless the variable is set; they cost nothing then.
#pragma once

#include <cstdint>
#include <string>

#include "ui/ViewerState.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

// Window facts the state file reports besides ViewerState (all from GLFW).
struct WindowFacts {
  int x = 0, y = 0;                  // window position on the screen (window units)
  int width = 0, height = 0;         // window units
  int fbWidth = 0, fbHeight = 0;     // framebuffer pixels
  int mapWidth = 0, mapHeight = 0;   // framebuffer pixels of the map (top of the window)
};

class TestStateWriter {
 public:
  // Reads BCMAP_TEST_STATE; enabled() is false when it is not set.
  TestStateWriter();
  bool enabled() const { return !path_.empty(); }
  // Writes the state (the viewer's, and where its panels drew what) if anything but the
  // frame counter and timing changed since the last write. Errors are logged once.
  void afterFrame(const ViewerState& st, const TestRects& rects, const WindowFacts& w, uint64_t frameCount,
                  const std::string& lastScreenshot);

 private:
  std::string path_;
  std::string last_;
  bool warned_ = false;
};

// The screenshot folder from BCMAP_TEST_SCREENSHOT_DIR ("" when unset).
std::string screenshotDir();
// Reads the currently bound framebuffer (fbWidth x fbHeight, bottom row first in GL) and
// writes it top row first as an opaque PNG to `dir`/bcmap-<frame>.png. Returns the path,
// or "" with `err` set.
std::string saveScreenshot(const std::string& dir, int fbWidth, int fbHeight, uint64_t frame, std::string* err);

}  // namespace bcmap
