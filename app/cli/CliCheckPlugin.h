// `bcmap check-plugin PATH [--fixture FILE] [--out FILE.png]`: a plugin author's test
// harness, run through the real host: the crash probe, a load, a settings round trip, style
// and legend in agreement, every feature described, sane time spans, and a render to PNG in
// which the layer draws something. One line per check, then exit 0, or exit 1 with every
// problem and its fix in one sentence.
#pragma once

#include <string>
#include <vector>

namespace bcmap {

struct CliOptions;

// Exit codes of check-plugin: 0 every check passed; 1 problems (or bad usage); 2 the
// plugin could not be checked at all (no such file).
int runCheckPlugin(const CliOptions& o);

// The library a PATH names: a .so as it is; a folder NAME/ holding NAME.so (a folder
// plugin). Empty, with `err`, when there is none.
std::string pluginLibraryOf(const std::string& path, std::string* err);

}  // namespace bcmap
