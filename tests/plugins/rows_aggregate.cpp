// A test plugin for the ABI 1.1 loader service read_vector_rows: it reads the county file's
// rows itself and emits one point per county at its label point, with the vertex count.
#include <string>
#include <vector>

#include "bcmap_plugin.hpp"

namespace {
class RowsAggregate : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "rows_aggregate";
    i.nameZh = "行聚合";
    i.nameEn = "Rows aggregate";
    i.geometryKind = BCMAP_GEOM_POINT;
    return i;
  }
  void load(const bcmap::sdk::Loader& loader) override {
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = "baicheng_counties.geojson";
    std::vector<double> xy;
    std::vector<std::string> names;
    std::vector<int64_t> vertices;
    loader.readVectorRows(req, [&](const char*, const bcmap_field_v1* fields, uint32_t count,
                                   const bcmap_batch_v1& b) {
      auto column = [&](const char* name) {
        for (uint32_t k = 0; k < count; ++k)
          if (std::string(fields[k].name) == name) return k;
        throw bcmap::sdk::Error(std::string("no field ") + name);
      };
      const uint32_t lon = column("label_lon"), lat = column("label_lat"), zh = column("name_zh");
      size_t ring = 0;
      for (uint32_t f = 0; f < b.feature_count; ++f) {
        const bcmap_value_v1* row = b.values + static_cast<size_t>(f) * count;
        xy.push_back(row[lon].real_value);
        xy.push_back(row[lat].real_value);
        names.emplace_back(row[zh].str_value);
        int64_t n = 0;
        for (uint32_t p = 0; p < b.parts_per_feature[f]; ++p) n += b.vertices_per_ring[ring++];
        vertices.push_back(n);
      }
    });
    loader.declareFields({{sizeof(bcmap_field_v1), "name_zh", BCMAP_FIELD_STRING},
                          {sizeof(bcmap_field_v1), "vertices", BCMAP_FIELD_INTEGER}});
    std::vector<bcmap_value_v1> values;
    for (size_t i = 0; i < names.size(); ++i) {
      bcmap_value_v1 n{sizeof(bcmap_value_v1), 0, 0, 0, names[i].c_str()};
      bcmap_value_v1 v{sizeof(bcmap_value_v1), 0, vertices[i], 0, nullptr};
      values.push_back(n);
      values.push_back(v);
    }
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = static_cast<uint32_t>(names.size());
    b.xy = xy.data();
    b.values = values.data();
    loader.emit(b);
  }
  bcmap_style_v1 style() override {
    bcmap_style_v1 s = bcmap::sdk::singleStyle({0, 0, 0, 255}, {0, 0, 0, 255});
    s.point_symbol = BCMAP_SYMBOL_DIAMOND;
    return s;
  }
};
}  // namespace

BCMAP_PLUGIN(RowsAggregate)
