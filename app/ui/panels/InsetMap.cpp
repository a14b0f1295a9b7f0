// Sections: 1. the view's outline  2. preparing the outlines  3. drawing
#include "ui/panels/InsetMap.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numbers>

#include "geometry/HitTest.h"
#include "host/LayerStore.h"
#include "io/Projection.h"
#include "geometry/Triangulate.h"
#include "ui/NavText.h"

namespace bcmap {

namespace {

// Geometry in logical pixels (multiplied by the UI scale).
constexpr float kPad = 4.0f;
// The outlines are simplified to this fraction of the data's larger side: half a pixel in
// a box up to 300 px wide, so nothing visible is lost and Baicheng's 17,500 border
// vertices become a few hundred.
constexpr double kSimplifyFraction = 1.0 / 600;
// A view smaller than this (pixels in the box) is drawn as a square this size, so it can
// still be found.
constexpr float kMinViewPx = 6.0f;

const ImU32 kLandFill = IM_COL32(236, 233, 226, 255);
const ImU32 kBorder = IM_COL32(110, 110, 110, 255);
const ImU32 kBoxBack = IM_COL32(250, 250, 250, 235);
const ImU32 kViewRed = IM_COL32(215, 25, 28, 255);

bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

// Douglas–Peucker: the points of `in` that keep it within `tolerance`, ends always kept.
std::vector<Vec2> simplify(const std::vector<Vec2>& in, double tolerance) {
  if (in.size() < 3) return in;
  std::vector<uint8_t> keep(in.size(), 0);
  keep.front() = keep.back() = 1;
  std::vector<std::pair<size_t, size_t>> todo{{0, in.size() - 1}};
  while (!todo.empty()) {
    const auto [a, b] = todo.back();
    todo.pop_back();
    double worst = -1;
    size_t at = a;
    for (size_t i = a + 1; i < b; ++i) {
      const double d = segmentDistance(in[i], in[a], in[b]);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    if (worst > tolerance) {
      keep[at] = 1;
      todo.push_back({a, at});
      todo.push_back({at, b});
    }
  }
  std::vector<Vec2> out;
  for (size_t i = 0; i < in.size(); ++i)
    if (keep[i]) out.push_back(in[i]);
  return out;
}

}  // namespace

// ---- 1. the view's outline ------------------------------------------------------------------
std::vector<Vec2> viewOutlineLonLat(const View& view, const Transformer& displayToLonLat, int perEdge) {
  perEdge = std::max(perEdge, 1);
  const double w = view.widthPx, h = view.heightPx;
  const Vec2 corners[] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
  std::vector<Vec2> out;
  for (int e = 0; e < 4; ++e) {
    const Vec2 a = corners[e], b = corners[(e + 1) % 4];
    for (int i = 0; i < perEdge; ++i) {
      const double t = static_cast<double>(i) / perEdge;
      const Vec2 ll = displayToLonLat.forward(view.toWorld({a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}));
      if (finite(ll)) out.push_back(ll);
    }
  }
  return out;
}

// ---- 2. preparing the outlines --------------------------------------------------------------
bool InsetMap::stale(LayerStore& store) const {
  const Layer* l = store.find("counties");
  if (!l || l->status != LayerStatus::Loaded) return countiesKey_ != 0;
  return l->key != countiesKey_ || l->generation != countiesGeneration_;
}

void InsetMap::prepare(LayerStore& store) {
  countiesKey_ = countiesGeneration_ = 0;
  Layer* l = store.find("counties");
  std::string err;
  std::shared_ptr<const PreparedLayer> p;
  if (l && l->status == LayerStatus::Loaded) p = store.prepare(*l, kLonLatCrs, &err);
  if (!p) {
    prepare(GeometryColumn{});
    return;
  }
  prepare(p->geometry);
  countiesKey_ = l->key;
  countiesGeneration_ = l->generation;
}

void InsetMap::prepare(const GeometryColumn& g) {
  rings_.clear();
  triangles_.clear();
  vertices_.clear();
  planeBounds_ = Bounds{};
  const Bounds ll = g.bounds();
  if (ll.empty() || g.kind != GeometryKind::Polygon) return;
  origin_ = {(ll.minX + ll.maxX) / 2, (ll.minY + ll.maxY) / 2};
  lonScale_ = std::cos(origin_.y * std::numbers::pi / 180);
  const double tolerance = std::max(ll.width() * lonScale_, ll.height()) * kSimplifyFraction;
  for (size_t part = 0; part < g.partCount(); ++part) {
    std::vector<std::vector<Vec2>> partRings;
    for (uint32_t r = g.partRings[part]; r < g.partRings[part + 1]; ++r) {
      std::vector<Vec2> ring;
      for (uint32_t v = g.ringVertices[r]; v < g.ringVertices[r + 1]; ++v)
        if (finite(g.xy[v])) ring.push_back(toPlane(g.xy[v]));
      ring = simplify(ring, tolerance);
      if (ring.size() >= 4) partRings.push_back(std::move(ring));  // a closed triangle at least
    }
    if (partRings.empty()) continue;
    std::vector<std::span<const Vec2>> spans(partRings.begin(), partRings.end());
    triangulatePolygon(spans, static_cast<uint32_t>(vertices_.size()), triangles_);
    for (std::vector<Vec2>& ring : partRings) {
      for (const Vec2& p : ring) planeBounds_.add(p);
      vertices_.insert(vertices_.end(), ring.begin(), ring.end());
      rings_.push_back({std::move(ring)});
    }
  }
}

// ---- 3. drawing -----------------------------------------------------------------------------
std::optional<Vec2> InsetMap::draw(float s, float left, float bottom, float width, std::span<const Vec2> viewOutline) {
  rect_ = {};
  if (planeBounds_.empty()) {
    interacting_ = false;
    return std::nullopt;
  }
  // The box keeps the data's shape, within half to one and a half times its width.
  const float boxW = width * s;
  const double aspect = planeBounds_.height() / std::max(planeBounds_.width(), 1e-12);
  const float boxH = boxW * static_cast<float>(std::clamp(aspect, 0.5, 1.5));
  const double k = std::min(boxW / planeBounds_.width(), boxH / std::max(planeBounds_.height(), 1e-12));
  const float pad = kPad * s;

  ImGui::SetNextWindowPos(ImVec2{left, bottom}, ImGuiCond_Always, ImVec2{0.0f, 1.0f});
  ImGui::SetNextWindowSize(ImVec2{boxW + 2 * pad, boxH + 2 * pad});
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2{pad, pad});
  ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2{1, 1});
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBringToFrontOnFocus;
  std::optional<Vec2> request;
  if (ImGui::Begin("##inset", nullptr, flags)) {
    const ImVec2 box0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##insetBox", ImVec2{boxW, boxH});
    const ImVec2 box1{box0.x + boxW, box0.y + boxH};
    // The data centred in the box.
    const double offX = (boxW - planeBounds_.width() * k) / 2, offY = (boxH - planeBounds_.height() * k) / 2;
    const auto toScreen = [&](Vec2 p) {
      return ImVec2{static_cast<float>(box0.x + offX + (p.x - planeBounds_.minX) * k),
                    static_cast<float>(box0.y + offY + (planeBounds_.maxY - p.y) * k)};
    };

    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(box0, box1, true);
    dl->AddRectFilled(box0, box1, kBoxBack);
    for (size_t t = 0; t + 2 < triangles_.size(); t += 3)
      dl->AddTriangleFilled(toScreen(vertices_[triangles_[t]]), toScreen(vertices_[triangles_[t + 1]]),
                            toScreen(vertices_[triangles_[t + 2]]), kLandFill);
    std::vector<ImVec2> line;
    for (const Ring& r : rings_) {
      line.clear();
      for (const Vec2& p : r.pts) line.push_back(toScreen(p));
      dl->AddPolyline(line.data(), static_cast<int>(line.size()), kBorder, ImDrawFlags_Closed, 1.0f * s);
    }
    // The view: its outline, or a small square where it is too small to see.
    if (!viewOutline.empty()) {
      line.clear();
      float x0 = FLT_MAX, y0 = FLT_MAX, x1 = -FLT_MAX, y1 = -FLT_MAX;
      for (const Vec2& ll : viewOutline) {
        const ImVec2 p = toScreen(toPlane(ll));
        line.push_back(p);
        x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
      }
      const float minPx = kMinViewPx * s;
      if (x1 - x0 < minPx && y1 - y0 < minPx) {
        const ImVec2 c{(x0 + x1) / 2, (y0 + y1) / 2};
        dl->AddRect(ImVec2{c.x - minPx / 2, c.y - minPx / 2}, ImVec2{c.x + minPx / 2, c.y + minPx / 2}, kViewRed, 0, 0,
                    2.0f * s);
      } else {
        dl->AddPolyline(line.data(), static_cast<int>(line.size()), kViewRed, ImDrawFlags_Closed, 2.0f * s);
      }
    }
    dl->PopClipRect();

    interacting_ = ImGui::IsItemActive();
    if (interacting_) {
      const ImVec2 m = ImGui::GetMousePos();
      const Vec2 plane{planeBounds_.minX + (m.x - box0.x - offX) / k, planeBounds_.maxY - (m.y - box0.y - offY) / k};
      const Vec2 ll = fromPlane(plane);
      if (ll.x != lastRequest_.x || ll.y != lastRequest_.y) {
        request = ll;
        lastRequest_ = ll;
      }
    } else {
      lastRequest_ = {NAN, NAN};
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ui_text::kInsetHint);
    }
  }
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rect_ = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::End();
  ImGui::PopStyleVar(2);
  return request;
}

}  // namespace bcmap
