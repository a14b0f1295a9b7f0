// ExportDialog: the viewer's "导出 Export" window — a file (PNG or SVG) or a numbered PNG
// sequence over days (an animation's frames), at a chosen size and DPI, with the legend,
// scale bar, north arrow and a title switched on or off. The window only asks; the main
// loop runs the request (runExportRequest) between frames with the viewer's own MapFrame,
// and reports back with setExportResult.
#pragma once

#include <cstdint>
#include <string>

#include "render/Export.h"
#include "host/LayerStore.h"
#include "model/View.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

struct ExportRequest {
  enum class Kind : uint8_t { None = 0, Image = 1, Sequence = 2 };
  Kind kind = Kind::None;
  std::string path;  // Image: the file
  ImageFormat format = ImageFormat::Png;
  int widthPx = 1600, heightPx = 1000;
  double dpi = kBaseDpi;
  bool legend = true, scaleBar = true, northArrow = false;
  std::string title;  // "": none
  // Sequence: the days (first, first + step, ... up to last) and the folder for
  // bcmap-0001.png, bcmap-0002.png, ...
  int32_t firstDay = kNoDay, lastDay = kNoDay, stepDays = 1;
  std::string folder;
};

// What the window keeps between frames (ImGui edits fixed buffers in place).
struct ExportDialogState {
  char path[1024] = "bcmap-export.png";
  int format = 0;  // 0 PNG, 1 SVG
  int widthPx = 1600, heightPx = 1000;
  int dpi = 96;
  bool legend = true, scaleBar = true, northArrow = true, withTitle = false;
  char title[256] = "";
  char firstDay[16] = "", lastDay[16] = "";  // filled from the time slider's range when first shown
  int stepDays = 30;
  char folder[1024] = "bcmap-frames";
  std::string result;  // what the last export did (setExportResult)
  bool resultIsError = false;
  // Where the request in flight writes (absolute: the file, or a sequence's folder), and
  // where the last one that succeeded wrote; its notice shows until dismissed.
  std::string pendingPath, writtenPath;
  bool pendingIsFolder = false, writtenIsFolder = false;
  bool noticeOpen = false;
};

// Draws the window while `*open` (PanelToggles::exportDialog) is on; its close box turns it
// off. `view`: the map's view (its size seeds the export's). Reports "export.path",
// "export.button", "export.sequence" and the facts "export.path", "export.result".
// After an export that succeeded, and until its "知道了 OK" is pressed, a notice window
// (open or closed, the dialog) names the full path written with buttons that copy it or
// its folder to the clipboard: rectangles "export.notice", "export.copy",
// "export.copyFolder", "export.dismiss", the fact "export.written".
// Returns the request when "导出 Export" or "导出序列 Export sequence" was pressed and the
// fields are valid (Kind::None otherwise; invalid fields are marked in the window).
ExportRequest drawExportDialog(bool* open, const View& view, ExportDialogState& d, float uiScale, TestRects& rects);

// Runs `r` for what the window shows (`shownView` of `store`'s layers in `displayCrs`): the same centre, scaled so the shown extent fits the
// export's size; the time filter of `shown` (a sequence replaces the day). `frame` is the
// viewer's MapFrame, its context current. False and `message` on failure; on success
// `message` says what was written.
bool runExportRequest(const ExportRequest& r, const View& shownView, LayerStore& store, const std::string& displayCrs,
                      MapFrame& frame, const FrameOptions& shown, std::string* message);

// Shows the outcome in the window; a success opens the notice of where the file went.
void setExportResult(ExportDialogState& d, bool ok, const std::string& message);

}  // namespace bcmap
