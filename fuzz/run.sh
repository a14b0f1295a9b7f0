#!/usr/bin/env bash
# Runs the libFuzzer harnesses built in BUILD (make fuzz builds them), each for SECONDS, one
# after another, seeded from the committed corpus fuzz/corpus/<name>/ (read only: new inputs
# go to BUILD/corpus-new/<name>/, crashes, leaks and timeouts to BUILD/findings/<name>/).
#   fuzz/run.sh BUILD SECONDS [NAME...]     (no NAME: every harness)
# Prints one line a harness: seconds, executions per second, corpus size, findings. Exits 1
# when any harness found something.
set -uo pipefail
build=${1:?usage: fuzz/run.sh BUILD SECONDS [NAME...]}
seconds=${2:-60}
shift 2 || shift $#
here=$(cd "$(dirname "$0")" && pwd)
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=($(sed -n 's/^ *\([a-z_]*\):[a-z]*)\{0,1\}$/\1/p' "$here/Harnesses.cmake"))
fi
# Symbolised stacks: llvm-symbolizer from llvm-14 (tools/setup-deps.sh fuzz).
if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
summary=()
for name in "${names[@]}"; do
  exe=$build/fuzz/bcmap_fuzz_$name
  [ -x "$exe" ] || { echo "fuzz: $exe is not built (make fuzz builds it)" >&2; exit 2; }
  new=$build/corpus-new/$name findings=$build/findings/$name
  mkdir -p "$new" "$findings"
  dict=()
  [ -f "$here/$name.dict" ] && dict=(-dict="$here/$name.dict")
  log=$build/fuzz-$name.log
  echo "fuzz: $name for ${seconds}s (log $log)"
  # -timeout: an input that runs 10 s is a hang (issue 12's bound); -rss_limit_mb: growth
  # without bound is a finding too.
  started=$(date +%s)
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "${dict[@]}" "$new" "$here/corpus/$name" > "$log" 2>&1
  rc=$?
  ran=$(( $(date +%s) - started ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(sed -n 's/.*corp: \([0-9]*\)\/.*/\1/p' "$log" | tail -1)
  found=$(find "$findings" -type f | wc -l)
  summary+=("$name: ${ran}s, ${execs:-?} runs, ${rate:-?} exec/s, corpus ${corpus:-?}, findings ${found} (exit $rc)")
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    grep -m1 -A25 -E '^==[0-9]+==ERROR|runtime error|fuzz check failed|ALARM' "$log" || tail -20 "$log"
  fi
done
printf '%s\n' "${summary[@]}"
exit $status
