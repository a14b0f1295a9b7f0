// `bcmap data fetch`: derives the map data (never shipped: the county geometry is AMap's)
// into the data folder with the data scripts (tools/fetch_data.py, installed under
// libexec/bcmap/), and the check that stops `render` and `identify` early when the data
// their default layers need is missing (host/DerivedData.h has the sentence they print).
#pragma once

#include "cli/Cli.h"

namespace bcmap {

// The folder `data fetch` fills: --into, else --data, else the data folder bcmap reads
// ($BCMAP_DATA_DIR, the build tree's geodata/, else $XDG_DATA_HOME/bcmap).
std::string dataFetchTarget(const CliOptions& o);

// Runs tools/fetch_data.py with python3 in place of this process (so a signal sent to
// `bcmap data fetch` reaches the script, which then removes its staging folder). Returns
// only when it cannot start it: exit 2 with the reason.
int runDataFetch(const CliOptions& o);

// True (after printing the missing-data sentence) when the command shows the default
// layers (no --layers) and the derived data is missing from its data folder: those layers
// all read it. With --layers the named layers fail on their own, with the same sentence.
bool stopForMissingData(const CliOptions& o);

}  // namespace bcmap
