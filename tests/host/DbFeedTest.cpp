// DbFeedTest: a database layer's fetched rows installed in the layer (host/DbFeed.h) keep
// what the user set — visibility, opacity, a user style, the colour setting — and a
// database layer is never handed to its plugin's loader (which would read the table whole).
// DbFeedWorkerTest: a feed's worker without a server — a port nothing listens on gives
// "server unreachable", retried, never blocking the owner; a host no source named is never
// connected to (the network guard).
#include "host/DbFeed.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "host/LayerLoader.h"
#include "host/LayerStore.h"
#include "io/DbSource.h"
#include "io/NetworkGuard.h"

namespace bcmap {
namespace {

FeatureTable pointsTable(size_t n) {
  FeatureTable t;
  t.geometry.kind = GeometryKind::Point;
  AttributeColumn c;
  c.name = "n";
  c.type = FieldType::Integer;
  for (size_t i = 0; i < n; ++i) {
    t.geometry.xy.push_back({122.0 + 0.01 * static_cast<double>(i), 45.0});
    t.geometry.ringVertices.push_back(static_cast<uint32_t>(i + 1));
    t.geometry.partRings.push_back(static_cast<uint32_t>(i + 1));
    t.geometry.featureParts.push_back(static_cast<uint32_t>(i + 1));
    c.ints.push_back(static_cast<int64_t>(i));
    c.isNull.push_back(0);
  }
  t.columns.push_back(std::move(c));
  return t;
}

Layer dbLayer() {
  Layer l;
  l.id = "file:public.pts";
  l.nameZh = l.nameEn = "public.pts";
  l.isFileLayer = true;
  l.dbFeed = true;
  l.settings.push_back(LayerSetting{"path", "File", BCMAP_SETTING_TEXT, "postgresql://h/db?table=public.pts", "", 0, 0, {}, false});
  l.settings.push_back(LayerSetting{"color", "Colour", BCMAP_SETTING_COLOR, "#08519c", "", 0, 0, {}, false});
  l.settings.push_back(LayerSetting{"point_size", "Size", BCMAP_SETTING_FLOAT, "5", "", 0, 0, {}, false});
  return l;
}

TEST(DbFeedTest, FetchedRowsKeepWhatTheUserSet) {
  Layer l = dbLayer();
  installDbTable(l, pointsTable(3), GeometryKind::Point, "EPSG:4326");
  ASSERT_EQ(l.status, LayerStatus::Loaded);
  EXPECT_EQ(l.table.featureCount(), 3u);
  EXPECT_EQ(l.fill.size(), 3u);
  EXPECT_EQ(l.sourceCrs, "EPSG:4326");
  // The colour setting is the layer's colour (as the vector_file plugin gives it).
  EXPECT_EQ(l.fill[0].r, 0x08);
  EXPECT_EQ(l.fill[0].b, 0x9c);
  EXPECT_FLOAT_EQ(l.pointSizePx[0], 5.0f);

  // The user hides it, sets its opacity, styles it by a field; the next view's rows arrive.
  l.visible = false;
  l.opacity = 0.4f;
  l.opacitySet = true;
  StyleSpec spec;
  spec.kind = StyleKind::Graduated;
  spec.field = "n";
  spec.classes = 3;
  l.userStyle = spec;
  const uint64_t generation = l.generation;
  installDbTable(l, pointsTable(7), GeometryKind::Point, "EPSG:4326");
  EXPECT_EQ(l.table.featureCount(), 7u);
  EXPECT_GT(l.generation, generation);  // prepared again
  EXPECT_FALSE(l.visible);
  EXPECT_FLOAT_EQ(l.opacity, 0.4f);
  ASSERT_TRUE(l.userStyle.has_value());
  EXPECT_EQ(l.userStyleError, "");
  EXPECT_EQ(l.style.kind, StyleKind::Graduated);  // the user's style applied to the new rows
  EXPECT_EQ(l.fill.size(), 7u);
}

TEST(DbFeedTest, ADatabaseLayerIsNeverHandedToItsPluginsLoader) {
  LayerStore store(".");
  // addFileLayer needs the vector_file plugin; a layer marked as the store marks a
  // database source's stands in for it.
  Layer& l = *store.layers().emplace_back(std::make_unique<Layer>(dbLayer()));
  // A vtable and an instance that must not be called: loadAsync returns before any thread
  // could use them.
  static const bcmap_plugin_v1 untouchable{};
  l.vtable = &untouchable;
  l.instance = &l;
  store.loadAsync(l);
  EXPECT_FALSE(l.busy());
  EXPECT_EQ(l.status, LayerStatus::Loading);
  EXPECT_TRUE(l.dbRestyle);  // the feed styles its rows again instead
  EXPECT_FALSE(store.loading());
  l.vtable = nullptr;
  l.instance = nullptr;
}

}  // namespace
}  // namespace bcmap

// ---- a feed's worker, without a server ----------------------------------------------------------
namespace bcmap {
namespace {

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

// Waits up to `seconds` for `pred`.
template <class Pred>
bool waitFor(Pred pred, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

const DbFeedView kView{"EPSG:4326", Bounds{122, 45, 123, 46}, 400, 300};

TEST(DbFeedWorkerTest, ADownServerIsReportedRetriedAndNeverBlocksTheOwner) {
  const std::string source =
      "postgresql://nobody@127.0.0.1:" + std::to_string(freePort()) + "/bcmap?table=public.pts";
  allowDbSource(*parseDbSource(source, nullptr));
  std::atomic<int> wakes{0};
  auto feed = std::make_unique<DbFeed>(source, std::make_shared<DbTileCache>(1 << 20), [&] { ++wakes; });
  EXPECT_EQ(feed->state(), kDbConnecting);
  const auto asked = std::chrono::steady_clock::now();
  feed->request(kView);  // returns at once: the worker connects
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::milliseconds(50));
  ASSERT_TRUE(waitFor([&] { return feed->state().rfind(kDbUnreachable, 0) == 0; }, 10)) << feed->state();
  EXPECT_NE(feed->state().find("Connection refused"), std::string::npos) << feed->state();
  // Retried after 1 s, then 2 s: connecting and unreachable again, each a wake.
  const int first = wakes.load();
  EXPECT_TRUE(waitFor([&] { return wakes.load() >= first + 2; }, 5)) << "no retry after the back-off";
  EXPECT_EQ(feed->counters().views, 0u);
  EXPECT_FALSE(feed->take().has_value());
  // Going away while it waits out the back-off takes no longer than a wake-up.
  const auto start = std::chrono::steady_clock::now();
  feed.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
}

TEST(DbFeedWorkerTest, AHostNobodyNamedIsNeverConnectedTo) {
  // A server-like socket that listens, which no source the user named points at.
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(listener, 8), 0);
  socklen_t n = sizeof a;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &n);
  const std::string source = "postgresql://u@127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/x?table=t";
  {
    DbFeed feed(source, std::make_shared<DbTileCache>(1 << 20), {});
    feed.request(kView);
    ASSERT_TRUE(waitFor([&] { return feed.state().find("refused") != std::string::npos; }, 10)) << feed.state();
    EXPECT_NE(feed.state().find("no source the user named"), std::string::npos) << feed.state();
  }
  int accepted = 0;
  for (int fd; (fd = ::accept(listener, nullptr, nullptr)) >= 0; ++accepted) ::close(fd);
  EXPECT_EQ(accepted, 0);
  ::close(listener);
}

}  // namespace
}  // namespace bcmap
