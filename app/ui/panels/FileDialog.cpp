// Sections: 1. the listing  2. the database form  3. the window (the files tab, the
// database tab, the window around them)
#include "ui/panels/FileDialog.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "io/DbQuery.h"
#include "io/NetworkGuard.h"

namespace fs = std::filesystem;

namespace bcmap {

// ---- 1. the listing -------------------------------------------------------------------------
const std::vector<std::pair<std::string, std::vector<std::string>>>& readableFormats() {
  // One row per driver of kDefaultVectorDrivers (VectorReaderTest's companion,
  // FileDialogTest.every_driver_listed, fails when a driver is added there and not here).
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kFormats = {
      {"GeoJSON", {".geojson", ".json"}},
      {"GPKG", {".gpkg"}},
      {"ESRI Shapefile", {".shp"}},
      {"FlatGeobuf", {".fgb"}},
      {"CSV", {".csv"}},
      {"KML", {".kml"}},
      {"GML", {".gml"}},
      {"GPX", {".gpx"}},
      {"SQLite", {".sqlite", ".db"}},
      {"MapInfo File", {".tab", ".mif"}},
      {"OpenFileGDB", {".gdb"}},  // a folder that GDAL opens as one source
  };
  return kFormats;
}

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Sorted as people read names: case-insensitively, then by the exact bytes for a stable order.
bool byName(const FileEntry& a, const FileEntry& b) {
  const std::string la = lower(a.name), lb = lower(b.name);
  return la != lb ? la < lb : a.name < b.name;
}

}  // namespace

bool isReadableFileName(const std::string& name) {
  const std::string l = lower(name);
  for (const auto& [driver, endings] : readableFormats())
    for (const std::string& e : endings)
      if (l.size() > e.size() && l.compare(l.size() - e.size(), e.size(), e) == 0) return true;
  return false;
}

FolderListing listFolder(const std::string& folder, bool allFiles) {
  FolderListing out;
  out.folder = fs::path(folder).lexically_normal().string();
  if (out.folder.size() > 1 && out.folder.back() == '/') out.folder.pop_back();
  std::error_code ec;
  fs::directory_iterator it(out.folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    out.error = out.folder + ": " + ec.message();
    return out;
  }
  std::vector<FileEntry> folders, files;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      out.error = out.folder + ": " + ec.message();
      break;
    }
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;  // hidden, as file managers do
    std::error_code tec;
    const bool isDir = it->is_directory(tec);  // follows links: a linked folder is a folder
    const bool readable = isReadableFileName(name);
    if (isDir && !readable) {
      folders.push_back({name, true});
    } else if (readable || allFiles) {
      files.push_back({name, false});
    } else {
      ++out.hiddenByFilter;
    }
  }
  std::sort(folders.begin(), folders.end(), byName);
  std::sort(files.begin(), files.end(), byName);
  out.entries = std::move(folders);
  out.entries.insert(out.entries.end(), files.begin(), files.end());
  return out;
}

std::string expandTypedPath(const std::string& typedIn, const std::string& base) {
  std::string typed = typedIn;
  while (!typed.empty() && std::isspace(static_cast<unsigned char>(typed.back()))) typed.pop_back();
  size_t start = 0;
  while (start < typed.size() && std::isspace(static_cast<unsigned char>(typed[start]))) ++start;
  typed = typed.substr(start);
  if (typed.empty()) return {};
  if (typed == "~" || typed.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    typed = std::string(home && *home ? home : "/") + typed.substr(1);
  }
  fs::path p(typed);
  if (!p.is_absolute()) p = fs::path(base) / p;
  std::string out = p.lexically_normal().string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// ---- 2. the database form ---------------------------------------------------------------------
namespace {

std::string trimmed(const std::string& text) {
  size_t a = 0, b = text.size();
  while (a < b && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(text[b - 1]))) --b;
  return text.substr(a, b - a);
}

// `connection` with a table added: `?table=` / `&table=` for a URL, ` tables=` for PG:
// (inside its closing quote when it is quoted).
std::string withTable(const std::string& connection, const std::string& table) {
  if (!connection.empty() && (connection[0] == 'p' || connection[0] == 'P') && connection.find("://") != std::string::npos)
    return connection + (connection.find('?') == std::string::npos ? "?" : "&") + "table=" + table;
  if (connection.size() > 4 && connection.back() == '"')
    return connection.substr(0, connection.size() - 1) + " tables=" + table + "\"";
  return connection + " tables=" + table;
}

}  // namespace

std::optional<DbSource> dbSourceOfForm(const DbForm& form, bool needTable, std::string* err) {
  const std::string table = trimmed(form.table);
  if (const std::string text = trimmed(form.connection); !text.empty()) {
    if (!looksLikeDbSource(text)) {
      if (err) *err = "the connection is not PG:\"…\" or postgresql://…";
      return std::nullopt;
    }
    std::string why;
    if (std::optional<DbSource> s = parseDbSource(text, &why)) return s;
    if (why.find("no table") == std::string::npos) {
      if (err) *err = why;
      return std::nullopt;
    }
    if (table.empty() && needTable) {
      if (err) *err = "database source: no table named (pick one with Tables, or type schema.name)";
      return std::nullopt;
    }
    // A placeholder table for listing: the source's table is not used then.
    std::optional<DbSource> s = parseDbSource(withTable(text, table.empty() ? "x" : table), err);
    if (s && table.empty()) s->table.clear();
    return s;
  }
  if (table.empty() && needTable) {
    if (err) *err = "database source: no table named (pick one with Tables, or type schema.name)";
    return std::nullopt;
  }
  return makeDbSource({{"host", trimmed(form.host)}, {"port", trimmed(form.port)}, {"dbname", trimmed(form.database)},
                       {"user", trimmed(form.user)}, {"password", form.password}},
                      table, needTable, err);
}

struct DbTablesJob {
  std::mutex mutex;
  bool done = false;
  std::optional<std::vector<std::string>> tables;
  std::string error;
};

// ---- 3. the window --------------------------------------------------------------------------
namespace {

// Logical pixels: a home-folder path and a long file name fit on one line each.
constexpr float kWindowWidth = 600.0f, kWindowHeight = 440.0f;
const ImVec4 kDim{0.42f, 0.42f, 0.42f, 1.0f};
const ImVec4 kError{0.70f, 0.12f, 0.12f, 1.0f};
const ImVec4 kFolder{0.10f, 0.25f, 0.55f, 1.0f};  // dark blue, as file managers mark folders

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

void enterFolder(FileDialogState& s, const std::string& folder) {
  s.folder = folder;
  s.field = folder;
  s.listed = false;
  s.selected = -1;
}

// A path typed or picked: a folder is entered, a file opened; anything else is an error.
void choosePath(FileDialogState& s, const std::string& path, FileDialogResult& r) {
  std::error_code ec;
  if (path.empty()) return;
  if (fs::is_directory(path, ec) && !isReadableFileName(path)) {
    s.message.clear();
    enterFolder(s, path);
  } else if (fs::exists(path, ec)) {
    s.message.clear();
    r.open = path;
  } else {
    s.message = path + ": 没有这个文件或文件夹 no such file or folder";
  }
}

void drawFilesTab(bool* open, FileDialogState& s, FileDialogResult& r, TestRects& rects);
void drawDatabaseTab(bool* open, FileDialogState& s, FileDialogResult& r, TestRects& rects);

}  // namespace

namespace {

// A recent database source the user chose (here or in File ▸ Open Recent): the user named
// its server, so the network guard lets it connect, as for one typed on the command line.
void allowChosenDbSource(const std::string& chosen) {
  if (!isDbSource(chosen)) return;
  if (std::optional<DbSource> source = parseDbSource(chosen, nullptr)) allowDbSource(*source);
}

}  // namespace

FileDialogResult drawFileDialog(bool* open, FileDialogState& s, float uiScale, TestRects& rects) {
  FileDialogResult r;
  // File ▸ Open Recent's choice passes through here before the main loop opens it.
  if (s.fromMenu) allowChosenDbSource(*s.fromMenu);
  if (!*open) {
    s.focusField = true;  // the next time it appears, typing goes to the path field
    return r;
  }
  if (s.folder.empty()) {
    std::error_code ec;
    enterFolder(s, fs::current_path(ec).string());
  }
  if (!s.listed) {
    s.listing = listFolder(s.folder, s.allFiles);
    s.listed = true;
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // No taller or wider than the window (900x600 at a large UI scale): the Open and Cancel
  // buttons at its bottom stay on screen.
  ImGui::SetNextWindowSize(ImVec2{std::min(kWindowWidth * uiScale, vp->Size.x * 0.95f),
                                  std::min(kWindowHeight * uiScale, vp->Size.y * 0.9f)},
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2{vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f}, ImGuiCond_Appearing,
                          ImVec2{0.5f, 0.5f});
  // Opaque: the map under a translucent list made the names hard to read.
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::Begin("打开文件 Open file###openfile", open, ImGuiWindowFlags_NoCollapse)) {
    ImGui::End();
    return r;
  }
  rects.named["files.window"] = UiRect{ImGui::GetWindowPos().x, ImGui::GetWindowPos().y,
                                       ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                                       ImGui::GetWindowPos().y + ImGui::GetWindowSize().y};
  if (ImGui::BeginTabBar("##opentabs")) {
    const bool filesTab = ImGui::BeginTabItem("文件 Files##files");
    rects.named["files.tab.files"] = lastItemRect();
    if (filesTab) {
      drawFilesTab(open, s, r, rects);
      ImGui::EndTabItem();
    }
    const bool dbTab = ImGui::BeginTabItem("数据库 Database##database");
    rects.named["files.tab.database"] = lastItemRect();
    if (dbTab) {
      drawDatabaseTab(open, s, r, rects);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  // A Tables request still running: frames keep coming so its answer shows when it lands.
  if (s.dbJob) r.settling = true;
  ImGui::End();
  if (r.open) *open = false;
  return r;
}

namespace {

void drawFilesTab(bool* open, FileDialogState& s, FileDialogResult& r, TestRects& rects) {
  rects.facts["files.folder"] = s.listing.folder;

  // The path: the up button, then the field.
  const bool atRoot = fs::path(s.folder) == fs::path(s.folder).root_path();
  ImGui::BeginDisabled(atRoot);
  if (ImGui::Button("↑##up")) enterFolder(s, fs::path(s.folder).parent_path().string());
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("上一级 Up one folder");
  rects.named["files.up"] = lastItemRect();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-FLT_MIN);
  if (s.focusField) {
    ImGui::SetKeyboardFocusHere();
    s.focusField = false;
    // The request, the field's activation, then ImGui's WantTextInput: one frame each.
    s.settleFrames = 4;
  }
  if (s.settleFrames > 0) {
    --s.settleFrames;
    r.settling = true;
  }
  const bool typed = ImGui::InputTextWithHint("##path", "路径 path (~/…)", &s.field, ImGuiInputTextFlags_EnterReturnsTrue);
  rects.named["files.path"] = lastItemRect();
  if (typed) choosePath(s, expandTypedPath(s.field, s.folder), r);

  // The folder's entries; the filter, an error line, the recent files and the buttons take
  // the bottom rows (counted here, so the buttons never drop below the window's edge).
  const size_t textRows = std::min<size_t>(s.recent.size(), 5) + 1 + (s.message.empty() ? 0 : 1);
  const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y +
                       ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(textRows);
  ImGui::BeginChild("##entries", ImVec2{0, -footer}, true);
  if (!s.listing.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kError);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(("无法列出 cannot list " + s.listing.error).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    rects.facts["files.message"] = s.listing.error;
  } else if (s.listing.entries.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kDim);
    ImGui::TextUnformatted(s.listing.hiddenByFilter ? "没有可读的文件 no readable files here (tick All files)"
                                                    : "空文件夹 empty folder");
    ImGui::PopStyleColor();
  }
  std::optional<size_t> activated;
  for (size_t i = 0; i < s.listing.entries.size(); ++i) {
    const FileEntry& e = s.listing.entries[i];
    // A folder ends in "/" and is drawn dimmer than the files (the UI font has no folder icon).
    const std::string label = (e.isFolder ? e.name + "/" : e.name) + "##e" + std::to_string(i);
    if (e.isFolder) ImGui::PushStyleColor(ImGuiCol_Text, kFolder);
    if (ImGui::Selectable(label.c_str(), s.selected == static_cast<int>(i), ImGuiSelectableFlags_AllowDoubleClick)) {
      s.selected = static_cast<int>(i);
      if (!e.isFolder) s.field = (fs::path(s.listing.folder) / e.name).string();
      if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) activated = i;
    }
    if (e.isFolder) ImGui::PopStyleColor();
    rects.named["files.entry." + std::to_string(i)] = lastItemRect();
    rects.facts["files.entry." + std::to_string(i)] = (e.isFolder ? "dir " : "file ") + e.name;
  }
  ImGui::EndChild();
  // Enter on the selected entry (the field, when it has the keyboard, takes Enter itself).
  if (!activated && s.selected >= 0 && s.selected < static_cast<int>(s.listing.entries.size()) &&
      ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) && !ImGui::GetIO().WantTextInput &&
      (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
       ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false)))
    activated = static_cast<size_t>(s.selected);
  if (activated) choosePath(s, (fs::path(s.listing.folder) / s.listing.entries[*activated].name).string(), r);

  if (ImGui::Checkbox("所有文件 All files", &s.allFiles)) s.listed = false;
  rects.named["files.all"] = lastItemRect();
  if (ImGui::IsItemHovered()) {
    std::string formats;
    for (const auto& [driver, endings] : readableFormats())
      for (const std::string& e : endings) formats += (formats.empty() ? "" : " ") + e;
    ImGui::SetTooltip("可读格式 readable formats: %s", formats.c_str());
  }
  if (!s.allFiles && s.listing.hiddenByFilter) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, kDim);
    ImGui::Text("(%zu 个其他文件 other files hidden)", s.listing.hiddenByFilter);
    ImGui::PopStyleColor();
  }
  if (!s.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kError);
    ImGui::TextUnformatted(s.message.c_str());
    ImGui::PopStyleColor();
    rects.facts["files.message"] = s.message;
  }

  ImGui::PushStyleColor(ImGuiCol_Text, kDim);
  ImGui::TextUnformatted(s.recent.empty() ? "最近的文件 Recent files: (none yet)" : "最近的文件 Recent files:");
  ImGui::PopStyleColor();
  for (size_t i = 0; i < s.recent.size() && i < 5; ++i) {
    const RecentFile& f = s.recent[i];
    rects.facts["files.recent." + std::to_string(i)] = (f.exists ? "" : "(missing) ") + f.path;
    ImGui::BeginDisabled(!f.exists);
    if (ImGui::Selectable((f.path + (f.exists ? "" : "  (不在了 missing)") + "##r" + std::to_string(i)).c_str())) {
      r.open = f.path;
      allowChosenDbSource(f.path);
    }
    ImGui::EndDisabled();
    rects.named["files.recent." + std::to_string(i)] = lastItemRect();
  }

  // Open and Cancel, bottom right as in every file chooser. Open takes the typed path (a
  // picked file is written into the field), else the selected entry (a folder: entered);
  // greyed out while there is neither (the field shows the folder).
  ImGui::Separator();
  const bool hasSelection = s.selected >= 0 && s.selected < static_cast<int>(s.listing.entries.size());
  const bool hasTyped = !s.field.empty() && expandTypedPath(s.field, s.folder) != s.listing.folder;
  const char* kOpen = "打开 Open";
  const char* kCancel = "取消 Cancel";
  const ImGuiStyle& style = ImGui::GetStyle();
  const float openW = ImGui::CalcTextSize(kOpen).x + style.FramePadding.x * 4;
  const float cancelW = ImGui::CalcTextSize(kCancel).x + style.FramePadding.x * 4;
  const float right = ImGui::GetWindowContentRegionMax().x;
  ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), right - openW - cancelW - style.ItemSpacing.x));
  if (ImGui::Button(kCancel, ImVec2{cancelW, 0})) *open = false;
  rects.named["files.cancel"] = lastItemRect();
  ImGui::SameLine();
  ImGui::BeginDisabled(!hasSelection && !hasTyped);
  // The default button: drawn in the active colour, as Enter does the same.
  ImGui::PushStyleColor(ImGuiCol_Button, style.Colors[ImGuiCol_ButtonActive]);
  if (ImGui::Button(kOpen, ImVec2{openW, 0})) {
    // The field first: a picked file is written there, and a path typed after picking wins.
    if (hasTyped)
      choosePath(s, expandTypedPath(s.field, s.folder), r);
    else
      choosePath(s, (fs::path(s.listing.folder) / s.listing.entries[static_cast<size_t>(s.selected)].name).string(), r);
  }
  ImGui::PopStyleColor();
  ImGui::EndDisabled();
  rects.named["files.open"] = lastItemRect();
  rects.facts["files.open"] = hasSelection || hasTyped ? "enabled" : "disabled";
}

// One labelled field of the database form: the label on the left, the field filling the rest.
void formField(const char* label, const char* id, std::string* value, const char* hint, ImGuiInputTextFlags flags,
               const std::string& rectName, TestRects& rects) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  ImGui::SameLine(ImGui::GetFontSize() * 8);
  ImGui::SetNextItemWidth(-FLT_MIN);
  ImGui::InputTextWithHint(id, hint, value, flags);
  rects.named[rectName] = lastItemRect();
}

void drawDatabaseTab(bool* open, FileDialogState& s, FileDialogResult& r, TestRects& rects) {
  DbForm& f = s.db;
  // A Tables answer that landed.
  if (s.dbJob) {
    std::lock_guard lock(s.dbJob->mutex);
    if (s.dbJob->done) {
      if (s.dbJob->tables) {
        s.dbTables = *s.dbJob->tables;
        s.dbMessage = s.dbTables.empty() ? "这个数据库里没有几何表 no tables with a geometry column" : "";
      } else {
        s.dbTables.clear();
        s.dbMessage = s.dbJob->error;
      }
      s.dbJob.reset();
    }
  }
  formField("连接 Connection", "##dbconn", &f.connection, "PG:\"host=… dbname=… tables=…\" 或 or postgresql://…", 0,
            "files.db.connection", rects);
  ImGui::PushStyleColor(ImGuiCol_Text, kDim);
  ImGui::TextUnformatted("或分别填写 or each part (empty: libpq's default, ~/.pgpass, PGPASSWORD):");
  ImGui::PopStyleColor();
  const bool byString = !trimmed(f.connection).empty();
  ImGui::BeginDisabled(byString);
  formField("主机 Host", "##dbhost", &f.host, "localhost", 0, "files.db.host", rects);
  formField("端口 Port", "##dbport", &f.port, "5432", ImGuiInputTextFlags_CharsDecimal, "files.db.port", rects);
  formField("数据库 Database", "##dbname", &f.database, "", 0, "files.db.database", rects);
  formField("用户 User", "##dbuser", &f.user, "", 0, "files.db.user", rects);
  formField("密码 Password", "##dbpassword", &f.password, "", ImGuiInputTextFlags_Password, "files.db.password", rects);
  ImGui::EndDisabled();
  formField("表 Table", "##dbtable", &f.table, "schema.name", 0, "files.db.table", rects);

  // Tables: the server's geometry tables, asked on a thread of its own.
  ImGui::BeginDisabled(s.dbJob != nullptr);
  const bool listTables = ImGui::Button("表 Tables##dbtables");
  ImGui::EndDisabled();
  rects.named["files.db.tables"] = lastItemRect();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("列出服务器上的几何表 list the server's tables with a geometry column");
  if (s.dbJob) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, kDim);
    ImGui::TextUnformatted("正在连接 connecting…");
    ImGui::PopStyleColor();
    rects.facts["files.db.listing"] = "running";
  }
  if (listTables && !s.dbJob) {
    std::string why;
    if (std::optional<DbSource> source = dbSourceOfForm(f, false, &why)) {
      rememberDbPassword(*source);
      allowDbSource(*source);  // the user named this server
      auto job = std::make_shared<DbTablesJob>();
      s.dbJob = job;
      s.dbMessage.clear();
      std::thread([job, source = *source] {
        std::string err;
        std::optional<std::vector<std::string>> tables = listGeometryTables(source, &err);
        std::lock_guard lock(job->mutex);
        job->tables = std::move(tables);
        job->error = redactDbPasswords(err);
        job->done = true;
      }).detach();
    } else {
      s.dbMessage = redactDbPasswords(why);
    }
  }

  const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y +
                       ImGui::GetTextLineHeightWithSpacing() * (s.dbMessage.empty() ? 0.0f : 2.0f);
  ImGui::BeginChild("##dbtables", ImVec2{0, -footer}, true);
  for (size_t i = 0; i < s.dbTables.size(); ++i) {
    const std::string& t = s.dbTables[i];
    if (ImGui::Selectable((t + "##t" + std::to_string(i)).c_str(), trimmed(f.table) == t)) f.table = t;
    rects.named["files.db.table." + std::to_string(i)] = lastItemRect();
    rects.facts["files.db.table." + std::to_string(i)] = t;
  }
  ImGui::EndChild();
  if (!s.dbMessage.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kError);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(s.dbMessage.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    rects.facts["files.db.message"] = s.dbMessage;
  }

  // What Open would open, as the layer, the session and the log will name it.
  std::string why;
  const std::optional<DbSource> source = dbSourceOfForm(f, true, &why);
  if (source) rects.facts["files.db.source"] = source->display();
  ImGui::Separator();
  const char* kOpen = "打开 Open##db";
  const char* kCancel = "取消 Cancel##db";
  const ImGuiStyle& style = ImGui::GetStyle();
  const float openW = ImGui::CalcTextSize("打开 Open").x + style.FramePadding.x * 4;
  const float cancelW = ImGui::CalcTextSize("取消 Cancel").x + style.FramePadding.x * 4;
  const float right = ImGui::GetWindowContentRegionMax().x;
  ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), right - openW - cancelW - style.ItemSpacing.x));
  if (ImGui::Button(kCancel, ImVec2{cancelW, 0})) *open = false;
  rects.named["files.db.cancel"] = lastItemRect();
  ImGui::SameLine();
  ImGui::BeginDisabled(!source);
  ImGui::PushStyleColor(ImGuiCol_Button, style.Colors[ImGuiCol_ButtonActive]);
  if (ImGui::Button(kOpen, ImVec2{openW, 0}) && source) {
    // The password stays in this process; what leaves the dialog says ***.
    r.open = rememberDbPassword(*source);
    allowDbSource(*source);  // the user named this server
    s.dbMessage.clear();
  }
  ImGui::PopStyleColor();
  ImGui::EndDisabled();
  rects.named["files.db.open"] = lastItemRect();
}

}  // namespace

}  // namespace bcmap
