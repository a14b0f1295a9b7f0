// TableCache: the data cache — what a vector read gave (VectorReader.h), kept as one
// columnar file per source under $XDG_CACHE_HOME/bcmap/data/ (or $BCMAP_CACHE_DIR/data;
// the plugin probe cache lives one folder up and is not part of it), so the next open of an
// unchanged file skips GDAL and the readers.
//
// Sections: the key · the process-wide settings · the cache · the hook (readVectorCached) ·
// what `bcmap cache` needs
//
// Which reads are cached: local regular files only (never a database, a URL or a /vsi
// path), whole reads that dropped no feature (a source with bad features is read again
// each time, so its warnings are repeated), and not while the source is "racy": modified
// within kRacySeconds of now, when a rewrite in the same timestamp tick (the kernel's clock
// is coarse) could leave size and mtime as they were (git's racy-index rule).
//
// The key: the source's canonical path, size, mtime and ctime (ns), inode and device, the
// same for the files a format reads beside it (a Shapefile's .dbf/.shx/.prj/.cpg, a
// GeoPackage's -wal), the reader-version constant, GDAL's and PROJ's versions, and every
// field of VectorReadOptions (layer, filter, field map, CRS override, GCJ-02, id and time
// fields, expected kind, drivers, reader choices). The file's name is a hash of the
// request without the file's state, so a changed source replaces its old entry.
//
// The file (all integers little-endian; sections start 8-byte aligned):
//   header, 48 bytes: magic "BCMAPTC\0" · u32 format version (kTableCacheFormatVersion) ·
//     u32 section count · u64 key hash (FNV-1a 64 of the whole key text) · u64 file size ·
//     u32 CRC-32 of the header (this field as 0) and the section table · u32 0 ·
//     u64 feature count
//   section table: per section u32 kind · u32 0 · u64 offset · u64 length · u32 CRC-32 ·
//     u32 0 (32 bytes)
//   sections, in this order: Key (the key text, compared exactly), Meta (result CRS, kind,
//     geometry kind, counts), Coordinates (the xy pairs), Offsets (ring, part and feature
//     offsets, each u64 1 and a count while it is the identity, else u64 0 and the
//     array), Ids, Time (start and end days), then one Column section per attribute column (name, type, null flags, then int64s, doubles, or strings as u64 offsets and
//     one byte buffer). TableCache.cpp has one encoder and one decoder per column kind.
//
// Never trusting a file: before a byte of it is used the header, the file size, every
// section's bounds and every checksum are checked, then the offsets' consistency; anything
// wrong is "damaged": logged, removed and rebuilt from the source. The file is read with
// pread into memory the table owns (FeatureTable holds std::vectors, so a mapping would be
// copied anyway), never mapped: a file truncated by another process while it is read gives
// a short read and a rebuild, where a mapping would give SIGBUS. It is opened with
// O_NOFOLLOW|O_NONBLOCK and fstat'ed, so a FIFO, a folder or a link in its place is refused
// without blocking.
//
// Writes go through writeFileAtomically (AtomicFile.h: a mkstemp name unique to the writer
// in the same folder, fsync, rename), so two processes writing one entry each rename a whole
// file into place; what a killed writer left goes with the next write of its entry, or an
// hour on with the eviction. After each write the least recently used entries are removed
// until the folder is within its limit (a hit touches its file's mtime).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "io/VectorReader.h"

namespace bcmap {

// Bumped whenever what the readers produce or the file layout changes: old entries miss.
// 2: offset columns may be the identity; 3: string columns in StringColumn's layout (codes or
// offsets into one buffer).
inline constexpr uint32_t kTableCacheReaderVersion = 3;
inline constexpr uint32_t kTableCacheFormatVersion = 1;
inline constexpr uint64_t kDefaultDataCacheBytes = uint64_t{2} << 30;  // 2 GiB
inline constexpr int kRacySeconds = 2;

// ---- the key -----------------------------------------------------------------------------
struct TableCacheKey {
  std::string identity;  // the request (path, options, versions): names the file
  std::string state;     // the source files' size, times, inode
  std::string text() const { return identity + state; }
  std::string fileName() const;  // hex hash of identity + ".bcmt"
  int64_t newestMtimeNs = 0;     // of the files in state (the racy rule)
};

// nullopt when the source is not cacheable: not a local regular file (a database, a URL,
// a /vsi path, a folder, missing).
std::optional<TableCacheKey> tableCacheKey(const VectorReadOptions& o,
                                           uint32_t readerVersion = kTableCacheReaderVersion);

uint64_t fnv1a64(std::string_view bytes);

// ---- the process-wide settings ---------------------------------------------------------
// Off when $BCMAP_DATA_CACHE is "0" (or "off"), or after setDataCacheEnabled(false)
// (`--no-cache`).
bool dataCacheEnabled();
void setDataCacheEnabled(bool on);
// $BCMAP_CACHE_DIR/data, else $XDG_CACHE_HOME/bcmap/data (XdgDirs.h); "" when neither.
std::string dataCacheDir();
// $BCMAP_DATA_CACHE_MAX_MB (mebibytes), else kDefaultDataCacheBytes.
uint64_t dataCacheLimitBytes();

// ---- the cache ---------------------------------------------------------------------------
// Encodes `r` as a cache file for `key` (the layout above).
std::string encodeTableCache(const TableCacheKey& key, const VectorReadResult& r);

enum class CacheLookup { Hit, Miss, Damaged };

struct CacheLookupResult {
  CacheLookup status = CacheLookup::Miss;
  std::optional<VectorReadResult> result;  // on a hit
  std::string why;                         // damaged: what was wrong
};

class TableCache {
 public:
  TableCache(std::string dir, uint64_t maxBytes) : dir_(std::move(dir)), maxBytes_(maxBytes) {}

  // The entry's path for a key.
  std::string pathFor(const TableCacheKey& key) const;
  // A hit touches the entry (least recently used goes first). A stale entry (another state
  // of the source, another version) is a miss; a bad one is damaged and removed.
  CacheLookupResult lookup(const TableCacheKey& key) const;
  // Writes the entry, then evicts. False with `why` when it could not (nothing is left
  // behind then).
  bool store(const TableCacheKey& key, const VectorReadResult& r, std::string* why) const;
  // Removes the least recently used entries until the folder holds at most maxBytes; and
  // temporary files an interrupted writer left (older than an hour).
  void evict() const;

  const std::string& dir() const { return dir_; }
  uint64_t maxBytes() const { return maxBytes_; }

 private:
  std::string dir_;
  uint64_t maxBytes_;
};

// ---- the hook --------------------------------------------------------------------------
// readVector through the cache: a hit is returned as readVector would have returned it; on
// a miss or a damaged entry the source is read and (when cacheable) stored. Off (plain
// readVector) when dataCacheEnabled() is false or there is no cache folder.
std::optional<VectorReadResult> readVectorCached(const VectorReadOptions& o, std::string* err);
// The same with a given cache (tests).
std::optional<VectorReadResult> readVectorCached(const VectorReadOptions& o, const TableCache& cache,
                                                 std::string* err);

// ---- what `bcmap cache` needs ----------------------------------------------------------
struct DataCacheUsage {
  uint64_t bytes = 0;
  size_t files = 0;
};
// The entries in `dir` (none when it does not exist).
DataCacheUsage dataCacheUsage(const std::string& dir);
// Removes every entry and temporary file in `dir` (the folder itself stays); false with
// `why` when one could not be removed. `removed`: how many entries went.
bool clearDataCache(const std::string& dir, size_t* removed, std::string* why);

}  // namespace bcmap
