#include "io/Projection.h"

#include <geodesic.h>
#include <proj.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "model/Log.h"

namespace bcmap {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A context forwards at most this many PROJ messages to the log, so a million points
// outside a projection's domain cannot flood it; the rest are counted and summarized.
constexpr int kMaxForwardedMessages = 50;

// Where one PROJ context's messages go. `capture` keeps them for an error message
// instead of logging them (probes such as isValidCrs report through their err string).
struct ProjLogSink {
  bool capture = false;
  std::string captured;
  std::atomic<int> forwarded{0};
};

void projLogToBcmap(void* data, int level, const char* message) {
  auto* sink = static_cast<ProjLogSink*>(data);
  const std::string text = message != nullptr ? message : "";
  if (sink != nullptr && sink->capture) {
    if (!sink->captured.empty()) sink->captured += "; ";
    sink->captured += text;
    return;
  }
  const int n = sink != nullptr ? sink->forwarded.fetch_add(1) : 0;
  if (n > kMaxForwardedMessages) return;
  if (n == kMaxForwardedMessages) {
    logWarning("PROJ: further messages from this transformer are not logged");
    return;
  }
  logMessage(level <= PJ_LOG_ERROR ? LogLevel::Warning : LogLevel::Debug, "PROJ: " + text);
}

void configureContext(PJ_CONTEXT* ctx, ProjLogSink* sink) {
  proj_log_func(ctx, sink, &projLogToBcmap);
  proj_context_set_enable_network(ctx, 0);
}

struct ContextDeleter {
  void operator()(PJ_CONTEXT* ctx) const { proj_context_destroy(ctx); }
};
struct PjDeleter {
  void operator()(PJ* pj) const { proj_destroy(pj); }
};
using ContextPtr = std::unique_ptr<PJ_CONTEXT, ContextDeleter>;
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

// A short-lived context for probes whose messages end up in an err string.
struct ProbeContext {
  ProjLogSink sink;
  ContextPtr ctx;
  ProbeContext() : ctx(proj_context_create()) {
    sink.capture = true;
    if (ctx) configureContext(ctx.get(), &sink);
  }
  std::string reason() const {
    if (!sink.captured.empty()) return sink.captured;
    const int code = ctx ? proj_context_errno(ctx.get()) : 0;
    if (code != 0) {
      const char* text = proj_context_errno_string(ctx.get(), code);
      if (text != nullptr) return text;
    }
    return "not recognized as a CRS";
  }
};

// A CRS object from user text, or null with the reason in *why.
PjPtr createCrs(PJ_CONTEXT* ctx, const std::string& text, std::string* why) {
  PjPtr crs(proj_create(ctx, text.c_str()));
  if (!crs) return crs;
  if (!proj_is_crs(crs.get())) {
    if (why != nullptr) *why = "not a CRS (a coordinate operation?)";
    crs.reset();
  }
  return crs;
}

bool isGeographicType(PJ_TYPE type) {
  return type == PJ_TYPE_GEOGRAPHIC_CRS || type == PJ_TYPE_GEOGRAPHIC_2D_CRS ||
         type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
}

Vec2 finiteOrNaN(double x, double y) {
  if (std::isfinite(x) && std::isfinite(y)) return {x, y};
  return {kNaN, kNaN};
}

}  // namespace

void initProj() {
  static std::once_flag once;
  static ProjLogSink defaultSink;
  std::call_once(once, [] { configureContext(nullptr, &defaultSink); });
}

// ---- Transformer ---------------------------------------------------------------------

struct Transformer::Impl {
  // transform() splits inputs of at least this many points over up to kMaxParts threads.
  static constexpr size_t kParallelPoints = 1 << 18, kMaxParts = 4;
  // Declared before ctx/pj: PROJ keeps a pointer to it for the context's lifetime (and
  // the helper contexts of run() for theirs). mutable: a const transform logs through it.
  mutable ProjLogSink sink;
  ContextPtr ctx;  // destroyed after pj (members die in reverse order)
  PjPtr pj;        // null for the identity
  std::string src;
  std::string dst;

  // Transforms with `p` in blocks (they keep PROJ's per-call work, the operation choice for
  // pipelines with several candidate operations, bounded and the data in cache); returns the
  // points that failed, made NaN.
  static size_t runBlocks(PJ* p, PJ_DIRECTION direction, std::span<Vec2> pts) {
    constexpr size_t kBlock = 4096;
    size_t bad = 0;
    for (size_t at = 0; at < pts.size(); at += kBlock) {
      const size_t n = std::min(kBlock, pts.size() - at);
      Vec2* q = pts.data() + at;
      proj_errno_reset(p);
      proj_trans_generic(p, direction, &q->x, sizeof(Vec2), n, &q->y, sizeof(Vec2), n, nullptr, 0, 0, nullptr, 0, 0);
      for (size_t i = 0; i < n; ++i) {
        // PROJ marks failures with HUGE_VAL; NaN in gives NaN out. Both become NaN.
        if (!std::isfinite(q[i].x) || !std::isfinite(q[i].y)) {
          q[i] = {kNaN, kNaN};
          ++bad;
        }
      }
    }
    proj_errno_reset(p);
    return bad;
  }

  bool run(PJ_DIRECTION direction, std::span<Vec2> pts, size_t* failed) const {
    size_t bad = 0;
    if (pj) {
      // Big inputs are split over the cores (10M points take ~2 s on one core here), each
      // part with a copy of the operation on a context of its own (a PJ is not thread-safe).
      const size_t parts = pts.size() < kParallelPoints
                               ? 1
                               : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, kMaxParts);
      const size_t per = (pts.size() + parts - 1) / parts;
      auto partOf = [&](size_t k) {
        const size_t from = std::min(pts.size(), k * per);
        return pts.subspan(from, std::min(pts.size(), from + per) - from);
      };
      std::vector<std::thread> helpers;
      std::vector<size_t> partBad(parts, 0);
      for (size_t k = 1; k < parts; ++k) {
        ContextPtr c(proj_context_create());
        if (c) configureContext(c.get(), &sink);
        PjPtr copy(c ? proj_clone(c.get(), pj.get()) : nullptr);
        if (!copy) {
          partBad[k] = runBlocks(pj.get(), direction, partOf(k));  // no copy: this thread does it
          continue;
        }
        helpers.emplace_back([direction, part = partOf(k), &out = partBad[k], c = std::move(c),
                              copy = std::move(copy)]() mutable {
          out = runBlocks(copy.get(), direction, part);
          copy.reset();  // before its context
        });
      }
      partBad[0] = runBlocks(pj.get(), direction, partOf(0));
      for (std::thread& t : helpers) t.join();
      for (size_t b : partBad) bad += b;
    } else {
      for (Vec2& p : pts) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
          p = {kNaN, kNaN};
          ++bad;
        }
      }
    }
    if (failed != nullptr) *failed = bad;
    return bad == 0;
  }

  Vec2 one(PJ_DIRECTION direction, Vec2 p) const {
    if (!pj) return finiteOrNaN(p.x, p.y);
    const PJ_COORD out = proj_trans(pj.get(), direction, proj_coord(p.x, p.y, 0, 0));
    proj_errno_reset(pj.get());
    return finiteOrNaN(out.xy.x, out.xy.y);
  }
};

Transformer::Transformer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;
Transformer::~Transformer() = default;

std::optional<Transformer> Transformer::create(std::string_view srcCrs, std::string_view dstCrs,
                                               std::string* err) {
  initProj();
  auto impl = std::make_unique<Impl>();
  impl->src = std::string(srcCrs);
  impl->dst = std::string(dstCrs);
  auto fail = [&](const std::string& why) -> std::optional<Transformer> {
    if (err != nullptr)
      *err = "PROJ: cannot transform from '" + impl->src + "' to '" + impl->dst + "': " + why;
    return std::nullopt;
  };
  impl->ctx.reset(proj_context_create());
  if (!impl->ctx) return fail("cannot create a PROJ context");
  // Capture messages while building, so they become the error message, not log noise.
  impl->sink.capture = true;
  configureContext(impl->ctx.get(), &impl->sink);
  PJ_CONTEXT* ctx = impl->ctx.get();
  auto reason = [&](std::string_view what) {
    std::string r(what);
    if (!impl->sink.captured.empty()) r += ": " + impl->sink.captured;
    return r;
  };

  std::string why;
  PjPtr src = createCrs(ctx, impl->src, &why);
  if (!src) return fail(why.empty() ? reason("the source is not a valid CRS") : why);
  PjPtr dst = createCrs(ctx, impl->dst, &why);
  if (!dst) return fail(why.empty() ? reason("the target is not a valid CRS") : why);

  // Both sides end up in visualization order, so CRSs that differ only in the axis order
  // of a geographic CRS (EPSG:4326 vs OGC:CRS84) are the identity.
  const bool same = impl->src == impl->dst ||
                    proj_is_equivalent_to_with_ctx(ctx, src.get(), dst.get(),
                                                   PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS);
  if (!same) {
    PjPtr op(proj_create_crs_to_crs_from_pj(ctx, src.get(), dst.get(), nullptr, nullptr));
    if (!op) return fail(reason("no coordinate operation found"));
    impl->pj.reset(proj_normalize_for_visualization(ctx, op.get()));
    if (!impl->pj) return fail(reason("cannot normalize the axis order"));
  }
  impl->sink.capture = false;
  impl->sink.captured.clear();
  return Transformer(std::move(impl));
}

bool Transformer::isIdentity() const { return !impl_->pj; }
const std::string& Transformer::sourceCrs() const { return impl_->src; }
const std::string& Transformer::targetCrs() const { return impl_->dst; }

bool Transformer::transform(std::span<Vec2> pts, size_t* failed) const {
  return impl_->run(PJ_FWD, pts, failed);
}

bool Transformer::inverseTransform(std::span<Vec2> pts, size_t* failed) const {
  return impl_->run(PJ_INV, pts, failed);
}

Vec2 Transformer::forward(Vec2 p) const { return impl_->one(PJ_FWD, p); }
Vec2 Transformer::inverse(Vec2 p) const { return impl_->one(PJ_INV, p); }

std::optional<Bounds> Transformer::transformBounds(const Bounds& src, int densify) const {
  if (src.empty() || !std::isfinite(src.minX) || !std::isfinite(src.minY) ||
      !std::isfinite(src.maxX) || !std::isfinite(src.maxY))
    return std::nullopt;
  if (!impl_->pj) return src;
  Bounds out;
  const int ok = proj_trans_bounds(impl_->ctx.get(), impl_->pj.get(), PJ_FWD, src.minX, src.minY,
                                   src.maxX, src.maxY, &out.minX, &out.minY, &out.maxX,
                                   &out.maxY, std::max(densify, 0));
  proj_errno_reset(impl_->pj.get());
  if (ok == 0 || !std::isfinite(out.minX) || !std::isfinite(out.minY) ||
      !std::isfinite(out.maxX) || !std::isfinite(out.maxY))
    return std::nullopt;
  return out;
}

// ---- CRS text ------------------------------------------------------------------------

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && isBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool allDigits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), isDigit); }

// "+lat_0=45   +proj=laea" -> "+proj=laea +lat_0=45 +type=crs": single spaces, the
// +proj= (or +init=) token first, +type=crs added. PROJ reads text as a PROJ string only
// when it starts with +proj=/+init=; anything else it searches its database for as a name
// (seconds, and never a match for such text: the session fuzzer's timeouts). The order of
// a CRS's parameters means nothing to PROJ. "" when no token is +proj= or +init=.
std::string projStringAsCrs(std::string_view s) {
  std::vector<std::string_view> tokens;
  size_t at = 0;
  while (at < s.size()) {
    while (at < s.size() && isBlank(s[at])) ++at;
    size_t end = at;
    while (end < s.size() && !isBlank(s[end])) ++end;
    if (end > at) tokens.push_back(s.substr(at, end - at));
    at = end;
  }
  const auto lead = std::find_if(tokens.begin(), tokens.end(), [](std::string_view t) {
    return t.rfind("+proj=", 0) == 0 || t.rfind("+init=", 0) == 0;
  });
  if (lead == tokens.end()) return {};
  std::rotate(tokens.begin(), lead, lead + 1);
  std::string out;
  bool hasType = false;
  for (std::string_view token : tokens) {
    if (token.rfind("+type=", 0) == 0) hasType = true;
    if (!out.empty()) out += ' ';
    out += token;
  }
  if (!hasType) out += " +type=crs";
  return out;
}

}  // namespace

std::optional<std::string> normalizeCrs(std::string_view text, std::string* err) {
  const std::string_view t = trimmed(text);
  if (t.empty()) {
    if (err != nullptr) *err = "no CRS given: type an EPSG code (EPSG:3857), a PROJ string, WKT or PROJJSON";
    return std::nullopt;
  }
  std::string crs;
  const size_t colon = t.find(':');
  if (allDigits(t)) {
    crs = "EPSG:" + std::string(t);
  } else if (t.front() == '+') {
    // Without a +proj= (or +init=) token PROJ does not read it as a PROJ string but searches
    // its database for an object of that name: seconds for a mistyped string (the session
    // fuzzer's "+ +lat_0=45 …" and "+prl=0=init=…").
    crs = projStringAsCrs(t);
    if (crs.empty()) {
      if (err != nullptr)
        *err = "'" + std::string(t) + "' is not a PROJ string: it names no +proj= (e.g. +proj=laea +lat_0=45 +lon_0=123)";
      return std::nullopt;
    }
  } else if (colon != std::string_view::npos && colon > 0 && allDigits(t.substr(colon + 1)) &&
             std::all_of(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(colon), isAsciiLetter)) {
    crs = std::string(t);  // AUTHORITY:CODE; PROJ's database keys authorities in capitals
    std::transform(crs.begin(), crs.begin() + static_cast<std::ptrdiff_t>(colon), crs.begin(),
                   [](char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c); });
  } else {
    crs = std::string(t);  // WKT, PROJJSON, a URN: PROJ reads them as written
  }
  initProj();
  ProbeContext probe;
  std::string why;
  if (createCrs(probe.ctx.get(), crs, &why)) return crs;
  if (err != nullptr)
    *err = "'" + std::string(t) + "' is not a CRS PROJ knows (" + (why.empty() ? probe.reason() : why) +
           "); give an EPSG code (EPSG:3857), a PROJ string (+proj=laea +lat_0=45 +lon_0=123), WKT or PROJJSON";
  return std::nullopt;
}

// ---- CRS helpers ---------------------------------------------------------------------

bool isValidCrs(std::string_view crs, std::string* err) {
  initProj();
  ProbeContext probe;
  std::string why;
  PjPtr obj = createCrs(probe.ctx.get(), std::string(crs), &why);
  if (obj) return true;
  if (err != nullptr)
    *err = "PROJ: '" + std::string(crs) + "' is not a valid CRS: " + (why.empty() ? probe.reason() : why);
  return false;
}

std::string crsName(std::string_view crs) {
  initProj();
  ProbeContext probe;
  PjPtr obj = createCrs(probe.ctx.get(), std::string(crs), nullptr);
  if (!obj) return {};
  const char* name = proj_get_name(obj.get());
  if (name != nullptr && std::string_view(name) != "unknown") return name;
  // A CRS written as a +proj string has no name ("unknown"): say what its projection is,
  // e.g. "Lambert Azimuthal Equal Area (+proj)", rather than "unknown".
  if (proj_get_type(obj.get()) == PJ_TYPE_PROJECTED_CRS) {
    PjPtr op(proj_crs_get_coordoperation(probe.ctx.get(), obj.get()));
    const char* method = nullptr;
    if (op && proj_coordoperation_get_method_info(probe.ctx.get(), op.get(), &method, nullptr, nullptr) && method &&
        *method)
      return std::string(method) + " (+proj)";
  }
  return name != nullptr && proj_get_type(obj.get()) == PJ_TYPE_GEOGRAPHIC_2D_CRS ? "geographic (+proj)" : "";
}

bool isGeographicCrs(std::string_view crs) {
  initProj();
  ProbeContext probe;
  PjPtr obj = createCrs(probe.ctx.get(), std::string(crs), nullptr);
  if (!obj) return false;
  // A bound CRS (WKT1 with TOWGS84) wraps the CRS the coordinates are in.
  if (proj_get_type(obj.get()) == PJ_TYPE_BOUND_CRS) {
    PjPtr base(proj_get_source_crs(probe.ctx.get(), obj.get()));
    return base && isGeographicType(proj_get_type(base.get()));
  }
  return isGeographicType(proj_get_type(obj.get()));
}

// ---- ground distance -----------------------------------------------------------------

double geodesicDistanceM(Vec2 lonLat0, Vec2 lonLat1) {
  if (!std::isfinite(lonLat0.x) || !std::isfinite(lonLat0.y) || !std::isfinite(lonLat1.x) ||
      !std::isfinite(lonLat1.y))
    return kNaN;
  // WGS 84: a = 6378137 m, f = 1/298.257223563 (NIMA TR8350.2).
  static const geod_geodesic kWgs84 = [] {
    geod_geodesic g{};
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    return g;
  }();
  double s12 = kNaN;
  geod_inverse(&kWgs84, lonLat0.y, lonLat0.x, lonLat1.y, lonLat1.x, &s12, nullptr, nullptr);
  return s12;
}

double groundMetresPerPixel(const View& view, const Transformer& displayToLonLat) {
  const double cx = view.widthPx * 0.5;
  const double cy = view.heightPx * 0.5;
  const Vec2 left = displayToLonLat.forward(view.toWorld({cx - 0.5, cy}));
  const Vec2 right = displayToLonLat.forward(view.toWorld({cx + 0.5, cy}));
  return geodesicDistanceM(left, right);
}

}  // namespace bcmap
