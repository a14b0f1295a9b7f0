// The derived map data: the files `bcmap data fetch` (tools/fetch_data.py) makes in the data
// folder, whether they are there, and the one sentence every part of bcmap says when they
// are not (the viewer's panel, `bcmap render`, `identify`, `layers`, a layer's load error).
// The data is never shipped: the county geometry is AMap's (geodata/README.md).
#pragma once

#include <string>
#include <vector>

namespace bcmap {

// Every file the data scripts write; the same list as OUTPUTS in tools/fetch_data.py.
inline constexpr const char* kDerivedDataFiles[] = {
    "baicheng_counties.geojson",  "baicheng_townships.geojson", "baicheng_villages.geojson",
    "baicheng_relocation.geojson", "jilin_context.geojson",     "baicheng_pinyin.json",
};

// The files of kDerivedDataFiles missing from `dataDir` (all of them for "" or no folder).
std::vector<std::string> missingDerivedData(const std::string& dataDir);

// The command that makes the data in `dataDir`: `bcmap data fetch`, with `--into DIR` when
// `dataDir` is not the folder it fills by default (InstallLayout's data folder).
std::string dataFetchCommand(const std::string& dataDir);

// The sentence: what is missing, where, and the command that makes it.
std::string missingDataSentence(const std::string& dataDir);

// A reader's error for `path`, made the sentence when `path` is one of the derived files in
// `dataDir` and is not there (the plugin asked for data that `bcmap data fetch` makes);
// otherwise `error` unchanged.
std::string derivedDataError(const std::string& path, const std::string& dataDir, const std::string& error);

}  // namespace bcmap
