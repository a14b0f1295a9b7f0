// Harness: the attribute table's filter expressions (nav/FeatureFilter.h) on any text, over
// a small table with a column of every type, nulls, Chinese text and a name with a space.
// parse must give a filter or an error whose offset lies in the text; a filter's rows are
// ascending and in the table, and matches() agrees with rows(); sqlWhere numbers its
// parameters after those already there.
#include <string>
#include <vector>

#include "FuzzSupport.h"
#include "nav/FeatureFilter.h"

namespace {

bcmap::FeatureTable makeTable() {
  using bcmap::FieldType;
  constexpr size_t kRows = 5;
  bcmap::FeatureTable t;
  for (size_t i = 0; i < kRows; ++i) {
    t.geometry.xy.push_back({double(i), 0});
    t.geometry.ringVertices.push_back(static_cast<uint32_t>(i + 1));
    t.geometry.partRings.push_back(static_cast<uint32_t>(i + 1));
    t.geometry.featureParts.push_back(static_cast<uint32_t>(i + 1));
  }
  auto column = [&](const char* name, FieldType type) -> bcmap::AttributeColumn& {
    bcmap::AttributeColumn c;
    c.name = name;
    c.type = type;
    c.isNull.assign(kRows, 0);
    t.columns.push_back(std::move(c));
    return t.columns.back();
  };
  bcmap::AttributeColumn& name = column("name", FieldType::String);
  for (const char* s : {"通榆县", "洮南市", "镇赉县 村", "Dongfeng Village", "a,b \"q\""}) name.appendString(s);
  bcmap::AttributeColumn& people = column("people", FieldType::Integer);
  people.ints = {350, 300, -120, 0, INT64_MAX};
  people.isNull[3] = 1;
  bcmap::AttributeColumn& area = column("area", FieldType::Real);
  area.reals = {8476.5, 5103, 0, 1e308, -1};
  area.isNull[2] = 1;
  bcmap::AttributeColumn& road = column("road km", FieldType::Real);
  road.reals = {12.5, 0, 3, 0.5, -0.0};
  bcmap::AttributeColumn& date = column("date", FieldType::Date);
  date.ints = {17683, 17181, 0, 18627, -719162};
  date.isNull[2] = 1;
  bcmap::AttributeColumn& code = column("code", FieldType::String);
  for (const char* s : {"300", "0042", "abc", "1e3", ""}) code.appendString(s);
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bcmap::FeatureTable table = makeTable();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  bcmap::FilterError err;
  std::optional<bcmap::FeatureFilter> f = bcmap::FeatureFilter::parse(text, table, &err);
  if (!f) {
    BCMAP_FUZZ_CHECK(err.offset <= text.size());
    BCMAP_FUZZ_CHECK(!err.message.empty());
    return 0;
  }
  const std::vector<uint32_t> rows = f->rows(table);
  size_t next = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    BCMAP_FUZZ_CHECK(rows[i] < table.featureCount());
    BCMAP_FUZZ_CHECK(i == 0 || rows[i - 1] < rows[i]);
  }
  for (size_t r = 0; r < table.featureCount(); ++r) {
    const bool listed = next < rows.size() && rows[next] == r;
    if (listed) ++next;
    BCMAP_FUZZ_CHECK(f->matches(table, r) == listed);
  }
  std::vector<std::string> params = {"already there"};
  std::string why;
  if (const std::optional<std::string> where = f->sqlWhere(table, params, &why)) {
    BCMAP_FUZZ_CHECK(params.size() >= 1 && params[0] == "already there");
    BCMAP_FUZZ_CHECK(params.size() == 1 || where->find("$2") != std::string::npos);
  } else {
    BCMAP_FUZZ_CHECK(!why.empty());
  }
  return 0;
}
