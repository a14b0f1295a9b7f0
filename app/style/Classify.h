// Classify: class breaks for a graduated style — quantile, equal interval, natural breaks
// (Jenks; Fisher's exact dynamic programme) and the user's own cut points.
//
// Every method returns breaks b0..bk for k classes: class i is [b_i, b_{i+1}), the last
// one closed, [b_{k-1}, b_k] — the rule Style's evaluateFill applies. b0 is the smallest
// value and bk the largest; breaks increase strictly, except that the last class may hold a
// single value (b_{k-1} == b_k). NaN is skipped (a null attribute reads as NaN). No finite
// value: no breaks (empty).
//
// Fewer distinct values than classes: quantile and natural breaks give one class per
// distinct value (the only split without empty classes); equal interval keeps its k equal
// steps (empty classes are what the method means) unless all values are equal (one class).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bcmap {

enum class ClassifyMethod : uint8_t { Quantile = 0, EqualInterval = 1, NaturalBreaks = 2, Custom = 3 };
// "quantile", "equal_interval", "natural_breaks", "custom" (the session file's words).
const char* classifyMethodName(ClassifyMethod m);
bool parseClassifyMethod(std::string_view name, ClassifyMethod& out);

// About as many values in each class: b_i is the value at sorted rank floor(i·n/k). Ties
// that would make a class empty merge it into its neighbour (fewer classes).
std::vector<double> quantileBreaks(std::span<const double> values, int classes);

// k classes of equal width over [min, max].
std::vector<double> equalIntervalBreaks(std::span<const double> values, int classes);

// Jenks natural breaks: the split of the sorted values into k runs with the least total
// squared deviation from the run means (Fisher 1958, "On grouping for maximum
// homogeneity"), found exactly by dynamic programming over the distinct values weighted by
// their counts. b_i (i ≥ 1) is the smallest value of class i. Exact up to
// kNaturalBreaksExactLimit distinct values; beyond that the sorted values are first pooled
// into that many runs of equal count (a run's values share a class), so a break can only
// fall between runs.
inline constexpr size_t kNaturalBreaksExactLimit = 20000;
std::vector<double> naturalBreaks(std::span<const double> values, int classes);

// The user's cut points: classes [min, c1), [c1, c2), … [c_m, max]. Cut points are sorted;
// duplicates and those not strictly inside (min, max) are dropped (they would make empty
// classes).
std::vector<double> customBreaks(std::span<const double> values, std::span<const double> cuts);

// Parses cut points typed by the user: numbers separated by commas, semicolons or spaces
// ("100, 200 500"). False with the reason for anything else (words, NaN, infinities, more
// than kMaxCustomCuts numbers).
inline constexpr size_t kMaxCustomCuts = 16;
bool parseCuts(std::string_view text, std::vector<double>& cuts, std::string* err);

// Dispatches on `method` (Custom uses `cuts`).
std::vector<double> classBreaks(std::span<const double> values, ClassifyMethod method, int classes,
                                std::span<const double> cuts);

// The total squared deviation of the values from their class means under `breaks` (the
// quantity natural breaks minimises); for tests and for comparing methods.
double withinClassSquaredDeviation(std::span<const double> values, std::span<const double> breaks);

}  // namespace bcmap
