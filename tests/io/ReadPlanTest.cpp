// ReadPlanTest: the read plan (io/ReadPlan.h) on its own, from hand-made schemas, without
// opening a file: columns and how their values are read, the field map, id and time
// fields, the errors and the GeoJSON reader's decline, the value slots, and the CRS.
// The readers' agreement on real files is GeoJsonReaderTest's and VectorReaderTest's.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "io/ReadPlan.h"

namespace bcmap {
namespace {

// count (Integer), Name2 (String), value (Real), day (a typed Date), when and code (String)
SourceSchema sampleSchema() {
  SourceSchema s;
  s.fields = {{"count", FieldType::Integer},
              {"Name2", FieldType::String},
              {"value", FieldType::Real},
              {"day", FieldType::Date},
              {"when", FieldType::String},
              {"code", FieldType::String}};
  s.layerKind = GeometryKind::Point;
  return s;
}

VectorReadOptions optionsFor(const std::string& path = "data.geojson") {
  VectorReadOptions o;
  o.path = path;
  return o;
}

ReadPlan plan(const VectorReadOptions& o, const SourceSchema& schema = sampleSchema()) {
  std::string err;
  std::optional<ReadPlan> p = planRead(schema, o, o.path, &err);
  EXPECT_TRUE(p.has_value()) << err;
  return p ? *p : ReadPlan{};
}

std::string planError(const VectorReadOptions& o, const SourceSchema& schema = sampleSchema()) {
  std::string err;
  EXPECT_FALSE(planRead(schema, o, o.path, &err).has_value()) << "planned without the expected error";
  return err;
}

std::vector<std::string> columnNames(const ReadPlan& p) {
  std::vector<std::string> names;
  for (const ColumnPlan& c : p.columns) names.push_back(c.name);
  return names;
}

// ---- names -------------------------------------------------------------------------------

TEST(ReadPlanTest, FieldsAreFoundAsGdalFindsThemIgnoringAsciiCase) {
  const SourceSchema s = sampleSchema();
  EXPECT_EQ(s.find("count"), 0);
  EXPECT_EQ(s.find("NAME2"), 1);
  EXPECT_EQ(s.find("name2"), 1);
  EXPECT_EQ(s.find("nope"), -1);
  EXPECT_TRUE(equalNoCase("Ab_1", "aB_1"));
  EXPECT_FALSE(equalNoCase("名称", "名稱"));
  EXPECT_FALSE(equalNoCase("ab", "abc"));
  EXPECT_EQ(joinNames({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(joinNames({}), "");
}

// ---- columns -----------------------------------------------------------------------------

TEST(ReadPlanTest, WithoutAFieldMapEveryFieldIsAColumnInSourceOrder) {
  const ReadPlan p = plan(optionsFor());
  EXPECT_EQ(p.prefix, "data.geojson");
  EXPECT_EQ(columnNames(p), (std::vector<std::string>{"count", "Name2", "value", "day", "when", "code"}));
  ASSERT_EQ(p.columns.size(), 6u);
  const ValueRead reads[] = {ValueRead::Integer, ValueRead::String,    ValueRead::Real,
                             ValueRead::DateField, ValueRead::String, ValueRead::String};
  const FieldType types[] = {FieldType::Integer, FieldType::String, FieldType::Real,
                             FieldType::Date,    FieldType::String, FieldType::String};
  for (size_t c = 0; c < p.columns.size(); ++c) {
    EXPECT_EQ(p.columns[c].srcIndex, static_cast<int>(c));
    EXPECT_EQ(p.columns[c].srcName, p.columns[c].name);
    EXPECT_EQ(p.columns[c].read, reads[c]) << p.columns[c].name;
    EXPECT_EQ(p.columns[c].type, types[c]) << p.columns[c].name;
  }
  EXPECT_FALSE(p.hasTime);
  EXPECT_EQ(p.id.index, -1);
  EXPECT_EQ(p.layerKind, GeometryKind::Point);
  EXPECT_TRUE(p.readsTypedDates());
}

TEST(ReadPlanTest, AFieldMapRenamesReordersRepeatsAndMatchesWithoutCase) {
  VectorReadOptions o = optionsFor();
  o.fieldMap = {{"名称", "name2"}, {"n", "count"}, {"again", "NAME2"}};
  const ReadPlan p = plan(o);
  EXPECT_EQ(columnNames(p), (std::vector<std::string>{"名称", "n", "again"}));
  EXPECT_EQ(p.columns[0].srcName, "Name2");  // the source's spelling
  EXPECT_EQ(p.columns[0].srcIndex, 1);
  EXPECT_EQ(p.columns[2].srcIndex, 1);
  EXPECT_EQ(p.columns[1].read, ValueRead::Integer);
  // Only mapped fields are read.
  EXPECT_EQ(p.usedFields(6), (std::vector<bool>{true, true, false, false, false, false}));
  EXPECT_FALSE(p.readsTypedDates());
}

TEST(ReadPlanTest, AMissingMappedFieldNamesTheFieldsThereAre) {
  VectorReadOptions o = optionsFor("dir/a.gpkg");
  o.fieldMap = {{"x", "no such field"}};
  EXPECT_EQ(planError(o), "dir/a.gpkg: mapped field (for 'x') 'no such field' is not a field of the source "
                          "(fields: count, Name2, value, day, when, code)");
}

// ---- time and id fields --------------------------------------------------------------------

TEST(ReadPlanTest, TextTimeFieldsAreReadAsDatesInTheSpanAndTheirColumns) {
  VectorReadOptions o = optionsFor();
  o.startField = "WHEN";
  o.endField = "day";
  const ReadPlan p = plan(o);
  EXPECT_TRUE(p.hasTime);
  EXPECT_EQ(p.start.index, 4);
  EXPECT_EQ(p.start.name, "when");
  EXPECT_EQ(p.start.read, ValueRead::DateFromString);
  EXPECT_EQ(p.end.index, 3);
  EXPECT_EQ(p.end.read, ValueRead::DateField);
  // The text column the span comes from becomes a date column; others stay text.
  EXPECT_EQ(p.columns[4].read, ValueRead::DateFromString);
  EXPECT_EQ(p.columns[4].type, FieldType::Date);
  EXPECT_EQ(p.columns[5].read, ValueRead::String);
}

TEST(ReadPlanTest, ATimeOrIdFieldMayBeNamedByItsLayerFieldName) {
  VectorReadOptions o = optionsFor();
  o.fieldMap = {{"开始", "when"}, {"编号", "code"}};
  o.startField = "开始";
  o.idField = "编号";
  const ReadPlan p = plan(o);
  EXPECT_EQ(p.start.index, 4);
  EXPECT_EQ(p.start.name, "when");
  EXPECT_EQ(p.id.index, 5);
  EXPECT_EQ(p.id.name, "code");
  EXPECT_EQ(p.columns[0].read, ValueRead::DateFromString);
  // The id is read even when it is no column.
  o.fieldMap = {{"开始", "when"}};
  o.idField = "code";
  EXPECT_EQ(plan(o).usedFields(6), (std::vector<bool>{false, false, false, false, true, true}));
}

SourceSchema schemaOf(std::vector<SchemaField> fields) {
  SourceSchema s;
  s.fields = std::move(fields);
  return s;
}

TEST(ReadPlanTest, DetectionTakesTheFirstTypedDateFieldThenATextFieldWithADateName) {
  VectorReadOptions o = optionsFor();
  o.detectTime = true;
  // sampleSchema: 'day' is the typed date; 'when' is text with no date name.
  ReadPlan p = plan(o);
  EXPECT_TRUE(p.hasTime);
  EXPECT_EQ(p.start.name, "day");
  EXPECT_EQ(p.start.read, ValueRead::DateField);
  EXPECT_EQ(p.end.index, -1);
  // No typed date: a text field named as a date is read as dates, in its column too.
  const SourceSchema text = schemaOf({{"name", FieldType::String}, {"日期", FieldType::String}});
  p = plan(o, text);
  EXPECT_EQ(p.start.index, 1);
  EXPECT_EQ(p.start.read, ValueRead::DateFromString);
  EXPECT_EQ(p.columns[1].type, FieldType::Date);
  EXPECT_EQ(plan(o, schemaOf({{"Start_Date", FieldType::String}})).start.index, 0);
  // Nothing that looks like a date: no time; numbers named 'date' are no dates.
  EXPECT_FALSE(plan(o, schemaOf({{"name", FieldType::String}, {"date", FieldType::Integer}})).hasTime);
  // Without the flag nothing is found.
  o.detectTime = false;
  EXPECT_FALSE(plan(o, text).hasTime);
}

TEST(ReadPlanTest, DetectionFindsAnEndOnlyBesideAStartAndNamedFieldsWin) {
  VectorReadOptions o = optionsFor();
  o.detectTime = true;
  const SourceSchema s = schemaOf({{"end_date", FieldType::Date}, {"begin", FieldType::String},
                                   {"opened", FieldType::Date}, {"结束日期", FieldType::String}});
  ReadPlan p = plan(o, s);
  EXPECT_EQ(p.start.name, "opened");  // a typed date not named as an end
  EXPECT_EQ(p.end.name, "end_date");  // the first field named as an end
  EXPECT_EQ(detectTimeFields(schemaOf({{"end", FieldType::Date}})).start, -1);
  EXPECT_EQ(detectTimeFields(schemaOf({{"end", FieldType::Date}})).end, -1);
  // A named start is kept; the end is still found.
  o.startField = "begin";
  p = plan(o, s);
  EXPECT_EQ(p.start.name, "begin");
  EXPECT_EQ(p.end.name, "end_date");
  o.endField = "结束日期";
  EXPECT_EQ(plan(o, s).end.index, 3);
}

TEST(ReadPlanTest, TimeAndIdErrorsComeInTheOrderTheReadersGaveThem) {
  VectorReadOptions o = optionsFor("p.shp");
  o.startField = "start";
  o.idField = "nope";
  EXPECT_EQ(planError(o), "p.shp: start field 'start' is not a field of the source "
                          "(fields: count, Name2, value, day, when, code)");
  o.startField.clear();
  o.endField = "end";
  EXPECT_EQ(planError(o).rfind("p.shp: end field 'end' is not a field", 0), 0u);
  o.endField = "VALUE";
  EXPECT_EQ(planError(o), "p.shp: field 'value' holds numbers, not dates; it cannot give a time span");
  o.endField = "count";
  EXPECT_EQ(planError(o), "p.shp: field 'count' holds numbers, not dates; it cannot give a time span");
  o.endField.clear();
  EXPECT_EQ(planError(o).rfind("p.shp: id field 'nope' is not a field", 0), 0u);
  o.idField = "count";  // an integer id is fine: ids are text
  o.fieldMap = {{"x", "missing"}};
  EXPECT_EQ(planError(o).rfind("p.shp: mapped field (for 'x') 'missing'", 0), 0u);
}

TEST(ReadPlanTest, AnIdTheReaderCannotWriteDeclinesOnlyWhenTheReaderCanDecline) {
  SourceSchema s = sampleSchema();
  s.fields[2].usableAsId = false;  // "value", a Real
  VectorReadOptions o = optionsFor();
  o.idField = "value";
  std::string err, declined;
  EXPECT_FALSE(planRead(s, o, o.path, &err, &declined).has_value());
  EXPECT_EQ(declined, "an id field holding reals or dates");
  EXPECT_EQ(err, "");
  // Errors before the id still win, as they did in the GeoJSON reader.
  o.startField = "nope";
  declined.clear();
  EXPECT_FALSE(planRead(s, o, o.path, &err, &declined).has_value());
  EXPECT_EQ(declined, "");
  EXPECT_EQ(err.rfind("data.geojson: start field 'nope'", 0), 0u) << err;
  // A reader that cannot decline (OGR) reads it.
  o.startField.clear();
  EXPECT_EQ(plan(o, s).id.index, 2);
}

// ---- value slots ---------------------------------------------------------------------------

TEST(ReadPlanTest, SlotsAreTheColumnsThenTheStartAndTheEnd) {
  VectorReadOptions o = optionsFor();
  o.fieldMap = {{"a", "count"}, {"b", "when"}};
  o.endField = "day";
  const ReadPlan p = plan(o);
  EXPECT_EQ(p.startSlot(), 2u);
  EXPECT_EQ(p.endSlot(), 3u);
  EXPECT_EQ(p.sourceIndex(0), 0);
  EXPECT_EQ(p.sourceIndex(1), 4);
  EXPECT_EQ(p.sourceIndex(p.startSlot()), -1);  // no start field: an open start
  EXPECT_EQ(p.sourceIndex(p.endSlot()), 3);
  EXPECT_EQ(p.readOf(1), ValueRead::String);
  EXPECT_EQ(p.readOf(p.endSlot()), ValueRead::DateField);
  EXPECT_EQ(p.sourceName(1), "when");
  EXPECT_EQ(p.sourceName(p.endSlot()), "day");
  EXPECT_TRUE(p.readsTypedDates());  // through the end field alone
}

// ---- the CRS -------------------------------------------------------------------------------

std::optional<SourceCrs> northFirstLonLat(std::string*) {
  SourceCrs c;
  c.text = "EPSG:4326";
  c.geographic = true;
  c.swapXY = true;
  return c;
}

TEST(ReadPlanTest, TheCrsComesFromTheSourceUnlessOverridden) {
  VectorReadOptions o = optionsFor();
  ReadPlan p = plan(o);
  std::string err;
  ASSERT_TRUE(planCrs(p, o, northFirstLonLat, &err)) << err;
  EXPECT_EQ(p.crs, "EPSG:4326");
  EXPECT_TRUE(p.geographic);
  EXPECT_TRUE(p.swapXY);
  EXPECT_EQ(p.resultCrs(), "EPSG:4326");

  o.sourceCrs = "EPSG:32651";
  p = plan(o);
  bool asked = false;
  ASSERT_TRUE(planCrs(p, o, [&](std::string* e) { asked = true; return northFirstLonLat(e); }, &err)) << err;
  EXPECT_FALSE(asked);  // the override is not checked against the source
  EXPECT_EQ(p.crs, "EPSG:32651");
  EXPECT_FALSE(p.geographic);
  EXPECT_FALSE(p.swapXY);  // an override is taken in x-east order
  EXPECT_EQ(p.resultCrs(), "EPSG:32651");

  // A plugin's PROJ string is read as the viewer reads one (normalizeCrs): the CRS it
  // names, not a coordinate operation (which PROJ 6+ makes of a bare "+proj=...").
  o.sourceCrs = "+proj=longlat +datum=WGS84";
  p = plan(o);
  ASSERT_TRUE(planCrs(p, o, northFirstLonLat, &err)) << err;
  EXPECT_EQ(p.crs, "+proj=longlat +datum=WGS84 +type=crs");
  EXPECT_TRUE(p.geographic);
}

TEST(ReadPlanTest, CrsErrorsAndGcj02) {
  VectorReadOptions o = optionsFor("g.geojson");
  o.sourceCrs = "EPSG:999999";
  ReadPlan p = plan(o);
  std::string err;
  EXPECT_FALSE(planCrs(p, o, northFirstLonLat, &err));
  EXPECT_EQ(err.rfind("g.geojson: the source CRS is not valid: ", 0), 0u) << err;

  o.sourceCrs.clear();
  auto failing = [](std::string* e) -> std::optional<SourceCrs> {
    *e = "g.geojson: the layer's CRS cannot be written as WKT";
    return std::nullopt;
  };
  EXPECT_FALSE(planCrs(p, o, failing, &err));
  EXPECT_EQ(err, "g.geojson: the layer's CRS cannot be written as WKT");

  // GCJ-02 needs lon/lat; after it the table is in WGS 84 lon/lat.
  o.gcj02 = true;
  o.sourceCrs = "EPSG:32651";
  EXPECT_FALSE(planCrs(p, o, northFirstLonLat, &err));
  EXPECT_EQ(err.rfind("g.geojson: GCJ-02 conversion needs longitude/latitude, but the source CRS is ", 0), 0u) << err;
  o.sourceCrs = "EPSG:4490";  // CGCS2000, geographic
  ASSERT_TRUE(planCrs(p, o, northFirstLonLat, &err)) << err;
  EXPECT_TRUE(p.gcj02);
  EXPECT_EQ(p.crs, "EPSG:4490");
  EXPECT_EQ(p.resultCrs(), "EPSG:4326");
}

TEST(ReadPlanTest, TheExpectedKindIsCarried) {
  VectorReadOptions o = optionsFor();
  o.expectKind = GeometryKind::Polygon;
  SourceSchema s = sampleSchema();
  s.layerKind = GeometryKind::None;
  const ReadPlan p = plan(o, s);
  EXPECT_EQ(p.expectKind, GeometryKind::Polygon);
  EXPECT_EQ(p.layerKind, GeometryKind::None);
}

}  // namespace
}  // namespace bcmap
