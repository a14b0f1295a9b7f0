// NavText: the words of the search, navigation, measure and overview-map panels, Chinese
// beside English as in UiText.h.
#pragma once

namespace bcmap::ui_text {

// SearchPanel
inline constexpr const char* kSearchHint = "搜索地名、代码、拼音 · search name, code, pinyin (Ctrl+F)";
inline constexpr const char* kSearchNone = "没有结果 · no results";
inline constexpr const char* kSearchKeys = "↑↓ 选择，回车转到 · ↑↓ select, Enter to go";

// NavigationPanel
inline constexpr const char* kNavTitle = "导航 Navigation";
inline constexpr const char* kGoTo = "转到 Go to";
inline constexpr const char* kGoToHint = "经度 纬度，或 x y · lon lat, or x y";
inline constexpr const char* kCursor = "光标 Cursor";
inline constexpr const char* kCentre = "中心 Centre";
inline constexpr const char* kCopyCentre = "复制中心坐标 Copy centre";
inline constexpr const char* kCopyHint = "地图上按 Ctrl+C 复制光标处坐标 · Ctrl+C over the map copies the cursor's";
inline constexpr const char* kCopied = "已复制 copied";
inline constexpr const char* kZoomToLayer = "缩放到图层 Zoom to layer";
inline constexpr const char* kBack = "后退 Back";
inline constexpr const char* kForward = "前进 Forward";
inline constexpr const char* kBackHint = "Alt+← / 鼠标后退键 mouse back button";
inline constexpr const char* kForwardHint = "Alt+→ / 鼠标前进键 mouse forward button";

// MeasureTool
inline constexpr const char* kMeasureTitle = "测量 Measure";
inline constexpr const char* kMeasureDistance = "距离 Distance";
inline constexpr const char* kMeasureArea = "面积 Area";
inline constexpr const char* kMeasureClear = "清除 Clear";
inline constexpr const char* kMeasureHint = "单击加点，双击或回车结束，Esc 取消 · click to add points, double-click or Enter to finish, Esc to cancel";
inline constexpr const char* kMeasureLength = "长度 length";
inline constexpr const char* kMeasurePerimeter = "周长 perimeter";

// InsetMap
inline constexpr const char* kInsetHint = "单击或拖动以移动地图 · click or drag to move the map";

}  // namespace bcmap::ui_text
