// CliDb.cpp — `bcmap db prepare` (CliDb.h).
#include "cli/CliDb.h"

#include <cstdio>
#include <memory>
#include <string>

#include "io/DbQuery.h"
#include "io/DbSource.h"
#include "io/NetworkGuard.h"

namespace bcmap {

int runDb(const CliOptions& o) {
  const std::string& text = o.files.at(0);
  auto fail = [](const std::string& m) {
    std::fprintf(stderr, "bcmap: db prepare: %s\n", redactDbPasswords(m).c_str());
    return kExitFailed;
  };
  std::string why;
  std::optional<DbSource> source = parseDbSource(text, &why);
  if (!source) return fail(why);
  rememberDbPassword(*source);
  // Building a band is one long statement: no statement limit here (the connect limit stays).
  setDbTimeouts({dbTimeouts().connectS, 0});
  const std::string shown = source->display();
  // The user named this host on this command line: it is on the allow-list.
  allowDbSource(*source);
  std::optional<DbSource> pinned = checkDbSource(*source, &why);
  if (!pinned) return fail(shown + ": " + why);
  std::unique_ptr<PgConnection> pg = PgConnection::open(*pinned, &why);
  if (!pg) return fail(shown + ": " + why);
  std::optional<OverviewReport> report = prepareOverviews(*pg, *source, o.dbSchema, &why);
  if (!report) return fail(shown + ": " + why);
  if (report->current) {
    std::printf("%s: the overviews in %s are current (%lld rows); nothing to do\n", shown.c_str(),
                o.dbSchema.c_str(), static_cast<long long>(report->rows));
    return kExitOk;
  }
  std::printf("%s: built %zu overview bands in %s from %lld rows in %.2f s\n", shown.c_str(), report->bands.size(),
              o.dbSchema.c_str(), static_cast<long long>(report->rows), report->seconds);
  for (const auto& [band, rows] : report->bands)
    std::printf("  band %d: %lld cells\n", band, static_cast<long long>(rows));
  return kExitOk;
}

}  // namespace bcmap
