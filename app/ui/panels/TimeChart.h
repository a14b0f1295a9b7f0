// TimeChart: how many features of one time-aware layer show at each month-end from 2015 to
// 2020, one line per county, under the slider's mode (span, cumulative, window). A vertical
// line marks the slider's day; clicking or dragging in the chart moves the slider, so the
// chart and the map stay linked both ways.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/PanelState.h"

namespace bcmap {

class LayerStore;
struct Layer;

// The counts behind the chart (pure: tested in tests/ui/NavPanelsTest.cpp).
struct TimeSeries {
  std::vector<int32_t> days;             // month-ends, kTimeFirstDay .. kTimeLastDay
  std::vector<std::string> groups;       // county names (or one "全部 all")
  std::vector<std::vector<int>> counts;  // [group][day]
};
// Groups by `groupField` (e.g. county_zh; "" or a missing field: one group of all).
TimeSeries countOverTime(const Layer& layer, const std::string& groupField, TimeMode mode, int32_t windowDays);

struct TimeChartState {
  std::string layerId;  // "" : the first time-aware layer
  // Cache: recomputed when the layer, its generation or the mode changes.
  std::string cachedLayer;
  uint64_t cachedGeneration = 0;
  TimeMode cachedMode = TimeMode::Span;
  int32_t cachedWindow = 0;
  TimeSeries series;
};

// Draws the window while `*open` (PanelToggles::chart) is on; a click moves `time`'s day
// and returns true (the filter changed).
bool drawTimeChart(bool* open, TimeState& time, TimeChartState& chart, LayerStore& store, float uiScale);

}  // namespace bcmap
