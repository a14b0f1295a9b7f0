// DbAsk.cpp — the SQL of a database layer's identify and its answer (DbAsk.h has the rules).
// Sections: 1. identify  2. answers  3. pages
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

// ---- 3. pages ---------------------------------------------------------------------------------------
std::string ctidWindowEnd(const std::string& afterKey, int64_t blocks) {
  // "(b,o)": the block number after the parenthesis.
  const int64_t block = afterKey.size() > 1 ? std::strtoll(afterKey.c_str() + 1, nullptr, 10) : 0;
  return "(" + std::to_string(block + std::max<int64_t>(1, blocks)) + ",0)";
}

DbSql pageSql(const std::string& quotedTable, const DbTableFacts& facts, const DbPageKey& key, const DbPageQuery& q) {
  DbSql out;
  out.params = q.whereParams;
  auto param = [&](std::string v) {
    out.params.push_back(std::move(v));
    return "$" + std::to_string(out.params.size());
  };
  const std::string k = key.offset ? std::string("NULL") : key.column == "ctid" ? "ctid" : quoteSqlIdentifier(key.column);
  const bool sorted = !q.sortColumn.empty();
  const std::string sv = sorted ? quoteSqlIdentifier(q.sortColumn) : std::string("NULL");
  out.text = "SELECT " + k + "::text AS bcmap_k, " + sv + " IS NULL AS bcmap_sn, " + sv + "::text AS bcmap_sv";
  // Output names of bcmap's own: under a column's name ORDER BY "id" would sort its text.
  for (size_t i = 0; i < facts.columns.size(); ++i)
    out.text += ", " + quoteSqlIdentifier(facts.columns[i].name) + "::text AS bcmap_c" + std::to_string(i + 1);
  out.text += " FROM " + quotedTable;
  std::vector<std::string> where;
  if (!q.where.empty()) where.push_back("(" + q.where + ")");
  const bool after = !q.afterKey.empty() && !key.offset;
  // The key compares as its own type: ctid as tid, a primary key as the column's (the
  // parameter's type is the column's).
  auto keyAfter = [&](bool greater) {
    return k + (greater ? " > " : " < ") + param(q.afterKey) + (key.column == "ctid" ? "::tid" : "");
  };
  const bool window = key.column == "ctid" && !key.offset && !sorted && q.ascending && q.where.empty() && q.ctidBlocks > 0;
  if (window) {
    where.push_back("ctid > " + param(after ? q.afterKey : "(0,0)") + "::tid");
    where.push_back("ctid < " + param(ctidWindowEnd(q.afterKey, q.ctidBlocks)) + "::tid");
  } else if (after && !sorted) {
    where.push_back(keyAfter(q.ascending));
  } else if (after && q.afterSortNull) {
    where.push_back("(" + sv + " IS NULL AND " + keyAfter(true) + ")");
  } else if (after) {
    const std::string v = param(q.afterSort);
    where.push_back("(" + sv + (q.ascending ? " > " : " < ") + v + " OR (" + sv + " = " + v + " AND " + keyAfter(true) +
                    ") OR " + sv + " IS NULL)");
  }
  for (size_t i = 0; i < where.size(); ++i) out.text += (i ? " AND " : " WHERE ") + where[i];
  if (sorted)
    out.text += " ORDER BY " + sv + (q.ascending ? " ASC" : " DESC") + " NULLS LAST, " + k + " ASC";
  else if (!key.offset)
    out.text += " ORDER BY " + k + (q.ascending ? " ASC" : " DESC");
  out.text += " LIMIT " + param(std::to_string(std::max(1, q.limit) + 1)) + "::int";
  if (key.offset) out.text += " OFFSET " + param(std::to_string(std::max<int64_t>(0, q.offset))) + "::bigint";
  return out;
}

}  // namespace bcmap
