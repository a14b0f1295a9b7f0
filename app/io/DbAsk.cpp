// DbAsk.cpp — the SQL of a database layer's identify and its answer (DbAsk.h has the rules).
// Sections: 1. identify  2. answers
#include "io/DbAsk.h"

#include <algorithm>
#include <cstdlib>

#include "io/DbSource.h"

namespace bcmap {

// ---- 1. identify --------------------------------------------------------------------------------
DbSql identifySql(const std::string& quotedTable, const DbTableFacts& facts, Vec2 at, const Bounds& near, int limit) {
  DbSql q;
  const std::string g = quoteSqlIdentifier(facts.info.geomColumn);
  // $1 $2: the place; $3..$6: the box the hover radius covers; $7: the SRID; $8: how many
  // rows; $9: the count's cap.
  q.params = {sqlNumber(at.x),      sqlNumber(at.y),      sqlNumber(near.minX),
              sqlNumber(near.minY), sqlNumber(near.maxX), sqlNumber(near.maxY),
              std::to_string(facts.info.srid), std::to_string(std::max(1, limit)), std::to_string(kDbAskCountCap + 1)};
  const std::string point = "ST_SetSRID(ST_MakePoint($1::float8, $2::float8), $7::int)";
  q.text = "SELECT (SELECT count(*) FROM (SELECT 1 FROM " + quotedTable + " WHERE " + g +
           " && ST_MakeEnvelope($3::float8, $4::float8, $5::float8, $6::float8, $7::int) LIMIT $9::int) c) AS here, "
           "ST_Distance(" + g + ", " + point + ") AS dist";
  for (const DbTableFacts::Column& c : facts.columns) q.text += ", " + quoteSqlIdentifier(c.name) + "::text";
  // The nearest-neighbour order uses the GiST index without a box: the nearest row of a
  // grid cell under the cursor is found wherever it lies in the cell.
  q.text += " FROM " + quotedTable + " WHERE " + g + " IS NOT NULL ORDER BY " + g + " <-> " + point + " LIMIT $8::int";
  return q;
}

// ---- 2. answers ------------------------------------------------------------------------------------
DbAskAnswer readIdentifyAnswer(const DbTableFacts& facts, const std::vector<std::vector<std::string>>& rows) {
  DbAskAnswer a;
  for (const auto& r : rows) {
    if (r.size() < 2 + facts.columns.size()) continue;
    a.here = std::strtoll(r[0].c_str(), nullptr, 10);
    DbAskRow row;
    row.dist = std::strtod(r[1].c_str(), nullptr);
    for (size_t i = 0; i < facts.columns.size(); ++i) row.attributes.emplace_back(facts.columns[i].name, r[2 + i]);
    a.rows.push_back(std::move(row));
  }
  return a;
}

std::string describeAskAnswer(const DbAskAnswer& answer) {
  if (answer.rows.empty()) return {};
  std::string out;
  const int64_t n = answer.here;
  if (n > 1)
    out += (n > kDbAskCountCap ? "> " + std::to_string(kDbAskCountCap) : std::to_string(n)) + " 条 rows here\n";
  for (const auto& [k, v] : answer.rows.front().attributes) out += k + ": " + v + "\n";
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace bcmap
