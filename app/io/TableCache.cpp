// TableCache.cpp — the data cache (TableCache.h has the layout and the rules).
// Sections: 1. the key · 2. settings · 3. byte writer and reader · 4. one encoder and
// decoder per column kind · 5. the file: encode, read and validate · 6. the cache: lookup,
// store, evict · 7. readVectorCached · 8. usage and clear
#include "io/TableCache.h"

#include <fcntl.h>
#include <gdal.h>
#include <proj.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <type_traits>
#include <vector>

#include "io/AtomicFile.h"
#include "io/NetworkGuard.h"
#include "io/XdgDirs.h"
#include "model/Log.h"

namespace bcmap {

namespace fs = std::filesystem;

static_assert(std::endian::native == std::endian::little, "the cache file is written little-endian as in memory");
static_assert(sizeof(Vec2) == 16 && std::is_trivially_copyable_v<Vec2>);

// ---- 1. the key ----------------------------------------------------------------------
namespace {

constexpr const char* kEntrySuffix = ".bcmt";

// "name=<length>:value\n": unambiguous whatever the value holds.
void keyField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append("=").append(std::to_string(value.size())).append(":").append(value).append("\n");
}

int64_t nsOf(const struct timespec& t) { return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec; }

// The files a format reads beside the one named (their change changes the result).
std::vector<std::string> sidecarsOf(const fs::path& path) {
  std::vector<std::string> out;
  for (const char* ext : {".dbf", ".shx", ".prj", ".cpg", ".DBF", ".SHX", ".PRJ", ".CPG"}) {
    fs::path p = path;
    p.replace_extension(ext);
    if (p != path) out.push_back(p.string());
  }
  out.push_back(path.string() + "-wal");
  out.push_back(path.string() + "-journal");
  return out;
}

bool statState(const std::string& path, std::string& state, int64_t& newest) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  keyField(state, "file", path);
  keyField(state, "size", std::to_string(st.st_size));
  keyField(state, "mtime", std::to_string(nsOf(st.st_mtim)));
  keyField(state, "ctime", std::to_string(nsOf(st.st_ctim)));
  keyField(state, "inode", std::to_string(st.st_ino) + "/" + std::to_string(st.st_dev));
  newest = std::max(newest, nsOf(st.st_mtim));
  return true;
}

}  // namespace

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string TableCacheKey::fileName() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(identity)));
  return std::string(buf) + kEntrySuffix;
}

std::optional<TableCacheKey> tableCacheKey(const VectorReadOptions& o, uint32_t readerVersion) {
  if (o.path.empty() || isRemotePath(o.path) || o.path.rfind("/vsi", 0) == 0) return std::nullopt;
  struct stat st {};
  if (::stat(o.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  std::error_code ec;
  const fs::path canonical = fs::canonical(o.path, ec);
  if (ec) return std::nullopt;

  TableCacheKey key;
  std::string& id = key.identity;
  keyField(id, "reader", std::to_string(readerVersion));
  keyField(id, "gdal", GDALVersionInfo("RELEASE_NAME"));
  keyField(id, "proj", proj_info().release ? proj_info().release : "");
  keyField(id, "path", canonical.string());
  keyField(id, "layer", o.layerName);
  keyField(id, "filter", o.attributeFilter);
  for (const auto& [to, from] : o.fieldMap) {
    keyField(id, "map.to", to);
    keyField(id, "map.from", from);
  }
  keyField(id, "fields", std::to_string(o.fieldMap.size()));
  keyField(id, "crs", o.sourceCrs);
  keyField(id, "gcj02", o.gcj02 ? "1" : "0");
  keyField(id, "start", o.startField);
  keyField(id, "end", o.endField);
  keyField(id, "detect", o.detectTime ? "1" : "0");
  keyField(id, "id", o.idField);
  keyField(id, "kind", std::to_string(static_cast<int>(o.expectKind)));
  for (const std::string& d : o.allowedDrivers) keyField(id, "driver", d);
  keyField(id, "drivers", std::to_string(o.allowedDrivers.size()));
  keyField(id, "arrow", o.useArrowStream ? "1" : "0");
  keyField(id, "fastjson", o.allowFastGeoJson ? "1" : "0");

  if (!statState(canonical.string(), key.state, key.newestMtimeNs)) return std::nullopt;
  for (const std::string& side : sidecarsOf(canonical)) statState(side, key.state, key.newestMtimeNs);
  return key;
}

// ---- 2. settings -----------------------------------------------------------------------
namespace {
std::atomic<bool> gCacheSwitchedOff{false};
}

bool dataCacheEnabled() {
  if (gCacheSwitchedOff.load()) return false;
  const char* env = std::getenv("BCMAP_DATA_CACHE");
  return env == nullptr || (std::strcmp(env, "0") != 0 && std::strcmp(env, "off") != 0);
}

void setDataCacheEnabled(bool on) { gCacheSwitchedOff.store(!on); }

std::string dataCacheDir() {
  // The probe cache's rule (host/PluginProbe.cpp), one folder down.
  if (const char* d = std::getenv("BCMAP_CACHE_DIR"); d != nullptr && *d != '\0')
    return (fs::path(d) / "data").string();
  const std::string cache = xdg::cacheHome();
  return cache.empty() ? std::string() : (fs::path(cache) / "bcmap" / "data").string();
}

uint64_t dataCacheLimitBytes() {
  if (const char* mb = std::getenv("BCMAP_DATA_CACHE_MAX_MB"); mb != nullptr && *mb != '\0') {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(mb, &end, 10);
    if (end != mb && *end == '\0') return static_cast<uint64_t>(v) << 20;
  }
  return kDefaultDataCacheBytes;
}

// ---- 3. byte writer and reader ---------------------------------------------------------
namespace {

class ByteWriter {
 public:
  template <class T>
  void put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void putString(std::string_view s) {
    put<uint64_t>(s.size());
    out_.append(s);
  }
  // A count, then the raw elements, padded to 8 bytes.
  template <class T>
  void putArray(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<uint64_t>(v.size());
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    pad();
  }
  void pad() { out_.resize((out_.size() + 7) & ~size_t{7}, '\0'); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Every read is bounds-checked; after one fails, ok() stays false and values read as zero.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  template <class T>
  T get() {
    T v{};
    if (!need(sizeof v)) return v;
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string getString() {
    const uint64_t n = get<uint64_t>();
    if (!need(n)) return {};
    std::string s(in_.substr(at_, n));
    at_ += n;
    return s;
  }
  template <class T>
  void getArray(std::vector<T>& v) {
    const uint64_t n = get<uint64_t>();
    if (!ok_ || n > (in_.size() - at_) / sizeof(T)) {
      ok_ = false;
      return;
    }
    v.resize(n);
    if (n > 0) std::memcpy(v.data(), in_.data() + at_, n * sizeof(T));  // an empty vector's data() may be null
    at_ += n * sizeof(T);
    at_ = std::min(in_.size(), (at_ + 7) & ~size_t{7});
  }
  void pad() { at_ = std::min(in_.size(), (at_ + 7) & ~size_t{7}); }
  bool ok() const { return ok_; }
  bool atEnd() const { return ok_ && at_ == in_.size(); }

 private:
  bool need(uint64_t n) {
    if (!ok_ || n > in_.size() - at_) ok_ = false;
    return ok_;
  }
  std::string_view in_;
  size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace

// ---- 4. one encoder and decoder per column kind ----------------------------------------
// (When FeatureTable's columns change, these are the functions to adapt, with
// kTableCacheReaderVersion bumped.)
namespace {

enum class SectionKind : uint32_t { Key = 1, Meta = 2, Coordinates = 3, Offsets = 4, Ids = 5, Time = 6, Column = 16 };

std::string encodeMeta(const VectorReadResult& r) {
  ByteWriter w;
  w.putString(r.crs);
  w.put<uint8_t>(static_cast<uint8_t>(r.kind));
  w.put<uint8_t>(static_cast<uint8_t>(r.table.geometry.kind));
  w.put<uint8_t>(r.viaArrowStream ? 1 : 0);
  w.put<uint8_t>(0);
  w.put<uint32_t>(static_cast<uint32_t>(r.table.columns.size()));
  w.put<uint64_t>(r.skipped);
  w.put<uint64_t>(r.table.featureCount());
  return w.take();
}

bool decodeMeta(std::string_view in, VectorReadResult& r, uint32_t& columns, uint64_t& features) {
  ByteReader rd(in);
  r.crs = rd.getString();
  const auto kind = rd.get<uint8_t>(), geomKind = rd.get<uint8_t>(), arrow = rd.get<uint8_t>();
  rd.get<uint8_t>();
  columns = rd.get<uint32_t>();
  r.skipped = rd.get<uint64_t>();
  features = rd.get<uint64_t>();
  if (!rd.atEnd() || kind > 3 || geomKind > 3 || arrow > 1) return false;
  r.kind = static_cast<GeometryKind>(kind);
  r.table.geometry.kind = static_cast<GeometryKind>(geomKind);
  r.viaArrowStream = arrow != 0;
  return true;
}

std::string encodeCoordinates(const GeometryColumn& g) {
  ByteWriter w;
  w.putArray(g.xy);
  return w.take();
}

bool decodeCoordinates(std::string_view in, GeometryColumn& g) {
  ByteReader rd(in);
  rd.getArray(g.xy);
  return rd.atEnd();
}

// An offset column: u64 1 and its size while it is the identity (0, 1, 2, …; points keep
// no offsets: model/FeatureTable.h's OffsetColumn), else u64 0 and the array.
void putOffsets(ByteWriter& w, const OffsetColumn& c) {
  w.put<uint64_t>(c.implicit() ? 1 : 0);
  if (c.implicit())
    w.put<uint64_t>(c.size());
  else
    w.putArray(c.toVector());
}

bool getOffsets(ByteReader& rd, OffsetColumn& c) {
  const uint64_t identity = rd.get<uint64_t>();
  if (identity == 1) {
    const uint64_t n = rd.get<uint64_t>();
    if (!rd.ok() || n == 0 || n > (uint64_t{1} << 32)) return false;
    c = OffsetColumn();
    c.resize(n);
    return true;
  }
  if (identity != 0) return false;
  std::vector<uint32_t> v;
  rd.getArray(v);
  if (!rd.ok()) return false;
  c = OffsetColumn(v);
  return true;
}

std::string encodeOffsets(const GeometryColumn& g) {
  ByteWriter w;
  putOffsets(w, g.ringVertices);
  putOffsets(w, g.partRings);
  putOffsets(w, g.featureParts);
  return w.take();
}

// Offsets start at 0, never decrease, and end at the size of what they index.
bool offsetsValid(const OffsetColumn& offsets, size_t indexed) {
  if (offsets.empty() || offsets[0] != 0 || offsets.back() != indexed) return false;
  if (offsets.implicit()) return true;
  for (size_t i = 1; i < offsets.size(); ++i)
    if (offsets[i] < offsets[i - 1]) return false;
  return true;
}

bool decodeOffsets(std::string_view in, GeometryColumn& g) {
  ByteReader rd(in);
  if (!getOffsets(rd, g.ringVertices) || !getOffsets(rd, g.partRings) || !getOffsets(rd, g.featureParts))
    return false;
  return rd.atEnd() && offsetsValid(g.ringVertices, g.xy.size()) && offsetsValid(g.partRings, g.ringCount()) &&
         offsetsValid(g.featureParts, g.partCount());
}

// Strings: u64 count, count+1 u64 offsets into one byte buffer, the buffer.
void putStrings(ByteWriter& w, const std::vector<std::string>& strings) {
  std::vector<uint64_t> offsets;
  offsets.reserve(strings.size() + 1);
  offsets.push_back(0);
  std::string bytes;
  for (const std::string& s : strings) {
    bytes += s;
    offsets.push_back(bytes.size());
  }
  w.putArray(offsets);
  w.putString(bytes);
  w.pad();
}

bool getStrings(ByteReader& rd, std::vector<std::string>& strings) {
  std::vector<uint64_t> offsets;
  rd.getArray(offsets);
  std::string bytes = rd.getString();
  if (!rd.ok() || offsets.empty() || offsets.front() != 0 || offsets.back() != bytes.size() ||
      !std::is_sorted(offsets.begin(), offsets.end()))
    return false;
  strings.resize(offsets.size() - 1);
  for (size_t i = 0; i + 1 < offsets.size(); ++i) strings[i].assign(bytes, offsets[i], offsets[i + 1] - offsets[i]);
  rd.pad();
  return true;
}

// A String column as StringColumn keeps it: u64 coded (0 or 1), its u64 offsets (coded: one
// per distinct value, plain: one per row, each +1), the byte buffer, then the u8 codes
// (coded: one per row; plain: none).
void putStringColumn(ByteWriter& w, const StringColumn& c) {
  w.put<uint64_t>(c.coded() ? 1 : 0);
  w.putArray(c.offsets());
  w.putString(c.bytes());
  w.pad();
  w.putArray(c.codes());
}

bool getStringColumn(ByteReader& rd, StringColumn& c) {
  const uint64_t coded = rd.get<uint64_t>();
  std::vector<uint64_t> offsets;
  rd.getArray(offsets);
  std::string bytes = rd.getString();
  rd.pad();
  std::vector<uint8_t> codes;
  rd.getArray(codes);
  return rd.ok() && coded <= 1 && c.assignRaw(coded == 1, std::move(bytes), offsets, std::move(codes));
}

std::string encodeIds(const FeatureTable& t) {
  ByteWriter w;
  putStrings(w, t.ids);
  return w.take();
}

bool decodeIds(std::string_view in, FeatureTable& t) {
  ByteReader rd(in);
  if (!getStrings(rd, t.ids)) return false;
  return rd.atEnd() && (t.ids.empty() || t.ids.size() == t.featureCount());
}

std::string encodeTime(const FeatureTable& t) {
  ByteWriter w;
  w.putArray(t.startDay);
  w.putArray(t.endDay);
  return w.take();
}

bool decodeTime(std::string_view in, FeatureTable& t) {
  ByteReader rd(in);
  rd.getArray(t.startDay);
  rd.getArray(t.endDay);
  return rd.atEnd() && t.startDay.size() == t.endDay.size() &&
         (t.startDay.empty() || t.startDay.size() == t.featureCount());
}

// An attribute column: name, type, null flags, then the values of its type (Integer and
// Date: int64s; Real: doubles; String: putStringColumn).
std::string encodeColumn(const AttributeColumn& c) {
  ByteWriter w;
  w.putString(c.name);
  w.pad();
  w.put<uint64_t>(static_cast<uint64_t>(c.type));
  w.putArray(c.isNull.toVector());
  switch (c.type) {
    case FieldType::Integer:
    case FieldType::Date: w.putArray(c.ints); break;
    case FieldType::Real: w.putArray(c.reals); break;
    case FieldType::String: putStringColumn(w, c.strings); break;
    case FieldType::Invalid: break;
  }
  return w.take();
}

bool decodeColumn(std::string_view in, AttributeColumn& c, size_t rows) {
  ByteReader rd(in);
  c.name = rd.getString();
  rd.pad();
  const uint64_t type = rd.get<uint64_t>();
  if (type > static_cast<uint64_t>(FieldType::Date)) return false;
  c.type = static_cast<FieldType>(type);
  std::vector<uint8_t> nulls;
  rd.getArray(nulls);
  c.isNull = nulls;
  size_t values = 0;
  switch (c.type) {
    case FieldType::Integer:
    case FieldType::Date: rd.getArray(c.ints), values = c.ints.size(); break;
    case FieldType::Real: rd.getArray(c.reals), values = c.reals.size(); break;
    case FieldType::String:
      if (!getStringColumn(rd, c.strings)) return false;
      values = c.strings.size();
      break;
    case FieldType::Invalid: values = rows; break;
  }
  return rd.atEnd() && c.isNull.size() == rows && values == rows;
}

}  // namespace

// ---- 5. the file: encode, read and validate --------------------------------------------
namespace {

constexpr char kMagic[8] = {'B', 'C', 'M', 'A', 'P', 'T', 'C', '\0'};
constexpr size_t kHeaderBytes = 48, kSectionEntryBytes = 32;
// Six sections and one a column. A file's size bounds what its section table may claim (32
// bytes an entry), so this is only a sanity cap; store() writes no entry the reader would
// refuse (a feature of 100,000 properties once made a cache file read back as damaged).
constexpr uint32_t kMaxSections = 1u << 20;

struct FileHeader {
  char magic[8];
  uint32_t version;
  uint32_t sectionCount;
  uint64_t keyHash;
  uint64_t fileSize;
  uint32_t crc;
  uint32_t zero;
  uint64_t featureCount;
};
static_assert(sizeof(FileHeader) == kHeaderBytes);

struct SectionEntry {
  uint32_t kind;
  uint32_t zero;
  uint64_t offset;
  uint64_t length;
  uint32_t crc;
  uint32_t zero2;
};
static_assert(sizeof(SectionEntry) == kSectionEntryBytes);

uint32_t crc32Of(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed it in pieces.
  for (size_t at = 0; at < bytes.size();) {
    const size_t n = std::min<size_t>(bytes.size() - at, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at), static_cast<uInt>(n));
    at += n;
  }
  return static_cast<uint32_t>(crc);
}

uint32_t headerCrc(FileHeader h, const std::vector<SectionEntry>& table) {
  h.crc = 0;
  std::string bytes(reinterpret_cast<const char*>(&h), sizeof h);
  bytes.append(reinterpret_cast<const char*>(table.data()), table.size() * sizeof(SectionEntry));
  return crc32Of(bytes);
}

// pread until `n` bytes or the end: false on an error or a short read (the file shrank).
bool readAt(int fd, uint64_t offset, size_t n, char* into) {
  for (size_t done = 0; done < n;) {
    const ssize_t got = ::pread(fd, into + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<size_t>(got);
  }
  return true;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string encodeTableCache(const TableCacheKey& key, const VectorReadResult& r) {
  const FeatureTable& t = r.table;
  std::vector<std::pair<SectionKind, std::string>> sections;
  sections.emplace_back(SectionKind::Key, key.text());
  sections.emplace_back(SectionKind::Meta, encodeMeta(r));
  sections.emplace_back(SectionKind::Coordinates, encodeCoordinates(t.geometry));
  sections.emplace_back(SectionKind::Offsets, encodeOffsets(t.geometry));
  sections.emplace_back(SectionKind::Ids, encodeIds(t));
  sections.emplace_back(SectionKind::Time, encodeTime(t));
  for (const AttributeColumn& c : t.columns) sections.emplace_back(SectionKind::Column, encodeColumn(c));

  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kTableCacheFormatVersion;
  h.sectionCount = static_cast<uint32_t>(sections.size());
  h.keyHash = fnv1a64(key.text());
  h.featureCount = t.featureCount();
  std::vector<SectionEntry> table(sections.size());
  uint64_t at = kHeaderBytes + sections.size() * kSectionEntryBytes;
  for (size_t i = 0; i < sections.size(); ++i) {
    at = (at + 7) & ~uint64_t{7};
    table[i] = SectionEntry{static_cast<uint32_t>(sections[i].first), 0, at, sections[i].second.size(),
                            crc32Of(sections[i].second), 0};
    at += sections[i].second.size();
  }
  h.fileSize = at;
  h.crc = headerCrc(h, table);

  std::string out;
  out.reserve(at);
  out.append(reinterpret_cast<const char*>(&h), sizeof h);
  out.append(reinterpret_cast<const char*>(table.data()), table.size() * sizeof(SectionEntry));
  for (size_t i = 0; i < sections.size(); ++i) {
    out.resize(table[i].offset, '\0');
    out += sections[i].second;
  }
  return out;
}

namespace {

// Reads and checks the entry at `path` for `key`.
CacheLookupResult readEntry(const std::string& path, const TableCacheKey& key) {
  CacheLookupResult res;
  auto damaged = [&](std::string why) {
    res.status = CacheLookup::Damaged;
    res.why = std::move(why);
    return std::move(res);
  };
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (f.fd < 0) {
    if (errno == ENOENT) return res;  // a miss
    return damaged(std::string("cannot be opened: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return damaged(std::string("cannot be examined: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return damaged("not a regular file");
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size < kHeaderBytes) return damaged("shorter than its header (" + std::to_string(size) + " bytes)");

  FileHeader h{};
  if (!readAt(f.fd, 0, sizeof h, reinterpret_cast<char*>(&h))) return damaged("the header cannot be read");
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return damaged("not a bcmap cache file (bad magic)");
  if (h.version != kTableCacheFormatVersion) return damaged("format version " + std::to_string(h.version));
  if (h.fileSize != size)
    return damaged("the header says " + std::to_string(h.fileSize) + " bytes, the file has " + std::to_string(size));
  if (h.sectionCount < 6 || h.sectionCount > kMaxSections ||
      kHeaderBytes + uint64_t{h.sectionCount} * kSectionEntryBytes > size)
    return damaged("bad section count " + std::to_string(h.sectionCount));
  std::vector<SectionEntry> table(h.sectionCount);
  if (!readAt(f.fd, kHeaderBytes, table.size() * sizeof(SectionEntry), reinterpret_cast<char*>(table.data())))
    return damaged("the section table cannot be read");
  if (headerCrc(h, table) != h.crc) return damaged("the header's checksum does not match");
  // Another state of the source or another request that hashed to this name: not damaged.
  if (h.keyHash != fnv1a64(key.text())) return res;

  const uint64_t dataStart = kHeaderBytes + table.size() * kSectionEntryBytes;
  std::vector<std::string> bodies(table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    const SectionEntry& e = table[i];
    if (e.offset < dataStart || e.offset > size || e.length > size - e.offset)
      return damaged("section " + std::to_string(i) + " lies outside the file");
    bodies[i].resize(e.length);
    if (!readAt(f.fd, e.offset, e.length, bodies[i].data()))
      return damaged("section " + std::to_string(i) + " cannot be read (the file shrank?)");
    if (crc32Of(bodies[i]) != e.crc) return damaged("section " + std::to_string(i) + "'s checksum does not match");
  }
  static constexpr SectionKind kFixed[] = {SectionKind::Key, SectionKind::Meta, SectionKind::Coordinates,
                                           SectionKind::Offsets, SectionKind::Ids, SectionKind::Time};
  for (size_t i = 0; i < table.size(); ++i) {
    const SectionKind want = i < 6 ? kFixed[i] : SectionKind::Column;
    if (table[i].kind != static_cast<uint32_t>(want)) return damaged("section " + std::to_string(i) + " is of the wrong kind");
  }
  if (bodies[0] != key.text()) return res;  // a hash collision: another key

  VectorReadResult r;
  uint32_t columns = 0;
  uint64_t features = 0;
  if (!decodeMeta(bodies[1], r, columns, features)) return damaged("bad meta section");
  if (columns != table.size() - 6 || features != h.featureCount) return damaged("the counts disagree");
  if (!decodeCoordinates(bodies[2], r.table.geometry)) return damaged("bad coordinates");
  bodies[2].clear();
  bodies[2].shrink_to_fit();
  if (!decodeOffsets(bodies[3], r.table.geometry) || r.table.featureCount() != features)
    return damaged("bad geometry offsets");
  if (!decodeIds(bodies[4], r.table)) return damaged("bad ids");
  if (!decodeTime(bodies[5], r.table)) return damaged("bad time spans");
  r.table.columns.resize(columns);
  for (uint32_t c = 0; c < columns; ++c) {
    if (!decodeColumn(bodies[6 + c], r.table.columns[c], features))
      return damaged("bad column " + std::to_string(c));
    bodies[6 + c].clear();
    bodies[6 + c].shrink_to_fit();
  }
  res.status = CacheLookup::Hit;
  res.result = std::move(r);
  return res;
}

}  // namespace

// ---- 6. the cache: lookup, store, evict ------------------------------------------------
std::string TableCache::pathFor(const TableCacheKey& key) const { return (fs::path(dir_) / key.fileName()).string(); }

CacheLookupResult TableCache::lookup(const TableCacheKey& key) const {
  const std::string path = pathFor(key);
  CacheLookupResult res = readEntry(path, key);
  if (res.status == CacheLookup::Hit) {
    ::utimensat(AT_FDCWD, path.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);  // used now: evicted last
  } else if (res.status == CacheLookup::Damaged) {
    std::error_code ec;
    fs::remove_all(path, ec);  // ours by its name; the rebuild writes a fresh one
  }
  return res;
}

bool TableCache::store(const TableCacheKey& key, const VectorReadResult& r, std::string* why) const {
  if (r.table.columns.size() + 6 > kMaxSections) {
    if (why) *why = "more columns (" + std::to_string(r.table.columns.size()) + ") than a cache file holds";
    return false;
  }
  const std::string bytes = encodeTableCache(key, r);
  if (bytes.size() > maxBytes_) {
    if (why) *why = "larger (" + std::to_string(bytes.size()) + " bytes) than the whole cache may be";
    return false;
  }
  if (!writeFileAtomically(pathFor(key), bytes, why)) return false;
  evict();
  return true;
}

namespace {

struct EntryInfo {
  fs::path path;
  uint64_t size = 0;
  int64_t mtimeNs = 0;
};

bool isEntryName(const std::string& name) {
  return name.size() > std::strlen(kEntrySuffix) && name.ends_with(kEntrySuffix);
}
// AtomicFile's temporary files of an entry: .NAME.bcmt.tmp-<pid>-XXXXXX.
bool isTempName(const std::string& name) {
  const std::optional<AtomicTempName> t = parseAtomicTempName(name);
  return t && isEntryName(t->target);
}

std::vector<EntryInfo> listEntries(const std::string& dir, std::vector<EntryInfo>* temps = nullptr) {
  std::vector<EntryInfo> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool entry = isEntryName(name), temp = isTempName(name);
    if (!entry && !temp) continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    EntryInfo e{it->path(), static_cast<uint64_t>(st.st_size), nsOf(st.st_mtim)};
    if (entry) out.push_back(std::move(e));
    else if (temps != nullptr) temps->push_back(std::move(e));
  }
  return out;
}

}  // namespace

void TableCache::evict() const {
  std::vector<EntryInfo> temps;
  std::vector<EntryInfo> entries = listEntries(dir_, &temps);
  const int64_t now = nsOf([] {
    struct timespec t {};
    clock_gettime(CLOCK_REALTIME, &t);
    return t;
  }());
  std::error_code ec;
  for (const EntryInfo& t : temps)
    if (now - t.mtimeNs > int64_t{3600} * 1'000'000'000) fs::remove(t.path, ec);
  uint64_t total = 0;
  for (const EntryInfo& e : entries) total += e.size;
  if (total <= maxBytes_) return;
  std::sort(entries.begin(), entries.end(),
            [](const EntryInfo& a, const EntryInfo& b) { return a.mtimeNs < b.mtimeNs; });
  for (const EntryInfo& e : entries) {
    if (total <= maxBytes_) break;
    if (fs::remove(e.path, ec)) {
      total -= e.size;
      logMessage(LogLevel::Debug, "data cache: evicted " + e.path.string() + " (least recently used)");
    }
  }
}

// ---- 7. readVectorCached ---------------------------------------------------------------
std::optional<VectorReadResult> readVectorCached(const VectorReadOptions& o, const TableCache& cache,
                                                 std::string* err) {
  std::optional<TableCacheKey> key = tableCacheKey(o);
  if (!key) return readVector(o, err);
  CacheLookupResult found = cache.lookup(*key);
  if (found.status == CacheLookup::Hit) {
    logMessage(LogLevel::Debug, o.path + ": read from the data cache (" + cache.pathFor(*key) + ")");
    return std::move(found.result);
  }
  if (found.status == CacheLookup::Damaged)
    logWarning(o.path + ": the data cache file " + cache.pathFor(*key) + " is damaged (" + found.why +
               "); reading the source and rebuilding it");

  std::optional<VectorReadResult> r = readVector(o, err);
  if (!r || r->skipped != 0) return r;
  // Not when the source may still change within its timestamp's tick, nor when it changed
  // while it was read.
  const int64_t now = nsOf([] {
    struct timespec t {};
    clock_gettime(CLOCK_REALTIME, &t);
    return t;
  }());
  if (now - key->newestMtimeNs < int64_t{kRacySeconds} * 1'000'000'000) return r;
  const std::optional<TableCacheKey> after = tableCacheKey(o);
  if (!after || after->text() != key->text()) return r;
  std::string why;
  if (!cache.store(*key, *r, &why))
    logMessage(LogLevel::Debug, o.path + ": not kept in the data cache: " + why);
  return r;
}

std::optional<VectorReadResult> readVectorCached(const VectorReadOptions& o, std::string* err) {
  const std::string dir = dataCacheEnabled() ? dataCacheDir() : std::string();
  if (dir.empty()) return readVector(o, err);
  const TableCache cache(dir, dataCacheLimitBytes());
  return readVectorCached(o, cache, err);
}

// ---- 8. usage and clear ----------------------------------------------------------------
DataCacheUsage dataCacheUsage(const std::string& dir) {
  DataCacheUsage u;
  for (const EntryInfo& e : listEntries(dir)) {
    u.bytes += e.size;
    ++u.files;
  }
  return u;
}

bool clearDataCache(const std::string& dir, size_t* removed, std::string* why) {
  std::vector<EntryInfo> temps;
  std::vector<EntryInfo> entries = listEntries(dir, &temps);
  size_t n = 0;
  bool ok = true;
  for (const std::vector<EntryInfo>* list : {&entries, &temps}) {
    for (const EntryInfo& e : *list) {
      std::error_code ec;
      if (fs::remove(e.path, ec)) {
        n += list == &entries;
      } else if (ec) {
        ok = false;
        if (why) *why = e.path.string() + ": " + ec.message();
      }
    }
  }
  if (removed) *removed = n;
  return ok;
}

}  // namespace bcmap
