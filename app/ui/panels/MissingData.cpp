// Sections: 1. the child process  2. reloading the layers  3. the panel
#include "ui/panels/MissingData.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <imgui.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "host/DerivedData.h"
#include "host/LayerStore.h"
#include "model/Log.h"

namespace bcmap {

// ---- 1. the child process ---------------------------------------------------------------
namespace {

// The output kept for the panel: the tail is what matters (npm's progress, the error).
constexpr size_t kMaxOutputBytes = 64 * 1024;

}  // namespace

DataFetchProcess::~DataFetchProcess() {
  if (state_ != State::Running) return;
  cancel();
  int status = 0;
  waitpid(pid_, &status, 0);
  close(fd_);
}

bool DataFetchProcess::start(const std::vector<std::string>& argv) {
  output_.clear();
  exitCode_ = 0;
  cancelled_ = false;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    output_ = std::string("cannot make a pipe: ") + std::strerror(errno);
    state_ = State::Failed;
    return false;
  }
  // Everything the child needs is made before fork: the viewer has other threads, so the
  // child may only make async-signal-safe calls until exec.
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    output_ = std::string("cannot start it: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    state_ = State::Failed;
    return false;
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    const int devNull = open("/dev/null", O_RDONLY);
    if (devNull >= 0) dup2(devNull, STDIN_FILENO);
    execv(cargs[0], cargs.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so a Cancel right away finds the group
  close(fds[1]);
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  pid_ = pid;
  fd_ = fds[0];
  state_ = State::Running;
  return true;
}

void DataFetchProcess::poll() {
  if (state_ != State::Running) return;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd_, buf, sizeof buf);
    if (n > 0) {
      output_.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // EAGAIN: nothing more now; 0: the child closed its end
  }
  if (output_.size() > kMaxOutputBytes) output_.erase(0, output_.size() - kMaxOutputBytes);
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) finish(status);
}

void DataFetchProcess::finish(int status) {
  char buf[4096];
  ssize_t n;
  while ((n = read(fd_, buf, sizeof buf)) > 0) output_.append(buf, static_cast<size_t>(n));
  close(fd_);
  fd_ = -1;
  exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (cancelled_) state_ = State::Cancelled;
  else state_ = exitCode_ == 0 ? State::Succeeded : State::Failed;
}

void DataFetchProcess::cancel() {
  if (state_ != State::Running) return;
  cancelled_ = true;
  kill(-pid_, SIGTERM);
}

// ---- 2. reloading the layers ------------------------------------------------------------
namespace {

// The plugin layers that failed (for want of the data) load again, shown as they are by
// default; one that fails again is hidden by the viewer's loop, as at start.
void reloadFailedLayers(LayerStore& store) {
  for (auto& l : store.layers()) {
    if (l->isFileLayer || l->status != LayerStatus::Failed) continue;
    l->visible = !l->hiddenByDefault;
    store.loadAsync(*l);
  }
}

const char* stateName(DataFetchProcess::State s) {
  switch (s) {
    case DataFetchProcess::State::Idle: return "idle";
    case DataFetchProcess::State::Running: return "running";
    case DataFetchProcess::State::Succeeded: return "succeeded";
    case DataFetchProcess::State::Failed: return "failed";
    case DataFetchProcess::State::Cancelled: return "cancelled";
  }
  return "";
}

UiRect lastItemRect() {
  return UiRect{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x,
                ImGui::GetItemRectMax().y};
}

std::string selfExecutable() {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

}  // namespace

// ---- 3. the panel -----------------------------------------------------------------------
MissingDataResult drawMissingData(MissingDataState& m, LayerStore& store, const UiRect& area, float s,
                                  TestRects& rects) {
  MissingDataResult result;
  m.fetch.poll();
  const auto now = std::chrono::steady_clock::now();
  const bool fetchEnded = m.fetch.state() == DataFetchProcess::State::Succeeded;
  if (!m.checked || now >= m.nextCheck || fetchEnded) {
    const bool wasMissing = !m.missing.empty();
    m.missing = missingDerivedData(store.dataDir());
    m.nextCheck = now + std::chrono::seconds(1);
    // The data arrived (the button, or `bcmap data fetch` run in a terminal).
    if (m.checked && wasMissing && m.missing.empty()) {
      logInfo("the map data is in " + store.dataDir() + ": loading the layers again");
      reloadFailedLayers(store);
      result.layersReloaded = true;
    }
    m.checked = true;
  }
  const DataFetchProcess::State state = m.fetch.state();
  result.busy = state == DataFetchProcess::State::Running;
  if (m.missing.empty()) return result;

  const std::string sentence = missingDataSentence(store.dataDir());
  const float width = std::max(std::min(620 * s, area.x1 - area.x0 - 40 * s), 280 * s);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2{vp->Pos.x + (area.x0 + area.x1) / 2, vp->Pos.y + (area.y0 + area.y1) / 2},
                          ImGuiCond_Always, ImVec2{0.5f, 0.5f});
  ImGui::SetNextWindowSize(ImVec2{width, 0}, ImGuiCond_Always);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_AlwaysAutoResize;
  if (ImGui::Begin("没有地图数据 The map data is missing##missing-data", nullptr, flags)) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(sentence.c_str());
    ImGui::Spacing();
    std::string files;
    for (const std::string& f : m.missing) files += (files.empty() ? "" : ", ") + f;
    ImGui::TextDisabled("缺少 Missing: %s", files.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    ImGui::TextUnformatted("在终端运行 In a terminal:");
    ImGui::SameLine();
    std::string command = dataFetchCommand(store.dataDir());
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##missing-command", command.data(), command.size() + 1, ImGuiInputTextFlags_ReadOnly);
    ImGui::Spacing();
    if (state == DataFetchProcess::State::Running) {
      if (ImGui::Button("取消 Cancel")) m.fetch.cancel();
      rects.named["missing.cancel"] = lastItemRect();
      ImGui::SameLine();
      ImGui::TextUnformatted("正在下载 Downloading and deriving ...");
    } else {
      const bool again = state != DataFetchProcess::State::Idle;
      if (ImGui::Button(again ? "重试 Try again" : "立即下载 Download now")) {
        const std::string exe = selfExecutable();
        if (m.fetch.start({exe, "data", "fetch", "--into", store.dataDir()})) {
          logInfo("viewer: running " + exe + " data fetch --into " + store.dataDir());
          result.busy = true;
        }
      }
      rects.named["missing.download"] = lastItemRect();
      if (state == DataFetchProcess::State::Failed) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4{0.85f, 0.2f, 0.15f, 1}, "失败 Failed (exit %d)", m.fetch.exitCode());
      } else if (state == DataFetchProcess::State::Cancelled) {
        ImGui::SameLine();
        ImGui::TextDisabled("已取消 Cancelled: nothing was written");
      }
    }
    // Shown from the start of a fetch, so the buttons above do not move as output comes.
    if (state != DataFetchProcess::State::Idle || result.busy) {
      ImGui::BeginChild("##missing-output", ImVec2{0, 160 * s}, true, ImGuiWindowFlags_HorizontalScrollbar);
      ImGui::TextUnformatted(m.fetch.output().c_str());
      if (result.busy) ImGui::SetScrollHereY(1.0f);
      ImGui::EndChild();
    }
    rects.named["missing.panel"] = UiRect{ImGui::GetWindowPos().x, ImGui::GetWindowPos().y,
                                          ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                                          ImGui::GetWindowPos().y + ImGui::GetWindowSize().y};
  }
  ImGui::End();
  rects.facts["missing.sentence"] = sentence;
  rects.facts["missing.state"] = stateName(m.fetch.state());
  const std::string& out = m.fetch.output();
  const size_t end = out.find_last_not_of('\n');
  const size_t start = end == std::string::npos ? std::string::npos : out.rfind('\n', end);
  rects.facts["missing.output.last"] =
      end == std::string::npos ? "" : out.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
  return result;
}

}  // namespace bcmap
