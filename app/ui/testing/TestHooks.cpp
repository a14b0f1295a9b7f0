#include "ui/testing/TestHooks.h"

#include <epoxy/gl.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "host/LayerStore.h"
#include "model/Log.h"
#include "render/ImageIo.h"
#include "ui/panels/LayerSettings.h"

namespace bcmap {

namespace {

std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : "null";
}

std::string str(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string rect(const UiRect& r) {
  if (r.empty()) return "null";
  // Appended piece by piece: GCC 12 -O3 warns falsely (-Wrestrict) on "[" + std::string.
  std::string out = "[";
  out += num(r.x0);
  out += ", ";
  out += num(r.y0);
  out += ", ";
  out += num(r.x1);
  out += ", ";
  out += num(r.y1);
  out += "]";
  return out;
}

// A layer's settings: value, the draft being edited, the last error, the widget's place.
std::string settingsJson(const ViewerState& st, const TestRects& rects, const Layer& l) {
  std::string j = "[";
  for (size_t i = 0; i < l.settings.size(); ++i) {
    const LayerSetting& s = l.settings[i];
    const std::string k = settingKey(l.id, s.key);
    UiRect widget;
    for (const SettingRect& r : rects.settingRects)
      if (r.layerId == l.id && r.key == s.key) widget = r.widget;
    const auto draft = st.layerSettings.drafts.find(k);
    const std::string error = settingErrorText(st.layerSettings, l, s.key);
    j += std::string(i ? ", " : "") + "{\"key\": " + str(s.key) + ", \"value\": " + str(s.value) +
         ", \"draft\": " + (draft == st.layerSettings.drafts.end() ? std::string("null") : str(draft->second)) +
         ", \"error\": " + (error.empty() ? std::string("null") : str(error)) +
         ", \"widget\": " + rect(widget) + "}";
  }
  return j + "]";
}

// Everything but the frame counter and timings, so an unchanged frame writes nothing.
std::string stateBody(const ViewerState& st, const TestRects& rects, const WindowFacts& w,
                      const std::string& lastScreenshot) {
  std::string j;
  j += "  \"window\": {\"x\": " + num(w.x) + ", \"y\": " + num(w.y) + ", \"width\": " + num(w.width) +
       ", \"height\": " + num(w.height) + "},\n";
  j += "  \"framebuffer\": {\"width\": " + num(w.fbWidth) + ", \"height\": " + num(w.fbHeight) + "},\n";
  j += "  \"map\": {\"width\": " + num(w.mapWidth) + ", \"height\": " + num(w.mapHeight) + "},\n";
  j += "  \"pixelRatio\": " + num(st.pixelRatio) + ", \"contentScale\": " + num(st.contentScale) + ",\n";
  j += "  \"crs\": " + str(st.displayCrs) + ",\n";
  j += "  \"view\": {\"centerX\": " + num(st.view.center.x) + ", \"centerY\": " + num(st.view.center.y) +
       ", \"unitsPerPixel\": " + num(st.view.unitsPerPixel) + ", \"widthPx\": " + num(st.view.widthPx) +
       ", \"heightPx\": " + num(st.view.heightPx) + "},\n";
  j += "  \"cursor\": {\"inMap\": " + std::string(st.cursorInMap ? "true" : "false") +
       ", \"windowX\": " + num(st.cursorWindow.x) + ", \"windowY\": " + num(st.cursorWindow.y) +
       ", \"px\": " + num(st.cursorPx.x) + ", \"py\": " + num(st.cursorPx.y) + ", \"worldX\": " +
       num(st.cursorWorld.x) + ", \"worldY\": " + num(st.cursorWorld.y) + ", \"lon\": " + num(st.cursorLonLat.x) +
       ", \"lat\": " + num(st.cursorLonLat.y) + "},\n";
  j += "  \"dragging\": " + std::string(st.dragging ? "true" : "false") +
       ", \"textInput\": " + (rects.textInput ? "true" : "false") + ",\n";
  j += "  \"hover\": {\"layer\": " + (st.hoverLayer.empty() ? std::string("null") : str(st.hoverLayer)) +
       ", \"feature\": " + num(static_cast<double>(st.hoverFeature)) + ", \"id\": " +
       (st.hoverLayer.empty() ? std::string("null") : str(st.hoverFeatureId)) + ", \"text\": " +
       str(st.hoverText) + "},\n";
  j += "  \"layers\": [";
  auto& layers = st.session->store->layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = *layers[i];
    LayerRowRects row;
    for (const LayerRowRects& r : rects.layerRows)
      if (r.id == l.id) row = r;
    j += std::string(i ? ",\n    " : "\n    ") + "{\"id\": " + str(l.id) + ", \"name\": " + str(l.displayName()) +
         ", \"drawIndex\": " + num(double(i)) +
         ", \"visible\": " + (l.visible ? "true" : "false") + ", \"opacity\": " + num(l.opacity) +
         ", \"status\": " + str(layerStatusName(l.status)) + ", \"sample\": " + (l.isSample ? "true" : "false") +
         ", \"features\": " + num(double(l.table.featureCount())) + ", \"reloadError\": " + str(l.reloadError) +
         ", \"checkbox\": " + rect(row.checkbox) + ", \"up\": " + rect(row.up) + ", \"down\": " + rect(row.down) +
         ", \"settingsNode\": " + rect(row.settingsNode) + ", \"legendNode\": " + rect(row.legendNode) +
         ", \"settings\": " + settingsJson(st, rects, l) + "}";
  }
  j += layers.empty() ? "],\n" : "\n  ],\n";
  j += "  \"ui\": {\"layerPanel\": " + rect(rects.layerPanel) + ", \"statusBar\": " + rect(rects.statusBar) +
       ", \"tooltip\": " + rect(rects.tooltip) + ", \"crsCombo\": " + rect(rects.crsCombo) +
       ", \"crsField\": " + rect(rects.crsField) + ", \"timeWindow\": " + rect(rects.timeWindow) + "},\n";
  const TimeState& t = st.time;
  j += "  \"time\": {\"shown\": " + std::string(t.shown ? "true" : "false") +
       ", \"all\": " + (t.all ? "true" : "false") + ", \"playing\": " + (t.playing ? "true" : "false") +
       ", \"day\": " + (t.all ? std::string("null") : str(formatDate(t.day))) +
       ", \"sliderDay\": " + str(formatDate(t.day)) + ", \"speed\": " + num(t.speed) +
       ", \"firstDay\": " + str(formatDate(kTimeFirstDay)) + ", \"lastDay\": " + str(formatDate(kTimeLastDay)) +
       ",\n    \"window\": " + rect(rects.timeWindow) + ", \"slider\": " + rect(rects.timeSlider) +
       ", \"play\": " + rect(rects.timePlay) + ", \"allToggle\": " + rect(rects.timeAll) +
       ", \"speedCombo\": " + rect(rects.timeSpeed) + ", \"xFirst\": " + num(rects.timeFirstX) +
       ", \"xLast\": " + num(rects.timeLastX) + ", \"sliderHeld\": " + (rects.timeSliderHeld ? "true" : "false") +
       "},\n";
  const PanelToggles& pt = st.panels;
  auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
  j += "  \"panels\": {\"legend\": " + flag(pt.legend) + ", \"inset\": " + flag(pt.inset) +
       ", \"search\": " + flag(pt.search) + ", \"navigation\": " + flag(pt.navigation) + ", \"log\": " +
       flag(pt.log) + ", \"help\": " + flag(pt.help) + ", \"export\": " + flag(pt.exportDialog) +
       ", \"chart\": " + flag(pt.chart) + ", \"measure\": " + flag(pt.measure) +
       ", \"uiScale\": " + num(st.userUiScale) + ", \"menuBarHeight\": " + num(st.menuBarHeight) + "},\n";
  static constexpr const char* kModeNames[] = {"span", "cumulative", "window"};
  j += "  \"timeMode\": " + str(kModeNames[static_cast<int>(st.time.mode)]) + ", \"windowDays\": " +
       num(st.time.windowDays) + ",\n";
  j += "  \"selection\": [";
  const std::vector<FeatureRef> selected = st.selection.refs();
  for (size_t i = 0; i < selected.size(); ++i)
    j += std::string(i ? ", " : "") + "{\"layer\": " + str(selected[i].layerId) +
         ", \"feature\": " + num(static_cast<double>(selected[i].feature)) + "}";
  j += "],\n  \"named\": {";
  bool first = true;
  for (const auto& [name, r] : rects.named) {
    j += std::string(first ? "" : ", ") + str(name) + ": " + rect(r);
    first = false;
  }
  j += "},\n  \"facts\": {";
  first = true;
  for (const auto& [name, v] : rects.facts) {
    j += std::string(first ? "" : ", ") + str(name) + ": " + str(v);
    first = false;
  }
  j += "},\n";
  j += "  \"session\": {\"path\": " + str(st.sessionPath) + ", \"saves\": " + num(st.sessionSaves) +
       ", \"error\": " + str(st.sessionError) + "},\n";
  const double mpp = st.toLonLat ? groundMetresPerPixel(st.view, *st.toLonLat) : NAN;
  j += "  \"metresPerPixel\": " + num(mpp) + ",\n";
  j += "  \"crsError\": " + str(st.crsError) + ",\n";
  j += "  \"lastScreenshot\": " + str(lastScreenshot) + "\n";
  return j;
}

}  // namespace

TestStateWriter::TestStateWriter() {
  if (const char* p = std::getenv("BCMAP_TEST_STATE"); p && *p) path_ = p;
}

void TestStateWriter::afterFrame(const ViewerState& st, const TestRects& rects, const WindowFacts& w, uint64_t frameCount,
                                 const std::string& lastScreenshot) {
  if (path_.empty()) return;
  std::string body = stateBody(st, rects, w, lastScreenshot);
  if (body == last_) return;
  const std::string text = "{\n  \"frameCount\": " + std::to_string(frameCount) + ",\n  \"frameMs\": " +
                           num(st.frameMs) + ",\n" + body + "}\n";
  const std::string tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      if (!warned_) logWarning("BCMAP_TEST_STATE " + tmp + ": cannot write");
      warned_ = true;
      return;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path_, ec);
  if (ec) {
    if (!warned_) logWarning("BCMAP_TEST_STATE " + path_ + ": " + ec.message());
    warned_ = true;
    return;
  }
  last_ = std::move(body);
}

std::string screenshotDir() {
  const char* d = std::getenv("BCMAP_TEST_SCREENSHOT_DIR");
  return d && *d ? d : "";
}

std::string saveScreenshot(const std::string& dir, int w, int h, uint64_t frame, std::string* err) {
  if (w <= 0 || h <= 0) {
    if (err) *err = "screenshot: the framebuffer is empty";
    return {};
  }
  std::vector<uint8_t> bottomUp(static_cast<size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, bottomUp.data());
  std::vector<uint8_t> topDown(bottomUp.size());
  const size_t row = static_cast<size_t>(w) * 4;
  for (int y = 0; y < h; ++y)
    std::copy_n(bottomUp.begin() + static_cast<std::ptrdiff_t>((h - 1 - y) * row), row,
                topDown.begin() + static_cast<std::ptrdiff_t>(y * row));
  // The window is opaque whatever alpha blending left in the back buffer.
  for (size_t i = 3; i < topDown.size(); i += 4) topDown[i] = 255;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string path = (std::filesystem::path(dir) / ("bcmap-" + std::to_string(frame) + ".png")).string();
  if (!writePng(path, w, h, topDown, err)) return {};
  return path;
}

}  // namespace bcmap
