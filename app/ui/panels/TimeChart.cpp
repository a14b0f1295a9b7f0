#include "ui/panels/TimeChart.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "host/LayerStore.h"

namespace bcmap {

namespace {

// Okabe & Ito's colour-blind-safe qualitative palette (2008), without black.
constexpr ImU32 kLineColours[] = {
    IM_COL32(230, 159, 0, 255),  IM_COL32(86, 180, 233, 255), IM_COL32(0, 158, 115, 255),
    IM_COL32(213, 94, 0, 255),   IM_COL32(0, 114, 178, 255),  IM_COL32(204, 121, 167, 255),
    IM_COL32(240, 228, 66, 255),
};
constexpr size_t kColourCount = sizeof kLineColours / sizeof kLineColours[0];

std::vector<int32_t> monthEnds() {
  std::vector<int32_t> days;
  for (int y = 2015; y <= 2020; ++y)
    for (int m = 1; m <= 12; ++m) {
      char next[16];
      std::snprintf(next, sizeof next, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
      days.push_back(*parseDate(next) - 1);
    }
  return days;
}

bool hasTime(const Layer& l) { return l.status == LayerStatus::Loaded && l.table.hasTime(); }

}  // namespace

TimeSeries countOverTime(const Layer& layer, const std::string& groupField, TimeMode mode, int32_t windowDays) {
  TimeSeries s;
  s.days = monthEnds();
  const FeatureTable& t = layer.table;
  const AttributeColumn* group = groupField.empty() ? nullptr : t.column(groupField);
  std::map<std::string, size_t> index;
  std::vector<size_t> groupOf(t.featureCount(), 0);
  for (size_t f = 0; f < t.featureCount(); ++f) {
    const std::string name = group ? group->text(f) : std::string("全部 all");
    auto [it, added] = index.emplace(name, index.size());
    groupOf[f] = it->second;
  }
  s.groups.resize(index.size());
  for (const auto& [name, i] : index) s.groups[i] = name;
  s.counts.assign(index.size(), std::vector<int>(s.days.size(), 0));
  if (!t.hasTime()) return s;
  for (size_t d = 0; d < s.days.size(); ++d) {
    const TimeFilter filter{s.days[d], mode, windowDays};
    for (size_t f = 0; f < t.featureCount(); ++f)
      if (t.shownOn(f, filter)) ++s.counts[groupOf[f]][d];
  }
  return s;
}

bool drawTimeChart(bool* open, TimeState& time, TimeChartState& c, LayerStore& store, float s) {
  if (!*open) return false;
  bool changed = false;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowSize(ImVec2{440 * s, 250 * s}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2{vp->Size.x - 460 * s, vp->Size.y - 420 * s}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("时间图表 Counts over time", open)) {
    ImGui::End();
    return false;
  }
  Layer* layer = store.find(c.layerId);
  if (!layer || !hasTime(*layer)) {
    layer = nullptr;
    for (auto& l : store.layers())
      if (l->visible && hasTime(*l)) {
        layer = l.get();
        break;
      }
  }
  if (!layer) {
    ImGui::TextDisabled("没有带时间的图层 No layer with time is loaded");
    ImGui::End();
    return false;
  }
  c.layerId = layer->id;
  ImGui::SetNextItemWidth(260 * s);
  if (ImGui::BeginCombo("图层 Layer", layer->displayName().c_str())) {
    for (auto& l : store.layers())
      if (hasTime(*l) && ImGui::Selectable(l->displayName().c_str(), l.get() == layer)) c.layerId = l->id;
    ImGui::EndCombo();
  }
  layer = store.find(c.layerId);
  if (!layer) {
    ImGui::End();
    return false;
  }
  if (c.cachedLayer != layer->id || c.cachedGeneration != layer->generation || c.cachedMode != time.mode ||
      c.cachedWindow != time.windowDays) {
    c.series = countOverTime(*layer, "county_zh", time.mode, time.windowDays);
    c.cachedLayer = layer->id;
    c.cachedGeneration = layer->generation;
    c.cachedMode = time.mode;
    c.cachedWindow = time.windowDays;
  }
  const TimeSeries& ts = c.series;
  int maxCount = 1;
  for (const auto& g : ts.counts)
    for (int v : g) maxCount = std::max(maxCount, v);

  // The plot: a left margin for the count axis, the years under it.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float legendH = ImGui::GetTextLineHeightWithSpacing() * static_cast<float>((ts.groups.size() + 2) / 3);
  const ImVec2 size{avail.x, std::max(60 * s, avail.y - legendH - ImGui::GetTextLineHeight())};
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##plot", size);
  const bool active = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float left = p0.x + 34 * s, right = p0.x + size.x - 6 * s;
  const float top = p0.y + 4 * s, bottom = p0.y + size.y - ImGui::GetTextLineHeight();
  auto xOf = [&](int32_t day) {
    return left + (right - left) * static_cast<float>(day - kTimeFirstDay) / static_cast<float>(kTimeLastDay - kTimeFirstDay);
  };
  auto yOf = [&](int v) { return bottom - (bottom - top) * static_cast<float>(v) / static_cast<float>(maxCount); };
  dl->AddRectFilled({left, top}, {right, bottom}, IM_COL32(255, 255, 255, 255));
  dl->AddRect({left, top}, {right, bottom}, IM_COL32(170, 170, 170, 255));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d", maxCount);
  dl->AddText({p0.x, top - 2 * s}, IM_COL32(90, 90, 90, 255), buf);
  dl->AddText({p0.x + 20 * s, bottom - ImGui::GetTextLineHeight()}, IM_COL32(90, 90, 90, 255), "0");
  for (int y = 2016; y <= 2020; ++y) {
    const float x = xOf(*parseDate(std::to_string(y) + "-01-01"));
    dl->AddLine({x, top}, {x, bottom}, IM_COL32(225, 225, 225, 255));
    dl->AddText({x - 14 * s, bottom}, IM_COL32(90, 90, 90, 255), std::to_string(y).c_str());
  }
  for (size_t g = 0; g < ts.groups.size(); ++g) {
    std::vector<ImVec2> pts;
    for (size_t d = 0; d < ts.days.size(); ++d) pts.push_back({xOf(ts.days[d]), yOf(ts.counts[g][d])});
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), kLineColours[g % kColourCount], 0, 2.0f * s);
  }
  if (!time.all) {
    const float x = xOf(time.day);
    dl->AddLine({x, top}, {x, bottom}, IM_COL32(200, 30, 30, 255), 1.5f * s);
  }
  // Linked to the slider: pressing or dragging in the plot picks the day under the cursor.
  if (active) {
    const float t = std::clamp((ImGui::GetIO().MousePos.x - left) / (right - left), 0.0f, 1.0f);
    const auto day = static_cast<int32_t>(kTimeFirstDay + t * static_cast<float>(kTimeLastDay - kTimeFirstDay));
    if (day != time.day || time.all) {
      time.day = day;
      time.playDay = day;
      time.all = false;
      changed = true;
    }
  }
  if (ImGui::IsItemHovered() && !ts.days.empty()) {
    const float t = std::clamp((ImGui::GetIO().MousePos.x - left) / (right - left), 0.0f, 1.0f);
    const size_t d = std::min(ts.days.size() - 1, static_cast<size_t>(t * static_cast<float>(ts.days.size())));
    std::string tip = formatDate(ts.days[d]);
    for (size_t g = 0; g < ts.groups.size(); ++g) tip += "\n" + ts.groups[g] + ": " + std::to_string(ts.counts[g][d]);
    ImGui::SetTooltip("%s", tip.c_str());
  }
  for (size_t g = 0; g < ts.groups.size(); ++g) {
    if (g % 3 != 0) ImGui::SameLine();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    dl->AddRectFilled({at.x, at.y + h * 0.35f}, {at.x + h, at.y + h * 0.65f}, kLineColours[g % kColourCount]);
    ImGui::Dummy({h * 1.2f, h});
    ImGui::SameLine();
    ImGui::TextUnformatted(ts.groups[g].c_str());
  }
  ImGui::End();
  return changed;
}

}  // namespace bcmap
