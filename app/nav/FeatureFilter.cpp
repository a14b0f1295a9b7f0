// Sections: 1. the expression  2. reading the text  3. evaluating  4. as SQL
#include "nav/FeatureFilter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "io/DbSource.h"

namespace bcmap {

// ---- 1. the expression ----------------------------------------------------------------------
enum class CompareOp : uint8_t { Invalid = 0, Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, Contains };

struct FeatureFilter::Node {
  enum class Kind : uint8_t { Compare, And, Or } kind = Kind::Compare;
  std::unique_ptr<Node> left, right;  // And, Or
  // Compare:
  size_t column = 0;
  CompareOp op = CompareOp::Invalid;
  std::string value;       // as written (quotes removed)
  std::string valueLower;  // for ~ (ASCII-lowercased)
  bool valueIsNumber = false;
  double number = 0;
};

FeatureFilter::FeatureFilter() = default;
FeatureFilter::~FeatureFilter() = default;
FeatureFilter::FeatureFilter(FeatureFilter&&) noexcept = default;
FeatureFilter& FeatureFilter::operator=(FeatureFilter&&) noexcept = default;

namespace {

char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = asciiLower(c);
  return out;
}

// Whether `hay` contains `needleLower` (already lowercased), ignoring ASCII case. UTF-8
// bytes of other characters are never letters, so folding bytes is safe.
bool containsFolded(std::string_view hay, std::string_view needleLower) {
  if (needleLower.empty()) return true;
  return std::search(hay.begin(), hay.end(), needleLower.begin(), needleLower.end(),
                     [](char h, char n) { return asciiLower(h) == n; }) != hay.end();
}

// The whole of `s` as a finite number, or nullopt.
std::optional<double> wholeNumber(std::string_view s) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// ---- 2. reading the text --------------------------------------------------------------------
bool isOperatorChar(char c) { return c == '=' || c == '!' || c == '<' || c == '>' || c == '~'; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

struct Token {
  enum class Kind : uint8_t { End = 0, Word, Quoted, Op, Open, Close } kind = Kind::End;
  std::string text;  // Word, Quoted (unquoted), Op
  size_t offset = 0;
};

class Parser {
 public:
  Parser(std::string_view text, const FeatureTable& table) : text_(text), table_(table) {}

  std::unique_ptr<FeatureFilter::Node> parse(FilterError* err) {
    err_ = err;
    if (!next()) return nullptr;
    auto root = parseOr();
    if (!root) return nullptr;
    if (tok_.kind != Token::Kind::End) return fail(tok_.offset, "expected 'and' or 'or' before " + shown(tok_));
    return root;
  }

 private:
  std::string_view text_;
  const FeatureTable& table_;
  FilterError* err_ = nullptr;
  size_t pos_ = 0;
  Token tok_;
  // Bounds on the expression: the parser, matches() and the tree's destructor recurse once
  // a level, so "((((…" 3000 deep overflowed the stack (found by fuzz/filter). Far beyond a
  // filter a person types: 64 levels of parentheses, 1000 comparisons.
  static constexpr size_t kMaxDepth = 64;
  static constexpr size_t kMaxComparisons = 1000;
  size_t depth_ = 0;
  size_t comparisons_ = 0;

  std::nullptr_t fail(size_t offset, const std::string& what) {
    if (err_) {
      // Columns count characters, not bytes: skip UTF-8 continuation bytes.
      size_t column = 1;
      for (size_t i = 0; i < offset && i < text_.size(); ++i)
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
      *err_ = FilterError{offset, "column " + std::to_string(column) + ": " + what};
    }
    return nullptr;
  }

  static std::string shown(const Token& t) {
    switch (t.kind) {
      case Token::Kind::End: return "the end";
      case Token::Kind::Quoted: return "\"" + t.text + "\"";
      case Token::Kind::Open: return "'('";
      case Token::Kind::Close: return "')'";
      default: return "'" + t.text + "'";
    }
  }

  bool isKeyword(const char* word) const { return tok_.kind == Token::Kind::Word && asciiLower(tok_.text) == word; }

  // Reads the next token into tok_; false (error set) on a bad one.
  bool next() {
    while (pos_ < text_.size() && isSpace(text_[pos_])) ++pos_;
    tok_ = Token{};
    tok_.offset = pos_;
    if (pos_ >= text_.size()) return true;
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      tok_.kind = c == '(' ? Token::Kind::Open : Token::Kind::Close;
      ++pos_;
      return true;
    }
    if (c == '"') {
      tok_.kind = Token::Kind::Quoted;
      for (++pos_;; ++pos_) {
        if (pos_ >= text_.size()) {
          fail(tok_.offset, "a quote that is not closed");
          return false;
        }
        if (text_[pos_] != '"') {
          tok_.text += text_[pos_];
        } else if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          tok_.text += '"';
          ++pos_;
        } else {
          ++pos_;
          return true;
        }
      }
    }
    if (isOperatorChar(c)) {
      tok_.kind = Token::Kind::Op;
      const bool twoChar = pos_ + 1 < text_.size() && text_[pos_ + 1] == '=' && c != '=' && c != '~';
      tok_.text = std::string(text_.substr(pos_, twoChar ? 2 : 1));
      pos_ += tok_.text.size();
      if (tok_.text == "!") {
        fail(tok_.offset, "'!' must be followed by '=' (not equal)");
        return false;
      }
      return true;
    }
    tok_.kind = Token::Kind::Word;
    const size_t start = pos_;
    while (pos_ < text_.size() && !isSpace(text_[pos_]) && !isOperatorChar(text_[pos_]) && text_[pos_] != '"' &&
           text_[pos_] != '(' && text_[pos_] != ')')
      ++pos_;
    tok_.text = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  std::unique_ptr<FeatureFilter::Node> join(FeatureFilter::Node::Kind kind, std::unique_ptr<FeatureFilter::Node> a,
                                            std::unique_ptr<FeatureFilter::Node> b) {
    auto n = std::make_unique<FeatureFilter::Node>();
    n->kind = kind;
    n->left = std::move(a);
    n->right = std::move(b);
    return n;
  }

  std::unique_ptr<FeatureFilter::Node> parseOr() {
    auto left = parseAnd();
    while (left && isKeyword("or")) {
      if (!next()) return nullptr;
      auto right = parseAnd();
      if (!right) return nullptr;
      left = join(FeatureFilter::Node::Kind::Or, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<FeatureFilter::Node> parseAnd() {
    auto left = parseTerm();
    while (left && isKeyword("and")) {
      if (!next()) return nullptr;
      auto right = parseTerm();
      if (!right) return nullptr;
      left = join(FeatureFilter::Node::Kind::And, std::move(left), std::move(right));
    }
    return left;
  }

  std::unique_ptr<FeatureFilter::Node> parseTerm() {
    if (tok_.kind == Token::Kind::Open) {
      const size_t open = tok_.offset;
      if (depth_ == kMaxDepth)
        return fail(open, "parentheses nested deeper than " + std::to_string(kMaxDepth) + " levels");
      if (!next()) return nullptr;
      ++depth_;
      auto inner = parseOr();
      --depth_;
      if (!inner) return nullptr;
      if (tok_.kind != Token::Kind::Close) return fail(open, "'(' without its ')'");
      if (!next()) return nullptr;
      return inner;
    }
    if (tok_.kind != Token::Kind::Word && tok_.kind != Token::Kind::Quoted)
      return fail(tok_.offset, "expected a field name, found " + shown(tok_));
    const Token field = tok_;
    if (++comparisons_ > kMaxComparisons)
      return fail(field.offset, "more than " + std::to_string(kMaxComparisons) + " comparisons");
    const int column = table_.columnIndex(field.text);
    if (column < 0) return fail(field.offset, "unknown field '" + field.text + "'");
    if (!next()) return nullptr;
    if (tok_.kind != Token::Kind::Op)
      return fail(tok_.offset, "expected an operator (= != < <= > >= ~) after '" + field.text + "', found " + shown(tok_));
    static constexpr std::pair<const char*, CompareOp> kOps[] = {
        {"=", CompareOp::Equal},         {"!=", CompareOp::NotEqual},       {"<", CompareOp::Less},
        {"<=", CompareOp::LessEqual},    {">", CompareOp::Greater},        {">=", CompareOp::GreaterEqual},
        {"~", CompareOp::Contains}};
    auto n = std::make_unique<FeatureFilter::Node>();
    n->column = static_cast<size_t>(column);
    for (const auto& [text, op] : kOps)
      if (tok_.text == text) n->op = op;
    if (n->op == CompareOp::Invalid) return fail(tok_.offset, "unknown operator '" + tok_.text + "'");
    const std::string opText = tok_.text;
    if (!next()) return nullptr;
    if (tok_.kind != Token::Kind::Word && tok_.kind != Token::Kind::Quoted)
      return fail(tok_.offset, "expected a value after '" + opText + "', found " + shown(tok_));
    n->value = tok_.text;
    n->valueLower = asciiLower(n->value);
    if (const auto v = wholeNumber(n->value)) {
      n->valueIsNumber = true;
      n->number = *v;
    }
    if (!next()) return nullptr;
    return n;
  }
};

// ---- 3. evaluating ------------------------------------------------------------------------------
// A field as a number for a numeric comparison: integer and real columns, and text that is
// a whole number; NaN otherwise (dates compare as their text).
double cellNumber(const AttributeColumn& c, size_t row) {
  switch (c.type) {
    case FieldType::Integer: return static_cast<double>(c.ints[row]);
    case FieldType::Real: return c.reals[row];
    case FieldType::String: return wholeNumber(c.strings[row]).value_or(NAN);
    default: return NAN;
  }
}

template <typename T>
bool compare(const T& a, CompareOp op, const T& b) {
  switch (op) {
    case CompareOp::Equal: return a == b;
    case CompareOp::NotEqual: return a != b;
    case CompareOp::Less: return a < b;
    case CompareOp::LessEqual: return a <= b;
    case CompareOp::Greater: return a > b;
    case CompareOp::GreaterEqual: return a >= b;
    default: return false;
  }
}

bool evaluate(const FeatureFilter::Node& n, const FeatureTable& table, size_t row) {
  using Kind = FeatureFilter::Node::Kind;
  if (n.kind == Kind::And) return evaluate(*n.left, table, row) && evaluate(*n.right, table, row);
  if (n.kind == Kind::Or) return evaluate(*n.left, table, row) || evaluate(*n.right, table, row);
  const AttributeColumn& c = table.columns[n.column];
  if (row >= c.size() || c.isNull[row]) return false;
  if (n.op == CompareOp::Contains)
    return c.type == FieldType::String ? containsFolded(c.strings[row], n.valueLower)
                                       : containsFolded(c.text(row), n.valueLower);
  if (n.valueIsNumber) {
    const double x = cellNumber(c, row);
    if (!std::isnan(x)) return compare(x, n.op, n.number);
  }
  if (c.type == FieldType::String) return compare(std::string_view(c.strings[row]), n.op, std::string_view(n.value));
  return compare(c.text(row), n.op, n.value);
}

}  // namespace

std::optional<FeatureFilter> FeatureFilter::parse(std::string_view text, const FeatureTable& table, FilterError* err) {
  FeatureFilter f;
  const bool blank = std::all_of(text.begin(), text.end(), isSpace);
  if (blank) return f;
  if (std::none_of(text.begin(), text.end(), isOperatorChar)) {
    // A plain search, trimmed of the spaces around it.
    const size_t b = text.find_first_not_of(" \t\r\n"), e = text.find_last_not_of(" \t\r\n");
    f.plainText_ = asciiLower(text.substr(b, e - b + 1));
    return f;
  }
  f.root_ = Parser(text, table).parse(err);
  if (!f.root_) return std::nullopt;
  return f;
}

bool FeatureFilter::matches(const FeatureTable& table, size_t row) const {
  if (root_) return evaluate(*root_, table, row);
  if (plainText_.empty()) return true;
  for (const AttributeColumn& c : table.columns) {
    if (row >= c.size() || c.isNull[row]) continue;
    if (c.type == FieldType::String ? containsFolded(c.strings[row], plainText_) : containsFolded(c.text(row), plainText_))
      return true;
  }
  return false;
}

std::vector<uint32_t> FeatureFilter::rows(const FeatureTable& table) const {
  const size_t n = table.featureCount();
  std::vector<uint32_t> out;
  if (matchesAll()) {
    out.resize(n);
    std::iota(out.begin(), out.end(), 0u);
    return out;
  }
  for (size_t r = 0; r < n; ++r)
    if (matches(table, r)) out.push_back(static_cast<uint32_t>(r));
  return out;
}

// ---- 4. as SQL ---------------------------------------------------------------------------------------
namespace {

const char* sqlOp(CompareOp op) {
  switch (op) {
    case CompareOp::Equal: return " = ";
    case CompareOp::NotEqual: return " <> ";
    case CompareOp::Less: return " < ";
    case CompareOp::LessEqual: return " <= ";
    case CompareOp::Greater: return " > ";
    case CompareOp::GreaterEqual: return " >= ";
    default: return nullptr;
  }
}

// `v` appended to params; its placeholder.
std::string sqlParam(std::vector<std::string>& params, std::string v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

// A column's text, case-folded, contains the (already folded) parameter.
std::string sqlContains(const std::string& column, const std::string& placeholder) {
  return "position(" + placeholder + "::text in lower(" + column + "::text)) > 0";
}

std::optional<std::string> sqlOf(const FeatureFilter::Node& n, const FeatureTable& table, std::vector<std::string>& params,
                                 std::string* why) {
  using Kind = FeatureFilter::Node::Kind;
  if (n.kind != Kind::Compare) {
    std::optional<std::string> a = sqlOf(*n.left, table, params, why);
    if (!a) return std::nullopt;
    std::optional<std::string> b = sqlOf(*n.right, table, params, why);
    if (!b) return std::nullopt;
    return "(" + *a + (n.kind == Kind::And ? " AND " : " OR ") + *b + ")";
  }
  const AttributeColumn& c = table.columns[n.column];
  const std::string col = quoteSqlIdentifier(c.name);
  if (n.op == CompareOp::Contains) return sqlContains(col, sqlParam(params, n.valueLower));
  const char* op = sqlOp(n.op);
  if (!op) {
    if (why) *why = "an operator SQL cannot say";
    return std::nullopt;
  }
  const bool numeric = c.type == FieldType::Integer || c.type == FieldType::Real;
  if (n.valueIsNumber && numeric) return col + op + sqlParam(params, n.value) + "::float8";
  if (n.valueIsNumber && n.op != CompareOp::Equal && n.op != CompareOp::NotEqual) {
    if (why) *why = "'" + c.name + "' is text: an order comparison with a number is not supported for a database layer";
    return std::nullopt;
  }
  // Text in byte order (UTF-8: code point order), as here.
  return col + "::text COLLATE \"C\"" + op + sqlParam(params, n.value) + "::text";
}

}  // namespace

std::optional<std::string> FeatureFilter::sqlWhere(const FeatureTable& table, std::vector<std::string>& params,
                                                   std::string* why) const {
  if (root_) return sqlOf(*root_, table, params, why);
  if (plainText_.empty()) return std::string();
  if (table.columns.empty()) return std::string("false");
  const std::string p = sqlParam(params, plainText_);
  std::string out = "(";
  for (size_t i = 0; i < table.columns.size(); ++i)
    out += (i ? " OR " : "") + sqlContains(quoteSqlIdentifier(table.columns[i].name), p);
  return out + ")";
}

}  // namespace bcmap
