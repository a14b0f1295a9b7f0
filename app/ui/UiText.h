// UiText: the viewer's own words, in one place, Chinese beside English as everywhere in
// bcmap. UiFont bakes the glyphs of every string listed in kUiStrings, so a word used by a
// panel must be here (a CJK character missing from the list would show as '?').
#pragma once

#include <array>

namespace bcmap::ui_text {

inline constexpr const char* kWindowTitle = "bcmap — 白城市 Baicheng";
inline constexpr const char* kLayersTitle = "图层 Layers";
inline constexpr const char* kFailed = "失败 failed";
inline constexpr const char* kPending = "未加载 not loaded";
inline constexpr const char* kOpacity = "不透明度";
inline constexpr const char* kMoveUp = "上移 Move up (draw above)";
inline constexpr const char* kMoveDown = "下移 Move down (draw below)";
inline constexpr const char* kLegend = "图例 Legend";
inline constexpr const char* kCrsHeader = "显示坐标系 Display CRS";
inline constexpr const char* kCrsCustom = "PROJ / EPSG";
inline constexpr const char* kCrsApply = "应用 Apply";
inline constexpr const char* kFitAll = "全图 Fit all (Home)";
inline constexpr const char* kDropHint = "拖入文件以添加图层 · drop files to add layers";
inline constexpr const char* kNoLayers = "没有图层 No layers";
inline constexpr const char* kScale = "比例尺";
inline constexpr const char* kOutside = "光标不在地图上 cursor off the map";

inline constexpr std::array<const char*, 16> kUiStrings = {
    kWindowTitle, kLayersTitle, kFailed, kPending, kOpacity,  kMoveUp,   kMoveDown, kLegend,
    kCrsHeader,   kCrsCustom,   kCrsApply, kFitAll, kDropHint, kNoLayers, kScale,    kOutside,
};

}  // namespace bcmap::ui_text
