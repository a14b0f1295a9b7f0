// DbAskerThreadsTest: a database layer's asker (host/DbAsker.h) questioned from the test's
// thread, as the UI thread does, while its worker answers. Without a server: a port
// nothing listens on, so each question is answered with libpq's reason; what is raced is
// the hand-over (questions replacing ones not yet started, identify before pages,
// answers taken while the next is written, going away mid-question). The reads of a live
// server are the db label's (tests/db/db_ask_test.py). Built in every tree (label unit);
// one of the tsan tests (tests/tsan/CMakeLists.txt).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "host/DbAsker.h"
#include "io/DbSource.h"
#include "io/NetworkGuard.h"

namespace bcmap {
namespace {

// A loopback port nothing listens on (bound, read, closed).
int freePort() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(s);
  return ntohs(a.sin_port);
}

template <class Pred>
bool waitFor(Pred pred, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

std::string downSource() {
  const std::string source =
      "postgresql://nobody@127.0.0.1:" + std::to_string(freePort()) + "/bcmap?table=public.pts";
  allowDbSource(*parseDbSource(source, nullptr));
  return source;
}

TEST(DbAskerThreadsTest, QuestionsAndPagesAskedWhileTheWorkerAnswers) {
  std::atomic<int> wakes{0};
  DbAsker asker(downSource(), [&] { ++wakes; });
  uint64_t lastAsk = 0, lastPage = 0;
  for (int i = 0; i < 20; ++i) {
    lastAsk = asker.ask(Vec2{122.0 + 0.01 * i, 45.0}, 50.0);
    DbPageQuery q;
    q.afterKey = std::to_string(i);
    q.limit = 10 + i;
    lastPage = asker.askPage(q);
    // The UI thread looks for answers every frame, whatever is being written.
    (void)asker.answer(lastAsk);
    (void)asker.page(lastPage);
    (void)asker.answered();
    if (i % 5 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // The newest question and page are answered (the ones they replaced maybe never).
  ASSERT_TRUE(waitFor([&] { return asker.answer(lastAsk) && asker.page(lastPage); }, 20));
  const std::optional<DbAskResult> a = asker.answer(lastAsk);
  EXPECT_FALSE(a->ok);
  EXPECT_NE(a->error.find("Connection refused"), std::string::npos) << a->error;
  const std::optional<DbPageResult> p = asker.page(lastPage);
  EXPECT_FALSE(p->ok);
  EXPECT_FALSE(p->error.empty());
  EXPECT_GE(asker.answered(), 2u);
  EXPECT_GE(wakes.load(), 2);
}

TEST(DbAskerThreadsTest, GoingAwayWhileAQuestionIsAnswered) {
  for (int i = 0; i < 5; ++i) {
    std::atomic<int> wakes{0};
    DbAsker asker(downSource(), [&] { ++wakes; });
    asker.ask(Vec2{122.0, 45.0}, 50.0);
    asker.askPage(DbPageQuery{});
    if (i % 2 == 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }  // each destroyed with its worker connecting, reading or waiting
}

}  // namespace
}  // namespace bcmap
