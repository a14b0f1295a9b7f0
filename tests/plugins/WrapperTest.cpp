// The SDK's C++ wrapper (bcmap_plugin.hpp, the MapLayer way) seen from the C side, as the
// host sees it: what the glue hands back outlives the temporaries it was built from, struct
// sizes and counts are filled in, values are read by field name, settings parse.
//
// Sections: 1. a layer built from temporaries  2. style, legend, settings through the C
// glue  3. values by name  4. reading and emitting
#include <gtest/gtest.h>

#include <bcmap/bcmap_plugin.hpp>

#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace bcmap::sdk;

// ---- 1. a layer built from temporaries -----------------------------------------------
// Every string it hands over is built at run time in a local: with storage owned by the
// layer author, each would dangle once the callback returned (ASan: heap-use-after-free).
class Temporaries : public MapLayer {
 public:
  Info info() override {
    Info i;
    i.id = std::string("temp") + "oraries";
    i.nameZh = "临时";
    i.nameEn = "Temporaries";
    i.geometryKind = BCMAP_GEOM_POINT;
    return i;
  }
  void load(const Reader& reader) override {
    VectorRequest r = file_.request();
    r.startField = std::string("op") + "ened";
    r.filter = "\"" + file_.sourceName("jobs") + "\" > 1";
    reader.read(r);
  }
  Style style() override {
    std::vector<Category> cats;
    for (int k = 0; k < 3; ++k) cats.push_back({std::to_string(2016 + k), rgba(uint8_t(k), 0, 0), "year " + std::to_string(2016 + k)});
    return Style::single(rgba(1, 2, 3), rgba(4, 5, 6), 2.0f, 9.0f)
        .categorized(std::string("ye") + "ar", cats)
        .labels(std::string("name") + "_zh", "", 10, 180000)
        .symbol(BCMAP_SYMBOL_DIAMOND);
  }
  std::vector<LegendEntry> legend() override { return style().legend(BCMAP_GEOM_POINT, true); }
  std::string describeFeature(const Row& f) override {
    return f["name_zh"].text() + " jobs " + std::to_string(f["jobs"].asInt() * 2);
  }
  bool hasStyleFeature() const override { return true; }
  bool styleFeature(const Row& f, bcmap_feature_style_v1& out) override {
    out.has_size = 1;
    out.point_size_px = proportionalDiscPx(f["jobs"].asDouble(), 1.0, 2, 20);
    return true;
  }

  VectorFile file_{*this, "temporaries",
                   {.defaultPath = "points.geojson",
                    .pathLabel = "File",
                    .mappingLabel = "Fields",
                    .fields = {"code", "name_zh", "jobs", "opened"}}};
  Setting<int>& size_ = addSetting<int>(BCMAP_SETTING_INT, "size", "Size", "8").range(1, 40);
  Setting<bcmap_rgba>& colour_ = addSetting<bcmap_rgba>(BCMAP_SETTING_COLOR, "colour", "Colour", "#3a6fb0");
  Setting<Date>& from_ = addSetting<Date>(BCMAP_SETTING_DATE, "from", "From", "2016-01-07");
  Setting<std::string>& mode_ =
      addSetting<std::string>(BCMAP_SETTING_ENUM, "mode", "Mode", "dots").options({"dots", "discs"});
  int changes_ = 0;
  Setting<float>& scale_ = addSetting<float>(BCMAP_SETTING_FLOAT, "scale", "Scale", "1.5").onChange([this](const float&) { ++changes_; });
};

// Overwrites freed heap, so a pointer into it reads garbage even without ASan.
void churnHeap() {
  std::vector<std::string> junk;
  for (int i = 0; i < 2000; ++i) junk.emplace_back(64, char('a' + i % 26));
}

struct Instance {
  const bcmap_plugin_v1* v = MapGlue<Temporaries>::vtable();
  void* self = v->create();
  char err[256] = {0};
  ~Instance() { v->destroy(self); }
  Temporaries& layer() { return *static_cast<Temporaries*>(static_cast<MapLayer*>(self)); }
};

// ---- 2. style, legend, settings through the C glue --------------------------------------
TEST(Wrapper, StyleFromTemporariesOutlivesTheCallback) {
  Instance p;
  bcmap_style_v1 s{};
  s.struct_size = sizeof s;
  ASSERT_EQ(p.v->style(p.self, &s, p.err, sizeof p.err), BCMAP_OK) << p.err;
  churnHeap();
  EXPECT_EQ(s.struct_size, sizeof s);
  EXPECT_EQ(s.kind, uint32_t(BCMAP_STYLE_CATEGORIZED));
  EXPECT_STREQ(s.field, "year");
  ASSERT_EQ(s.category_count, 3u);
  for (uint32_t k = 0; k < 3; ++k) {
    EXPECT_EQ(s.categories[k].struct_size, sizeof(bcmap_category_v1));
    EXPECT_EQ(s.categories[k].value, std::to_string(2016 + k));
    EXPECT_EQ(s.categories[k].label, "year " + std::to_string(2016 + k));
    EXPECT_EQ(s.categories[k].fill.r, k);
  }
  EXPECT_EQ(s.classes, nullptr);
  EXPECT_EQ(s.class_count, 0u);
  EXPECT_STREQ(s.label_field, "name_zh");
  EXPECT_EQ(s.label_secondary_field, nullptr);  // empty: no second line
  EXPECT_EQ(s.label_priority, 10);
  EXPECT_EQ(s.label_max_scale, 180000);
  EXPECT_EQ(s.point_symbol, uint32_t(BCMAP_SYMBOL_DIAMOND));
  EXPECT_EQ(s.point_size_px, 9.0f);
  EXPECT_EQ(s.opacity, 1.0f);
}

TEST(Wrapper, AnOlderHostGetsOnlyWhatFitsItsStruct) {
  Instance p;
  bcmap_style_v1 s{};
  s.struct_size = offsetof(bcmap_style_v1, label_max_scale);  // a 1.1 host
  s.label_priority = -7;
  ASSERT_EQ(p.v->style(p.self, &s, p.err, sizeof p.err), BCMAP_OK) << p.err;
  EXPECT_EQ(s.label_priority, -7);
  EXPECT_EQ(s.category_count, 3u);
}

// What a 1.3 host does right after create().
void attach13(Instance& p) {
  bcmap_host_context_v1 ctx{sizeof ctx, 1, 3, "/plugins/temporaries", "/data"};
  ASSERT_EQ(p.v->attach(p.self, &ctx, p.err, sizeof p.err), BCMAP_OK) << p.err;
}

TEST(Wrapper, LegendAndInfoFromTemporariesOutliveTheCallback) {
  Instance p;
  attach13(p);
  const bcmap_legend_entry_v1* entries = nullptr;
  uint32_t count = 0;
  ASSERT_EQ(p.v->legend(p.self, &entries, &count, p.err, sizeof p.err), BCMAP_OK) << p.err;
  bcmap_layer_info_v1 info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(p.v->describe(p.self, &info, p.err, sizeof p.err), BCMAP_OK) << p.err;
  churnHeap();
  ASSERT_EQ(count, 3u);
  EXPECT_EQ(entries[1].struct_size, sizeof(bcmap_legend_entry_v1));
  EXPECT_STREQ(entries[1].label, "year 2017");
  EXPECT_EQ(entries[1].stroke.r, entries[1].fill.r);  // strokeIsFill
  EXPECT_EQ(entries[1].geometry_kind, uint32_t(BCMAP_GEOM_POINT));
  EXPECT_STREQ(info.id, "temporaries");
  EXPECT_STREQ(info.version, "1.0.0");
}

// A host older than 1.3 never attaches and steps through the legend by the 1.0 entry size
// (it knows no size_px): the entries must lie at that stride, or its second entry would be
// read from the middle of the first.
TEST(Wrapper, AnOlderHostsLegendStepsByTheOneZeroEntry) {
  Instance p;
  const bcmap_legend_entry_v1* entries = nullptr;
  uint32_t count = 0;
  ASSERT_EQ(p.v->legend(p.self, &entries, &count, p.err, sizeof p.err), BCMAP_OK) << p.err;
  ASSERT_EQ(count, 3u);
  const size_t size10 = offsetof(bcmap_legend_entry_v1, size_px);  // 32 on 64-bit: 28 rounded up
  ASSERT_LT(size10, sizeof(bcmap_legend_entry_v1));
  const auto* bytes = reinterpret_cast<const unsigned char*>(entries);
  for (uint32_t i = 0; i < count; ++i) {
    bcmap_legend_entry_v1 e{};
    std::memcpy(&e, bytes + i * size10, size10);
    EXPECT_EQ(e.struct_size, size10) << i;
    EXPECT_EQ(e.geometry_kind, uint32_t(BCMAP_GEOM_POINT)) << i;
  }
  bcmap_legend_entry_v1 second{};
  std::memcpy(&second, bytes + size10, size10);
  EXPECT_STREQ(second.label, "year 2017");
}

TEST(Wrapper, SettingsAreDeclaredWithTheirDefaultsRangesAndChoices) {
  Instance p;
  const bcmap_setting_v1* s = nullptr;
  uint32_t count = 0;
  ASSERT_EQ(p.v->settings(p.self, &s, &count, p.err, sizeof p.err), BCMAP_OK) << p.err;
  churnHeap();
  ASSERT_EQ(count, 7u);
  EXPECT_STREQ(s[0].key, "path");
  EXPECT_EQ(s[0].type, uint32_t(BCMAP_SETTING_PATH));
  EXPECT_EQ(s[0].reload, 1u);
  EXPECT_STREQ(s[0].default_value, "points.geojson");
  EXPECT_STREQ(s[1].key, "fields");
  EXPECT_EQ(s[1].reload, 1u);
  EXPECT_STREQ(s[2].key, "size");
  EXPECT_EQ(s[2].struct_size, sizeof(bcmap_setting_v1));
  EXPECT_EQ(s[2].min_value, 1);
  EXPECT_EQ(s[2].max_value, 40);
  EXPECT_EQ(s[2].reload, 0u);
  EXPECT_STREQ(s[5].key, "mode");
  ASSERT_EQ(s[5].option_count, 2u);
  EXPECT_STREQ(s[5].options[1], "discs");
  // Defaults hold before any update.
  EXPECT_EQ(*p.layer().size_, 8);
  EXPECT_EQ(p.layer().from_->year(), 2016);
  EXPECT_EQ(p.layer().from_->dayOfMonth(), 7);
}

TEST(Wrapper, SettingsParseClampAndReportBadValues) {
  Instance p;
  Temporaries& l = p.layer();
  auto update = [&](const char* key, const char* value) { return p.v->update(p.self, key, value, p.err, sizeof p.err); };
  ASSERT_EQ(update("colour", "#102030"), BCMAP_OK) << p.err;
  EXPECT_EQ(l.colour_->r, 0x10);
  EXPECT_EQ(l.colour_->b, 0x30);
  EXPECT_EQ(l.colour_->a, 255);
  ASSERT_EQ(update("colour", "#10203080"), BCMAP_OK) << p.err;
  EXPECT_EQ(l.colour_->a, 0x80);
  EXPECT_EQ(update("colour", "blue"), BCMAP_ERROR);
  EXPECT_NE(std::string(p.err).find("setting 'colour'"), std::string::npos) << p.err;
  ASSERT_EQ(update("size", "99"), BCMAP_OK) << p.err;
  EXPECT_EQ(*l.size_, 40);  // clamped to the range
  EXPECT_EQ(update("size", "8px"), BCMAP_ERROR);
  ASSERT_EQ(update("size", ""), BCMAP_OK) << p.err;
  EXPECT_EQ(*l.size_, 8);  // empty: the default
  ASSERT_EQ(update("from", "2020-02-29"), BCMAP_OK) << p.err;
  EXPECT_EQ(l.from_->day, Date::fromCivil(2020, 2, 29).day);
  EXPECT_EQ(l.from_->text(), "2020-02-29");
  EXPECT_EQ(update("from", "spring"), BCMAP_ERROR);
  EXPECT_EQ(update("mode", "stars"), BCMAP_ERROR);
  ASSERT_EQ(update("mode", "discs"), BCMAP_OK) << p.err;
  EXPECT_EQ(*l.mode_, "discs");
  ASSERT_EQ(update("scale", "2.5"), BCMAP_OK) << p.err;
  EXPECT_EQ(*l.scale_, 2.5f);
  EXPECT_EQ(l.changes_, 1);
  EXPECT_EQ(update("fields", "jobs=JOBS,nope=X"), BCMAP_OK);  // checked when used
}

// ---- 3. values by name --------------------------------------------------------------------
struct Table {
  std::vector<bcmap_field_v1> fields{{sizeof(bcmap_field_v1), "name_zh", BCMAP_FIELD_STRING},
                                     {sizeof(bcmap_field_v1), "jobs", BCMAP_FIELD_INTEGER},
                                     {sizeof(bcmap_field_v1), "share", BCMAP_FIELD_REAL},
                                     {sizeof(bcmap_field_v1), "opened", BCMAP_FIELD_DATE},
                                     {sizeof(bcmap_field_v1), "closed", BCMAP_FIELD_DATE}};
  std::vector<bcmap_value_v1> values{{sizeof(bcmap_value_v1), 0, 0, 0, "甲村"},
                                     {sizeof(bcmap_value_v1), 0, 12, 0, "12"},
                                     {sizeof(bcmap_value_v1), 0, 0, 0.25, "0.25"},
                                     {sizeof(bcmap_value_v1), 0, Date::fromCivil(2018, 6, 1).day, 0, "2018-06-01"},
                                     {sizeof(bcmap_value_v1), 1, 0, 0, nullptr}};
  Row row() const { return Row(fields.data(), values.data(), uint32_t(values.size())); }
};

TEST(Wrapper, ValuesByName) {
  const Table t;
  const Row r = t.row();
  EXPECT_EQ(r["name_zh"].text(), "甲村");
  EXPECT_EQ(r["jobs"].asInt(), 12);
  EXPECT_EQ(r["jobs"].asDouble(), 12.0);
  EXPECT_EQ(r["share"].asDouble(), 0.25);
  const Date d = r["opened"].asDate();
  EXPECT_EQ(d.year(), 2018);
  EXPECT_EQ(d.month(), 6);
  EXPECT_EQ(d.dayOfMonth(), 1);
  EXPECT_TRUE(r["closed"].isNull());
  EXPECT_EQ(r["closed"].text("?"), "?");
  EXPECT_TRUE(r["closed"].asDate().isOpen());
  EXPECT_THROW(r["closed"].asInt(), Error);
  EXPECT_FALSE(r.has("nope"));
  EXPECT_TRUE(r.get("nope").isNull());
  EXPECT_EQ(r["name_zh"].asBool(), false);
}

TEST(Wrapper, AnUnknownFieldNamesTheFieldsThatExist) {
  const Table t;
  try {
    (void)t.row()["job"];
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "no field 'job'; the fields are: name_zh, jobs, share, opened, closed");
  }
}

TEST(Wrapper, DescribeFeatureReadsByNameThroughTheGlue) {
  Instance p;
  const Table t;
  char text[128];
  ASSERT_EQ(p.v->describe_feature(p.self, 0, t.fields.data(), t.values.data(), uint32_t(t.values.size()), text,
                                  sizeof text, p.err, sizeof p.err),
            BCMAP_OK)
      << p.err;
  EXPECT_STREQ(text, "甲村 jobs 24");
  // One field short: the message names the missing field and the ones there are.
  ASSERT_EQ(p.v->describe_feature(p.self, 0, t.fields.data(), t.values.data(), 1, text, sizeof text, p.err,
                                  sizeof p.err),
            BCMAP_ERROR);
  EXPECT_STREQ(p.err, "no field 'jobs'; the fields are: name_zh");
}

TEST(Wrapper, DatesRoundTrip) {
  EXPECT_EQ(Date::fromCivil(1970, 1, 1).day, 0);
  EXPECT_EQ(Date::parse("2016-01-01")->day, 16801);
  for (int32_t day : {-1000, 0, 16801, 18262, 20000}) EXPECT_EQ(Date::parse(Date{day}.text())->day, day);
  EXPECT_FALSE(Date::parse("2016-13-01"));
  EXPECT_FALSE(Date::parse("2016-1-01"));
  EXPECT_EQ(parseColour("#ff000080")->a, 0x80);
  EXPECT_FALSE(parseColour("#ff00"));
}

// ---- 4. reading and emitting ------------------------------------------------------------
struct FakeHost {
  std::vector<std::pair<std::string, std::string>> map;
  std::string path, filter, start;
  uint32_t mapSize = 0, reqSize = 0;
  std::vector<std::string> declared;
  std::vector<int32_t> starts, ends;
  std::vector<std::string> texts;
  bcmap_loader_v1 loader() {
    bcmap_loader_v1 l{};
    l.struct_size = sizeof l;
    l.ctx = this;
    l.read_vector = [](void* ctx, const bcmap_vector_request_v1* r, char*, size_t) {
      FakeHost& h = *static_cast<FakeHost*>(ctx);
      h.reqSize = r->struct_size;
      h.mapSize = r->field_map_count;
      for (uint32_t k = 0; k < r->field_map_count; ++k) h.map.push_back({r->field_map[k].layer_field, r->field_map[k].source_field});
      h.path = r->path;
      h.filter = r->attribute_filter ? r->attribute_filter : "";
      h.start = r->start_field ? r->start_field : "";
      return BCMAP_OK;
    };
    l.declare_fields = [](void* ctx, const bcmap_field_v1* f, uint32_t n) {
      for (uint32_t k = 0; k < n; ++k) static_cast<FakeHost*>(ctx)->declared.push_back(f[k].name);
      return BCMAP_OK;
    };
    l.emit_batch = [](void* ctx, const bcmap_batch_v1* b) {
      FakeHost& h = *static_cast<FakeHost*>(ctx);
      for (uint32_t f = 0; f < b->feature_count; ++f) {
        h.starts.push_back(b->start_day[f]);
        h.ends.push_back(b->end_day[f]);
        h.texts.push_back(b->values[f * 2].str_value);
      }
      return BCMAP_OK;
    };
    return l;
  }
};

TEST(Wrapper, ARequestCarriesTheMappedFieldsAndItsSizes) {
  Instance p;
  ASSERT_EQ(p.v->update(p.self, "fields", "jobs=JOBS", p.err, sizeof p.err), BCMAP_OK);
  FakeHost host;
  const bcmap_loader_v1 l = host.loader();
  ASSERT_EQ(p.v->load(p.self, &l, p.err, sizeof p.err), BCMAP_OK) << p.err;
  EXPECT_EQ(host.reqSize, sizeof(bcmap_vector_request_v1));
  EXPECT_EQ(host.path, "points.geojson");
  ASSERT_EQ(host.mapSize, 4u);
  EXPECT_EQ(host.map[2], (std::pair<std::string, std::string>("jobs", "JOBS")));
  EXPECT_EQ(host.filter, "\"JOBS\" > 1");
  EXPECT_EQ(host.start, "opened");
  ASSERT_EQ(p.v->update(p.self, "fields", "nope=X", p.err, sizeof p.err), BCMAP_OK);
  EXPECT_EQ(p.v->load(p.self, &l, p.err, sizeof p.err), BCMAP_ERROR);
  EXPECT_NE(std::string(p.err).find("'nope=X'"), std::string::npos) << p.err;
}

class Spans : public MapLayer {
 public:
  Info info() override { return Info{}; }
  Style style() override { return Style{}; }
  void load(const Reader& reader) override {
    reader.declare({{"state", BCMAP_FIELD_STRING}, {"jobs", BCMAP_FIELD_INTEGER}});
    Features out;
    const Geometry g = Geometry::point(1, 2);
    auto row = [](const char* s, int64_t jobs) { return std::vector<Cell>{Cell::text(s), Cell::integer(jobs)}; };
    out.addSpans(g, {{Date{}, row("poor", 1)}, {Date{100}, row("exited", 2)}});
    out.addSpans(g, {{Date{}, row("poor", 3)}, {Date{50}, std::nullopt}});
    reader.emit(out);
  }
  bool hasStyleFeature() const override { return true; }
  bool styleFeature(const Row& f, bcmap_feature_style_v1& out) override {
    out.has_size = 1;
    out.point_size_px = float(f["jobs"].asInt());
    return true;
  }
};

TEST(Wrapper, StateSpansRunUntilTheDayBeforeTheNextState) {
  const bcmap_plugin_v1* v = MapGlue<Spans>::vtable();
  void* self = v->create();
  FakeHost host;
  const bcmap_loader_v1 l = host.loader();
  char err[256] = {0};
  ASSERT_EQ(v->load(self, &l, err, sizeof err), BCMAP_OK) << err;
  EXPECT_EQ(host.declared, (std::vector<std::string>{"state", "jobs"}));
  EXPECT_EQ(host.texts, (std::vector<std::string>{"poor", "exited", "poor"}));
  EXPECT_EQ(host.starts, (std::vector<int32_t>{BCMAP_NO_DAY, 100, BCMAP_NO_DAY}));
  EXPECT_EQ(host.ends, (std::vector<int32_t>{99, BCMAP_NO_DAY, 49}));
  // styleFeature gets the declared names: values come without fields in the C call.
  const bcmap_value_v1 values[2] = {{sizeof(bcmap_value_v1), 0, 0, 0, "poor"}, {sizeof(bcmap_value_v1), 0, 7, 0, "7"}};
  bcmap_feature_style_v1 out{};
  out.struct_size = sizeof out;
  ASSERT_EQ(v->style_feature(self, 0, values, 2, &out, err, sizeof err), BCMAP_OK) << err;
  EXPECT_EQ(out.point_size_px, 7.0f);
  v->destroy(self);
}

TEST(Wrapper, ClassStepsFollowARunningCount) {
  // Ten villages, classes of 20 %: the count enters a new class at 2, 4, 6, 8 and 10.
  std::vector<Date> days;
  for (int32_t d : {5, 1, 2, 2, 3, 9, 9, 9}) days.push_back(Date{d});
  days.push_back(Date{});  // never reached: counts in the total, never as reached
  days.push_back(Date{});
  const auto steps = classSteps(days, [](size_t n) { return int(n * 5 / 10); });
  // Day 2 ends with 3 reached (class 1); day 3: 4 (class 2); day 5: 5; day 9: 8 (class 4).
  const std::vector<std::pair<Date, size_t>> expected{{Date{}, 0}, {Date{2}, 3}, {Date{3}, 4}, {Date{9}, 8}};
  EXPECT_EQ(steps, expected);
}

class Changes : public MapLayer {
 public:
  Info info() override { return Info{}; }
  Style style() override { return Style{}; }
  void load(const Reader& reader) override {
    reader.declare({{"state"}, {"n", BCMAP_FIELD_INTEGER}});
    Features out;
    const Geometry g = Geometry::point(1, 2);
    auto row = [](const char* s, int64_t n) { return std::vector<Cell>{Cell::text(s), Cell::integer(n)}; };
    out.addChange(g, Date{10}, row("before", 1), row("after", 1));
    out.addChange(g, Date{}, row("never", 2), row("unused", 2));
    out.addSteps(g, std::vector<std::pair<Date, int>>{{Date{}, 3}, {Date{20}, 4}},
                 [&](int n, Date, Date until) { return row(until.isOpen() ? "last" : "first", n); });
    reader.emit(out);
  }
};

TEST(Wrapper, ChangesAndStepsGiveSpans) {
  const bcmap_plugin_v1* v = MapGlue<Changes>::vtable();
  void* self = v->create();
  FakeHost host;
  const bcmap_loader_v1 l = host.loader();
  char err[256] = {0};
  ASSERT_EQ(v->load(self, &l, err, sizeof err), BCMAP_OK) << err;
  EXPECT_EQ(host.texts, (std::vector<std::string>{"before", "after", "never", "first", "last"}));
  EXPECT_EQ(host.starts, (std::vector<int32_t>{BCMAP_NO_DAY, 10, BCMAP_NO_DAY, BCMAP_NO_DAY, 20}));
  EXPECT_EQ(host.ends, (std::vector<int32_t>{9, BCMAP_NO_DAY, BCMAP_NO_DAY, 19, BCMAP_NO_DAY}));
  v->destroy(self);
}

TEST(Wrapper, RegionsJoinTheirPartsAndReadRowsByName) {
  const bcmap_field_v1 fields[2] = {{sizeof(bcmap_field_v1), "adcode", BCMAP_FIELD_STRING},
                                    {sizeof(bcmap_field_v1), "name", BCMAP_FIELD_STRING}};
  const bcmap_value_v1 values[6] = {{sizeof(bcmap_value_v1), 0, 0, 0, "1"}, {sizeof(bcmap_value_v1), 0, 0, 0, "甲"},
                                    {sizeof(bcmap_value_v1), 0, 0, 0, "2"}, {sizeof(bcmap_value_v1), 0, 0, 0, "乙"},
                                    {sizeof(bcmap_value_v1), 0, 0, 0, "1"}, {sizeof(bcmap_value_v1), 0, 0, 0, "甲"}};
  // Three polygons of one ring each: 3, 4 and 3 vertices.
  const uint32_t parts[3] = {1, 1, 1}, rings[3] = {1, 1, 1}, vertices[3] = {3, 4, 3};
  std::vector<double> xy(20);
  for (size_t i = 0; i < xy.size(); ++i) xy[i] = double(i);
  bcmap_batch_v1 b{};
  b.struct_size = sizeof b;
  b.feature_count = 3;
  b.parts_per_feature = parts;
  b.rings_per_part = rings;
  b.vertices_per_ring = vertices;
  b.xy = xy.data();
  b.values = values;
  const Rows rows("EPSG:4326", fields, 2, b);
  EXPECT_NO_THROW(rows.requireLonLat("x"));
  EXPECT_EQ(rows.geometry(1).xy.front(), 6.0);
  EXPECT_EQ(rows.point(2).xy, (std::vector<double>{14, 15}));
  Regions regions;
  regions.add(rows, "adcode");
  Region* one = regions.find("1");
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->geometry.rings, (std::vector<uint32_t>{1, 1}));
  EXPECT_EQ(one->geometry.vertices, (std::vector<uint32_t>{3, 3}));
  EXPECT_EQ(one->geometry.xy.size(), 12u);
  EXPECT_EQ(one->text("name"), "甲");
  EXPECT_TRUE(one->cell("nope").v.is_null);
  EXPECT_EQ(regions.find("3"), nullptr);
  try {
    rows.require({"adcode", "code"}, "counties.geojson");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "counties.geojson: no field 'code'; the fields are: adcode, name");
  }
}

}  // namespace
