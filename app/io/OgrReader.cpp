// OgrReader.cpp — sections: the layer's schema and CRS · the feature-by-feature read
#include "io/OgrReader.h"

#include <cpl_conv.h>

#include <cstdlib>
#include <vector>

#include "io/Projection.h"

namespace bcmap {

// ---- the layer's schema and CRS --------------------------------------------------------------
namespace {

FieldType fieldTypeOf(OGRFieldType t) {
  switch (t) {
    case OFTInteger:
    case OFTInteger64: return FieldType::Integer;
    case OFTReal: return FieldType::Real;
    case OFTDate:
    case OFTDateTime: return FieldType::Date;
    default: return FieldType::String;
  }
}

}  // namespace

SourceSchema ogrSchemaOf(OGRLayerH layer) {
  SourceSchema schema;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) {
    OGRFieldDefnH field = OGR_FD_GetFieldDefn(defn, i);
    schema.fields.push_back({OGR_Fld_GetNameRef(field), fieldTypeOf(OGR_Fld_GetType(field))});
  }
  schema.layerKind = kindOfOgrType(OGR_L_GetGeomType(layer));
  return schema;
}

std::optional<SourceCrs> ogrSourceCrs(OGRLayerH layer, const std::string& prefix, std::string* err) {
  SourceCrs out;
  OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
  if (srs == nullptr) {
    out.text = kLonLatCrs;
    out.geographic = true;
    return out;
  }
  const char* authority = OSRGetAuthorityName(srs, nullptr);
  const char* code = OSRGetAuthorityCode(srs, nullptr);
  if (authority != nullptr && code != nullptr) {
    out.text = std::string(authority) + ":" + code;
  } else {
    char* wkt = nullptr;
    const char* const wktOptions[] = {"FORMAT=WKT2_2019", nullptr};
    if (OSRExportToWktEx(srs, &wkt, wktOptions) == OGRERR_NONE && wkt != nullptr) out.text = wkt;
    CPLFree(wkt);
    if (out.text.empty()) {
      if (err != nullptr) *err = prefix + ": the layer's CRS cannot be written as WKT";
      return std::nullopt;
    }
  }
  out.geographic = OSRIsGeographic(srs) != 0;
  // GDAL hands out coordinates in the data's axis order; the mapping says which CRS axis
  // the first ordinate is. If that axis points north, the data is (northing, easting).
  int count = 0;
  const int* mapping = OSRGetDataAxisToSRSAxisMapping(srs, &count);
  if (mapping != nullptr && count >= 2) {
    OGRAxisOrientation orientation = OAO_Other;
    OSRGetAxis(srs, nullptr, std::abs(mapping[0]) - 1, &orientation);
    out.swapXY = orientation == OAO_North || orientation == OAO_South;
  }
  return out;
}

void ignoreUnreadFields(OGRLayerH layer, const ReadPlan& plan) {
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  const std::vector<bool> used = plan.usedFields(static_cast<size_t>(OGR_FD_GetFieldCount(defn)));
  std::vector<const char*> ignored;
  for (size_t i = 0; i < used.size(); ++i)
    if (!used[i]) ignored.push_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, static_cast<int>(i))));
  if (!ignored.empty()) {
    ignored.push_back("OGR_STYLE");
    ignored.push_back(nullptr);
    OGR_L_SetIgnoredFields(layer, ignored.data());
  }
}

// ---- the feature-by-feature read -------------------------------------------------------------
namespace {

// One feature's values for TableBuilder::appendValues.
class OgrRow {
 public:
  OgrRow(const ReadPlan& plan, OGRFeatureH f) : plan_(plan), f_(f) {}

  bool isNull(size_t slot) const { return !OGR_F_IsFieldSetAndNotNull(f_, plan_.sourceIndex(slot)); }
  int64_t integer(size_t slot) const { return OGR_F_GetFieldAsInteger64(f_, plan_.sourceIndex(slot)); }
  double real(size_t slot) const { return OGR_F_GetFieldAsDouble(f_, plan_.sourceIndex(slot)); }
  void appendString(StringColumn& out, size_t slot) const {
    out.push_back(OGR_F_GetFieldAsString(f_, plan_.sourceIndex(slot)));
  }

  std::optional<int32_t> day(size_t slot) const {
    const int index = plan_.sourceIndex(slot);
    if (index < 0 || !OGR_F_IsFieldSetAndNotNull(f_, index)) return kNoDay;
    if (plan_.readOf(slot) == ValueRead::DateField) {
      int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
      float ss = 0;
      if (!OGR_F_GetFieldAsDateTimeEx(f_, index, &y, &m, &d, &hh, &mm, &ss, &tz)) return std::nullopt;
      return dayFromYmd(y, m, d);
    }
    const char* text = OGR_F_GetFieldAsString(f_, index);
    return dayOfText(text != nullptr ? text : "");
  }

  std::string dateText(size_t slot) const {
    const int index = plan_.sourceIndex(slot);
    // OGR writes typed dates as YYYY/MM/DD; show them as the file had them.
    std::string value = OGR_F_GetFieldAsString(f_, index);
    const OGRFieldType type = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f_, index));
    if ((type == OFTDate || type == OFTDateTime) && value.size() >= 10 && value[4] == '/' && value[7] == '/')
      value[4] = value[7] = '-';
    return value;
  }

 private:
  const ReadPlan& plan_;
  OGRFeatureH f_;
};

class FeatureReader {
 public:
  FeatureReader(const ReadPlan& plan, TableBuilder& out) : plan_(plan), out_(out) {}

  bool run(OGRLayerH layer, ErrorCapture& capture, std::string* err) {
    OGR_L_ResetReading(layer);
    size_t ordinal = 0;
    while (true) {
      FeaturePtr feature(OGR_L_GetNextFeature(layer));
      if (!feature) break;
      OGRFeatureH f = static_cast<OGRFeatureH>(feature.get());
      const size_t n = ordinal++;
      std::string id = plan_.id.index >= 0 ? idOf(f) : std::string();
      WkbStatus status = geometryOf(f, scratch_);
      if (!out_.accept(scratch_, status, n, id, err)) {
        if (out_.failed()) return false;
        continue;
      }
      OgrRow row(plan_, f);
      if (!out_.appendValues(row, n, std::move(id), err)) return false;
      out_.commitGeometry(scratch_);
    }
    if (capture.failed()) {
      if (err != nullptr)
        *err = plan_.prefix + ": reading failed after " + std::to_string(ordinal) + " features: " + capture.failure();
      return false;
    }
    if (ordinal == 0) {
      // A file cut right after its header (a FlatGeobuf ending where its features begin)
      // gives no feature and no GDAL error: the count the header declares tells it apart
      // from a layer that is empty (the hostile corpus, fgb/truncated_at_*).
      const GIntBig declared =
          OGR_L_TestCapability(layer, OLCFastFeatureCount) ? OGR_L_GetFeatureCount(layer, FALSE) : -1;
      if (declared > 0) {
        if (err != nullptr)
          *err = plan_.prefix + ": the file declares " + std::to_string(declared) +
                 " features but none could be read (truncated or damaged?)";
        return false;
      }
    }
    return true;
  }

 private:
  std::string idOf(OGRFeatureH f) const {
    if (!OGR_F_IsFieldSetAndNotNull(f, plan_.id.index)) return {};
    return OGR_F_GetFieldAsString(f, plan_.id.index);
  }

  WkbStatus geometryOf(OGRFeatureH f, GeometryScratch& g) {
    g.clear();
    OGRGeometryH geom = OGR_F_GetGeometryRef(f);
    if (geom == nullptr || OGR_G_IsEmpty(geom)) return WkbStatus::Ok;
    GeometryPtr linear;
    if (OGR_G_HasCurveGeometry(geom, TRUE)) {
      linear.reset(OGR_G_GetLinearGeometry(geom, 0, nullptr));
      if (!linear) return WkbStatus::Curve;
      geom = static_cast<OGRGeometryH>(linear.get());
    }
    const int size = OGR_G_WkbSize(geom);
    if (size <= 0) return WkbStatus::Corrupt;
    wkb_.resize(static_cast<size_t>(size));
    if (OGR_G_ExportToIsoWkb(geom, wkbNDR, wkb_.data()) != OGRERR_NONE) return WkbStatus::Corrupt;
    return readWkb(wkb_.data(), wkb_.size(), g);
  }

  const ReadPlan& plan_;
  TableBuilder& out_;
  GeometryScratch scratch_;
  std::vector<uint8_t> wkb_;
};

}  // namespace

bool readOgrFeatures(OGRLayerH layer, const ReadPlan& plan, TableBuilder& out, ErrorCapture& capture,
                     std::string* err) {
  return FeatureReader(plan, out).run(layer, capture, err);
}

}  // namespace bcmap
