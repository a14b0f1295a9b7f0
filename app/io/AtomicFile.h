// AtomicFile: writing a small file so that a crash, a full disk or a power cut mid-write
// leaves either the old file or the new one under its name, never half of either. The bytes
// go into a temporary file beside it (mkstemp, same folder, so the rename stays on one file
// system), are synced to disk, and only then renamed over the name; the folder is synced
// too, so the rename itself survives. Used by every file bcmap writes: the session, the
// remembered plugin folders, the recent files, the data cache, PNG and SVG exports, feature
// exports (issue 12: a kill mid-write leaves the earlier file whole).
#pragma once

#include <string>
#include <string_view>

namespace bcmap {

// Whether writeFileAtomically makes a missing folder (state files) or fails (exports: a
// folder the user named that is not there is a mistake to report).
enum class FolderPolicy { Make, MustExist };

// Writes `bytes` to `path` as above, making its folder first if need be. False with `why`
// set (what failed, and the system's reason) when it could not; no temporary file is left
// behind then, and the file under `path` is as it was. The temporary file's name is unique
// (two processes writing the same file never share one); its mode is 0644 less the umask,
// as a file made by open() would be.
bool writeFileAtomically(const std::string& path, std::string_view bytes, std::string* why,
                         FolderPolicy folder = FolderPolicy::Make);

}  // namespace bcmap
