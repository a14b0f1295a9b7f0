// Sections: 1. input  2. the window  3. the overlay
#include "ui/panels/MeasureTool.h"

#include <cfloat>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "geometry/Triangulate.h"
#include "ui/NavText.h"

namespace bcmap {

namespace {

// Geometry in logical pixels (multiplied by the UI scale).
constexpr float kWidth = 300.0f;
constexpr float kLineWidth = 2.5f;
constexpr float kVertexRadius = 4.0f;
constexpr float kLabelPad = 4.0f;
constexpr float kLabelOffset = 12.0f;  // from the point it labels, right and up
// Each segment is drawn as this many pieces of its geodesic: on a projected map a long
// geodesic is a curve, and 16 pieces keep a 100 km one within a pixel of it at county scale.
constexpr int kPiecesPerSegment = 16;

const ImU32 kLineColour = IM_COL32(230, 85, 13, 255);     // ColorBrewer Oranges, dark
const ImU32 kFillColour = IM_COL32(253, 141, 60, 70);     // the same family, light and clear
const ImU32 kVertexFill = IM_COL32(255, 255, 255, 255);
const ImU32 kLabelBack = IM_COL32(255, 255, 255, 225);
const ImU32 kLabelText = IM_COL32(30, 30, 30, 255);

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }
bool finite(ImVec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

std::optional<Vec2> hoverOf(const Measurement& m, Vec2 cursor) {
  if (m.finished() || !finite(cursor)) return std::nullopt;
  return cursor;
}

// The result line: "长度 length 12.35 km", or "面积 Area 8,476.2 km² · 周长 perimeter 412.3 km".
std::string resultText(const Measurement& m, std::optional<Vec2> hover) {
  if (m.mode() == MeasureMode::Area)
    return std::string(ui_text::kMeasureArea) + " " + formatAreaKm2(m.areaKm2(hover)) + " · " +
           ui_text::kMeasurePerimeter + " " + formatDistanceKm(m.perimeterKm(hover));
  return std::string(ui_text::kMeasureLength) + " " + formatDistanceKm(m.lengthKm(hover));
}

}  // namespace

// ---- 1. input -------------------------------------------------------------------------------
void MeasureTool::click(Vec2 lonLat, bool doubleClick) {
  if (!active()) return;
  if (doubleClick)
    measurement_.finish();
  else
    measurement_.addPoint(lonLat);
}

bool MeasureTool::escape() {
  if (!active()) return false;
  if (!measurement_.cancel()) measurement_.setMode(MeasureMode::None);
  return true;
}

// ---- 2. the window --------------------------------------------------------------------------
void MeasureTool::drawPanel(float s, float right, float top, bool* open, Vec2 cursorLonLat) {
  rects_ = {};
  if (open && !*open) {
    if (active()) measurement_.setMode(MeasureMode::None);
    return;
  }
  const float width = kWidth * s;
  ImGui::SetNextWindowPos(ImVec2{right, top}, ImGuiCond_Always, ImVec2{1.0f, 0.0f});
  ImGui::SetNextWindowSizeConstraints(ImVec2{width, 0}, ImVec2{width, FLT_MAX});
  const ImGuiWindowFlags flags = ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoFocusOnAppearing;
  if (ImGui::Begin(ui_text::kMeasureTitle, open, flags)) {
    const MeasureMode mode = measurement_.mode();
    // Choosing the mode in use again keeps the points.
    if (ImGui::RadioButton(ui_text::kMeasureDistance, mode == MeasureMode::Distance) && mode != MeasureMode::Distance)
      measurement_.setMode(MeasureMode::Distance);
    rects_.distanceButton = lastItemRect();
    ImGui::SameLine();
    if (ImGui::RadioButton(ui_text::kMeasureArea, mode == MeasureMode::Area) && mode != MeasureMode::Area)
      measurement_.setMode(MeasureMode::Area);
    rects_.areaButton = lastItemRect();
    ImGui::SameLine();
    ImGui::BeginDisabled(measurement_.points().empty());
    if (ImGui::Button(ui_text::kMeasureClear)) measurement_.cancel();
    ImGui::EndDisabled();
    rects_.clearButton = lastItemRect();
    if (active() && !measurement_.points().empty())
      ImGui::TextUnformatted(resultText(measurement_, hoverOf(measurement_, cursorLonLat)).c_str());
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", ui_text::kMeasureHint);
    ImGui::PopTextWrapPos();
  }
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rects_.window = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::End();
  if (open && !*open) measurement_.setMode(MeasureMode::None);  // closed this frame
}

// ---- 3. the overlay -------------------------------------------------------------------------
void MeasureTool::drawOverlay(const LonLatToWindow& toWindow, Vec2 cursorLonLat, float s) const {
  if (!active() || measurement_.points().empty()) return;
  const bool area = measurement_.mode() == MeasureMode::Area;
  const std::optional<Vec2> hover = hoverOf(measurement_, cursorLonLat);
  std::vector<Vec2> pts = measurement_.points();
  if (hover) pts.push_back(*hover);

  // The geodesic pieces of every segment (and, for an area, the closing one), in window units.
  std::vector<ImVec2> path;
  bool placed = true;  // every point could be placed on the map
  const size_t segments = area && pts.size() >= 3 ? pts.size() : pts.size() - 1;
  const auto put = [&](Vec2 lonLat) {
    const ImVec2 w = toWindow(lonLat);
    if (finite(w)) path.push_back(w);
    else placed = false;
  };
  put(pts[0]);
  for (size_t i = 0; i < segments; ++i) {
    const std::vector<Vec2> piece = geodesicPath(pts[i], pts[(i + 1) % pts.size()], kPiecesPerSegment);
    for (size_t k = 1; k < piece.size(); ++k) put(piece[k]);
  }

  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  if (area && pts.size() >= 3 && placed) {
    // ImGui fills convex shapes only; the ring may be concave, so it is triangulated.
    std::vector<Vec2> ring;
    ring.reserve(path.size());
    for (const ImVec2& p : path) ring.push_back({p.x, p.y});
    const std::span<const Vec2> rings[] = {ring};
    std::vector<uint32_t> tri;
    triangulatePolygon(rings, 0, tri);
    for (size_t t = 0; t + 2 < tri.size(); t += 3)
      dl->AddTriangleFilled(path[tri[t]], path[tri[t + 1]], path[tri[t + 2]], kFillColour);
  }
  if (path.size() >= 2)
    dl->AddPolyline(path.data(), static_cast<int>(path.size()), kLineColour, ImDrawFlags_None, kLineWidth * s);
  for (const Vec2& p : measurement_.points()) {
    const ImVec2 w = toWindow(p);
    if (!finite(w)) continue;
    dl->AddCircleFilled(w, kVertexRadius * s, kVertexFill);
    dl->AddCircle(w, kVertexRadius * s, kLineColour, 0, 1.5f * s);
  }

  // The running result beside the last point (the cursor while drawing).
  if (pts.size() < 2) return;
  const ImVec2 at = toWindow(pts.back());
  if (!finite(at)) return;
  const std::string text = area ? formatAreaKm2(measurement_.areaKm2(hover)) : formatDistanceKm(measurement_.lengthKm(hover));
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  const ImVec2 p0{at.x + kLabelOffset * s, at.y - kLabelOffset * s - size.y};
  dl->AddRectFilled(ImVec2{p0.x - kLabelPad * s, p0.y - kLabelPad * s},
                    ImVec2{p0.x + size.x + kLabelPad * s, p0.y + size.y + kLabelPad * s}, kLabelBack, 3 * s);
  dl->AddText(p0, kLabelText, text.data(), text.data() + text.size());
}

}  // namespace bcmap
