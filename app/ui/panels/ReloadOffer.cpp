#include "ui/panels/ReloadOffer.h"

#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "host/LayerStore.h"
#include "model/Log.h"

namespace bcmap {

namespace {

std::string resolvedPath(const LayerStore& store, const std::string& value) {
  if (value.empty()) return {};
  std::filesystem::path p(value);
  if (p.is_relative()) p = std::filesystem::path(store.dataDir()) / p;
  return p.lexically_normal().string();
}

std::string pathOf(const LayerStore& store, const Layer& l) {
  for (const LayerSetting& s : l.settings)
    if (s.key == "path") return resolvedPath(store, s.value.empty() ? s.defaultValue : s.value);
  return {};
}

// A layer whose data files are watched: loaded, or failed reading them (a file fixed on
// disk offers to load it again). Not one refused before reading (no plugin, a duplicate id).
bool watched(const Layer& l) {
  return l.status == LayerStatus::Loaded || (l.status == LayerStatus::Failed && !l.refused);
}

}  // namespace

std::vector<std::string> layerDataFiles(LayerStore& store) {
  std::vector<std::string> files;
  for (auto& l : store.layers()) {
    if (!watched(*l)) continue;
    const std::string p = pathOf(store, *l);
    if (!p.empty() && std::find(files.begin(), files.end(), p) == files.end()) files.push_back(p);
  }
  return files;
}

bool pollDataFiles(ReloadOfferState& r, LayerStore& store) {
  const auto now = std::chrono::steady_clock::now();
  if (now < r.nextPoll) return false;
  r.nextPoll = now + std::chrono::milliseconds(500);
  r.watcher.setFiles(layerDataFiles(store));
  bool added = false;
  for (const std::string& p : r.watcher.poll(now)) {
    if (std::find(r.changed.begin(), r.changed.end(), p) != r.changed.end()) continue;
    r.changed.push_back(p);
    logInfo("file changed on disk: " + p);
    added = true;
  }
  return added;
}

void forgetUnreadFiles(ReloadOfferState& r, LayerStore& store) {
  const std::vector<std::string> files = layerDataFiles(store);
  r.watcher.setFiles(files);
  std::erase_if(r.changed, [&](const std::string& p) { return std::find(files.begin(), files.end(), p) == files.end(); });
}

bool drawReloadOffer(ReloadOfferState& r, LayerStore& store, float menuBarHeight, float s, TestRects& rects) {
  if (r.changed.empty()) return false;
  bool reloaded = false;
  const std::string path = r.changed.front();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2{vp->Size.x / 2, menuBarHeight + 8 * s}, ImGuiCond_Always, ImVec2{0.5f, 0.0f});
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings;
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4{1.0f, 0.96f, 0.80f, 0.97f});
  if (ImGui::Begin("##reload-offer", nullptr, flags)) {
    ImGui::Text("文件已在磁盘上更改 File changed on disk: %s", path.c_str());
    if (ImGui::Button("重新加载 Reload")) {
      // A loaded layer keeps its features if the new read fails (LayerStore::reloadData).
      for (auto& l : store.layers())
        if (watched(*l) && pathOf(store, *l) == path) store.reloadData(*l);
      r.changed.erase(r.changed.begin());
      reloaded = true;
    }
    rects.named["reload.button"] = UiRect{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y,
                                            ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y};
    ImGui::SameLine();
    if (ImGui::Button("忽略 Ignore")) r.changed.erase(r.changed.begin());
    rects.facts["reload.file"] = path;
  }
  ImGui::End();
  ImGui::PopStyleColor();
  return reloaded;
}

}  // namespace bcmap
