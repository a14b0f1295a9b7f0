// VectorReader.cpp — the public entry point: GDAL set-up, then readVector, which opens the
// source and dispatches to a reader (the fast GeoJSON one, GDAL's Arrow stream, or OGR
// feature by feature) with one read plan (ReadPlan.h) built before any row is read.
// Database sources (DbSource.h): a planned per-view read through libpq (PgReader.h), a
// whole table through GDAL's PostgreSQL driver.
// Sections: GDAL set-up and error routing · reading an open layer · database sources ·
// readVector
#include "io/VectorReader.h"

#include <cpl_vsi.h>
#include <sys/stat.h>

#include <filesystem>

#include <memory>
#include <mutex>

#include "io/ArrowReader.h"
#include "io/DbQuery.h"
#include "io/DbSource.h"
#include "io/GdalSupport.h"
#include "io/GeoJsonReader.h"
#include "io/NetworkGuard.h"
#include "io/OgrReader.h"
#include "io/PgReader.h"
#include "io/ReadPlan.h"
#include "io/TableBuilder.h"
#include "model/Log.h"

namespace bcmap {

const std::vector<std::string> kDefaultVectorDrivers = {
    "GeoJSON", "GPKG", "ESRI Shapefile", "FlatGeobuf", "CSV", "KML",
    "GML", "GPX", "SQLite", "MapInfo File", "OpenFileGDB"};

// ---- GDAL set-up and error routing ---------------------------------------------------
namespace {

void CPL_STDCALL gdalToLog(CPLErr level, CPLErrorNum /*code*/, const char* message) {
  // A password typed into a database source never reaches the log (DbSource.h).
  std::string text = redactDbPasswords(std::string("GDAL: ") + (message != nullptr ? message : ""));
  switch (level) {
    case CE_None:
    case CE_Debug: logMessage(LogLevel::Debug, std::move(text)); break;
    case CE_Warning: logWarning(std::move(text)); break;
    case CE_Failure:
    case CE_Fatal: logError(std::move(text)); break;
  }
}

}  // namespace

void initGdal() {
  static std::once_flag once;
  std::call_once(once, [] {
    GDALAllRegister();
    CPLSetErrorHandler(&gdalToLog);
    installNetworkGuard();
  });
}

namespace {

std::vector<std::string> layerNames(GDALDatasetH ds) {
  std::vector<std::string> names;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i)
    names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
  return names;
}

}  // namespace

// ---- reading an open layer -------------------------------------------------------------
namespace {

// The filter, the plan and the rows of an opened layer; `prefix` starts every message.
std::optional<VectorReadResult> readOpenLayer(OGRLayerH layer, const VectorReadOptions& o, std::string prefix,
                                              ErrorCapture& capture, std::string* err) {
  auto fail = [err](std::string message) -> std::optional<VectorReadResult> {
    if (err != nullptr) *err = std::move(message);
    return std::nullopt;
  };
  if (!o.attributeFilter.empty() &&
      OGR_L_SetAttributeFilter(layer, o.attributeFilter.c_str()) != OGRERR_NONE) {
    return fail(prefix + ": bad attribute filter '" + o.attributeFilter + "': " +
                (capture.failed() ? capture.failure() : "rejected by GDAL"));
  }
  capture.reset();

  std::optional<ReadPlan> planned = planRead(ogrSchemaOf(layer), o, std::move(prefix), err);
  if (!planned) return std::nullopt;
  ReadPlan& plan = *planned;
  // Fields nobody reads are not fetched (cheaper reads). Not with an attribute filter: it
  // may test any field, and ignored fields would read as unset.
  if (o.attributeFilter.empty()) ignoreUnreadFields(layer, plan);
  if (!planCrs(plan, o, [&](std::string* e) { return ogrSourceCrs(layer, plan.prefix, e); }, err))
    return std::nullopt;

  VectorReadResult result;
  const GIntBig count = OGR_L_GetFeatureCount(layer, FALSE);  // -1 when counting is costly
  const size_t expected = count > 0 ? static_cast<size_t>(count) : 0;
  const bool pointLayer = plan.layerKind == GeometryKind::Point &&
                          (plan.expectKind == GeometryKind::None || plan.expectKind == GeometryKind::Point);
  if (o.useArrowStream && pointLayer && o.attributeFilter.empty() && arrowStreamFits(layer, plan, count)) {
    TableBuilder builder(plan, result);
    builder.reserve(expected, expected, expected, expected);
    switch (readArrowStream(layer, plan, builder, err)) {
      case ArrowOutcome::Done:
        if (!capture.failed()) {
          result.viaArrowStream = true;
          builder.finish();
          return result;
        }
        break;
      case ArrowOutcome::Error: return std::nullopt;
      case ArrowOutcome::Fallback: break;
    }
    // Start again from nothing on the feature path.
    capture.reset();
  }
  TableBuilder builder(plan, result);
  builder.reserve(expected, expected, expected, expected);
  if (!readOgrFeatures(layer, plan, builder, capture, err)) return std::nullopt;
  builder.finish();
  return result;
}

}  // namespace

// ---- database sources ------------------------------------------------------------------
namespace {

// Closes an ExecuteSQL result before its dataset.
struct ResultSet {
  GDALDatasetH ds;
  OGRLayerH layer;
  ~ResultSet() {
    if (layer != nullptr) GDALDatasetReleaseResultSet(ds, layer);
  }
};

// A table on a PostgreSQL server, read whole like a file. The connection goes only to
// hosts the user named (NetworkGuard.h); the table reaches SQL only as quoted identifiers;
// messages name the source as DbSource::display() writes it (no password).
std::optional<VectorReadResult> readDbVector(const VectorReadOptions& o, std::string* err) {
  std::string why;
  std::optional<DbSource> source = parseDbSource(o.path, &why);
  if (!source) {
    if (err != nullptr) *err = redactDbPasswords(why);
    return std::nullopt;
  }
  const std::string shown = source->display();
  auto fail = [&](std::string message) -> std::optional<VectorReadResult> {
    if (err != nullptr) *err = redactDbPasswords(oneLineDbMessage(shown + ": " + message));
    return std::nullopt;
  };
  std::optional<DbSource> pinned = checkDbSource(*source, &why);
  if (!pinned) return fail(why);

  // Per view when the view is known (DbQuery.h): what it shows at the detail its scale
  // needs, read through libpq in one statement (PgReader.h) unless the read declines.
  std::string sql = "SELECT * FROM " + source->quotedTable();
  if (std::optional<DbView> view = dbView()) {
    std::unique_ptr<PgConnection> pg = PgConnection::open(*pinned, &why);
    if (!pg) return fail(why);
    // The day shown goes to the server with the table's time columns (pgTimeColumns).
    DbTimeColumns time;
    if (view->time.day != kNoDay) {
      std::optional<DbTimeColumns> found = pgTimeColumns(*pg, source->quotedTable(), o, &why);
      if (!found) return fail("cannot read the columns of " + source->tableName() + ": " + why);
      time = *found;
    }
    std::optional<DbReadPlan> plan = planDbRead(*pg, *source, *view, &why, time.start, time.end);
    if (!plan) return fail("cannot plan the read of " + source->tableName() + ": " + why);
    sql = plan->sql;
    logMessage(LogLevel::Info, shown + ": reading " + dbReadModeName(plan->mode) +
                                   (plan->band >= 0 ? " " + std::to_string(plan->band) : std::string()));
    const DbTableInfo* info = &plan->info;
    const bool grid = plan->mode == DbReadMode::Overview || plan->mode == DbReadMode::Live;
    PgReadShape shape{grid ? std::string("geom") : info->geomColumn, info->srid,
                      grid ? GeometryKind::None : kindOfPgType(info->type), grid};
    PgReadOutcome read = readPgRows(*pg, sql, shape, o, shown, err, plan->params);
    if (read.status == PgReadStatus::Read) return std::move(read.result);
    if (read.status == PgReadStatus::Failed) {
      if (err != nullptr) *err = redactDbPasswords(oneLineDbMessage(*err));
      return std::nullopt;
    }
    logMessage(LogLevel::Debug, shown + ": read through GDAL: " + read.declined);
    // GDAL takes no parameters: the whole table, its days filtered here as a file's are.
    if (!plan->params.empty()) sql = "SELECT * FROM " + source->quotedTable();
  }
  ErrorCapture capture(shown);
  const std::string connection = "PG:" + pinned->connectionInfo();
  const char* const drivers[] = {"PostgreSQL", nullptr};
  DatasetPtr dataset(GDALOpenEx(connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
  if (!dataset)
    return fail("cannot connect: " + (capture.failed() ? capture.failure() : std::string("the PostgreSQL driver refused it")));
  capture.reset();
  ResultSet result{dataset.get(), GDALDatasetExecuteSQL(dataset.get(), sql.c_str(), nullptr, nullptr)};
  if (result.layer == nullptr)
    return fail("cannot read table " + source->tableName() + ": " +
                (capture.failed() ? capture.failure() : std::string("the server returned nothing")));
  capture.reset();
  std::optional<VectorReadResult> read = readOpenLayer(result.layer, o, shown, capture, err);
  if (!read && err != nullptr) *err = redactDbPasswords(oneLineDbMessage(*err));
  return read;
}

}  // namespace

// ---- special files ---------------------------------------------------------------------
namespace {

const char* specialKind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a folder";
  return nullptr;
}

std::string lowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// `path` as a refusal names it: a symbolic link with what it leads to ("x.geojson →
// /data/f.geojson"), since what is refused is the target, which the user may not know
// the link leads to.
std::string namedWithTarget(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path.string();
  std::error_code ec;
  const std::filesystem::path target = std::filesystem::canonical(path, ec);
  return ec ? path.string() : path.string() + " → " + target.string();
}

}  // namespace

std::string specialFileRefusal(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};  // not a local file (a /vsi path): GDAL's to read
  const std::filesystem::path p(path);
  if (S_ISDIR(st.st_mode)) {
    // A FileGDB is a folder by design; any other folder is not a layer to open.
    if (lowerAscii(p.extension().string()) == ".gdb") return {};
    return namedWithTarget(p) + ": refused: it is a folder, not a file (open a file in it)";
  }
  if (const char* kind = specialKind(st.st_mode))
    return namedWithTarget(p) + ": refused: it is " + kind + ", not a regular file (reading it could wait forever)";
  // GDAL opens a file's sidecars itself (a shapefile's .dbf, .shx, .prj, .cpg; .aux.xml,
  // .ovr): a special file among them would block it the same way. Entries of the folder
  // with the file's stem, compared without case (GDAL tries both cases).
  const std::filesystem::path folder = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  const std::string stem = lowerAscii(p.stem().string());
  std::error_code ec;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::string lower = lowerAscii(name);
    if (lower.size() <= stem.size() || lower.compare(0, stem.size(), stem) != 0 || lower[stem.size()] != '.') continue;
    struct stat side {};
    if (::stat(it->path().c_str(), &side) != 0 || S_ISDIR(side.st_mode)) continue;
    if (const char* kind = specialKind(side.st_mode))
      return path + ": refused: " + namedWithTarget(it->path()) + " beside it is " + kind +
             ", not a regular file (GDAL would read it as part of this source and wait forever)";
  }
  return {};
}

// ---- readVector ----------------------------------------------------------------------
std::optional<VectorReadResult> readVector(const VectorReadOptions& o, std::string* err) {
  initGdal();
  auto fail = [err](std::string message) -> std::optional<VectorReadResult> {
    if (err != nullptr) *err = std::move(message);
    return std::nullopt;
  };
  if (o.path.empty()) return fail("(no path): no vector source given");
  const std::string& path = o.path;
  if (isDbSource(path)) return readDbVector(o, err);

  const bool remote = isRemotePath(path);
  if (remote && !networkAllowed())
    return fail(path + ": refused: this is a network source and network access is off "
                       "(bcmap reads only local files unless the user names a URL)");
  VSIStatBufL st;
  if (!remote && VSIStatExL(path.c_str(), &st, VSI_STAT_EXISTS_FLAG) != 0)
    return fail(path + ": no such file or directory");
  // FIFOs, devices, sockets and folders, or such a file beside it, before anything opens it.
  if (!remote) {
    if (std::string why = specialFileRefusal(path); !why.empty()) return fail(why);
    // Said as it is: every driver would decline it, and the list of their names hides why.
    struct stat file {};
    if (::stat(path.c_str(), &file) == 0 && S_ISREG(file.st_mode) && file.st_size == 0)
      return fail(path + ": the file is empty (0 bytes)");
  }

  // Local GeoJSON: the fast reader gives GDAL's result, fails as GDAL would, or declines.
  if (geoJsonFastPathApplies(o)) {
    GeoJsonFastResult fast = readGeoJsonFast(o, err);
    if (fast.status == GeoJsonFastStatus::Read) return std::move(fast.result);
    if (fast.status == GeoJsonFastStatus::Failed) return std::nullopt;
    logMessage(LogLevel::Debug, path + ": read through GDAL, not the fast GeoJSON reader: " + fast.declined);
  }

  const std::vector<std::string>& drivers = allowedDriversOf(o);
  const std::vector<const char*> driverNames = driverList(drivers);

  ErrorCapture capture(path);
  DatasetPtr dataset(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                driverNames.data(), nullptr, nullptr));
  if (!dataset) {
    if (capture.failed())
      return fail(path + ": cannot be read as a vector source: " + capture.failure());
    return fail(path + ": not a vector source (none of these GDAL drivers recognizes it: " +
                joinNames(drivers) + ")");
  }
  GDALDatasetH ds = dataset.get();
  capture.reset();

  if (GDALDatasetGetLayerCount(ds) == 0) return fail(path + ": holds no vector layers");
  OGRLayerH layer = o.layerName.empty() ? GDALDatasetGetLayer(ds, 0)
                                        : GDALDatasetGetLayerByName(ds, o.layerName.c_str());
  if (layer == nullptr)
    return fail(path + ": no such layer '" + o.layerName + "' (layers: " + joinNames(layerNames(ds)) + ")");

  std::string prefix = path;
  if (GDALDatasetGetLayerCount(ds) > 1) prefix += ", layer '" + std::string(OGR_L_GetName(layer)) + "'";

  return readOpenLayer(layer, o, std::move(prefix), capture, err);
}

}  // namespace bcmap
