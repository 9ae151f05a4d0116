// A small, strict JSON reader and writer (RFC 8259), standard C++ only, no
// exceptions: scenario files and lesson files are read with it, natively and
// in WebAssembly.
//
// [SECTION] Values: JsonValue keeps integers exactly (int64) and as double,
//           object members in the order written.
// [SECTION] Reading: parse_json() rejects anything RFC 8259 does not allow
//           (comments, trailing commas, duplicate keys, bad UTF-8, lone
//           surrogates) and reports line, column and what was expected.
// [SECTION] Typed access: JsonReader gets typed fields and names them with a
//           JSON-path-like location, "steps[3].expect.emitted[0].seq".
// [SECTION] Writing: json_quote() and JsonWriter, one line per document.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tcplab {

// [SECTION] Values

enum class JsonType : std::uint8_t { Null, Bool, Number, String, Array, Object };
const char* json_type_name(JsonType t);  // "null", "a boolean", "a number", ...

struct JsonValue {
  JsonType type = JsonType::Null;
  bool boolean = false;
  // Numbers: `number` always; `integer` too when the literal has no fraction
  // or exponent and fits in int64 (then is_integer is true).
  bool is_integer = false;
  std::int64_t integer = 0;
  double number = 0;
  std::string string;
  // Arrays use `items`; objects use `keys` and `items` side by side, in the
  // order of the document.
  std::vector<std::string> keys;
  std::vector<JsonValue> items;
  // Where the value starts in the text (1-based; column counts characters).
  int line = 0;
  int column = 0;

  bool is_null() const { return type == JsonType::Null; }
  bool is_bool() const { return type == JsonType::Bool; }
  bool is_number() const { return type == JsonType::Number; }
  bool is_string() const { return type == JsonType::String; }
  bool is_array() const { return type == JsonType::Array; }
  bool is_object() const { return type == JsonType::Object; }
  std::size_t size() const { return items.size(); }
  // The member `key` of an object, or nullptr (also when not an object).
  const JsonValue* find(std::string_view key) const;
};

// [SECTION] Reading

struct JsonError {
  int line = 0;
  int column = 0;
  std::string message;  // "expected ',' or '}' after an object member, got ']'"
};

constexpr int JSON_DEFAULT_MAX_DEPTH = 64;

// Parses one JSON text (a UTF-8 byte order mark is skipped). On failure
// returns false and fills `error`; `out` is then unspecified. Never throws
// (other than std::bad_alloc) and never reads outside `text`.
bool parse_json(std::string_view text, JsonValue& out, JsonError& error,
                int max_depth = JSON_DEFAULT_MAX_DEPTH);

// [SECTION] Typed access

// "a string \"A-B\"", "the integer 5", "an array", ... for "got ..." messages.
std::string json_describe(const JsonValue& v);

// Typed access with locations. The first failure is kept as
// "<path>: <message>"; after it every call returns false or nullptr.
class JsonReader {
 public:
  static std::string key_path(const std::string& path, std::string_view key);  // a.b
  static std::string index_path(const std::string& path, std::size_t index);   // a[3]

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // Records "<path>: <message>" (only the first failure is kept); returns false.
  bool fail(const std::string& path, const std::string& message);
  // "expected <what>, got <description of v>".
  bool fail_expected(const std::string& path, const std::string& what, const JsonValue& v);

  // Member `key` of the object `obj` found at `path`. Absent: nullptr, and
  // when `required` a failure "<path>.<key>: missing required field".
  const JsonValue* member(const JsonValue& obj, const std::string& path, std::string_view key,
                          bool required);

  bool expect_object(const JsonValue& v, const std::string& path);
  bool expect_array(const JsonValue& v, const std::string& path);
  bool get_string(const JsonValue& v, const std::string& path, std::string& out);
  bool get_bool(const JsonValue& v, const std::string& path, bool& out);
  // An integer literal in [lo, hi] (1.0 and 1e3 are not integers here).
  bool get_int(const JsonValue& v, const std::string& path, std::int64_t lo, std::int64_t hi,
               std::int64_t& out);
  bool get_number(const JsonValue& v, const std::string& path, double& out);

 private:
  std::string error_;
};

// [SECTION] Writing

// A JSON string literal, quotes included; control characters, '"' and '\\'
// are escaped, everything else (UTF-8) is kept as it is.
std::string json_quote(std::string_view s);
// The whole value on one line, `{"a": 1, "b": [true, null]}` style.
std::string json_write(const JsonValue& v);

// Builds one JSON document on one line, in the style of json_write. Commas
// and separators are inserted; the caller nests begin_/end_ correctly.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);  // inside an object, before each value
  JsonWriter& string(std::string_view s);
  JsonWriter& integer(std::int64_t n);
  JsonWriter& boolean(bool b);
  JsonWriter& number(double d);  // non-finite numbers are written as null
  JsonWriter& null();
  JsonWriter& raw(std::string_view json);  // an already written value
  const std::string& str() const { return out_; }

 private:
  void before_value();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace tcplab
