// The benchmark's measured runs that go through the library, each in a fresh child
// process (bcmap_bench --child ...), so start-up costs are paid every run as `bcmap render`
// pays them, and peak memory is the child's own.
//
//   --child breakdown    the steps of `bcmap render`, timed one by one (or, with --overlap,
//                        with EGL and MapFrame set-up on a second thread while the data loads)
//   --child interactive  a scripted pan and zoom over the layers through InteractiveRenderer
//
// Both print "key<TAB>value" lines that the parent collects.
#pragma once

#include <string>
#include <vector>

namespace bcmap::bench {

struct ChildArgs {
  std::string mode;            // breakdown | interactive
  double spawnMs = 0;          // the parent's monotonicMs() just before spawning
  int widthPx = 1600, heightPx = 1000;
  std::string bbox;            // lon0,lat0,lon1,lat1; empty: the layers' extent + 5 %
  float pointSizePx = 0;       // > 0: file layers' points drawn at this diameter
  bool countiesOff = false;    // like --layers none
  std::string onlyLayer;       // like --layers ID: the one plugin layer shown (plus the files)
  bool overlap = false;        // breakdown: GL set-up on a second thread
  bool pointLod = true;
  std::string png;             // breakdown: where to write the frame
  std::vector<std::string> files;
};

// Runs a child mode; returns the process exit code.
int runChild(const ChildArgs& args);

}  // namespace bcmap::bench
