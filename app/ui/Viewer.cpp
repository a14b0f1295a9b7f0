// The viewer's window: set-up, the loop, shutdown. The loop's pieces are in ViewerLoop.h
// (input: ViewerInput.cpp; the panels' requests, clicks and hover: ViewerRequests.cpp; one
// frame: ViewerFrame.cpp).
//
// Idle: frames are drawn only after an event (and a few more, which ImGui needs to settle
// hover states and auto-sized windows); otherwise the loop sleeps in glfwWaitEventsTimeout.
#include "ui/Viewer.h"

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "host/DbFeed.h"
#include "host/LayerStore.h"
#include "host/PluginSearchPath.h"
#include "host/PluginWatcher.h"
#include "io/Projection.h"
#include "model/Log.h"
#include "ui/NavText.h"
#include "ui/Session.h"
#include "ui/UiFont.h"
#include "ui/UiGlyphs.h"
#include "ui/UiText.h"
#include "ui/ViewerLoop.h"
#include "ui/ViewerState.h"
#include "ui/panels/LayerPanel.h"
#include "ui/panels/TimeSlider.h"

namespace bcmap {

using namespace viewer;  // the loop's pieces (ViewerLoop.h)

namespace {

// A database layer fetches once the view has been still this long, the mouse up (DbFeed.h).
constexpr double kDbSettleS = 0.15;
constexpr double kIdleWaitS = 1.0;        // the loop wakes this often when idle, and draws nothing
constexpr double kUploadPollS = 0.05;     // a big point layer readied for the GPU is looked for this often

std::string gGlfwError;

void onGlfwError(int code, const char* text) {
  gGlfwError = std::string(text ? text : "unknown error") + " (GLFW error " + std::to_string(code) + ")";
}


void initialFontText(UiFont& font, ViewerState& st) {
  font.addText(reinterpret_cast<const char*>(ui_text::kSourceGlyphs));
  font.addLayers(*st.session->store, st.displayCrs);
}

void lightStyle() {
  ImGui::StyleColorsLight();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 6;
  s.FrameRounding = 3;
  s.GrabRounding = 3;
  s.PopupRounding = 4;
  s.WindowBorderSize = 1;
  s.WindowPadding = ImVec2{10, 8};
  s.ItemSpacing = ImVec2{7, 5};
  // Opaque: a floating window (table, log, help) shows its own fields, not the legend or
  // the map through them. The docks keep the map clear of the panels anyway.
  s.Colors[ImGuiCol_WindowBg].w = 1.0f;
  s.Colors[ImGuiCol_PopupBg].w = 1.0f;
}

}  // namespace

// ---- 5. runViewer: set-up, loop, shutdown ------------------------------------------------
int runViewer(const AppOptions& options) {
  glfwSetErrorCallback(onGlfwError);
  if (!glfwInit()) {
    std::fprintf(stderr, "bcmap: no display available, cannot open the viewer window (%s); "
                 "`bcmap render --out map.png` works without one\n", gGlfwError.c_str());
    return kExitFailed;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);  // macOS needs it for a core context
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);               // shown once the layers are loaded
  GLFWwindow* window = glfwCreateWindow(options.windowWidth, options.windowHeight, ui_text::kWindowTitle, nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "bcmap: cannot open an OpenGL 3.3 window (%s)\n", gGlfwError.c_str());
    glfwTerminate();
    return kExitFailed;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  AppSession session;
  // Plugins load from private copies, off the UI thread; rebuilt plugins are reloaded.
  session.host.setInteractive(true);
  // A FILE or layer that failed is shown in the panel with its reason; the viewer runs on.
  openSession(options, session, false);
  session.store->setOnResultReady([] { glfwPostEmptyEvent(); });
  // Hot reload: a plugin rebuilt (or added) in a plugin folder while the viewer runs.
  auto watcher = std::make_unique<PluginWatcher>();
  {
    for (const std::string& d : searchPathFolders(session.searchPath))
      if (std::string e; !watcher->watch(d, &e)) logWarning("viewer: " + e);
    watcher->startWaking([] { glfwPostEmptyEvent(); });
  }
  ViewerState st;
  st.options = &options;
  st.session = &session;
  st.displayCrs = options.crs;
  st.toLonLat = Transformer::create(st.displayCrs, kLonLatCrs, nullptr);
  st.displayIsGeographic = isGeographicCrs(st.displayCrs);
  // The last session, if any (Session.h says what the command line overrides).
  st.sessionPath = options.sessionPath.empty() ? sessionFilePath() : options.sessionPath;
  std::optional<SessionData> saved;
  std::string badSessionNotice;  // shown once the window is up
  {
    std::string err;
    saved = loadSession(st.sessionPath, &err);
    if (!err.empty()) {
      // Defaults, and the bad file kept beside (never overwritten by the next save).
      std::string why;
      const std::string kept = setAsideBadSession(st.sessionPath, &why);
      logWarning("viewer: " + err + "; starting with the defaults" +
                 (kept.empty() ? "; " + why : "; the file is kept as " + kept));
      // The status bar's width: the kept copy first; the whole reason on hover and in the log.
      badSessionNotice = "会话无法读取，已用默认设置 The session could not be read; defaults used" +
                         (kept.empty() ? std::string() : "; kept as " + std::filesystem::path(kept).filename().string()) +
                         " (" + err + ")";
    }
  }
  // The session's CRS and view stand with FILE arguments too (AppSession.h: sessionStart).
  SessionStart start;
  // Layers whose saved selection waits for them: they load on loader threads, and each
  // one's selection is restored as it arrives (before, it was asked for at once and lost).
  std::set<std::string> selectionToRestore;
  auto restoreSelectionOf = [&](const std::string& layerId) {
    if (!saved || !selectionToRestore.count(layerId)) return;
    Layer* l = session.store->find(layerId);
    if (!l || (l->status != LayerStatus::Loaded && l->status != LayerStatus::Failed)) return;
    selectionToRestore.erase(layerId);
    // Restored, not picked: the inspector stays closed (it covered half the map at 900×600
    // after every restart).
    for (const auto& [id, feature] : restoreSelection(*saved, *session.store, layerId)) st.selection.restore(*l, feature);
  };
  if (saved) {
    start = sessionStart(options, *saved);
    restoreLayers(*saved, *session.store, &session.host, !options.layersGiven);
    restorePanels(*saved, st);
    restoreDock(*saved, st);
    for (const LayerSession& l : saved->layers)
      if (!l.selected.empty()) selectionToRestore.insert(l.id);
    for (const LayerSession& l : saved->layers) restoreSelectionOf(l.id);  // those loaded already
    if (start.crs && !restoreDisplayCrs(*saved, st)) start.view = false;
    restoreTime(*saved, st);
  }

  int status = kExitOk;
  {
    Frame f;
    f.window = window;
    f.watcher = watcher.get();
    WindowContext wc;
    Gesture g;
    HoverCache hover;
    TestStateWriter testState;
    std::string err;
    if (!f.map.init(&err) || !f.interactive.init(&err)) {
      std::fprintf(stderr, "bcmap: viewer: %s\n", err.c_str());
      status = kExitFailed;
    } else {
      f.map.setBackgroundUpload(true);  // big point layers: no UI frame waits for their LOD order
      if (!f.font.init(&err)) logWarning("viewer: " + err + "; the panels show CJK text as '?'");
      IMGUI_CHECKVERSION();
      ImGui::CreateContext();
      ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini beside the user's files
      lightStyle();
      f.baseStyle = ImGui::GetStyle();
      ImGui_ImplGlfw_InitForOpenGL(window, true);
      ImGui_ImplOpenGL3_Init("#version 330 core");
      glfwSetWindowUserPointer(window, &wc);
      installCallbacks(window);
      initialFontText(f.font, st);

      measureWindow(st, f);
      fitAll(st);
      // Layers load on loader threads: until the first results are in, the fit above is
      // Baicheng's box; it is redone as they arrive unless the user or a session moved it.
      bool refitOnLoad = true;
      // FILE layers to show if they lie outside the session's view, checked as each loads.
      std::map<std::string, std::string> filesToShow;  // layer id -> the FILE
      if (saved && start.view && restoreView(*saved, st)) {
        refitOnLoad = false;
        for (const auto& l : session.store->layers())
          for (const LayerSetting& setting : l->settings)
            if (l->isFileLayer && setting.key == "path" &&
                std::find(options.files.begin(), options.files.end(), setting.value) != options.files.end())
              filesToShow[l->id] = setting.value;
      } else if (saved && !options.crsGiven) {
        refitOnLoad = false;  // a session without a view: the fit above stands
      }
      {
        std::string perr;
        f.tools.pinyin = loadPinyinTable(session.store->dataDir() + "/baicheng_pinyin.json", &perr);
        if (!perr.empty()) logWarning("viewer: " + perr + "; search works without pinyin");
      }
      // Database layers: fetched per settled view on their own threads (host/DbFeed.h).
      DbFeeds dbFeeds([] { glfwPostEmptyEvent(); });
      st.dbFeeds = &dbFeeds;
      double dbDueSec = INFINITY;  // when the view now shown counts as settled
      DbFeedView dbPending;
      glfwShowWindow(window);
      if (!badSessionNotice.empty()) {
        st.notice = badSessionNotice;
        st.noticeIsError = true;
        st.noticeUntilSec = glfwGetTime() + kBadSessionNoticeSeconds;
      }
      while (!glfwWindowShouldClose(window)) {
        if (f.interactive.pending(st.view)) {
          // A gesture is settling: sleep until the full frame is due, or input comes.
          glfwWaitEventsTimeout(std::clamp(f.interactive.nextFrameDueSec() - glfwGetTime(), 0.001, kIdleWaitS));
        } else if (wc.framesToDraw > 0) {
          glfwPollEvents();
        } else if (f.map.uploading()) {
          // A big point layer is made ready for the GPU on a worker: look again soon.
          glfwWaitEventsTimeout(kUploadPollS);
        } else if (std::isfinite(dbDueSec) && !dbFeeds.empty() && !st.dragging) {
          // A view change is settling: wake when the database layers should fetch it.
          glfwWaitEventsTimeout(std::clamp(dbDueSec - glfwGetTime(), 0.001, kIdleWaitS));
        } else if (std::isfinite(f.tools.historyDueSec)) {
          // A view change is settling: wake when it counts as a step in the history.
          glfwWaitEventsTimeout(std::clamp(f.tools.historyDueSec - glfwGetTime(), 0.001, kIdleWaitS));
        } else if (st.time.playing) {
          // Playing: sleep until the next day is due, or input comes.
          glfwWaitEventsTimeout(std::clamp(st.time.nextStepSec - glfwGetTime(), 0.001, kIdleWaitS));
        } else {
          // A layer loading: wake to tick its row's seconds (ViewerFrame).
          glfwWaitEventsTimeout(std::clamp(f.loadTickDueSec - glfwGetTime(), 0.001, kIdleWaitS));
        }
        f.workStart = std::chrono::steady_clock::now();  // what follows is work: "frame.ms" counts it
        for (const std::string& p : watcher->poll()) session.store->pluginFileChanged(session.host, p);
        if (pollDataFiles(f.reload, *session.store)) wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
        // Loads posted from here on are prepared for the CRS shown (LayerLoader.h).
        session.store->setDisplayCrs(st.displayCrs);
        bool loadedSome = false;
        for (const std::string& id : session.store->pollLoaded()) {
          // A layer finished loading (or reloading) on a loader thread.
          if (Layer* l = session.store->find(id); l && l->status == LayerStatus::Failed) l->visible = false;
          loadedSome = true;
          restoreSelectionOf(id);
          if (Layer* l = session.store->find(id); l && filesToShow.count(id) && l->status != LayerStatus::Loading) {
            const std::string file = filesToShow[id];
            filesToShow.erase(id);
            std::string perr;
            auto p = session.store->prepare(*l, st.displayCrs, &perr);
            // The view is the canvas (ui/Layout.h), so "inside the view" means on the visible map.
            if (p && l->status == LayerStatus::Loaded && fileOutsideView(p->bounds, st.view.worldBounds())) {
              fitBounds(st, p->bounds);
              logWarning("viewer: " + file + " lies outside the session's view; the view moved to show it");
            }
          }
        }
        // Database layers: the settled view is asked for; what came in is installed.
        {
          const DbFeedView now{st.displayCrs, st.view.worldBounds(), st.view.widthPx, st.view.heightPx, st.time.filter()};
          if (!(now == dbPending)) {
            dbPending = now;
            dbDueSec = glfwGetTime() + kDbSettleS;
          }
          if (std::isfinite(dbDueSec) && glfwGetTime() >= dbDueSec && !st.dragging) {
            dbFeeds.requestView(now);
            dbDueSec = INFINITY;
          }
        }
        dbFeeds.sync(*session.store);
        if (!dbFeeds.poll(*session.store).empty()) {
          f.interactive.invalidate();
          wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
        }
        // A database layer's server answered a tooltip's question: the frame that shows it.
        if (dbFeeds.takeAnswered()) wc.framesToDraw = std::max(wc.framesToDraw, 1);
        if (f.map.uploadReady()) {  // the next frame installs it and draws the layer
          f.interactive.invalidate();
          wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
        }
        if (loadedSome) {
          f.interactive.invalidate();
          wc.framesToDraw = std::max(wc.framesToDraw, kSettleFrames);
          // One rule with the frame loop's: the view fitAll left, not moved since.
          if (refitOnLoad && stillFitted(st)) {
            fitAll(st);
          } else {
            refitOnLoad = false;  // the user moved the view: leave it
          }
        }
        noteViewForHistory(st, f.tools, glfwGetTime());
        const bool stepDue = st.time.playing && glfwGetTime() >= st.time.nextStepSec;
        // A settling gesture's full-quality frame (labels and all) is due with no input to
        // wake the loop: a start, a fit or a dock folded showed the quick frame until the
        // mouse moved.
        const bool finalDue = f.interactive.pending(st.view) && glfwGetTime() >= f.interactive.nextFrameDueSec();
        const bool loadTickDue = glfwGetTime() >= f.loadTickDueSec;
        if (wc.framesToDraw <= 0 && !stepDue && !finalDue && !loadTickDue && wc.events.empty() &&
            wc.imguiInput.empty() && wc.dropped.empty())
          continue;
        drawFrame(st, f, g, wc, hover);
        wc.framesToDraw = std::max(0, wc.framesToDraw - 1);
        noteViewForHistory(st, f.tools, glfwGetTime());
        dbFeeds.reportFacts(f.rects.facts);
        testState.afterFrame(st, f.rects, f.facts, f.frameCount, f.lastScreenshot);
      }
      saveSessionNow(st);
      st.dbFeeds = nullptr;  // the feeds go with this scope
      ImGui_ImplOpenGL3_Shutdown();
      ImGui_ImplGlfw_Shutdown();
      ImGui::DestroyContext();
    }
    // Frame's GL objects go while the context is still current.
  }
  watcher.reset();
  session.store->setOnResultReady(nullptr);
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}


}  // namespace bcmap
