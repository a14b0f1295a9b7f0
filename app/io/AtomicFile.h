// AtomicFile: writing a small file so that a crash, a full disk or a power cut mid-write
// leaves either the old file or the new one under its name, never half of either. The bytes
// go into a temporary file beside it (mkstemp, same folder, so the rename stays on one file
// system), are synced to disk, and only then renamed over the name; the folder is synced
// too, so the rename itself survives. The temporary file is hidden and names its writer,
// `.NAME.tmp-<pid>-XXXXXX`, so the one a killed writer left (kill -9 gives it no chance to
// clean up) is known as such and removed by the next write of NAME. Used by every file bcmap writes: the session, the
// remembered plugin folders, the recent files, the data cache, PNG and SVG exports, feature
// exports (issue 12: a kill mid-write leaves the earlier file whole).
#pragma once

#include <sys/types.h>

#include <optional>
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
// Before it writes, it removes what killed writers of the same `path` left beside it: a
// regular file named exactly as its temporary files are (`.NAME.tmp-<pid>-XXXXXX`) whose pid
// is no running process and which has not changed for kStaleTempAfterS. Another live
// writer's file, any other file, and a link or folder of that name are never touched.
bool writeFileAtomically(const std::string& path, std::string_view bytes, std::string* why,
                         FolderPolicy folder = FolderPolicy::Make);

// How long a dead writer's temporary file must have been left alone before it is removed.
// The pid test alone would do on one machine; a folder shared with another pid namespace (a
// container, a network file system) shows that one's live writers as dead pids. Their file
// changes while they write it, and the slowest step after the last byte (fsync of tens of
// MB on a slow disk) takes seconds, not this long.
inline constexpr int kStaleTempAfterS = 10;

// What a file name says when it is one of writeFileAtomically's temporary files: the name
// of the file it was to become (as stored: at most kMaxTempTargetBytes of it) and the pid
// of its writer; nullopt for any other name.
struct AtomicTempName {
  std::string target;
  pid_t pid = 0;
};
std::optional<AtomicTempName> parseAtomicTempName(std::string_view fileName);

// The temporary file names of a long file name keep this much of it: the name with the
// ".tmp-<pid>-XXXXXX" around it stays within NAME_MAX (255 bytes).
inline constexpr size_t kMaxTempTargetBytes = 200;

}  // namespace bcmap
