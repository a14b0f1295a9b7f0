// Sections: 1. copy  2. the window
#include "ui/panels/NavigationPanel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cfloat>

#include "nav/CoordinateInput.h"
#include "host/LayerStore.h"
#include "io/Projection.h"
#include "ui/NavText.h"

namespace bcmap {

namespace {

// Geometry in logical pixels (multiplied by the UI scale).
constexpr float kWidth = 330.0f;
// How long "已复制 copied" shows after a copy.
constexpr double kCopiedNoteSec = 2.0;

const ImVec4 kErrorRed{0.80f, 0.16f, 0.16f, 1.0f};

UiRect lastItemRect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return UiRect{a.x, a.y, b.x, b.y};
}

bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

void hint(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text);
}

// "光标 Cursor  123.500000, 45.600000" ("—" when unknown).
void coordinateRow(const char* label, Vec2 lonLat) {
  ImGui::TextUnformatted(label);
  ImGui::SameLine();
  if (finite(lonLat)) {
    ImGui::TextUnformatted(formatLonLat(lonLat).c_str());
  } else {
    ImGui::TextDisabled("—");
  }
}

}  // namespace

// ---- 1. copy --------------------------------------------------------------------------------
std::string copyCoordinate(Vec2 lonLat, Vec2 world, std::string_view displayCrs, bool displayIsGeographic) {
  std::string text = formatCursorCoordinate(lonLat, world, displayCrs, displayIsGeographic);
  if (!text.empty()) ImGui::SetClipboardText(text.c_str());
  return text;
}

// ---- 2. the window --------------------------------------------------------------------------
NavigationRequests NavigationPanel::draw(const NavigationInput& in, float s, float right, float top, bool* open) {
  rects_ = {};
  NavigationRequests req;
  if (open && !*open) return req;
  const float width = kWidth * s;
  ImGui::SetNextWindowPos(ImVec2{right, top}, ImGuiCond_Always, ImVec2{1.0f, 0.0f});
  ImGui::SetNextWindowSizeConstraints(ImVec2{width, 0}, ImVec2{width, FLT_MAX});
  const ImGuiWindowFlags flags = ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoFocusOnAppearing;
  if (ImGui::Begin(ui_text::kNavTitle, open, flags)) {
    const ImGuiStyle& style = ImGui::GetStyle();

    // Back / forward through the view history.
    ImGui::BeginDisabled(!in.canBack);
    if (ImGui::Button(ui_text::kBack)) req.back = true;
    ImGui::EndDisabled();
    rects_.backButton = lastItemRect();
    hint(ui_text::kBackHint);
    ImGui::SameLine();
    ImGui::BeginDisabled(!in.canForward);
    if (ImGui::Button(ui_text::kForward)) req.forward = true;
    ImGui::EndDisabled();
    rects_.forwardButton = lastItemRect();
    hint(ui_text::kForwardHint);

    // Go to: Enter in the field or the button.
    ImGui::Separator();
    const float buttonW = ImGui::CalcTextSize(ui_text::kGoTo).x + 2 * style.FramePadding.x;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - buttonW - style.ItemSpacing.x);
    bool go = ImGui::InputTextWithHint("##goto", ui_text::kGoToHint, &goTo_, ImGuiInputTextFlags_EnterReturnsTrue);
    rects_.goToField = lastItemRect();
    if (ImGui::IsItemEdited()) goToError_.clear();
    ImGui::SameLine();
    go |= ImGui::Button(ui_text::kGoTo);
    rects_.goToButton = lastItemRect();
    if (go) {
      std::string err = coordinate_error::kOutside;
      const std::optional<GoToTarget> t =
          in.displayToLonLat ? resolveGoTo(goTo_, *in.displayToLonLat, in.displayIsGeographic, &err) : std::nullopt;
      goToNote_.clear();
      if (t) {
        req.goToWorld = t->world;
        req.goToLonLat = t->lonLat;
        goToError_.clear();
        // More than the data's own size away from it: say how the numbers were read.
        const Bounds& d = in.dataLonLat;
        const double mx = d.maxX - d.minX, my = d.maxY - d.minY;
        if (!d.empty() && (t->lonLat.x < d.minX - mx || t->lonLat.x > d.maxX + mx || t->lonLat.y < d.minY - my ||
                           t->lonLat.y > d.maxY + my)) {
          char buf[256];
          std::snprintf(buf, sizeof buf, "远离数据：按 %.*s 坐标读取，位于 %.4f, %.4f · far from the data: read as %.*s x y, at lon/lat %.4f, %.4f",
                        static_cast<int>(in.displayCrs.size()), in.displayCrs.data(), t->lonLat.x, t->lonLat.y,
                        static_cast<int>(in.displayCrs.size()), in.displayCrs.data(), t->lonLat.x, t->lonLat.y);
          goToNote_ = buf;
        }
      } else {
        goToError_ = err;
      }
    }
    if (!goToNote_.empty()) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextColored(ImVec4{0.62f, 0.40f, 0.0f, 1.0f}, "%s", goToNote_.c_str());
      ImGui::PopTextWrapPos();
    }
    if (!goToError_.empty()) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextColored(kErrorRed, "%s", goToError_.c_str());
      ImGui::PopTextWrapPos();
    }

    // The cursor and the centre; the button copies the centre (the cursor is on the button).
    ImGui::Separator();
    coordinateRow(ui_text::kCursor, in.cursorLonLat);
    const Vec2 centreLonLat =
        in.displayToLonLat && finite(in.centreWorld) ? in.displayToLonLat->forward(in.centreWorld) : Vec2{NAN, NAN};
    coordinateRow(ui_text::kCentre, centreLonLat);
    ImGui::BeginDisabled(!finite(centreLonLat));
    if (ImGui::Button(ui_text::kCopyCentre) &&
        !copyCoordinate(centreLonLat, in.centreWorld, in.displayCrs, in.displayIsGeographic).empty())
      copiedAtSec_ = ImGui::GetTime();
    ImGui::EndDisabled();
    rects_.copyButton = lastItemRect();
    hint(ui_text::kCopyHint);
    if (copiedAtSec_ >= 0 && ImGui::GetTime() - copiedAtSec_ < kCopiedNoteSec) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", ui_text::kCopied);
    }

    // Zoom to a loaded layer.
    ImGui::Separator();
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool comboOpen = ImGui::BeginCombo("##zoomLayer", ui_text::kZoomToLayer);
    rects_.layerCombo = lastItemRect();
    if (comboOpen) {
      if (in.store)
        for (const auto& l : in.store->layers()) {
          if (l->status != LayerStatus::Loaded) continue;
          // The id after ## keeps two layers of one name apart.
          if (ImGui::Selectable((l->displayName() + "##" + l->id).c_str())) req.zoomToLayer = l->id;
        }
      ImGui::EndCombo();
    }
  }
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  rects_.window = UiRect{pos.x, pos.y, pos.x + size.x, pos.y + size.y};
  ImGui::End();
  return req;
}

}  // namespace bcmap
