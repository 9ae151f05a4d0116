// A strict JSON reader and a small writer. See json.h.
//
// [SECTION] Values
// [SECTION] Reading: the parser
// [SECTION] Typed access
// [SECTION] Writing
#include "json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_set>

namespace tcplab {

// [SECTION] Values

const char* json_type_name(JsonType t) {
  switch (t) {
    case JsonType::Null: return "null";
    case JsonType::Bool: return "a boolean";
    case JsonType::Number: return "a number";
    case JsonType::String: return "a string";
    case JsonType::Array: return "an array";
    case JsonType::Object: return "an object";
  }
  return "?";
}

const JsonValue* JsonValue::find(std::string_view key) const {
  if (type != JsonType::Object) return nullptr;
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &items[i];
  return nullptr;
}

// [SECTION] Reading: the parser

namespace {

class Parser {
 public:
  Parser(std::string_view text, int max_depth) : s_(text), max_depth_(max_depth) {}

  bool parse_document(JsonValue& out, JsonError& error) {
    // A UTF-8 byte order mark is not JSON, but editors write it; skip it.
    if (s_.size() >= 3 && s_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = col_pos_ = 3;
    skip_space();
    if (!parse_value(out, 0)) {
      error = error_;
      return false;
    }
    skip_space();
    if (pos_ < s_.size()) {
      fail("expected end of input after the JSON value, got " + got());
      error = error_;
      return false;
    }
    return true;
  }

 private:
  std::string_view s_;
  int max_depth_;
  std::size_t pos_ = 0;
  // Line and column bookkeeping: columns count characters (not UTF-8
  // continuation bytes); col_ is the column of byte col_pos_ on line line_.
  int line_ = 1;
  std::size_t line_start_ = 0;
  std::size_t col_pos_ = 0;
  int col_ = 1;
  JsonError error_;

  bool at_end() const { return pos_ >= s_.size(); }
  unsigned char peek() const { return at_end() ? 0 : static_cast<unsigned char>(s_[pos_]); }

  int column_at(std::size_t p) {
    if (p < col_pos_ || col_pos_ < line_start_) {  // never happens going forward; be safe
      col_pos_ = line_start_;
      col_ = 1;
    }
    for (; col_pos_ < p && col_pos_ < s_.size(); ++col_pos_)
      if ((static_cast<unsigned char>(s_[col_pos_]) & 0xC0) != 0x80) ++col_;
    return col_;
  }

  void new_line_at(std::size_t next_line_start) {
    ++line_;
    line_start_ = col_pos_ = next_line_start;
    col_ = 1;
  }

  void skip_space() {
    while (!at_end()) {
      char c = s_[pos_];
      if (c == '\n') {
        new_line_at(++pos_);
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  // What stands at pos_, for "got ..." in messages.
  std::string got() const {
    if (at_end()) return "end of input";
    unsigned char c = peek();
    if (c == '\n' || c == '\r') return "a line break";
    if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    char buf[32];
    std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
    return buf;
  }

  bool fail(const std::string& message) { return fail_at(pos_, message); }
  bool fail_at(std::size_t p, const std::string& message) {
    if (error_.message.empty()) {
      error_.line = line_;
      error_.column = column_at(p < s_.size() ? p : s_.size());
      error_.message = message;
    }
    return false;
  }

  void mark(JsonValue& v) {
    v.line = line_;
    v.column = column_at(pos_);
  }

  bool parse_value(JsonValue& v, int depth) {
    mark(v);
    unsigned char c = peek();
    switch (c) {
      case '{': return parse_object(v, depth + 1);
      case '[': return parse_array(v, depth + 1);
      case '"':
        v.type = JsonType::String;
        return parse_string(v.string);
      case 't': return parse_literal(v, "true", JsonType::Bool, true);
      case 'f': return parse_literal(v, "false", JsonType::Bool, false);
      case 'n': return parse_literal(v, "null", JsonType::Null, false);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number(v);
        return fail("expected a value, got " + got());
    }
  }

  bool parse_literal(JsonValue& v, std::string_view word, JsonType type, bool b) {
    if (s_.substr(pos_, word.size()) != word)
      return fail("expected a value, got an unknown word (true, false and null are written in lower case)");
    pos_ += word.size();
    // "trueish" is not a literal followed by garbage worth a separate message.
    unsigned char c = peek();
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
      return fail("expected a value, got an unknown word");
    v.type = type;
    v.boolean = b;
    return true;
  }

  static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

  bool parse_number(JsonValue& v) {
    std::size_t start = pos_;
    bool negative = false;
    if (peek() == '-') {
      negative = true;
      ++pos_;
    }
    if (!is_digit(peek())) return fail("expected a digit after '-', got " + got());
    bool integral = true;
    if (peek() == '0') {
      ++pos_;
      if (is_digit(peek())) return fail("leading zeros are not allowed in numbers");
    } else {
      while (is_digit(peek())) ++pos_;
    }
    if (peek() == '.') {
      integral = false;
      ++pos_;
      if (!is_digit(peek())) return fail("expected a digit after '.', got " + got());
      while (is_digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!is_digit(peek())) return fail("expected a digit in the exponent, got " + got());
      while (is_digit(peek())) ++pos_;
    }
    v.type = JsonType::Number;
    v.string = std::string(s_.substr(start, pos_ - start));
    v.number = std::strtod(v.string.c_str(), nullptr);
    if (!std::isfinite(v.number)) return fail_at(start, "number out of range: " + v.string);
    if (integral) {
      // Exact int64 when it fits: accumulate as a negative number so that
      // INT64_MIN is representable.
      std::int64_t acc = 0;
      bool fits = true;
      for (std::size_t i = negative ? 1 : 0; i < v.string.size(); ++i) {
        int d = v.string[i] - '0';
        if (acc < (INT64_MIN + d) / 10) {
          fits = false;
          break;
        }
        acc = acc * 10 - d;
      }
      if (fits && !negative && acc == INT64_MIN) fits = false;
      if (fits) {
        v.is_integer = true;
        v.integer = negative ? acc : -acc;
      }
    }
    return true;
  }

  static int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool parse_hex4(unsigned& out) {
    out = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hex_value(peek());
      if (h < 0) return fail("expected 4 hex digits after \\u, got " + got());
      out = out * 16 + static_cast<unsigned>(h);
      ++pos_;
    }
    return true;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Length of the well-formed UTF-8 sequence at pos_ (RFC 3629: no
  // overlong forms, no surrogates, nothing above U+10FFFF), or 0.
  std::size_t utf8_length() const {
    unsigned char c = peek();
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return 0;
    }
    if (pos_ + n > s_.size()) return 0;
    for (std::size_t i = 1; i < n; ++i) {
      unsigned char d = static_cast<unsigned char>(s_[pos_ + i]);
      if (i == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) return 0;
    }
    return n;
  }

  bool parse_string(std::string& out) {
    ++pos_;  // the opening quote
    out.clear();
    for (;;) {
      if (at_end()) return fail("expected '\"' to end the string, got end of input");
      unsigned char c = peek();
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20)
        return fail("expected '\"' to end the string, got " +
                    std::string(c == '\n' || c == '\r' ? "a line break"
                                                       : "a control character") +
                    " (write it as an escape, e.g. \\n)");
      if (c == '\\') {
        ++pos_;
        unsigned char e = peek();
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            std::size_t esc = pos_ - 1;
            ++pos_;
            unsigned cp;
            if (!parse_hex4(cp)) return false;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
              return fail_at(esc, "a low surrogate \\u escape without a high surrogate before it");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (s_.substr(pos_, 2) != "\\u")
                return fail_at(esc, "a high surrogate \\u escape must be followed by a low surrogate \\u escape");
              pos_ += 2;
              unsigned lo;
              if (!parse_hex4(lo)) return false;
              if (lo < 0xDC00 || lo > 0xDFFF)
                return fail_at(esc, "a high surrogate \\u escape must be followed by a low surrogate \\u escape");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            append_utf8(out, cp);
            continue;  // pos_ is already past the escape
          }
          default:
            if (at_end()) return fail("expected an escape character after '\\', got end of input");
            return fail("expected one of \" \\ / b f n r t u after '\\', got " + got());
        }
        ++pos_;
        continue;
      }
      if (c < 0x80) {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      std::size_t n = utf8_length();
      if (n == 0) return fail("invalid UTF-8 in string");
      out.append(s_.data() + pos_, n);
      pos_ += n;
    }
  }

  bool check_depth(int depth) {
    if (depth > max_depth_)
      return fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
    return true;
  }

  bool parse_array(JsonValue& v, int depth) {
    if (!check_depth(depth)) return false;
    v.type = JsonType::Array;
    ++pos_;  // '['
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      v.items.emplace_back();
      if (!parse_value(v.items.back(), depth)) return false;
      skip_space();
      if (peek() == ',') {
        ++pos_;
        skip_space();
        if (peek() == ']') return fail("expected a value after ',', got ']' (no trailing commas in JSON)");
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or ']' after an array element, got " + got());
    }
  }

  bool parse_object(JsonValue& v, int depth) {
    if (!check_depth(depth)) return false;
    v.type = JsonType::Object;
    ++pos_;  // '{'
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return true;
    }
    // Keys seen so far, hashed once the object is big enough for a scan of
    // v.keys to matter: a scan per key made 500k keys take minutes (issue
    // 18, D5); small objects, the usual case, keep the cheaper scan.
    constexpr std::size_t SCAN_MAX = 16;
    std::unordered_set<std::string> seen;
    for (;;) {
      if (peek() != '"') {
        if (peek() == '}') return fail("expected a string key after ',', got '}' (no trailing commas in JSON)");
        return fail("expected a string key in double quotes, got " + got());
      }
      std::size_t key_pos = pos_;
      std::string key;
      if (!parse_string(key)) return false;
      if (v.keys.size() == SCAN_MAX) seen.insert(v.keys.begin(), v.keys.end());
      const bool duplicate = v.keys.size() < SCAN_MAX ? v.find(key) != nullptr : !seen.insert(key).second;
      if (duplicate) return fail_at(key_pos, "duplicate key " + json_quote(key));
      skip_space();
      if (peek() != ':') return fail("expected ':' after the object key, got " + got());
      ++pos_;
      skip_space();
      v.keys.push_back(std::move(key));
      v.items.emplace_back();
      if (!parse_value(v.items.back(), depth)) return false;
      skip_space();
      if (peek() == ',') {
        ++pos_;
        skip_space();
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or '}' after an object member, got " + got());
    }
  }
};

}  // namespace

bool parse_json(std::string_view text, JsonValue& out, JsonError& error, int max_depth) {
  out = JsonValue{};
  error = JsonError{};
  Parser p(text, max_depth < 1 ? 1 : max_depth);
  return p.parse_document(out, error);
}

// [SECTION] Typed access

std::string json_describe(const JsonValue& v) {
  switch (v.type) {
    case JsonType::Null: return "null";
    case JsonType::Bool: return v.boolean ? "true" : "false";
    case JsonType::Number: return v.string.empty() ? json_write(v) : v.string;
    case JsonType::String: {
      if (v.string.size() <= 40) return json_quote(v.string);
      std::size_t cut = 37;  // do not split a UTF-8 sequence
      while (cut > 0 && (static_cast<unsigned char>(v.string[cut]) & 0xC0) == 0x80) --cut;
      return json_quote(v.string.substr(0, cut)) + "...";
    }
    case JsonType::Array: return "an array";
    case JsonType::Object: return "an object";
  }
  return "?";
}

std::string JsonReader::key_path(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out = path;
  out += '.';
  out += key;
  return out;
}

std::string JsonReader::index_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

bool JsonReader::fail(const std::string& path, const std::string& message) {
  if (error_.empty()) error_ = path.empty() ? message : path + ": " + message;
  if (error_.empty()) error_ = "error";
  return false;
}

bool JsonReader::fail_expected(const std::string& path, const std::string& what,
                               const JsonValue& v) {
  return fail(path, "expected " + what + ", got " + json_describe(v));
}

const JsonValue* JsonReader::member(const JsonValue& obj, const std::string& path,
                                    std::string_view key, bool required) {
  if (!ok()) return nullptr;
  const JsonValue* v = obj.find(key);
  if (v == nullptr && required) fail(key_path(path, key), "missing required field");
  return v;
}

bool JsonReader::expect_object(const JsonValue& v, const std::string& path) {
  if (!ok()) return false;
  return v.is_object() || fail_expected(path, "an object", v);
}

bool JsonReader::expect_array(const JsonValue& v, const std::string& path) {
  if (!ok()) return false;
  return v.is_array() || fail_expected(path, "an array", v);
}

bool JsonReader::get_string(const JsonValue& v, const std::string& path, std::string& out) {
  if (!ok()) return false;
  if (!v.is_string()) return fail_expected(path, "a string", v);
  out = v.string;
  return true;
}

bool JsonReader::get_bool(const JsonValue& v, const std::string& path, bool& out) {
  if (!ok()) return false;
  if (!v.is_bool()) return fail_expected(path, "true or false", v);
  out = v.boolean;
  return true;
}

bool JsonReader::get_int(const JsonValue& v, const std::string& path, std::int64_t lo,
                         std::int64_t hi, std::int64_t& out) {
  if (!ok()) return false;
  if (!v.is_number() || !v.is_integer || v.integer < lo || v.integer > hi)
    return fail_expected(path, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi), v);
  out = v.integer;
  return true;
}

bool JsonReader::get_number(const JsonValue& v, const std::string& path, double& out) {
  if (!ok()) return false;
  if (!v.is_number()) return fail_expected(path, "a number", v);
  out = v.number;
  return true;
}

// [SECTION] Writing

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

namespace {

std::string number_text(double d) {
  if (!std::isfinite(d)) return "null";
  char buf[40];
  // The shortest of %.15g..%.17g that reads back as the same double.
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  // Keep a non-integer a non-integer when read back: 1500 -> 1500.0.
  std::string out = buf;
  if (out.find_first_of(".eEn") == std::string::npos) out += ".0";
  return out;
}

void write_value(const JsonValue& v, std::string& out) {
  switch (v.type) {
    case JsonType::Null: out += "null"; return;
    case JsonType::Bool: out += v.boolean ? "true" : "false"; return;
    case JsonType::Number:
      out += v.is_integer ? std::to_string(v.integer) : number_text(v.number);
      return;
    case JsonType::String: out += json_quote(v.string); return;
    case JsonType::Array:
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ", ";
        write_value(v.items[i], out);
      }
      out += ']';
      return;
    case JsonType::Object:
      out += '{';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ", ";
        out += json_quote(i < v.keys.size() ? v.keys[i] : std::string());
        out += ": ";
        write_value(v.items[i], out);
      }
      out += '}';
      return;
  }
}

}  // namespace

std::string json_write(const JsonValue& v) {
  std::string out;
  write_value(v, out);
  return out;
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ", ";
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  if (!first_.empty()) first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  if (!first_.empty()) first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  before_value();
  out_ += json_quote(k);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view s) {
  before_value();
  out_ += json_quote(s);
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t n) {
  before_value();
  out_ += std::to_string(n);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::number(double d) {
  before_value();
  out_ += number_text(d);
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

}  // namespace tcplab
