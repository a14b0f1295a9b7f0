// XdgDirs: each base folder with its variable unset, empty, relative (ignored, as the
// specification says) and absolute; the $HOME defaults, and none without $HOME.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "io/XdgDirs.h"

namespace bcmap {
namespace {

// Sets or unsets variables for one test and puts back what was there.
class EnvGuard {
 public:
  ~EnvGuard() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) apply(it->first, it->second);
  }
  void set(const std::string& name, std::optional<std::string> value) {
    const char* old = std::getenv(name.c_str());
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    apply(name, value);
  }

 private:
  static void apply(const std::string& name, const std::optional<std::string>& value) {
    if (value) setenv(name.c_str(), value->c_str(), 1);
    else unsetenv(name.c_str());
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

struct BaseDir {
  const char* variable;
  std::function<std::string()> get;
  const char* underHome;  // the default below $HOME; nullptr: none
};

const std::vector<BaseDir>& baseDirs() {
  static const std::vector<BaseDir> dirs = {
      {"XDG_CONFIG_HOME", xdg::configHome, "/home/u/.config"},
      {"XDG_CACHE_HOME", xdg::cacheHome, "/home/u/.cache"},
      {"XDG_DATA_HOME", xdg::dataHome, "/home/u/.local/share"},
      {"XDG_STATE_HOME", xdg::stateHome, "/home/u/.local/state"},
      {"XDG_RUNTIME_DIR", xdg::runtimeDir, nullptr},
  };
  return dirs;
}

std::string defaultOf(const BaseDir& d) { return d.underHome ? d.underHome : ""; }

TEST(XdgDirsTest, UnsetTakesTheDefaultUnderHome) {
  for (const BaseDir& d : baseDirs()) {
    EnvGuard env;
    env.set("HOME", "/home/u");
    env.set(d.variable, std::nullopt);
    EXPECT_EQ(d.get(), defaultOf(d)) << d.variable;
  }
}

TEST(XdgDirsTest, EmptyIsAsUnset) {
  for (const BaseDir& d : baseDirs()) {
    EnvGuard env;
    env.set("HOME", "/home/u");
    env.set(d.variable, "");
    EXPECT_EQ(d.get(), defaultOf(d)) << d.variable;
  }
}

TEST(XdgDirsTest, RelativeIsIgnored) {
  for (const BaseDir& d : baseDirs()) {
    for (const char* relative : {"relative/dir", "./here", "~/cfg"}) {
      EnvGuard env;
      env.set("HOME", "/home/u");
      env.set(d.variable, relative);
      EXPECT_EQ(d.get(), defaultOf(d)) << d.variable << "=" << relative;
    }
  }
}

TEST(XdgDirsTest, AbsoluteIsTaken) {
  for (const BaseDir& d : baseDirs()) {
    EnvGuard env;
    env.set("HOME", "/home/u");
    env.set(d.variable, "/srv/xdg/place");
    EXPECT_EQ(d.get(), "/srv/xdg/place") << d.variable;
  }
}

TEST(XdgDirsTest, NoHomeAndNoVariableGivesNothing) {
  for (const BaseDir& d : baseDirs()) {
    for (std::optional<std::string> home : {std::optional<std::string>(), std::optional<std::string>("")}) {
      EnvGuard env;
      env.set("HOME", home);
      env.set(d.variable, std::nullopt);
      EXPECT_EQ(d.get(), "") << d.variable;
      env.set(d.variable, "/abs");  // an absolute variable needs no $HOME
      EXPECT_EQ(d.get(), "/abs") << d.variable;
    }
  }
}

}  // namespace
}  // namespace bcmap
