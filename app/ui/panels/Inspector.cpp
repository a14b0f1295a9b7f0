#include "ui/panels/Inspector.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "host/LayerStore.h"
#include "io/Projection.h"
#include "host/Selection.h"
#include "nav/ViewFraming.h"
#include "ui/UiText.h"

namespace bcmap {

namespace {

// Beyond this many selected features the list stops (each is a section with a table).
constexpr size_t kMaxListed = 200;

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

// A value the user can select and copy (Ctrl+C): a read-only text field as wide as its cell.
void selectableText(const char* id, const std::string& text) {
  ImGui::SetNextItemWidth(-1.0f);
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4{0, 0, 0, 0});
  // ReadOnly: ImGui never writes to the buffer, so the string's own storage serves.
  ImGui::InputText(id, const_cast<char*>(text.c_str()), text.size() + 1, ImGuiInputTextFlags_ReadOnly);
  ImGui::PopStyleColor();
}

// One feature's section body. Returns true when its "zoom to" was pressed.
bool drawFeature(TestRects& rects, LayerStore& store, Layer& l, size_t f, size_t k, float s) {
  const std::string id = l.table.featureId(f);
  const Vec2 ll = featureLonLat(store, l, f);
  char where[96];
  if (std::isfinite(ll.x) && std::isfinite(ll.y)) std::snprintf(where, sizeof where, "%.6f, %.6f", ll.x, ll.y);
  else std::snprintf(where, sizeof where, "—");
  ImGui::TextDisabled("图层 Layer");
  ImGui::SameLine(110 * s);
  ImGui::TextUnformatted(l.displayName().c_str());
  ImGui::TextDisabled("要素 Feature");
  ImGui::SameLine(110 * s);
  ImGui::Text("#%s", id.c_str());
  ImGui::TextDisabled("经纬度 Lon, lat");
  ImGui::SameLine(110 * s);
  ImGui::TextUnformatted(where);
  ImGui::SameLine();
  const bool zoom = ImGui::SmallButton("缩放至 Zoom to");
  rects.named["inspector.zoom." + std::to_string(k)] = lastItemRect();
  if (l.isSample) ImGui::TextColored(ImVec4{0.66f, 0.40f, 0.00f, 1.0f}, "%s", ui_text::kSampleData);

  if (ImGui::BeginTable("attributes", 2, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_RowBg | ImGuiTableFlags_Resizable)) {
    ImGui::TableSetupColumn("字段 Field", ImGuiTableColumnFlags_WidthFixed, 120 * s);
    ImGui::TableSetupColumn("值 Value", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (size_t c = 0; c < l.table.columns.size(); ++c) {
      const AttributeColumn& col = l.table.columns[c];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(col.name.c_str());
      ImGui::TableNextColumn();
      ImGui::PushID(static_cast<int>(c));
      if (col.isNull[f]) ImGui::TextDisabled("null");
      else selectableText("##value", col.text(f));
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  return zoom;
}

}  // namespace

Vec2 featureLonLat(LayerStore& store, Layer& l, size_t f) {
  std::string err;
  const auto p = store.prepare(l, kLonLatCrs, &err);
  const Vec2 none{NAN, NAN};
  if (!p || f >= p->geometry.featureCount()) return none;
  const GeometryColumn& g = p->geometry;
  const uint32_t v0 = g.ringVertices[g.partRings[g.featureParts[f]]];
  if (l.kind == GeometryKind::Point) return v0 < g.ringVertices[g.partRings[g.featureParts[f + 1]]] ? g.xy[v0] : none;
  if (f < p->labelAnchor.size() && std::isfinite(p->labelAnchor[f].x)) return p->labelAnchor[f];
  const Bounds b = g.featureBounds(f);
  return b.empty() ? none : Vec2{(b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2};
}

std::optional<Bounds> featureZoomTarget(LayerStore& store, Layer& l, size_t f, const std::string& displayCrs) {
  std::string err;
  const auto p = store.prepare(l, displayCrs, &err);
  if (!p || f >= p->geometry.featureCount()) return std::nullopt;
  const GeometryColumn& g = p->geometry;
  // A line drawn with a disc at its start (BCMAP_LINE_MARKER_START: a relocated village's
  // origin, the line where it went) names the place at the disc: that point, not the line.
  if (g.kind == GeometryKind::Line && (p->lineMarkers & BCMAP_LINE_MARKER_START) &&
      g.featureParts[f] < g.featureParts[f + 1]) {
    const uint32_t v = g.ringVertices[g.partRings[g.featureParts[f]]];
    if (v < g.xy.size()) {
      Bounds at;
      at.add(g.xy[v]);
      return at;
    }
  }
  const Bounds b = g.featureBounds(f);
  if (b.empty()) return std::nullopt;
  return b;
}

UiRect inspectorPlacement(const UiRect& canvas, const UiRect& searchBox, const std::vector<UiRect>& tables, float s) {
  const float m = 10 * s;
  const float minW = 260 * s, minH = 180 * s;
  const float top = std::max(canvas.y0, searchBox.empty() ? canvas.y0 : searchBox.y1) + m;
  const float width = std::max(std::min(380 * s, canvas.x1 - canvas.x0 - 2 * m), minW);
  const float height = std::max(std::min(420 * s, canvas.y1 - m - top), minH);
  UiRect r{canvas.x1 - m - width, top, canvas.x1 - m, top + height};
  auto overlaps = [](const UiRect& a, const UiRect& b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; };
  for (const UiRect& t : tables) {
    if (t.empty() || !overlaps(r, t)) continue;
    // Beside the table where the canvas has room: right of it, left of it, above it, below.
    if (canvas.x1 - m - (t.x1 + m) >= minW) {
      r.x0 = t.x1 + m;
    } else if (t.x0 - m - (canvas.x0 + m) >= minW) {
      r.x0 = canvas.x0 + m;
      r.x1 = std::min(r.x1, t.x0 - m);
      r.x0 = std::max(r.x0, r.x1 - width);
    } else if (t.y0 - m - top >= minH) {
      r.y1 = t.y0 - m;
    } else if (canvas.y1 - m - (t.y1 + m) >= minH) {
      r.y0 = t.y1 + m;
      r.y1 = std::min(r.y0 + height, canvas.y1 - m);
    } else {
      // No room: over the table's lower right, so the band of map above the table (where a
      // row's feature is framed) stays whole.
      r.y1 = canvas.y1 - m;
      r.y0 = std::max(top, r.y1 - height);
    }
  }
  return r;
}

double pointScaleOf(const Layer& l) {
  const double labels = l.style.labelMaxScale;
  return labels > 0 ? std::min(labels, kDefaultPointScale) : kDefaultPointScale;
}

bool inspectorWillShow(const InspectorState& panel, const Selection& selection) {
  return !selection.empty() && (panel.open || selection.userVersion() != panel.seenVersion);
}

InspectorResult drawInspector(const InspectorInput& in, InspectorState& panel, Selection& selection, float s,
                              TestRects& rects) {
  InspectorResult result;
  // A reload re-finding the features (a style change, Ctrl+Z) is no new pick: only the
  // user's own change to the selection opens a closed inspector.
  if (selection.userVersion() != panel.seenVersion) {
    panel.seenVersion = selection.userVersion();
    panel.open = true;
  }
  if (selection.empty() || !panel.open) return result;
  LayerStore& store = *in.store;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  UiRect canvas = in.canvas;
  if (canvas.empty()) canvas = UiRect{0, in.menuBarHeight, vp->Size.x, vp->Size.y};
  // The open attribute tables (their windows as ImGui drew them last frame): "###table.<id>"
  // names each (AttributeTable.cpp), and ImGui hashes a name from its "###" on.
  std::vector<UiRect> tables;
  for (const auto& l : store.layers())
    if (const ImGuiWindow* w = ImGui::FindWindowByName(("###table." + l->id).c_str()); w && w->WasActive)
      tables.push_back(UiRect{w->Pos.x, w->Pos.y, w->Pos.x + w->Size.x, w->Pos.y + w->Size.y});
  const bool docked = !in.docked.empty();
  const UiRect at = docked ? in.docked : inspectorPlacement(canvas, in.searchBox, tables, s);
  const ImGuiCond cond = docked || panel.wasDocked ? ImGuiCond_Always : ImGuiCond_Appearing;
  panel.wasDocked = docked;
  ImGui::SetNextWindowSize(ImVec2{at.x1 - at.x0, at.y1 - at.y0}, cond);
  ImGui::SetNextWindowPos(ImVec2{at.x0, at.y0}, cond);
  const ImGuiWindowFlags flags =
      docked ? ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse : ImGuiWindowFlags_None;
  rects.facts["inspector.docked"] = docked ? "1" : "0";
  const bool visible = ImGui::Begin("要素 Inspector###inspector", &panel.open, flags);
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  result.window = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  rects.named["inspector.window"] = result.window;
  {
    // The title bar's close box (as the attribute table reports its own), for the UI tests.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float box = ImGui::GetFontSize(), barH = ImGui::GetFontSize() + 2 * style.FramePadding.y;
    const float x1 = pos.x + size.x - style.FramePadding.x, y0 = pos.y + (barH - box) / 2;
    rects.named["inspector.close"] = UiRect{x1 - box, y0, x1, y0 + box};
  }
  if (!visible) {
    ImGui::End();
    return result;
  }
  const std::vector<FeatureRef> refs = selection.refs();
  rects.facts["inspector.count"] = std::to_string(refs.size());
  ImGui::Text("已选 %zu 个要素 · %zu selected", refs.size(), refs.size());
  if (refs.size() > 1) {
    ImGui::SameLine();
    if (ImGui::SmallButton("全部缩放 Zoom to all")) {
      Bounds all;
      for (const FeatureRef& r : refs)
        if (Layer* l = store.find(r.layerId))
          if (auto b = featureZoomTarget(store, *l, r.feature, in.displayCrs)) all.add(*b);
      if (!all.empty()) result.zoomTo = all;
      result.pointScale = kDefaultPointScale;
    }
    rects.named["inspector.zoomAll"] = lastItemRect();
    ImGui::SameLine();
  } else {
    ImGui::SameLine();
  }
  if (ImGui::SmallButton("清除 Clear")) selection.clear();
  ImGui::Separator();

  for (size_t k = 0; k < refs.size() && k < kMaxListed && !selection.empty(); ++k) {
    Layer* l = store.find(refs[k].layerId);
    if (!l || refs[k].feature >= l->table.featureCount()) continue;  // validate() drops it next frame
    const std::string title = l->id + " #" + l->table.featureId(refs[k].feature);
    rects.facts["inspector.title." + std::to_string(k)] = title;
    ImGui::PushID(static_cast<int>(k));
    bool open = true;
    if (refs.size() > 1) {
      // The first few start open; a long selection starts as a list of titles.
      ImGui::SetNextItemOpen(k < 3, ImGuiCond_Once);
      open = ImGui::CollapsingHeader((l->displayName() + "  #" + l->table.featureId(refs[k].feature)).c_str());
      rects.named["inspector.header." + std::to_string(k)] = lastItemRect();
    }
    if (open && drawFeature(rects, store, *l, refs[k].feature, k, s)) {
      result.zoomTo = featureZoomTarget(store, *l, refs[k].feature, in.displayCrs);
      result.pointScale = pointScaleOf(*l);
    }
    ImGui::PopID();
  }
  if (refs.size() > kMaxListed) ImGui::TextDisabled("… 另有 %zu 个 and %zu more", refs.size() - kMaxListed, refs.size() - kMaxListed);
  ImGui::End();
  return result;
}

}  // namespace bcmap
