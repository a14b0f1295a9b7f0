#include "style/Classify.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace bcmap {

const char* classifyMethodName(ClassifyMethod m) {
  switch (m) {
    case ClassifyMethod::Quantile: return "quantile";
    case ClassifyMethod::EqualInterval: return "equal_interval";
    case ClassifyMethod::NaturalBreaks: return "natural_breaks";
    case ClassifyMethod::Custom: return "custom";
  }
  return "?";
}

bool parseClassifyMethod(std::string_view name, ClassifyMethod& out) {
  for (ClassifyMethod m : {ClassifyMethod::Quantile, ClassifyMethod::EqualInterval, ClassifyMethod::NaturalBreaks,
                           ClassifyMethod::Custom})
    if (name == classifyMethodName(m)) {
      out = m;
      return true;
    }
  return false;
}

namespace {

std::vector<double> sortedFinite(std::span<const double> values) {
  std::vector<double> v;
  v.reserve(values.size());
  for (double x : values)
    if (std::isfinite(x)) v.push_back(x);
  std::sort(v.begin(), v.end());
  return v;
}

size_t distinctCount(const std::vector<double>& sorted) {
  if (sorted.empty()) return 0;
  size_t d = 1;
  for (size_t i = 1; i < sorted.size(); ++i) d += sorted[i] != sorted[i - 1];
  return d;
}

// One class per distinct value: v0, v1, …, v_{d-1}, and v_{d-1} again to close the last.
std::vector<double> perValueBreaks(const std::vector<double>& sorted) {
  std::vector<double> b;
  for (size_t i = 0; i < sorted.size(); ++i)
    if (i == 0 || sorted[i] != sorted[i - 1]) b.push_back(sorted[i]);
  b.push_back(sorted.back());
  return b;
}

}  // namespace

std::vector<double> quantileBreaks(std::span<const double> values, int classes) {
  const std::vector<double> x = sortedFinite(values);
  if (x.empty()) return {};
  const size_t k = static_cast<size_t>(std::max(classes, 1));
  if (distinctCount(x) <= k) return perValueBreaks(x);
  const size_t n = x.size();
  std::vector<double> b{x.front()};
  for (size_t i = 1; i < k; ++i) {
    const double c = x[i * n / k];
    if (c > b.back()) b.push_back(c);  // a tie would leave the class below empty
  }
  b.push_back(x.back());  // equal to the last cut: the top class holds that value alone
  return b;
}

std::vector<double> equalIntervalBreaks(std::span<const double> values, int classes) {
  const std::vector<double> x = sortedFinite(values);
  if (x.empty()) return {};
  const double lo = x.front(), hi = x.back();
  if (lo == hi) return {lo, hi};
  const int k = std::max(classes, 1);
  std::vector<double> b;
  for (int i = 0; i < k; ++i) b.push_back(lo + (hi - lo) * i / k);
  b.push_back(hi);  // exactly the maximum, whatever the rounding of the steps
  return b;
}

std::vector<double> naturalBreaks(std::span<const double> values, int classes) {
  const std::vector<double> x = sortedFinite(values);
  if (x.empty()) return {};
  const size_t k = static_cast<size_t>(std::max(classes, 1));
  const size_t distinct = distinctCount(x);
  if (distinct <= k) return perValueBreaks(x);

  // Groups of equal values (runs of distinct values when there are too many), each with
  // its count, sum and sum of squares. Values are centred on their mean first so the
  // squared sums keep their precision for large values (populations, areas in m²).
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  const size_t limit = kNaturalBreaksExactLimit;
  const double perGroup = static_cast<double>(x.size()) / static_cast<double>(limit);
  std::vector<double> groupMin, w{0}, s{0}, q{0};  // w, s, q: prefix sums over groups
  for (size_t i = 0; i < x.size();) {
    size_t j = i;
    while (j < x.size() && x[j] == x[i]) ++j;  // one distinct value: never split
    // Pooling: a group takes runs until it holds perGroup values, so there are at most
    // limit + 1 groups.
    const bool join = distinct > limit && !groupMin.empty() && w.back() - w[w.size() - 2] < perGroup;
    if (!join) {
      groupMin.push_back(x[i]);
      w.push_back(w.back());
      s.push_back(s.back());
      q.push_back(q.back());
    }
    for (size_t t = i; t < j; ++t) {
      const double c = x[t] - mean;
      w.back() += 1;
      s.back() += c;
      q.back() += c * c;
    }
    i = j;
  }
  const size_t m = groupMin.size();
  if (m <= k) {
    std::vector<double> b = groupMin;
    b.push_back(x.back());
    return b;
  }
  // Squared deviation of groups [a, b) from their mean.
  auto groupCost = [&](size_t a, size_t b) {
    const double W = w[b] - w[a], S = s[b] - s[a], Q = q[b] - q[a];
    return std::max(0.0, Q - S * S / W);
  };
  // best[j][i]: least cost of groups [0, i) in j+1 classes; from[j][i]: where its last
  // class starts. For squared deviations the best start never moves left as i grows (the
  // cost satisfies the quadrangle inequality; Grønlund et al. 2017, "Fast exact k-means,
  // k-medians and Bregman divergence clustering in 1D"), so each row is filled by divide
  // and conquer: the middle i first, then each half searches only its side of that start.
  // O(k·m·log m) instead of O(k·m²), and still exact.
  std::vector<std::vector<double>> best(k, std::vector<double>(m + 1, std::numeric_limits<double>::infinity()));
  std::vector<std::vector<uint32_t>> from(k, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = 1; i <= m; ++i) best[0][i] = groupCost(0, i);
  struct Row {
    const std::vector<double>& prev;
    std::vector<double>& cur;
    std::vector<uint32_t>& start;
    const decltype(groupCost)& cost;
    void fill(size_t lo, size_t hi, size_t tLo, size_t tHi) {  // i in [lo, hi], t in [tLo, tHi]
      if (lo > hi) return;
      const size_t mid = lo + (hi - lo) / 2;
      size_t bestT = tLo;
      for (size_t t = tLo; t <= std::min(tHi, mid - 1); ++t) {
        const double c = prev[t] + cost(t, mid);
        if (c < cur[mid]) {
          cur[mid] = c;
          bestT = t;
        }
      }
      start[mid] = static_cast<uint32_t>(bestT);
      if (mid > lo) fill(lo, mid - 1, tLo, bestT);
      fill(mid + 1, hi, bestT, tHi);
    }
  };
  for (size_t j = 1; j < k; ++j) Row{best[j - 1], best[j], from[j], groupCost}.fill(j + 1, m, j, m - 1);
  std::vector<double> b(k + 1);
  b[k] = x.back();
  size_t end = m;
  for (size_t j = k - 1; j > 0; --j) {
    end = from[j][end];
    b[j] = groupMin[end];
  }
  b[0] = x.front();
  return b;
}

std::vector<double> customBreaks(std::span<const double> values, std::span<const double> cuts) {
  const std::vector<double> x = sortedFinite(values);
  if (x.empty()) return {};
  const double lo = x.front(), hi = x.back();
  std::vector<double> b{lo};
  std::vector<double> c(cuts.begin(), cuts.end());
  std::sort(c.begin(), c.end());
  for (double v : c)
    if (std::isfinite(v) && v > lo && v < hi && v > b.back()) b.push_back(v);
  b.push_back(hi);
  return b;
}

bool parseCuts(std::string_view text, std::vector<double>& cuts, std::string* err) {
  auto fail = [&](const std::string& m) {
    if (err) *err = m;
    return false;
  };
  std::vector<double> out;
  std::string token;
  auto flush = [&]() {
    if (token.empty()) return true;
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size()) return fail("'" + token + "' is not a number");
    if (!std::isfinite(v)) return fail("'" + token + "' is not a finite number");
    out.push_back(v);
    token.clear();
    return true;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    // Separators: comma, semicolon, blanks, and the full-width comma "，" and "、" a
    // Chinese input method types (UTF-8 EF BC 8C and E3 80 81).
    size_t sep = 0;
    if (ch == ',' || ch == ';' || ch == ' ' || ch == '\t') sep = 1;
    else if (text.substr(i, 3) == "\xEF\xBC\x8C" || text.substr(i, 3) == "\xE3\x80\x81") sep = 3;
    if (sep) {
      if (!flush()) return false;
      i += sep - 1;
    } else {
      token += ch;
    }
  }
  if (!flush()) return false;
  if (out.size() > kMaxCustomCuts)
    return fail(std::to_string(out.size()) + " cut points; at most " + std::to_string(kMaxCustomCuts));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  cuts = std::move(out);
  return true;
}

std::vector<double> classBreaks(std::span<const double> values, ClassifyMethod method, int classes,
                                std::span<const double> cuts) {
  switch (method) {
    case ClassifyMethod::Quantile: return quantileBreaks(values, classes);
    case ClassifyMethod::EqualInterval: return equalIntervalBreaks(values, classes);
    case ClassifyMethod::NaturalBreaks: return naturalBreaks(values, classes);
    case ClassifyMethod::Custom: return customBreaks(values, cuts);
  }
  return {};
}

double withinClassSquaredDeviation(std::span<const double> values, std::span<const double> breaks) {
  if (breaks.size() < 2) return 0;
  const size_t k = breaks.size() - 1;
  std::vector<double> sum(k, 0), sumSq(k, 0), count(k, 0);
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    for (size_t i = 0; i < k; ++i) {
      const bool last = i + 1 == k;
      if (v >= breaks[i] && (v < breaks[i + 1] || (last && v <= breaks[i + 1]))) {
        sum[i] += v;
        sumSq[i] += v * v;
        count[i] += 1;
        break;
      }
    }
  }
  double total = 0;
  for (size_t i = 0; i < k; ++i)
    if (count[i] > 0) total += sumSq[i] - sum[i] * sum[i] / count[i];
  return total;
}

}  // namespace bcmap
