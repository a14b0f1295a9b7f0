// bcmap: parse the command line, then run the viewer or one headless command.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "Allocator.h"
#include "cli/Cli.h"
#include "cli/CliCache.h"
#include "cli/CliCheckPlugin.h"
#include "cli/CliNewPlugin.h"
#include "cli/CliData.h"
#include "cli/CliDb.h"
#include "cli/CliVersion.h"
#include "ui/UiVersions.h"
#include "ui/Viewer.h"

namespace {

std::vector<std::pair<std::string, std::string>> versions() {
  auto out = bcmap::uiLibraryVersions();
  out.push_back(bcmap::allocatorVersion());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  bcmap::configureAllocator();
  std::string err;
  const std::optional<bcmap::CliOptions> options = bcmap::parseCommandLine(argc, argv, &err);
  if (!options) {
    std::fputs(bcmap::usageErrorText(argc, argv, err).c_str(), stderr);
    return bcmap::kExitUsage;
  }
  if (options->command != bcmap::Command::View) bcmap::relaxAllocatorForShortRun();
  bcmap::applyCacheOptions(*options);
  switch (options->command) {
    case bcmap::Command::Help: std::fputs(bcmap::usageText(options->helpTopic).c_str(), stdout); return bcmap::kExitOk;
    case bcmap::Command::Version:
      std::fputs(bcmap::versionText(versions()).c_str(), stdout);
      return bcmap::kExitOk;
    case bcmap::Command::Render: return bcmap::runRender(*options);
    case bcmap::Command::Layers: return bcmap::runLayers(*options);
    case bcmap::Command::Identify: return bcmap::runIdentify(*options);
    case bcmap::Command::CheckPlugin: return bcmap::runCheckPlugin(*options);
    case bcmap::Command::NewPlugin: return bcmap::runNewPlugin(*options);
    case bcmap::Command::DataFetch: return bcmap::runDataFetch(*options);
    case bcmap::Command::Cache: return bcmap::runCache(*options);
    case bcmap::Command::Db: return bcmap::runDb(*options);
    case bcmap::Command::View: return bcmap::runViewer(*options);
    case bcmap::Command::Invalid: break;
  }
  return bcmap::kExitUsage;
}
