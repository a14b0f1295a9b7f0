// GdalSupport: what the GDAL-backed readers (VectorReader.cpp, OgrReader, ArrowReader) share:
// per-thread capture of GDAL's messages during a read, owners of GDAL handles, and the
// geometry kind of an OGR geometry type, the allowed drivers. Included by io sources only (GDAL headers).
#pragma once

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>
#include <string>
#include <vector>

#include "io/VectorReader.h"
#include "model/FeatureTable.h"
#include "model/Log.h"

namespace bcmap {

// While alive, this thread's GDAL messages come here: failures are kept (the caller turns
// the first into its error message), warnings go to the log prefixed with the path. GDAL's
// handler stack is per thread, so concurrent reads do not see each other's messages.
class ErrorCapture {
 public:
  explicit ErrorCapture(std::string prefix) : prefix_(std::move(prefix)) {
    CPLErrorReset();
    CPLPushErrorHandlerEx(&ErrorCapture::handle, this);
  }
  ~ErrorCapture() { CPLPopErrorHandler(); }
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;

  bool failed() const { return !failure_.empty(); }
  const std::string& failure() const { return failure_; }
  void reset() { failure_.clear(); }

 private:
  static void CPL_STDCALL handle(CPLErr level, CPLErrorNum /*code*/, const char* message) {
    auto* self = static_cast<ErrorCapture*>(CPLGetErrorHandlerUserData());
    const std::string text = message != nullptr ? message : "";
    if (level == CE_Failure || level == CE_Fatal) {
      if (self->failure_.empty()) self->failure_ = text.empty() ? "unknown GDAL error" : text;
    } else if (level == CE_Warning) {
      logWarning(self->prefix_ + ": GDAL: " + text);
    }
  }
  std::string prefix_;
  std::string failure_;
};

struct DatasetCloser {
  void operator()(void* ds) const { GDALClose(ds); }
};
struct FeatureDestroyer {
  void operator()(void* f) const { OGR_F_Destroy(static_cast<OGRFeatureH>(f)); }
};
struct GeometryDestroyer {
  void operator()(void* g) const { OGR_G_DestroyGeometry(static_cast<OGRGeometryH>(g)); }
};
using DatasetPtr = std::unique_ptr<void, DatasetCloser>;
using FeaturePtr = std::unique_ptr<void, FeatureDestroyer>;
using GeometryPtr = std::unique_ptr<void, GeometryDestroyer>;

// The GDAL drivers a read may open its source with: o.allowedDrivers, else
// kDefaultVectorDrivers.
const std::vector<std::string>& allowedDriversOf(const VectorReadOptions& o);
// `drivers` as GDAL's null-terminated list (pointing into `drivers`).
std::vector<const char*> driverList(const std::vector<std::string>& drivers);

// The kind of features an OGR geometry type holds; None for unknown, collections and none.
GeometryKind kindOfOgrType(OGRwkbGeometryType type);

}  // namespace bcmap
