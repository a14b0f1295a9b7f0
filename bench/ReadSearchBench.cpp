// bcmap_read_search_bench: two timings that used to run inside the tests, where they
// asserted nothing and failed no one; here they only print medians.
//
//   bcmap_read_search_bench [--runs N] [--only geojson|search] [--counts 100000,1000000]
//
// geojson  readVector on generated point files (random points around Baicheng with an
//          integer id, a name, a real value and a date; fixed seed): the fast reader
//          (io/GeoJsonReader.h) against GDAL's GeoJSON driver (allowFastGeoJson = false).
//          Was GeoJsonReaderTest.SpeedReport.
// search   SearchIndex::build over every layer of the bundled data, loaded through the real
//          plugins: the first build (which prepares the lon/lat forms) on its own, then the
//          median rebuild. Was SearchIndexTest.BuildTime.
//
// Every number is the median of --runs runs (5 by default) in this one process. Nothing is
// written to bench/RESULTS.md.
//
// Sections: 1. options  2. GeoJSON reading  3. place search  4. main
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "BenchUtil.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "host/SearchIndex.h"
#include "io/GeoJsonReader.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "model/Log.h"

namespace fs = std::filesystem;

namespace bcmap::bench {
namespace {

// ---- 1. options -------------------------------------------------------------------------------
struct Options {
  int runs = 5;
  std::string only;  // "" = both
  std::vector<size_t> counts{100'000, 1'000'000};
};

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---- 2. GeoJSON reading -----------------------------------------------------------------------
// Random points around Baicheng with an integer id, a name, a real value and a date.
bool writePoints(const std::string& path, size_t count) {
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> lon(121.6, 124.4), lat(44.2, 46.3), value(0, 1000);
  std::uniform_int_distribution<int> year(2016, 2020), month(1, 12), day(1, 28);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  std::fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", f);
  for (size_t i = 0; i < count; ++i) {
    std::fprintf(f,
                 "{\"type\":\"Feature\",\"properties\":{\"id\":%zu,\"name\":\"point %zu\",\"value\":%.6f,"
                 "\"date\":\"%04d-%02d-%02d\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}}%s\n",
                 i, i, value(rng), year(rng), month(rng), day(rng), lon(rng), lat(rng), i + 1 < count ? "," : "");
  }
  std::fputs("]}\n", f);
  return std::fclose(f) == 0;
}

// The median of `runs` reads of `path`; negative (with *err) when a read fails.
double medianReadSeconds(const std::string& path, bool allowFast, int runs, std::string* err) {
  VectorReadOptions o;
  o.path = path;
  o.allowFastGeoJson = allowFast;
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::optional<VectorReadResult> r = readVector(o, err);
    t.push_back(secondsSince(t0));
    if (!r) return -1;
  }
  return median(t);
}

bool benchGeoJson(const Options& o) {
  std::string tmpl = (fs::temp_directory_path() / "bcmap-read-bench-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) {
    std::fprintf(stderr, "geojson: cannot make a temporary folder\n");
    return false;
  }
  const fs::path dir = tmpl;
  bool ok = true;
  std::printf("GeoJSON reading (median of %d reads)\n", o.runs);
  std::printf("%10s %9s %12s %12s %8s\n", "points", "MB", "fast s", "GDAL s", "GDAL/fast");
  for (const size_t count : o.counts) {
    const std::string path = (dir / ("points_" + std::to_string(count) + ".geojson")).string();
    if (!writePoints(path, count)) {
      std::fprintf(stderr, "geojson: cannot write %s\n", path.c_str());
      ok = false;
      break;
    }
    // A timing of "the fast reader" means nothing if it declined and GDAL read the file.
    VectorReadOptions probe;
    probe.path = path;
    std::string err;
    if (const GeoJsonFastResult r = readGeoJsonFast(probe, &err); r.status != GeoJsonFastStatus::Read) {
      std::fprintf(stderr, "geojson: the fast reader did not read %s: %s%s\n", path.c_str(), r.declined.c_str(),
                   err.c_str());
      ok = false;
      break;
    }
    const double fast = medianReadSeconds(path, true, o.runs, &err);
    const double gdal = fast < 0 ? -1 : medianReadSeconds(path, false, o.runs, &err);
    if (fast < 0 || gdal < 0) {
      std::fprintf(stderr, "geojson: %s\n", err.c_str());
      ok = false;
      break;
    }
    std::printf("%10zu %9.1f %12.3f %12.3f %8.1fx\n", count, static_cast<double>(fs::file_size(path)) / 1e6, fast,
                gdal, gdal / fast);
    std::fflush(stdout);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return ok;
}

// ---- 3. place search --------------------------------------------------------------------------
bool benchSearch(const Options& o) {
  const std::string geodata = BCMAP_GEODATA;
  for (const char* file : {"baicheng_counties.geojson", "baicheng_villages.geojson"})
    if (!fs::exists(geodata + "/" + file)) {
      std::fprintf(stderr, "search: geodata/%s has not been derived (tools/fetch_counties.py, tools/gen_villages.py)\n",
                   file);
      return false;
    }
  initGdal();
  initProj();
  PluginHost host;
  host.scan({PluginHost::defaultPluginDir()});
  LayerStore store(geodata);
  store.addPluginLayers(host);
  store.loadAll();
  size_t loaded = 0;
  for (const auto& l : store.layers()) loaded += l->status == LayerStatus::Loaded;
  if (loaded == 0) {
    std::fprintf(stderr, "search: no layer loaded (is the plugin folder %s built?)\n",
                 PluginHost::defaultPluginDir().c_str());
    return false;
  }
  // The table the viewer uses when it has been derived; without it pinyin keys are empty.
  const std::string pinyinPath = geodata + "/baicheng_pinyin.json";
  std::string err;
  const PinyinTable pinyin = fs::exists(pinyinPath) ? loadPinyinTable(pinyinPath, &err) : PinyinTable{};

  SearchIndex index;
  auto t0 = std::chrono::steady_clock::now();
  index.build(store, pinyin);
  const double firstMs = secondsSince(t0) * 1000;
  std::vector<double> rebuildMs;
  for (int i = 0; i < o.runs; ++i) {
    t0 = std::chrono::steady_clock::now();
    index.build(store, pinyin);
    rebuildMs.push_back(secondsSince(t0) * 1000);
  }
  std::printf("Place search over %zu loaded layers of %zu (%s pinyin): %zu places\n", loaded, store.layers().size(),
              pinyin.names.empty() ? "no" : "the real", index.entries().size());
  std::printf("  first build %.2f ms, rebuild %.2f ms (median of %d)\n", firstMs, median(rebuildMs), o.runs);
  return true;
}

}  // namespace
}  // namespace bcmap::bench

// ---- 4. main ----------------------------------------------------------------------------------
int main(int argc, char** argv) {
  using namespace bcmap::bench;
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--runs") {
      o.runs = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--only") {
      o.only = next();
    } else if (a == "--counts") {
      o.counts.clear();
      std::stringstream list(next());
      for (std::string n; std::getline(list, n, ',');)
        if (const long long v = std::atoll(n.c_str()); v > 0) o.counts.push_back(static_cast<size_t>(v));
    } else {
      o.only = "?";
    }
    if (o.only != "" && o.only != "geojson" && o.only != "search") {
      std::fprintf(stderr, "usage: bcmap_read_search_bench [--runs N] [--only geojson|search] [--counts N,N,...]\n");
      return 1;
    }
  }
  bcmap::setLogEchoLevel(bcmap::LogLevel::Error);
  const MachineInfo mi = machineInfo();
  std::printf("%s (%d cores), %s build\n\n", mi.cpuModel.c_str(), mi.cores, BCMAP_BUILD_TYPE);
  bool ok = true;
  if (o.only.empty() || o.only == "geojson") ok = benchGeoJson(o) && ok;
  if (o.only.empty()) std::printf("\n");
  if (o.only.empty() || o.only == "search") ok = benchSearch(o) && ok;
  return ok ? 0 : 2;
}
