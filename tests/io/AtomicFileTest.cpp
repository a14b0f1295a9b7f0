// io/AtomicFile: a small file written through a temporary file, synced and renamed, so a
// crash mid-write leaves the old file or the new one, never a part.
#include <gtest/gtest.h>

#include <signal.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/AtomicFile.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

struct AtomicFileTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("bcmap-atomic-" + std::to_string(::getpid()));
  void SetUp() override { fs::remove_all(dir); }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir, fs::perms::owner_all, ec);
    fs::remove_all(dir, ec);
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator())); }
};

TEST_F(AtomicFileTest, WritesReplacesAndLeavesOnlyTheFile) {
  const fs::path file = dir / "state" / "list.json";  // the folder is made
  std::string why;
  ASSERT_TRUE(writeFileAtomically(file.string(), "first\n", &why)) << why;
  EXPECT_EQ(read(file), "first\n");
  ASSERT_TRUE(writeFileAtomically(file.string(), std::string(100000, 'x'), &why)) << why;
  EXPECT_EQ(read(file), std::string(100000, 'x'));
  EXPECT_EQ(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()), 1)
      << "no temporary file stays beside it";
}

TEST_F(AtomicFileTest, AFileWhereTheFolderShouldBeIsRefused) {
  fs::create_directories(dir);
  std::ofstream(dir / "plain") << "a file, not a folder";
  std::string why;
  EXPECT_FALSE(writeFileAtomically((dir / "plain" / "list.json").string(), "x", &why));
  EXPECT_NE(why.find("folder"), std::string::npos) << why;
  EXPECT_EQ(read(dir / "plain"), "a file, not a folder");
}

TEST_F(AtomicFileTest, AFolderInTheWayIsRefusedAndKept) {
  const fs::path file = dir / "taken";
  fs::create_directories(file / "inside");
  std::string why;
  EXPECT_FALSE(writeFileAtomically(file.string(), "x", &why));
  EXPECT_NE(why.find("rename"), std::string::npos) << why;
  EXPECT_TRUE(fs::is_directory(file / "inside"));
  EXPECT_EQ(entries(), 1u) << "the temporary file is removed";
}

// ---- what killed writers leave (issue 12) -----------------------------------------------------

// A pid that was a process of ours and is no more (reaped, so not even a zombie).
pid_t deadPid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

// A child that lives until killed: a live writer that is not this process.
struct LiveChild {
  pid_t pid = fork();
  LiveChild() {
    if (pid == 0) {
      for (;;) pause();
    }
  }
  ~LiveChild() {
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
  }
};

void makeOld(const fs::path& p) {
  // An hour back: far past kStaleTempAfterS. A link gets its own time, not its target's.
  const struct timespec times[2] = {{time(nullptr) - 3600, 0}, {time(nullptr) - 3600, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, p.c_str(), times, AT_SYMLINK_NOFOLLOW), 0) << p;
}

std::string tempName(const std::string& target, pid_t pid, const std::string& random = "Ab12Cd") {
  return "." + target + ".tmp-" + std::to_string(pid) + "-" + random;
}

std::vector<std::string> names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(AtomicTempNameTest, ParsesOnlyTheExactPattern) {
  const std::optional<AtomicTempName> t = parseAtomicTempName(".big.png.tmp-4321-Ab12Cd");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->target, "big.png");
  EXPECT_EQ(t->pid, 4321);
  EXPECT_EQ(parseAtomicTempName("..hidden.tmp-7-zzzzzz")->target, ".hidden");
  EXPECT_EQ(parseAtomicTempName(".a.tmp-1.tmp-7-zzzzzz")->target, "a.tmp-1");
  for (const char* other : {"big.png.tmp-4321-Ab12Cd", ".big.png.tmp-4321-Ab12C", ".big.png.tmp-4321-Ab12Cde",
                            ".big.png.tmp-4321-Ab_2Cd", ".big.png.tmp-04321-Ab12Cd", ".big.png.tmp--Ab12Cd",
                            ".big.png.tmp-12345678-Ab12Cd", ".big.png.tmp-4321-Ab12Cd.bak", "..tmp-4321-Ab12Cd",
                            ".big.png.tmp-43x1-Ab12Cd", ".big.png.4321-Ab12Cd", "big.png.Ab12Cd", ""})
    EXPECT_FALSE(parseAtomicTempName(other)) << other;
}

// A writer killed mid-write (here by SIGXFSZ: deterministic, and like SIGKILL it runs no
// clean-up) leaves the file under its name whole and a temporary file that names it; the
// next write removes that file once it has been left alone kStaleTempAfterS.
TEST_F(AtomicFileTest, AKilledWritersTemporaryFileNamesItAndGoesWithTheNextWrite) {
  fs::create_directories(dir);
  const fs::path file = dir / "big.bin";
  std::string why;
  ASSERT_TRUE(writeFileAtomically(file.string(), "earlier\n", &why)) << why;
  const pid_t writer = fork();
  if (writer == 0) {
    const struct rlimit noCore {0, 0}, oneMb{1 << 20, 1 << 20};
    setrlimit(RLIMIT_CORE, &noCore);
    setrlimit(RLIMIT_FSIZE, &oneMb);
    writeFileAtomically(file.string(), std::string(4 << 20, 'x'), nullptr);
    _exit(0);  // not reached: the write past 1 MB kills it
  }
  int status = 0;
  ASSERT_EQ(waitpid(writer, &status, 0), writer);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ) << status;
  EXPECT_EQ(read(file), "earlier\n");
  const std::vector<std::string> left = names(dir);
  ASSERT_EQ(left.size(), 2u);
  const std::string temp = left[0];  // "." sorts before "b"
  const std::optional<AtomicTempName> t = parseAtomicTempName(temp);
  ASSERT_TRUE(t) << temp;
  EXPECT_EQ(t->target, "big.bin");
  EXPECT_EQ(t->pid, writer);

  // Too fresh yet: a writer in another pid namespace would look dead as well.
  ASSERT_TRUE(writeFileAtomically(file.string(), "second\n", &why)) << why;
  EXPECT_EQ(names(dir), (std::vector<std::string>{temp, "big.bin"}));
  makeOld(dir / temp);
  ASSERT_TRUE(writeFileAtomically(file.string(), "third\n", &why)) << why;
  EXPECT_EQ(names(dir), (std::vector<std::string>{"big.bin"}));
  EXPECT_EQ(read(file), "third\n");
}

TEST_F(AtomicFileTest, ALiveWritersTemporaryFileIsKept) {
  fs::create_directories(dir);
  LiveChild child;
  ASSERT_GT(child.pid, 0);
  const std::vector<std::string> live = {tempName("big.png", ::getpid()), tempName("big.png", child.pid)};
  for (const std::string& n : live) {
    std::ofstream(dir / n) << "being written";
    makeOld(dir / n);
  }
  std::string why;
  ASSERT_TRUE(writeFileAtomically((dir / "big.png").string(), "png", &why)) << why;
  for (const std::string& n : live) EXPECT_TRUE(fs::exists(dir / n)) << n;
  EXPECT_EQ(entries(), live.size() + 1);
}

TEST_F(AtomicFileTest, OnlyTheSameTargetsDeadTemporaryFilesAreRemoved) {
  fs::create_directories(dir);
  const pid_t dead = deadPid();
  const std::string d = std::to_string(dead);
  const std::string stale = tempName("big.png", dead);
  const std::vector<std::string> others = {
      tempName("other.png", dead),       // another file's
      tempName("big.png.bak", dead),     // another file's, the target's name a prefix of it
      tempName("ig.png", dead),          // the target's name ends with it
      "big.png.tmp-" + d + "-Ab12Cd",    // not hidden
      "big.png.Ab12Cd",                  // the pattern before this one
      tempName("big.png", dead, "Ab12C"),
      tempName("big.png", dead, "Ab12Cd7"),
      tempName("big.png", dead) + ".bak",
      ".big.png.tmp-0" + d + "-Ab12Cd",
      "big.png.notes",
  };
  for (const std::string& n : others) std::ofstream(dir / n) << "keep";
  std::ofstream(dir / stale) << "left by a killed writer";
  // The exact name, but a link (to a file of the user's) and a folder: not a writer's file.
  std::ofstream(dir / "mine.txt") << "the user's";
  const std::string link = tempName("big.png", dead, "Lnk123"), folder = tempName("big.png", dead, "Dir123");
  fs::create_symlink("mine.txt", dir / link);
  fs::create_directory(dir / folder);
  for (const std::string& n : others) makeOld(dir / n);
  for (const std::string& n : {stale, link, folder, std::string("mine.txt")}) makeOld(dir / n);

  std::string why;
  ASSERT_TRUE(writeFileAtomically((dir / "big.png").string(), "png", &why)) << why;
  EXPECT_FALSE(fs::exists(dir / stale));
  for (const std::string& n : others) EXPECT_EQ(read(dir / n), "keep") << n;
  EXPECT_TRUE(fs::is_symlink(dir / link));
  EXPECT_TRUE(fs::is_directory(dir / folder));
  EXPECT_EQ(read(dir / "mine.txt"), "the user's");
  EXPECT_EQ(entries(), others.size() + 4);  // and big.png, the link, the folder, mine.txt
}

}  // namespace
}  // namespace bcmap
