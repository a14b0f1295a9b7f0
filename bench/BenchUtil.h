// Small tools the benchmark harness shares: clocks, medians, child processes with their
// peak memory, and a description of the machine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bcmap::bench {

// CLOCK_MONOTONIC in milliseconds: one clock for every process on the machine, so a parent
// can pass its spawn time to a child and the child can tell how long exec took.
double monotonicMs();

double median(std::vector<double> v);
double percentile(std::vector<double> v, double p);  // p in 0..100, nearest rank

struct ProcessResult {
  int exitCode = -1;      // -1: did not start or was killed by a signal
  double wallMs = 0;      // spawn to exit
  double peakRssMb = 0;   // ru_maxrss of the child (MiB)
  std::string output;     // stdout and stderr together
};

// Runs argv[0] with argv (no shell), waits, and returns its wall time, peak memory and
// output. `extraEnv` entries ("NAME=value") are added to the environment.
ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extraEnv = {});

struct MachineInfo {
  std::string cpuModel;
  int cores = 0;
  double ramGb = 0;
  std::string os;
  std::string compiler;
};
MachineInfo machineInfo();

// Puts `section` (which starts with `beginMarker` and ends with `endMarker`) into the
// results file at `path`: in place of the old section between the markers, or appended.
// The rest of the file (hand-written notes) is kept.
bool writeSection(const std::string& path, const std::string& section, const char* beginMarker,
                  const char* endMarker);

// Shell-style quoting for showing commands in the report.
std::string shellJoin(const std::vector<std::string>& argv);

}  // namespace bcmap::bench
