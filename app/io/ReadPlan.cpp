// ReadPlan.cpp — sections: names · the plan (fields) · the CRS
#include "io/ReadPlan.h"

#include <utility>

#include "io/Projection.h"

namespace bcmap {

// ---- names -----------------------------------------------------------------------------

bool equalNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string joinNames(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

int SourceSchema::find(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (equalNoCase(fields[i].name, name)) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> SourceSchema::names() const {
  std::vector<std::string> out;
  out.reserve(fields.size());
  for (const SchemaField& f : fields) out.push_back(f.name);
  return out;
}

// ---- the plan (fields) ---------------------------------------------------------------------

std::string ReadPlan::resultCrs() const { return gcj02 ? std::string(kLonLatCrs) : crs; }

bool ReadPlan::readsTypedDates() const {
  for (const ColumnPlan& c : columns)
    if (c.read == ValueRead::DateField) return true;
  return start.read == ValueRead::DateField || end.read == ValueRead::DateField;
}

std::vector<bool> ReadPlan::usedFields(size_t fieldCount) const {
  std::vector<bool> used(fieldCount, false);
  for (const ColumnPlan& c : columns) used[static_cast<size_t>(c.srcIndex)] = true;
  for (const PlanField* f : {&start, &end, &id})
    if (f->index >= 0) used[static_cast<size_t>(f->index)] = true;
  return used;
}

int ReadPlan::sourceIndex(size_t slot) const {
  if (slot < columns.size()) return columns[slot].srcIndex;
  return slot == startSlot() ? start.index : end.index;
}

ValueRead ReadPlan::readOf(size_t slot) const {
  if (slot < columns.size()) return columns[slot].read;
  return slot == startSlot() ? start.read : end.read;
}

const std::string& ReadPlan::sourceName(size_t slot) const {
  if (slot < columns.size()) return columns[slot].srcName;
  return slot == startSlot() ? start.name : end.name;
}

namespace {

ValueRead readOfType(FieldType type) {
  switch (type) {
    case FieldType::Integer: return ValueRead::Integer;
    case FieldType::Real: return ValueRead::Real;
    case FieldType::Date: return ValueRead::DateField;
    default: return ValueRead::String;
  }
}

FieldType typeOfRead(ValueRead read) {
  switch (read) {
    case ValueRead::Integer: return FieldType::Integer;
    case ValueRead::Real: return FieldType::Real;
    case ValueRead::String: return FieldType::String;
    case ValueRead::DateField:
    case ValueRead::DateFromString: return FieldType::Date;
  }
  return FieldType::String;
}

// Names people give a date column (compared ignoring ASCII case).
constexpr std::string_view kStartNames[] = {"date",       "start",     "start_date", "startdate", "begin",
                                            "begin_date", "from_date", "day",        "datetime",  "timestamp",
                                            "日期",       "开始日期",  "开始",       "开始时间",  "时间"};
constexpr std::string_view kEndNames[] = {"end",     "end_date", "enddate", "finish",   "until",
                                          "to_date", "结束",     "结束日期", "结束时间", "截止日期"};

bool nameIn(std::string_view name, const auto& names) {
  for (std::string_view n : names)
    if (equalNoCase(name, n)) return true;
  return false;
}

}  // namespace

DetectedTime detectTimeFields(const SourceSchema& schema) {
  DetectedTime d;
  const auto& fs = schema.fields;
  // A typed date field first (not one named as an end), then a text field with a date name.
  for (size_t i = 0; d.start < 0 && i < fs.size(); ++i)
    if (fs[i].type == FieldType::Date && !nameIn(fs[i].name, kEndNames)) d.start = static_cast<int>(i);
  for (size_t i = 0; d.start < 0 && i < fs.size(); ++i)
    if (fs[i].type == FieldType::String && nameIn(fs[i].name, kStartNames)) d.start = static_cast<int>(i);
  if (d.start < 0) return d;
  for (size_t i = 0; d.end < 0 && i < fs.size(); ++i)
    if (static_cast<int>(i) != d.start && (fs[i].type == FieldType::Date || fs[i].type == FieldType::String) &&
        nameIn(fs[i].name, kEndNames))
      d.end = static_cast<int>(i);
  return d;
}

std::optional<ReadPlan> planRead(const SourceSchema& schema, const VectorReadOptions& o, std::string prefix,
                                 std::string* err, std::string* declined) {
  ReadPlan plan;
  plan.prefix = std::move(prefix);
  plan.expectKind = o.expectKind;
  plan.layerKind = schema.layerKind;
  auto fail = [&](std::string message) -> std::optional<ReadPlan> {
    if (err != nullptr) *err = std::move(message);
    return std::nullopt;
  };
  auto missingField = [&](const std::string& what, const std::string& name) {
    return fail(plan.prefix + ": " + what + " '" + name + "' is not a field of the source (fields: " +
                joinNames(schema.names()) + ")");
  };
  // A time/id field: a source field name, or a layer field name from the field map.
  auto resolve = [&](const std::string& name) {
    int index = schema.find(name);
    if (index < 0)
      for (const auto& [layerField, sourceField] : o.fieldMap)
        if (layerField == name) index = schema.find(sourceField);
    return index;
  };
  auto field = [&](int index) -> const SchemaField& { return schema.fields[static_cast<size_t>(index)]; };
  auto timeField = [&](const std::string& name, PlanField& out) -> bool {
    out.index = resolve(name);
    if (out.index < 0) return false;
    out.name = field(out.index).name;
    out.read = readOfType(field(out.index).type);
    if (out.read == ValueRead::String) out.read = ValueRead::DateFromString;
    return true;
  };
  if (!o.startField.empty() && !timeField(o.startField, plan.start)) return missingField("start field", o.startField);
  if (!o.endField.empty() && !timeField(o.endField, plan.end)) return missingField("end field", o.endField);
  if (o.detectTime) {
    const DetectedTime found = detectTimeFields(schema);
    if (o.startField.empty() && found.start >= 0) timeField(field(found.start).name, plan.start);
    if (o.endField.empty() && found.end >= 0 && plan.start.index >= 0 && found.end != plan.start.index)
      timeField(field(found.end).name, plan.end);
  }
  for (const PlanField* f : {&plan.start, &plan.end}) {
    if (f->index >= 0 && f->read != ValueRead::DateField && f->read != ValueRead::DateFromString)
      return fail(plan.prefix + ": field '" + f->name + "' holds numbers, not dates; it cannot give a time span");
  }
  plan.hasTime = plan.start.index >= 0 || plan.end.index >= 0;
  if (!o.idField.empty()) {
    plan.id.index = resolve(o.idField);
    if (plan.id.index < 0) return missingField("id field", o.idField);
    plan.id.name = field(plan.id.index).name;
    if (declined != nullptr && !field(plan.id.index).usableAsId) {
      *declined = "an id field holding reals or dates";
      return std::nullopt;
    }
  }
  auto addColumn = [&](const std::string& name, int index) {
    ColumnPlan c;
    c.name = name;
    c.srcIndex = index;
    c.srcName = field(index).name;
    c.read = readOfType(field(index).type);
    if (c.read == ValueRead::String && (index == plan.start.index || index == plan.end.index))
      c.read = ValueRead::DateFromString;
    c.type = typeOfRead(c.read);
    plan.columns.push_back(std::move(c));
  };
  if (o.fieldMap.empty()) {
    for (size_t i = 0; i < schema.fields.size(); ++i) addColumn(schema.fields[i].name, static_cast<int>(i));
  } else {
    for (const auto& [layerField, sourceField] : o.fieldMap) {
      const int index = schema.find(sourceField);
      if (index < 0) return missingField("mapped field (for '" + layerField + "')", sourceField);
      addColumn(layerField, index);
    }
  }
  return plan;
}

// ---- the CRS -------------------------------------------------------------------------------

bool planCrs(ReadPlan& plan, const VectorReadOptions& o,
             const std::function<std::optional<SourceCrs>(std::string* err)>& fromSource, std::string* err) {
  SourceCrs crs;
  if (!o.sourceCrs.empty()) {
    // A plugin's CRS text is read as the viewer's box and --crs read theirs (normalizeCrs:
    // "+proj=longlat +datum=WGS84" is the CRS, not an operation).
    std::string why;
    std::optional<std::string> normal = normalizeCrs(o.sourceCrs, &why);
    if (!normal) {
      if (err != nullptr) *err = plan.prefix + ": the source CRS is not valid: " + why;
      return false;
    }
    crs.text = std::move(*normal);
    crs.geographic = isGeographicCrs(crs.text);
  } else {
    std::optional<SourceCrs> found = fromSource(err);
    if (!found) return false;
    crs = std::move(*found);
  }
  if (o.gcj02 && !crs.geographic) {
    if (err != nullptr)
      *err = plan.prefix + ": GCJ-02 conversion needs longitude/latitude, but the source CRS is " +
             (crsName(crs.text).empty() ? crs.text : crsName(crs.text));
    return false;
  }
  plan.crs = std::move(crs.text);
  plan.geographic = crs.geographic;
  plan.swapXY = crs.swapXY;
  plan.gcj02 = o.gcj02;
  return true;
}

}  // namespace bcmap
