// FileDialogTest: the file dialog's listing without a window: folders first then files,
// each sorted by name; hidden entries left out; files filtered to the formats the reader
// opens (every driver io/VectorReader allows has its file endings here), all files on
// request; a folder format (*.gdb) listed as a file; an unreadable folder reported; typed
// paths with "~" and relative to the current folder; the database tab's form made into a
// source (its parts or one string), the password never in what it shows.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/VectorReader.h"
#include "ui/panels/FileDialog.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

class FileDialogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "bcmap-files-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root = tmpl;
    for (const char* d : {"zeta", "Alpha", ".git", "old.gdb"}) fs::create_directories(root / d);
    for (const char* f : {"b.geojson", "a.GPKG", "c.shp", "c.dbf", "readme.txt", ".secret.csv", "roads.fgb"})
      std::ofstream(root / f) << "x";
  }
  void TearDown() override {
    fs::permissions(root, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(root);
  }
  static std::vector<std::string> names(const FolderListing& l) {
    std::vector<std::string> out;
    for (const FileEntry& e : l.entries) out.push_back((e.isFolder ? "d:" : "f:") + e.name);
    return out;
  }
  fs::path root;
};

TEST_F(FileDialogTest, FoldersFirstSortedHiddenLeftOutReadableFilesOnly) {
  const FolderListing l = listFolder(root.string() + "/", false);
  EXPECT_EQ(l.folder, root.string());
  EXPECT_EQ(l.error, "");
  EXPECT_EQ(names(l), (std::vector<std::string>{"d:Alpha", "d:zeta", "f:a.GPKG", "f:b.geojson", "f:c.shp",
                                                 "f:old.gdb", "f:roads.fgb"}));
  EXPECT_EQ(l.hiddenByFilter, 2u);  // c.dbf, readme.txt
}

TEST_F(FileDialogTest, AllFilesShowsEveryFileButStillNotHiddenOnes) {
  const FolderListing l = listFolder(root.string(), true);
  EXPECT_EQ(names(l), (std::vector<std::string>{"d:Alpha", "d:zeta", "f:a.GPKG", "f:b.geojson", "f:c.dbf", "f:c.shp",
                                                 "f:old.gdb", "f:readme.txt", "f:roads.fgb"}));
}

TEST_F(FileDialogTest, AnUnreadableFolderIsAnError) {
  FolderListing l = listFolder((root / "nope").string(), false);
  EXPECT_NE(l.error.find("nope"), std::string::npos) << l.error;
  EXPECT_TRUE(l.entries.empty());
  if (geteuid() != 0) {  // root reads any folder
    fs::permissions(root / "zeta", fs::perms::none);
    l = listFolder((root / "zeta").string(), false);
    EXPECT_NE(l.error.find("zeta"), std::string::npos) << l.error;
    fs::permissions(root / "zeta", fs::perms::owner_all);
  }
}

TEST_F(FileDialogTest, EveryDriverTheReaderAllowsHasItsFileEndings) {
  const auto& formats = readableFormats();
  for (const std::string& driver : kDefaultVectorDrivers) {
    const auto it = std::find_if(formats.begin(), formats.end(), [&](const auto& f) { return f.first == driver; });
    EXPECT_NE(it, formats.end()) << driver << " is read but the dialog does not list its files";
  }
  for (const char* name : {"x.geojson", "X.JSON", "x.gpkg", "x.shp", "x.fgb", "x.csv", "x.kml", "x.gml", "x.gpx",
                           "x.sqlite", "x.tab", "x.gdb"})
    EXPECT_TRUE(isReadableFileName(name)) << name;
  for (const char* name : {"x.txt", "x.dbf", "geojson", "x.png"}) EXPECT_FALSE(isReadableFileName(name)) << name;
}

TEST_F(FileDialogTest, TypedPathsExpandHomeAndResolveAgainstTheFolder) {
  const char* home = std::getenv("HOME");
  const std::string savedHome = home ? home : "";
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(expandTypedPath("~", "/data"), "/home/someone");
  EXPECT_EQ(expandTypedPath("  ~/maps/a.geojson ", "/data"), "/home/someone/maps/a.geojson");
  if (home) setenv("HOME", savedHome.c_str(), 1);
  else unsetenv("HOME");
  EXPECT_EQ(expandTypedPath("b.geojson", "/data/x"), "/data/x/b.geojson");
  EXPECT_EQ(expandTypedPath("../y/", "/data/x"), "/data/y");
  EXPECT_EQ(expandTypedPath("/abs/c.gpkg", "/data"), "/abs/c.gpkg");
  EXPECT_EQ(expandTypedPath("   ", "/data"), "");
}

TEST(DbFormTest, ThePartsMakeAUrlSourceWhosePasswordShowsAsStars) {
  DbForm f;
  f.host = " 127.0.0.1 ";
  f.port = "5433";
  f.database = "county";
  f.user = "ana";
  f.password = "p@ss w0rd-Zx";
  f.table = "gis.villages";
  std::string err;
  std::optional<DbSource> s = dbSourceOfForm(f, true, &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->param("host"), "127.0.0.1");
  EXPECT_EQ(s->param("password"), "p@ss w0rd-Zx");
  EXPECT_EQ(s->tableName(), "gis.villages");
  const std::string shown = rememberDbPassword(*s);
  EXPECT_EQ(shown, "postgresql://ana:***@127.0.0.1:5433/county?table=gis.villages");
  // What the dialog hands on parses back and connects with the remembered password.
  std::optional<DbSource> again = parseDbSource(shown, &err);
  ASSERT_TRUE(again) << err;
  EXPECT_NE(again->connectionInfo().find("password='p@ss w0rd-Zx'"), std::string::npos);
  // Empty parts are libpq's defaults: left out. A table without a schema is public's.
  f = DbForm{};
  f.database = "county";
  f.table = "pois";
  s = dbSourceOfForm(f, true, &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->display(), "postgresql:///county?table=public.pois");
  EXPECT_EQ(s->param("password"), "");
}

TEST(DbFormTest, AConnectionStringWinsAndGetsTheTableFieldWhenItNamesNone) {
  DbForm f;
  f.host = "ignored";
  f.connection = "PG:\"host=db port=5432 dbname=county tables=gis.roads\"";
  std::string err;
  std::optional<DbSource> s = dbSourceOfForm(f, true, &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->param("host"), "db");
  EXPECT_EQ(s->tableName(), "gis.roads");
  // No table in the string: the table field's.
  f.connection = "postgresql://ana@db/county";
  f.table = "gis.wells";
  s = dbSourceOfForm(f, true, &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->tableName(), "gis.wells");
  f.connection = "PG:\"host=db dbname=county\"";
  s = dbSourceOfForm(f, true, &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->tableName(), "gis.wells");
  // None anywhere: Open says so; Tables (no table needed) still has a server to ask.
  f.table.clear();
  EXPECT_FALSE(dbSourceOfForm(f, true, &err));
  EXPECT_NE(err.find("no table"), std::string::npos) << err;
  s = dbSourceOfForm(f, false, &err);
  ASSERT_TRUE(s) << err;
  EXPECT_EQ(s->param("dbname"), "county");
  // Not a database source at all.
  f.connection = "/data/villages.geojson";
  EXPECT_FALSE(dbSourceOfForm(f, false, &err));
  EXPECT_NE(err.find("postgresql://"), std::string::npos) << err;
}

}  // namespace
}  // namespace bcmap
