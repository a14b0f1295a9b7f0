// NetworkGuardTest: GDAL must not reach the network unless the user named a network source.
// A loopback listener counts the connections that GDAL would make; a direct connection
// from the test proves the listener counts.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cpl_http.h>
#include <fcntl.h>
#include <gdal.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "io/NetworkGuard.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

// A TCP listener on 127.0.0.1 (ephemeral port) that accepts and closes connections,
// counting them. Its thread stops by itself after kLifetime, and stop() drains the backlog
// so a connection made just before it is counted too.
class LoopbackListener {
 public:
  static constexpr auto kLifetime = std::chrono::seconds(20);

  LoopbackListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 16) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      close(fd_);
      fd_ = -1;
      return;
    }
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~LoopbackListener() { stop(); }
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  bool ok() const { return fd_ >= 0; }
  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  // Stops the thread, counts what is still waiting in the backlog, returns the total.
  int stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) {
      acceptPending();
      close(fd_);
      fd_ = -1;
    }
    return count_.load();
  }

 private:
  void acceptPending() {
    while (true) {
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      ++count_;
      close(client);
    }
  }
  void loop() {
    const auto deadline = std::chrono::steady_clock::now() + kLifetime;
    while (!stopping_ && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) > 0) acceptPending();
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> count_{0};
};

class NetworkGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();  // installs the guard
    // Curl would send loopback requests to a proxy named in the environment.
    for (const char* v : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
      unsetenv(v);
    ASSERT_TRUE(listener_.ok());
    dir_ = fs::temp_directory_path() / ("bcmap-net-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    allowNetwork(false);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A GeoJSON whose legacy "crs" member links to the listener.
  std::string geojsonWithCrsLink() {
    const std::string path = (dir_ / "linked_crs.geojson").string();
    std::ofstream(path) << R"({"type":"FeatureCollection","crs":{"type":"link","properties":{"href":")"
                        << listener_.url("/crs")
                        << R"(","type":"proj4"}},"features":[{"type":"Feature","properties":{"n":1},)"
                           R"("geometry":{"type":"Point","coordinates":[122.85,45.62]}}]})";
    return path;
  }

  LoopbackListener listener_;
  fs::path dir_;
};

TEST_F(NetworkGuardTest, CrsLinkInGeoJsonIsNotFetched) {
  VectorReadOptions o;
  o.path = geojsonWithCrsLink();
  std::string err;
  auto r = readVector(o, &err);
  ASSERT_TRUE(r) << err;  // the file itself is fine; only its link is refused
  EXPECT_EQ(r->table.featureCount(), 1u);
  EXPECT_EQ(listener_.stop(), 0);
}

TEST_F(NetworkGuardTest, VsicurlPathIsRefused) {
  VectorReadOptions o;
  o.path = "/vsicurl/" + listener_.url("/x.geojson");
  std::string err;
  EXPECT_FALSE(readVector(o, &err));
  EXPECT_EQ(err.rfind(o.path + ": refused", 0), 0u) << err;
  EXPECT_NE(err.find("network"), std::string::npos) << err;
  // Behind readVector's check, GDAL itself refuses network paths and HTTP fetches.
  EXPECT_EQ(GDALOpenEx(o.path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr), nullptr);
  VSIStatBufL st;
  EXPECT_NE(VSIStatL(("/vsizip//vsicurl/" + listener_.url("/x.zip")).c_str(), &st), 0);
  CPLHTTPResult* fetched = CPLHTTPFetch(listener_.url("/direct").c_str(), nullptr);
  ASSERT_NE(fetched, nullptr);
  EXPECT_NE(fetched->nStatus, 0);
  ASSERT_NE(fetched->pszErrBuf, nullptr);
  EXPECT_EQ(std::string(fetched->pszErrBuf), "bcmap: network access refused: " + listener_.url("/direct"));
  CPLHTTPDestroyResult(fetched);
  EXPECT_EQ(listener_.stop(), 0);
}

TEST_F(NetworkGuardTest, ListenerCountsADirectConnection) {
  // Positive control: the listener sees a plain socket connection.
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(listener_.port()));
  EXPECT_EQ(connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  close(s);
  EXPECT_EQ(listener_.stop(), 1);
}

TEST_F(NetworkGuardTest, AllowedNetworkReachesTheListener) {
  // Positive control for the guard: once the user allows the network, the same read does
  // connect, so the zero counts above come from the guard and not from GDAL ignoring links.
  allowNetwork(true);
  EXPECT_TRUE(networkAllowed());
  VectorReadOptions o;
  o.path = geojsonWithCrsLink();
  std::string err;
  EXPECT_TRUE(readVector(o, &err)) << err;
  EXPECT_GE(listener_.stop(), 1);
  allowNetwork(false);
  EXPECT_FALSE(networkAllowed());
}

TEST(NetworkGuardPathTest, RemotePathsAreRecognized) {
  for (const char* p :
       {"/vsicurl/http://example.com/a.geojson", "/VSICURL/https://x/y", "/vsicurl_streaming/http://x/y",
        "/vsicurl?url=http%3A%2F%2Fx%2Fy", "/vsis3/bucket/key.gpkg", "/vsis3_streaming/b/k", "/vsigs/b/k",
        "/vsiaz/c/k", "/vsiadls/fs/k", "/vsioss/b/k", "/vsiswift/c/k", "/vsihdfs/hdfs://nn/p",
        "/vsiwebhdfs/http://nn/p", "http://example.com/x.geojson", "HTTPS://example.com/x", "ftp://host/x.shp",
        "/vsizip//vsicurl/http://x/y.zip/a.shp", "/vsizip/{/vsis3/b/k.zip}/a.shp", "/vsigzip//vsiaz/c/x.gz",
        "WFS:https://example.com/wfs", "GPKG:/vsis3/b/k.gpkg:layer"}) {
    EXPECT_TRUE(isRemotePath(p)) << p;
  }
  for (const char* p : {"/data/points.geojson", "relative/dir/x.shp", "/vsimem/x.geojson", "/vsizip/a.zip/b.shp",
                        "/home/u/vsicurl_notes.geojson", "/home/u/my_vsis3/x.gpkg", "C:/data/http_log.csv", "",
                        "/vsicurlx/x"}) {
    EXPECT_FALSE(isRemotePath(p)) << p;
  }
}

}  // namespace
}  // namespace bcmap
