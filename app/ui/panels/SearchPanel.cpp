#include "ui/panels/SearchPanel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "ui/NavText.h"

namespace bcmap {

namespace {

// Geometry in logical pixels (multiplied by the UI scale).
constexpr float kWidth = 320.0f;
constexpr size_t kVisibleRows = 8;  // more rows scroll
// Results asked of the index: more than a list can usefully show, few enough to draw.
constexpr size_t kMaxResults = 50;
// Draws after a focus request: asked, taken, then one more for io.WantTextInput to say
// so (ImGui sets it at the next NewFrame); twice that, for a request that is not answered.
constexpr int kFocusDraws = 6;

const ImVec4 kDim{0.42f, 0.42f, 0.42f, 1.0f};
// While the big layers are scanned (SearchIndex::scan): "搜索中 searching… 42 %".
constexpr const char* kSearching = "搜索中 searching… %d %%";

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

bool keyPressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); }

// "村 village · 通榆县": the kind, and the county when there is one.
std::string detailOf(const SearchEntry& e) {
  std::string d = placeKindLabel(e.kind);
  if (!e.county.empty()) d += " · " + e.county;
  return d;
}

}  // namespace

std::optional<FlyToRequest> SearchPanel::pick(size_t i) {
  if (i >= hits_.size()) return std::nullopt;
  const SearchEntry& e = *hits_[i].entry;
  listOpen_ = false;
  FlyToRequest r;
  if (!e.refs.empty()) {
    r.layerId = e.refs.front().layerId;
    r.feature = e.refs.front().feature;
  }
  r.lonLat = e.lonLat;
  r.lonLatBounds = flyToBounds(e);
  r.featureLonLatBounds = e.lonLatBounds;
  r.kind = e.kind;
  r.label = e.displayText();
  return r;
}

std::optional<FlyToRequest> SearchPanel::draw(const SearchIndex& index, float s, float right, float top,
                                              float maxWidth) {
  rects_ = {};
  textChanged_ = false;
  resultsChanged_ = false;
  std::optional<FlyToRequest> picked;
  const float width = std::max(std::min(kWidth * s, maxWidth), 120.0f * s);
  ImGui::SetNextWindowPos(ImVec2{right, top}, ImGuiCond_Always, ImVec2{1.0f, 0.0f});
  ImGui::SetNextWindowSizeConstraints(ImVec2{width, 0}, ImVec2{width, FLT_MAX});
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoFocusOnAppearing;
  if (ImGui::Begin("##search", nullptr, flags)) {
    // A request from a menu item comes in the frame its menu closes, and ImGui answers a
    // focus request only in the next frame: asked again (not in the frame right after
    // asking) until the box has the keyboard, for a few draws.
    if (focusRequested) focusDraws_ = kFocusDraws;
    focusRequested = false;
    const bool ask = focusDraws_ > 0 && !wasActive_ && !askedLastDraw_;
    if (ask) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool enter = ImGui::InputTextWithHint("##searchText", ui_text::kSearchHint, &text_,
                                                ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
    rects_.input = lastItemRect();
    const bool active = ImGui::IsItemActive();
    askedLastDraw_ = ask;
    wasActive_ = active;
    if (focusDraws_ > 0) --focusDraws_;
    if (ImGui::IsItemActivated()) listOpen_ = true;
    // Esc: ImGui puts back the text from before the edit; a search box empties instead.
    if (ImGui::IsItemDeactivated() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) text_.clear();

    if (text_ != queried_ || index.version() != queriedVersion_) {
      textChanged_ = text_ != queried_;
      if (textChanged_) listOpen_ = true;
      hits_ = index.query(text_, kMaxResults);
      resultsChanged_ = true;
      queried_ = text_;
      queriedVersion_ = index.version();
      // Results a scan adds as it goes keep the highlight where it was (within the list).
      if (textChanged_ || hits_.empty()) highlighted_ = 0;
      else highlighted_ = std::min(highlighted_, hits_.size() - 1);
    }
    const SearchScanProgress& scan = index.scanProgress();
    const bool scanning = scan.active();
    bool moved = false;
    if (active && !hits_.empty()) {
      if (keyPressed(ImGuiKey_DownArrow) && highlighted_ + 1 < hits_.size()) {
        ++highlighted_;
        moved = true;
      }
      if (keyPressed(ImGuiKey_UpArrow) && highlighted_ > 0) {
        --highlighted_;
        moved = true;
      }
    }
    if (enter) picked = pick(highlighted_);

    if (listOpen_ && !picked && !normalizeSearchText(text_).empty()) {
      if (scanning) {
        ImGui::TextDisabled(kSearching, static_cast<int>(scan.fraction() * 100));
        rects_.progress = lastItemRect();
      }
      if (hits_.empty()) {
        if (!scanning) ImGui::TextDisabled("%s", ui_text::kSearchNone);
      } else {
        // Two lines a row: the name, then the kind and county, dimmed.
        const float line = ImGui::GetTextLineHeight();
        const float rowH = 2 * line;
        const float spacing = ImGui::GetStyle().ItemSpacing.y;
        const float listH = static_cast<float>(std::min(hits_.size(), kVisibleRows)) * (rowH + spacing);
        if (ImGui::BeginChild("##results", ImVec2{0, listH}, false)) {
          ImDrawList* dl = ImGui::GetWindowDrawList();
          const ImU32 textCol = ImGui::GetColorU32(ImGuiCol_Text), dimCol = ImGui::GetColorU32(kDim);
          for (size_t i = 0; i < hits_.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            // The text starts where the row does, indented by what the selectable's
            // highlight reaches left of it: the selectable's own box starts half an item
            // spacing left of the row, outside the list's clip rectangle, and text drawn
            // from there lost the left of its first glyph.
            const ImVec2 at = ImGui::GetCursorScreenPos();
            const float textX = at.x + std::floor(ImGui::GetStyle().ItemSpacing.x * 0.5f);
            if (ImGui::Selectable("##hit", i == highlighted_, 0, ImVec2{0, rowH})) picked = pick(i);
            const UiRect r = lastItemRect();
            if (ImGui::IsItemVisible()) {
              rects_.results.push_back(r);
              const SearchEntry& e = *hits_[i].entry;
              const std::string name = e.displayText(), detail = detailOf(e);
              dl->AddText(ImVec2{textX, r.y0}, textCol, name.data(), name.data() + name.size());
              dl->AddText(ImVec2{textX, r.y0 + line}, dimCol, detail.data(), detail.data() + detail.size());
            }
            if (moved && i == highlighted_) ImGui::SetScrollHereY(0.5f);
            ImGui::PopID();
          }
        }
        ImGui::EndChild();
        ImGui::TextDisabled("%s", ui_text::kSearchKeys);
      }
    }
  }
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rects_.window = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::End();
  return picked;
}

}  // namespace bcmap
