// Sections: 1. sorting  2. one table's state  3. filtering and export  4. drawing  5. a database layer's pages
#include "ui/panels/AttributeTable.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <chrono>
#include <numeric>

#include "host/DbFeed.h"
#include "host/FeatureExport.h"
#include "nav/FeatureFilter.h"
#include "host/LayerStore.h"
#include "host/Selection.h"
#include "ui/panels/Inspector.h"

namespace bcmap {

// ---- 1. sorting -------------------------------------------------------------------------------
void sortRows(const FeatureTable& t, size_t column, bool ascending, std::vector<uint32_t>& rows) {
  const AttributeColumn& c = t.columns[column];
  auto missing = [&](uint32_t r) { return r >= c.size() || c.isNull[r] || (c.type == FieldType::Real && std::isnan(c.reals[r])); };
  // A total order: a strict weak ordering with no ties left, so the result does not depend
  // on the sort's algorithm.
  auto before = [&](uint32_t a, uint32_t b) {
    const bool ma = missing(a), mb = missing(b);
    if (ma || mb) return ma != mb ? mb : a < b;  // nulls last, whichever the direction
    int o = 0;
    switch (c.type) {
      case FieldType::Integer:
      case FieldType::Date: o = (c.ints[a] > c.ints[b]) - (c.ints[a] < c.ints[b]); break;
      case FieldType::Real: o = (c.reals[a] > c.reals[b]) - (c.reals[a] < c.reals[b]); break;
      // string_view compares bytes as unsigned char: UTF-8 in code point order.
      case FieldType::String: o = c.strings[a].compare(c.strings[b]); break;
      case FieldType::Invalid: break;
    }
    if (o != 0) return ascending ? o < 0 : o > 0;
    return a < b;
  };
  std::sort(rows.begin(), rows.end(), before);
}

// ---- 2. one table's state -------------------------------------------------------------------------
// ImGui 1.86 tables hold at most 64 columns; the first is the feature's id.
constexpr size_t kMaxAttributeColumns = 63;

struct AttributeTables::Window {
  std::string layerId;
  bool open = true;
  bool focus = true;               // bring to the front at the next draw
  char filter[512] = "";           // as typed
  std::string appliedFilter;       // the text `rows` was made with
  std::string goodFilter;          // the last text that parsed (reused after a reload)
  uint64_t appliedGeneration = 0;  // Layer::generation `rows` was made for
  bool made = false;
  std::string filterError;
  std::vector<uint32_t> rows;      // kept by the filter, in the sort's order
  int sortColumn = 0;              // 0: the feature order; c + 1: attribute column c
  bool sortAscending = true;
  char path[1024] = "";
  std::string exportMessage;
  bool exportFailed = false;
  // A database layer's pages from its server (section 5).
  struct DbPages {
    bool started = false;
    uint64_t pending = 0;  // a page asked for, unanswered
    bool pendingFirst = false;  // ... the first page of a new order or filter
    std::vector<DbPageResult::Row> rows;
    std::string resumeKey;  // the next page starts after this key (DbPageResult::resumeKey)
    std::vector<DbTableFacts::Column> columns;
    std::string key;
    bool more = false;
    int64_t estimate = -1;
    std::string error;
    std::string where;
    std::vector<std::string> whereParams;
    std::string appliedFilter;
    int appliedSort = 0;
    bool appliedAscending = true;
    std::chrono::steady_clock::time_point openedAt;
    double firstPageMs = -1;
  } db;
};

namespace {

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

// A file name from a layer id ("file:points.fgb" -> "file_points.fgb").

void sortWindowRows(AttributeTables::Window& w, const FeatureTable& t) {
  if (w.sortColumn > 0 && static_cast<size_t>(w.sortColumn) <= t.columns.size()) {
    sortRows(t, static_cast<size_t>(w.sortColumn - 1), w.sortAscending, w.rows);
  } else if (w.sortAscending) {
    std::sort(w.rows.begin(), w.rows.end());
  } else {
    std::sort(w.rows.rbegin(), w.rows.rend());
  }
}

// ---- 3. filtering and export ------------------------------------------------------------------------
// Re-runs the filter when its text or the layer's load changed. A text that does not parse
// keeps the rows of the last one that did (while the user is typing), with the error shown.
void refilter(AttributeTables::Window& w, const Layer& l) {
  const bool reloaded = !w.made || w.appliedGeneration != l.generation;
  if (!reloaded && w.appliedFilter == w.filter) return;
  w.appliedFilter = w.filter;
  w.appliedGeneration = l.generation;
  w.made = true;
  FilterError err;
  std::optional<FeatureFilter> f = FeatureFilter::parse(w.appliedFilter, l.table, &err);
  if (f) {
    w.filterError.clear();
    w.goodFilter = w.appliedFilter;
  } else {
    w.filterError = err.message;
    if (!reloaded) return;
    f = FeatureFilter::parse(w.goodFilter, l.table, &err);  // the rows must be this load's
    if (!f) f = FeatureFilter::parse("", l.table, &err);
  }
  w.rows = f->rows(l.table);
  sortWindowRows(w, l.table);
}

void exportRows(const LayerStore& store, AttributeTables::Window& w, const Layer& l, const std::vector<size_t>& features,
                ExportFormat format, std::string path) {
  if (features.empty()) {
    w.exportMessage = "没有要导出的要素 nothing to export";
    w.exportFailed = true;
    return;
  }
  std::string err;
  if (exportFeatures(l, features, format, path, &err, &store)) {
    w.exportMessage = "已导出 " + std::to_string(features.size()) + " 个要素 · wrote " + std::to_string(features.size()) +
                      " features to " + path;
    w.exportFailed = false;
  } else {
    w.exportMessage = err;
    w.exportFailed = true;
  }
}

// `path` with the extension of `format` (the selection buttons say which format they write).
std::string withExtension(const std::string& path, ExportFormat format) {
  std::filesystem::path p(path);
  p.replace_extension(exportFormatExtension(format));
  return p.string();
}

// ---- 4. drawing ---------------------------------------------------------------------------------
void drawCell(const AttributeColumn& c, size_t row) {
  if (row >= c.size() || c.isNull[row]) {
    ImGui::TextDisabled("null");
    return;
  }
  if (c.type == FieldType::String) {
    const std::string_view s = c.str(row);
    ImGui::TextUnformatted(s.data(), s.data() + s.size());
  } else {
    const std::string text = c.text(row);
    ImGui::TextUnformatted(text.c_str());
  }
}

bool drawDbWindow(LayerStore& store, DbFeeds& feeds, TestRects& rects, AttributeTables::Window& w, float s,
                  size_t index);

// One window. Returns false when it should go (closed, or its layer is gone).
bool drawWindow(LayerStore& store, const std::string& displayCrs, TestRects& rects, AttributeTables::Window& w, Selection& selection, float s, size_t index,
                AttributeTableResult& result) {
  Layer* l = store.find(w.layerId);
  if (!w.open || !l || l->status != LayerStatus::Loaded) return false;
  const FeatureTable& t = l->table;
  refilter(w, *l);
  const std::string key = "table." + w.layerId + ".";
  if (!*w.path) {
    std::error_code ec;
    const std::filesystem::path cwd = std::filesystem::current_path(ec);
    std::snprintf(w.path, sizeof w.path, "%s", (cwd / (exportFileStem(w.layerId) + ".geojson")).string().c_str());
  }

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float cascade = 24 * s * static_cast<float>(index % 8);
  // A quarter across and 30 % down, cascaded, but never past the window's right or bottom
  // edge: at 900x600 that start put the close box off screen.
  const ImVec2 startSize{std::min(760 * s, vp->Size.x * 0.8f), std::min(420 * s, vp->Size.y * 0.7f)};
  const float margin = 8 * s;
  const ImVec2 startPos{std::max(0.0f, std::min(vp->Size.x * 0.25f + cascade, vp->Size.x - startSize.x - margin)),
                   std::max(0.0f, std::min(vp->Size.y * 0.3f + cascade, vp->Size.y - startSize.y - margin))};
  ImGui::SetNextWindowSize(startSize, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(startPos, ImGuiCond_FirstUseEver);
  if (w.focus) ImGui::SetNextWindowFocus();
  w.focus = false;
  const std::string title = "属性表 " + l->displayName() + "###table." + w.layerId;
  const bool visible = ImGui::Begin(title.c_str(), &w.open);
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rects.named[key + "window"] = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  {
    // The title bar's close box (where ImGui 1.86 puts it: the right end of the title bar,
    // one font size square, inside the frame padding), for the UI tests.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float box = ImGui::GetFontSize(), barH = ImGui::GetFontSize() + 2 * style.FramePadding.y;
    const float x1 = pos.x + size.x - style.FramePadding.x, y0 = pos.y + (barH - box) / 2;
    rects.named[key + "close"] = UiRect{x1 - box, y0, x1, y0 + box};
  }
  if (!visible) {
    ImGui::End();
    return true;
  }

  // The filter line and the count.
  char count[64];
  std::snprintf(count, sizeof count, "%zu / %zu", w.rows.size(), t.featureCount());
  ImGui::SetNextItemWidth(-ImGui::CalcTextSize(count).x - ImGui::GetStyle().ItemSpacing.x - 4 * s);
  ImGui::InputTextWithHint("##filter", "筛选 filter: 文本 text · people > 300 and name ~ 村", w.filter, sizeof w.filter);
  rects.named[key + "filter"] = lastItemRect();
  ImGui::SameLine();
  ImGui::TextUnformatted(count);
  rects.facts[key + "count"] = count;
  if (l->tableOnly() || l->withoutGeometry > 0) {
    // Rows without geometry are listed like the rest; a click selects them but has no place
    // to zoom to (issue 12).
    const std::string note = layerFeatureSummaryZh(*l);
    ImGui::TextDisabled("%s", note.c_str());
    rects.facts[key + "geometry"] = note;
  }
  if (!w.filterError.empty()) {
    ImGui::TextColored(ImVec4{0.75f, 0.12f, 0.10f, 1.0f}, "%s", w.filterError.c_str());
    rects.facts[key + "error"] = w.filterError;
  }

  // The rows.
  const size_t attributeColumns = std::min(t.columns.size(), kMaxAttributeColumns);
  const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetTextLineHeightWithSpacing();
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable |
                                ImGuiTableFlags_Hideable | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersV | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("rows", static_cast<int>(attributeColumns + 1), flags, ImVec2{0, -footer})) {
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_NoHide, 0.0f, 0);
    for (size_t c = 0; c < attributeColumns; ++c)
      ImGui::TableSetupColumn(t.columns[c].name.c_str(), ImGuiTableColumnFlags_None, 0.0f, static_cast<ImGuiID>(c + 1));
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (size_t c = 0; c <= attributeColumns; ++c) {
      ImGui::TableSetColumnIndex(static_cast<int>(c));
      ImGui::TableHeader(ImGui::TableGetColumnName(static_cast<int>(c)));
      rects.named[key + "header." + (c ? t.columns[c - 1].name : std::string("#"))] = lastItemRect();
    }
    if (ImGuiTableSortSpecs* sort = ImGui::TableGetSortSpecs(); sort && sort->SpecsDirty) {
      w.sortColumn = sort->SpecsCount > 0 ? static_cast<int>(sort->Specs[0].ColumnUserID) : 0;
      w.sortAscending = sort->SpecsCount == 0 || sort->Specs[0].SortDirection != ImGuiSortDirection_Descending;
      sortWindowRows(w, t);
      sort->SpecsDirty = false;
    }
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(w.rows.size()));
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const uint32_t f = w.rows[static_cast<size_t>(i)];
        if (f >= t.featureCount()) continue;
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        const std::string label = t.featureId(f) + "##row";
        ImGui::PushID(static_cast<int>(f));
        if (ImGui::Selectable(label.c_str(), selection.contains(w.layerId, f),
                              ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
          const bool shift = ImGui::GetIO().KeyShift;
          selection.select(*l, f, shift ? SelectMode::Toggle : SelectMode::Replace);
          if (!shift) {
            result.zoomTo = featureZoomTarget(store, *l, f, displayCrs);
            result.pointScale = pointScaleOf(*l);
            result.window = rects.named[key + "window"];
          }
        }
        rects.named[key + "row." + std::to_string(f)] = lastItemRect();
        for (size_t c = 0; c < attributeColumns; ++c) {
          if (!ImGui::TableSetColumnIndex(static_cast<int>(c + 1))) continue;  // scrolled out or hidden
          drawCell(t.columns[c], f);
        }
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }

  // Export.
  ImGui::SetNextItemWidth(-1.0f);
  ImGui::InputText("##path", w.path, sizeof w.path);
  rects.named[key + "path"] = lastItemRect();
  if (ImGui::Button("导出所选 GeoJSON · Export selection GeoJSON")) {
    const std::string p = withExtension(w.path, ExportFormat::GeoJson);
    std::snprintf(w.path, sizeof w.path, "%s", p.c_str());
    exportRows(store, w, *l, selection.featuresOf(w.layerId), ExportFormat::GeoJson, p);
  }
  rects.named[key + "exportSelectionGeoJson"] = lastItemRect();
  ImGui::SameLine();
  if (ImGui::Button("CSV##selection")) {
    const std::string p = withExtension(w.path, ExportFormat::Csv);
    std::snprintf(w.path, sizeof w.path, "%s", p.c_str());
    exportRows(store, w, *l, selection.featuresOf(w.layerId), ExportFormat::Csv, p);
  }
  rects.named[key + "exportSelectionCsv"] = lastItemRect();
  ImGui::SameLine();
  if (ImGui::Button("导出筛选结果 Export filtered")) {
    // The format the path's extension names: .csv, else GeoJSON.
    const bool csv = std::filesystem::path(w.path).extension() == ".csv";
    exportRows(store, w, *l, std::vector<size_t>(w.rows.begin(), w.rows.end()), csv ? ExportFormat::Csv : ExportFormat::GeoJson,
               w.path);
  }
  rects.named[key + "exportFiltered"] = lastItemRect();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", "按路径的扩展名 .csv / .geojson · format by the path's extension");
  if (!w.exportMessage.empty()) {
    // Wrapped at the window's edge: a refusal names a whole path and the reason.
    ImGui::PushStyleColor(ImGuiCol_Text, w.exportFailed ? ImVec4{0.75f, 0.12f, 0.10f, 1.0f} : ImVec4{0.10f, 0.45f, 0.15f, 1.0f});
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(w.exportMessage.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    rects.facts[key + "export"] = w.exportMessage;
  }
  ImGui::End();
  return true;
}

}  // namespace

AttributeTables::AttributeTables() = default;
AttributeTables::~AttributeTables() = default;

void AttributeTables::open(const std::string& layerId) {
  for (auto& w : windows_)
    if (w->layerId == layerId) {
      w->focus = true;
      return;
    }
  auto w = std::make_unique<Window>();
  w->layerId = layerId;
  windows_.push_back(std::move(w));
}

void AttributeTables::close(const std::string& layerId) {
  std::erase_if(windows_, [&](const auto& w) { return w->layerId == layerId; });
}

bool AttributeTables::isOpen(const std::string& layerId) const {
  return std::any_of(windows_.begin(), windows_.end(), [&](const auto& w) { return w->layerId == layerId; });
}

AttributeTableResult AttributeTables::draw(LayerStore& store, const std::string& displayCrs, Selection& selection,
                                           float uiScale, TestRects& rects, DbFeeds* db) {
  AttributeTableResult result;
  for (size_t i = 0; i < windows_.size();) {
    const Layer* l = store.find(windows_[i]->layerId);
    const bool kept = l && l->dbFeed && db ? drawDbWindow(store, *db, rects, *windows_[i], uiScale, i)
                                           : drawWindow(store, displayCrs, rects, *windows_[i], selection, uiScale, i, result);
    if (kept) ++i;
    else windows_.erase(windows_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  return result;
}

std::string exportFileStem(const std::string& layerId) {
  std::string out = layerId;
  // A file the user opened ("file:wells.geojson"): its own name without the extension and
  // "-export" ("wells-export.geojson"): not file_wells.geojson.geojson, and not the file
  // itself, which an export never writes over (the first click was always refused when
  // the viewer ran in the file's folder: a new user's trial).
  if (out.rfind("file:", 0) == 0) {
    out = out.substr(5);
    if (const size_t dot = out.rfind('.'); dot != std::string::npos && dot > 0) out.resize(dot);
    out += "-export";
  }
  for (char& c : out)
    if (c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|') c = '_';
  return out;
}

// ---- 5. a database layer's pages -------------------------------------------------------------------
namespace {

constexpr int kDbPageRows = 200;
// The next page is asked for when the rows on screen come this close to the last paged in.
constexpr int kDbPageAhead = 50;

// Asks for the first page of the window's order and filter, or the page after its last row.
void askDbPage(DbFeeds& feeds, AttributeTables::Window& w, bool first) {
  AttributeTables::Window::DbPages& d = w.db;
  DbPageQuery q;
  q.limit = kDbPageRows;
  q.where = d.where;
  q.whereParams = d.whereParams;
  q.ascending = d.appliedAscending;
  if (d.appliedSort > 0 && static_cast<size_t>(d.appliedSort) <= d.columns.size())
    q.sortColumn = d.columns[static_cast<size_t>(d.appliedSort - 1)].name;
  if (!first && (!d.rows.empty() || !d.resumeKey.empty())) {
    q.afterKey = d.resumeKey.empty() ? d.rows.back().key : d.resumeKey;
    if (!d.rows.empty()) {
      q.afterSort = d.rows.back().sort;
      q.afterSortNull = d.rows.back().sortNull;
    }
    q.offset = static_cast<int64_t>(d.rows.size());
  }
  d.pending = feeds.askPage(w.layerId, q);
  d.pendingFirst = first;
}

// The filter line as SQL over the server's columns: true when it changed what is asked.
bool applyDbFilter(AttributeTables::Window& w) {
  AttributeTables::Window::DbPages& d = w.db;
  if (d.appliedFilter == w.filter) return false;
  d.appliedFilter = w.filter;
  FeatureTable columns;  // the server's columns, no rows: what the filter's names are checked against
  for (const DbTableFacts::Column& c : d.columns) columns.columns.push_back(AttributeColumn{c.name, c.type, {}, {}, {}, {}});
  FilterError err;
  std::optional<FeatureFilter> f = FeatureFilter::parse(d.appliedFilter, columns, &err);
  if (!f) {
    w.filterError = err.message;
    return false;
  }
  std::vector<std::string> params;
  std::string why;
  std::optional<std::string> where = f->sqlWhere(columns, params, &why);
  if (!where) {
    w.filterError = "数据库图层不支持此筛选 not supported for a database layer: " + why;
    return false;
  }
  w.filterError.clear();
  d.where = *where;
  d.whereParams = std::move(params);
  return true;
}

bool drawDbWindow(LayerStore& store, DbFeeds& feeds, TestRects& rects, AttributeTables::Window& w, float s,
                  size_t index) {
  Layer* l = store.find(w.layerId);
  if (!w.open || !l) return false;
  AttributeTables::Window::DbPages& d = w.db;
  const std::string key = "table." + w.layerId + ".";
  // What came in since the last frame.
  if (d.pending != 0)
    if (std::optional<DbPageResult> page = feeds.page(w.layerId, d.pending)) {
      d.pending = 0;
      if (page->ok) {
        if (d.pendingFirst) {
          d.rows.clear();
          d.resumeKey.clear();
        }
        d.columns = page->columns;
        d.key = page->keyColumn;
        d.more = page->more;
        d.estimate = page->estimate;
        d.error.clear();
        for (DbPageResult::Row& r : page->rows) d.rows.push_back(std::move(r));
        d.resumeKey = page->resumeKey;
        if (d.firstPageMs < 0)
          d.firstPageMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - d.openedAt).count();
      } else {
        d.error = page->error;
      }
    }
  if (!d.started) {
    d.started = true;
    d.openedAt = std::chrono::steady_clock::now();
    askDbPage(feeds, w, true);
  }

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float cascade = 24 * s * static_cast<float>(index % 8);
  const ImVec2 startSize{std::min(760 * s, vp->Size.x * 0.8f), std::min(420 * s, vp->Size.y * 0.7f)};
  const float margin = 8 * s;
  const ImVec2 startPos{std::max(0.0f, std::min(vp->Size.x * 0.25f + cascade, vp->Size.x - startSize.x - margin)),
                        std::max(0.0f, std::min(vp->Size.y * 0.3f + cascade, vp->Size.y - startSize.y - margin))};
  ImGui::SetNextWindowSize(startSize, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(startPos, ImGuiCond_FirstUseEver);
  if (w.focus) ImGui::SetNextWindowFocus();
  w.focus = false;
  const std::string title = "属性表 " + l->displayName() + " · 服务器 server###table." + w.layerId;
  const bool visible = ImGui::Begin(title.c_str(), &w.open);
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rects.named[key + "window"] = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  if (!visible) {
    ImGui::End();
    return true;
  }
  // A new filter or order: the first page of it (once the server's columns are known).
  if (!d.columns.empty() && applyDbFilter(w)) askDbPage(feeds, w, true);

  char count[96];
  const std::string total = d.estimate >= 0 ? "~" + std::to_string(d.estimate) : std::string("?");
  if (d.more || d.pending)
    std::snprintf(count, sizeof count, "%zu / %s", d.rows.size(), total.c_str());
  else
    std::snprintf(count, sizeof count, "%zu / %zu", d.rows.size(), d.rows.size());
  ImGui::SetNextItemWidth(-ImGui::CalcTextSize(count).x - ImGui::GetStyle().ItemSpacing.x - 4 * s);
  ImGui::InputTextWithHint("##filter", "筛选 filter: 文本 text · people > 300 and name ~ 村", w.filter, sizeof w.filter);
  rects.named[key + "filter"] = lastItemRect();
  ImGui::SameLine();
  ImGui::TextUnformatted(count);
  rects.facts[key + "count"] = count;
  if (l->tableOnly() || l->withoutGeometry > 0) {
    // Rows without geometry are listed like the rest; a click selects them but has no place
    // to zoom to (issue 12).
    const std::string note = layerFeatureSummaryZh(*l);
    ImGui::TextDisabled("%s", note.c_str());
    rects.facts[key + "geometry"] = note;
  }
  rects.facts[key + "db.rows"] = std::to_string(d.rows.size());
  rects.facts[key + "db.more"] = d.more ? "1" : "0";
  rects.facts[key + "db.key"] = d.key;
  rects.facts[key + "db.pending"] = d.pending ? "1" : "0";
  if (d.firstPageMs >= 0) rects.facts[key + "db.firstPageMs"] = std::to_string(static_cast<int>(std::lround(d.firstPageMs)));
  std::string first;
  if (!d.rows.empty())
    for (size_t c = 0; c < d.rows.front().values.size(); ++c) first += (c ? "\t" : "") + d.rows.front().values[c];
  rects.facts[key + "db.first"] = first;
  const std::string shownError = !d.error.empty() ? "服务器 server: " + d.error : w.filterError;
  if (!shownError.empty()) {
    ImGui::TextColored(ImVec4{0.75f, 0.12f, 0.10f, 1.0f}, "%s", shownError.c_str());
    rects.facts[key + "error"] = shownError;
  }

  const size_t columns = std::min(d.columns.size(), kMaxAttributeColumns);
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable |
                                ImGuiTableFlags_Hideable | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersV | ImGuiTableFlags_SizingFixedFit;
  if (columns > 0 && ImGui::BeginTable("rows", static_cast<int>(columns + 1), flags, ImVec2{0, 0})) {
    ImGui::TableSetupScrollFreeze(1, 1);
    // "# id", "# ctid": not an attribute's own name (a header's label is its ImGui id).
    const std::string keyHeader = d.key.empty() ? std::string("#") : "# " + d.key;
    // Widths from the header and the rows paged in: a table begun in a window's first
    // (hidden) frame measures no content, and fitting to it left every column a few pixels.
    auto width = [&](size_t c) {
      float fit = ImGui::CalcTextSize(c ? d.columns[c - 1].name.c_str() : keyHeader.c_str()).x + 2 * ImGui::GetFontSize();
      for (size_t r = 0; r < std::min<size_t>(d.rows.size(), 50); ++r)
        fit = std::max(fit, ImGui::CalcTextSize(c ? (c - 1 < d.rows[r].values.size() ? d.rows[r].values[c - 1].c_str() : "")
                                              : d.rows[r].key.c_str())
                                .x +
                            ImGui::GetFontSize());
      return std::min(fit, 320 * s);
    };
    ImGui::TableSetupColumn(keyHeader.c_str(), ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_NoHide, width(0), 0);
    for (size_t c = 0; c < columns; ++c)
      ImGui::TableSetupColumn(d.columns[c].name.c_str(), ImGuiTableColumnFlags_WidthFixed, width(c + 1),
                              static_cast<ImGuiID>(c + 1));
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (size_t c = 0; c <= columns; ++c) {
      ImGui::TableSetColumnIndex(static_cast<int>(c));
      ImGui::TableHeader(ImGui::TableGetColumnName(static_cast<int>(c)));
      rects.named[key + "header." + (c ? d.columns[c - 1].name : std::string("#"))] = lastItemRect();
    }
    if (ImGuiTableSortSpecs* sort = ImGui::TableGetSortSpecs(); sort && sort->SpecsDirty) {
      // On the server: ORDER BY the column, the key as the tie-breaker; from the first page.
      const int column = sort->SpecsCount > 0 ? static_cast<int>(sort->Specs[0].ColumnUserID) : 0;
      const bool ascending = sort->SpecsCount == 0 || sort->Specs[0].SortDirection != ImGuiSortDirection_Descending;
      if (column != d.appliedSort || ascending != d.appliedAscending) {
        d.appliedSort = column;
        d.appliedAscending = ascending;
        askDbPage(feeds, w, true);
      }
      sort->SpecsDirty = false;
    }
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(d.rows.size()));
    int lastShown = -1;
    while (clipper.Step()) {
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
        const DbPageResult::Row& r = d.rows[static_cast<size_t>(i)];
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(r.key.c_str());
        for (size_t c = 0; c < columns && c < r.values.size(); ++c) {
          if (!ImGui::TableSetColumnIndex(static_cast<int>(c + 1))) continue;
          ImGui::TextUnformatted(r.values[c].c_str());
        }
        lastShown = std::max(lastShown, i);
      }
    }
    ImGui::EndTable();
    // Scrolled near the end of what is paged in: the next page, after the last row.
    if (d.more && d.pending == 0 && lastShown + kDbPageAhead >= static_cast<int>(d.rows.size())) askDbPage(feeds, w, false);
  }
  ImGui::End();
  return true;
}

}  // namespace

}  // namespace bcmap
