// UiText: the viewer's own words, in one place, Chinese beside English as everywhere in
// bcmap. Nothing needs listing for the font: every non-ASCII character written anywhere in
// app/ (these constants, a panel's own literals, the store's messages) is collected at build
// time by tools/collect_ui_glyphs.py into ui_text::kSourceGlyphs, which UiFont bakes
// (tests/ui/UiGlyphsTest checks the collection covers every string literal).
#pragma once

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
inline constexpr const char* kCrsCurrent = "当前 Now:";
inline constexpr const char* kCrsForms = "EPSG:3857 · 4326 · +proj=laea +lat_0=45 +lon_0=123 · WKT · PROJJSON";
inline constexpr const char* kCrsChange = "点击更改显示坐标系 Click to change the display CRS";
inline constexpr const char* kFitAll = "全图 Fit all (Home)";
inline constexpr const char* kDropHint = "拖入文件以添加图层 · drop files to add layers";
inline constexpr const char* kNoLayers = "没有图层 No layers";
inline constexpr const char* kScale = "比例尺";
inline constexpr const char* kOutside = "光标不在地图上 cursor off the map";
inline constexpr const char* kSettings = "设置 Settings";
inline constexpr const char* kSampleData = "示例数据 / sample data";
inline constexpr const char* kSampleHint = "生成的示例数据，不是实测值 · generated, not measured (geodata/README.md)";
inline constexpr const char* kBadDate = "日期应为 YYYY-MM-DD · expected a date YYYY-MM-DD";
inline constexpr const char* kNotApplied = "未应用 not applied yet";
inline constexpr const char* kPlay = "播放 Play (Space)";
inline constexpr const char* kPause = "暂停 Pause (Space)";
inline constexpr const char* kTimeAll = "全部 All";
inline constexpr const char* kTimeAllHint = "显示所有日期的要素 · show the features of every date";
inline constexpr const char* kTimeHint = "拖动选择日期，单击日期可输入 · drag to pick the day, or click the date to type one";
inline constexpr const char* kTimeSpeed = "播放速度 · play speed";

// A table layer (issue 12: a .dbf alone, a CSV without coordinates, null geometries).
inline constexpr const char* kNoGeometry = "无几何 no geometry";
inline constexpr const char* kNoGeometryHint = "只有属性：地图上不绘制；属性表、搜索和导出可用 · attributes only: nothing on the map; the table, search and export work";
inline constexpr const char* kNoGeometryZoom = "无几何，无法缩放到 no geometry to zoom to: ";

// A layer row's menu (the right click, LayerPanel.h); "缩放到图层 Zoom to layer" is NavText.h's.
inline constexpr const char* kRowMenuHint = "右键：更多 Right-click: more (缩放、属性表、移除 zoom, table, remove)";
inline constexpr const char* kAttributeTable = "属性表 Attribute table";
inline constexpr const char* kRemoveLayer = "移除图层 Remove layer";
inline constexpr const char* kPluginNotRemoved = "插件图层不能移除，取消勾选即可隐藏（会话会记住）· a plugin's layer is hidden, not removed: untick it (the session remembers)";
inline constexpr const char* kNotLoadedYet = "图层未加载 the layer is not loaded";
inline constexpr const char* kFailedNothing = "图层加载失败，无可显示 the layer failed: nothing to show";
inline constexpr const char* kRemoved = "已移除 removed: ";

inline constexpr const char* kLoading = "加载中… loading";
inline constexpr const char* kReloadFailed = "重新加载失败，保留之前的版本 reload failed, the previous version is kept:";

}  // namespace bcmap::ui_text
