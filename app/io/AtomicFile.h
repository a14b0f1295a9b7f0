// AtomicFile: writing a small file so that a crash, a full disk or a power cut mid-write
// leaves either the old file or the new one under its name, never half of either. The bytes
// go into a temporary file beside it (mkstemp, same folder, so the rename stays on one file
// system), are synced to disk, and only then renamed over the name; the folder is synced
// too, so the rename itself survives. Used by every small state file bcmap keeps: the
// remembered plugin folders, the recent files.
#pragma once

#include <string>
#include <string_view>

namespace bcmap {

// Writes `bytes` to `path` as above, making its folder first if need be. False with `why`
// set (what failed, and the system's reason) when it could not; no temporary file is left
// behind then, and the file under `path` is as it was.
bool writeFileAtomically(const std::string& path, std::string_view bytes, std::string* why);

}  // namespace bcmap
