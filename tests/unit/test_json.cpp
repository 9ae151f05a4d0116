// The strict JSON reader and the writer: values, exact integers, escapes,
// errors with line and column, the depth limit, typed access with paths,
// and fuzzing with random bytes, truncations and mutations.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "json.h"
#include "rng.h"

namespace {

using namespace tcplab;

JsonValue parse_ok(const std::string& text) {
  JsonValue v;
  JsonError e;
  bool ok = parse_json(text, v, e);
  INFO("text: ", text, "  error: ", e.line, ":", e.column, " ", e.message);
  REQUIRE(ok);
  return v;
}

JsonError parse_err(const std::string& text, int max_depth = JSON_DEFAULT_MAX_DEPTH) {
  JsonValue v;
  JsonError e;
  bool ok = parse_json(text, v, e, max_depth);
  INFO("text: ", text);
  REQUIRE_FALSE(ok);
  CHECK(e.line >= 1);
  CHECK(e.column >= 1);
  CHECK_FALSE(e.message.empty());
  return e;
}

// Structural equality (positions and number literals aside).
bool same(const JsonValue& a, const JsonValue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case JsonType::Null: return true;
    case JsonType::Bool: return a.boolean == b.boolean;
    case JsonType::Number:
      return a.is_integer == b.is_integer && (a.is_integer ? a.integer == b.integer : a.number == b.number);
    case JsonType::String: return a.string == b.string;
    case JsonType::Array:
    case JsonType::Object:
      if (a.keys != b.keys || a.items.size() != b.items.size()) return false;
      for (std::size_t i = 0; i < a.items.size(); ++i)
        if (!same(a.items[i], b.items[i])) return false;
      return true;
  }
  return false;
}

const char* const SAMPLE =
    "{\"id\": \"HS-01\", \"title\": \"Three-way handshake \\u2192 \\ud83d\\ude00\",\n"
    " \"setup\": {\"A\": {\"role\": \"client\", \"iss\": [1000]}, \"B\": {\"iss\": [5000, 4294967295]}},\n"
    " \"steps\": [\n"
    "  {\"app\": \"B\", \"call\": \"open_passive\", \"expect\": {\"A\": \"CLOSED\", \"emitted\": []}},\n"
    "  {\"deliver\": \"A->B\", \"which\": \"next\", \"x\": [true, false, null, -1.5e3, 0.25]}\n"
    " ]}\n";

}  // namespace

TEST_CASE("json: scalars, exact integers and doubles") {
  CHECK(parse_ok("null").is_null());
  CHECK(parse_ok(" true ").boolean);
  CHECK_FALSE(parse_ok("false").boolean);
  JsonValue big = parse_ok("9223372036854775807");
  CHECK(big.is_integer);
  CHECK(big.integer == INT64_MAX);
  JsonValue small = parse_ok("-9223372036854775808");
  CHECK(small.is_integer);
  CHECK(small.integer == INT64_MIN);
  JsonValue over = parse_ok("9223372036854775808");
  CHECK_FALSE(over.is_integer);
  CHECK(over.number == doctest::Approx(9.223372036854776e18));
  JsonValue seq = parse_ok("4294967295");
  CHECK(seq.is_integer);
  CHECK(seq.integer == 4294967295ll);
  CHECK(seq.number == 4294967295.0);
  JsonValue frac = parse_ok("-1.5e3");
  CHECK_FALSE(frac.is_integer);
  CHECK(frac.number == -1500.0);
  CHECK_FALSE(parse_ok("1.0").is_integer);
  CHECK_FALSE(parse_ok("1e2").is_integer);
  CHECK(parse_ok("0").is_integer);
  CHECK(parse_ok("-0").integer == 0);
  CHECK(parse_ok("1E+2").number == 100.0);
}

TEST_CASE("json: strings with every escape, surrogate pairs to UTF-8") {
  CHECK(parse_ok(R"("a\"b\\c\/d\b\f\n\r\t")").string == "a\"b\\c/d\b\f\n\r\t");
  CHECK(parse_ok(R"("\u0041\u00e9\u2192")").string == "A\xC3\xA9\xE2\x86\x92");
  CHECK(parse_ok(R"("\ud83d\ude00")").string == "\xF0\x9F\x98\x80");
  CHECK(parse_ok(R"("\uDBFF\uDFFF")").string == "\xF4\x8F\xBF\xBF");
  CHECK(parse_ok(R"("\u0000")").string == std::string(1, '\0'));
  CHECK(parse_ok("\"caf\xC3\xA9 \xE4\xB8\xAD\"").string == "caf\xC3\xA9 \xE4\xB8\xAD");
  // A UTF-8 byte order mark before the document is skipped.
  CHECK(parse_ok("\xEF\xBB\xBF[1]").items.size() == 1);
}

TEST_CASE("json: objects keep key order, arrays keep order, find") {
  JsonValue v = parse_ok(SAMPLE);
  REQUIRE(v.is_object());
  REQUIRE(v.keys.size() == 4);
  CHECK(v.keys[0] == "id");
  CHECK(v.keys[1] == "title");
  CHECK(v.keys[2] == "setup");
  CHECK(v.keys[3] == "steps");
  CHECK(v.find("title")->string == "Three-way handshake \xE2\x86\x92 \xF0\x9F\x98\x80");
  CHECK(v.find("nope") == nullptr);
  const JsonValue* steps = v.find("steps");
  REQUIRE(steps != nullptr);
  CHECK(steps->size() == 2);
  CHECK(steps->line == 3);
  CHECK(steps->column == 11);
  const JsonValue& x = *steps->items[1].find("x");
  CHECK(x.line == 5);
  CHECK(x.items[3].number == -1500.0);
  CHECK(v.find("setup")->find("B")->find("iss")->items[1].integer == 4294967295ll);
  CHECK(parse_ok("[]").is_array());
  CHECK(parse_ok("{}").is_object());
}

TEST_CASE("json: errors say where and what was expected") {
  struct Case {
    const char* text;
    int line, column;
    const char* message;
  };
  const Case cases[] = {
      {"", 1, 1, "expected a value, got end of input"},
      {"   \n  ", 2, 3, "expected a value, got end of input"},
      {"{\"a\": 1,}", 1, 9, "expected a string key after ',', got '}'"},
      {"[1, 2,]", 1, 7, "expected a value after ',', got ']'"},
      {"[1 2]", 1, 4, "expected ',' or ']' after an array element, got '2'"},
      {"{\"a\" 1}", 1, 6, "expected ':' after the object key, got '1'"},
      {"{\"a\": 1\n \"b\": 2}", 2, 2, "expected ',' or '}' after an object member, got '\"'"},
      {"{a: 1}", 1, 2, "expected a string key in double quotes, got 'a'"},
      {"{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\""},
      {"[1] [2]", 1, 5, "expected end of input after the JSON value, got '['"},
      {"01", 1, 2, "leading zeros are not allowed"},
      {"-", 1, 2, "expected a digit after '-'"},
      {"1.", 1, 3, "expected a digit after '.'"},
      {"1e", 1, 3, "expected a digit in the exponent"},
      {"1e999", 1, 1, "number out of range"},
      {"tru", 1, 1, "expected a value"},
      {"True", 1, 1, "expected a value, got 'T'"},
      {"nullx", 1, 5, "unknown word"},
      {"'a'", 1, 1, "expected a value, got '''"},
      {"\"abc", 1, 5, "expected '\"' to end the string, got end of input"},
      {"\"a\nb\"", 1, 3, "got a line break"},
      {"\"a\tb\"", 1, 3, "got a control character"},
      {"\"\\x\"", 1, 3, "expected one of \" \\ / b f n r t u after '\\', got 'x'"},
      {"\"\\u12G4\"", 1, 6, "expected 4 hex digits after \\u, got 'G'"},
      {"\"\\ud800\"", 1, 2, "a high surrogate \\u escape must be followed by a low surrogate"},
      {"\"\\ud800\\u0041\"", 1, 2, "must be followed by a low surrogate"},
      {"\"\\udc00\"", 1, 2, "a low surrogate \\u escape without a high surrogate"},
      {"\"\xC3\"", 1, 2, "invalid UTF-8 in string"},
      {"\"\xC0\xAF\"", 1, 2, "invalid UTF-8"},          // overlong '/'
      {"\"\xED\xA0\x80\"", 1, 2, "invalid UTF-8"},      // an encoded surrogate
      {"\"\xF4\x90\x80\x80\"", 1, 2, "invalid UTF-8"},  // above U+10FFFF
      {"\"\xC3\xA9\" x", 1, 5, "expected end of input"},  // columns count characters
      {"// comment\n1", 1, 1, "expected a value, got '/'"},
      {"\xFF", 1, 1, "expected a value, got byte 0xFF"},
  };
  for (const Case& c : cases) {
    JsonError e = parse_err(c.text);
    INFO("text: ", c.text, "  got ", e.line, ":", e.column, " ", e.message);
    CHECK(e.line == c.line);
    CHECK(e.column == c.column);
    CHECK(e.message.find(c.message) != std::string::npos);
  }
}

TEST_CASE("json: the depth limit") {
  std::string ok_doc = std::string(64, '[') + std::string(64, ']');
  parse_ok(ok_doc);
  std::string deep = std::string(65, '[') + std::string(65, ']');
  JsonError e = parse_err(deep);
  CHECK(e.column == 65);
  CHECK(e.message.find("nesting deeper than 64 levels") != std::string::npos);
  CHECK(parse_err("[[[1]]]", 2).message.find("deeper than 2") != std::string::npos);
  // Far too deep for any stack: refused at the limit, no recursion beyond it.
  std::string huge(1000000, '[');
  parse_err(huge);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  parse_err(objects);
}

TEST_CASE("json: the writer escapes strings and writes one line") {
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_quote("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
  CHECK(json_quote(std::string("\x01\x1F\x7F", 3)) == "\"\\u0001\\u001F\\u007F\"");
  CHECK(json_quote("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
  CHECK(json_quote(std::string("a\0b", 3)) == "\"a\\u0000b\"");

  JsonWriter w;
  w.begin_object();
  w.key("scenario").string("HS-01");
  w.key("step").integer(3);
  w.key("list").begin_array().integer(-1).boolean(true).null().number(0.5).end_array();
  w.key("empty").begin_object().end_object();
  w.key("raw").raw("[1]");
  w.end_object();
  CHECK(w.str() ==
        "{\"scenario\": \"HS-01\", \"step\": 3, \"list\": [-1, true, null, 0.5], \"empty\": {}, \"raw\": [1]}");
  JsonWriter nan;
  nan.begin_array().number(1.0 / 3.0).end_array();
  CHECK(nan.str() == "[0.3333333333333333]");
}

TEST_CASE("json: write then parse gives the same value") {
  JsonValue v = parse_ok(SAMPLE);
  std::string text = json_write(v);
  CHECK(text.find('\n') == std::string::npos);
  JsonValue w = parse_ok(text);
  CHECK(same(v, w));
  CHECK(json_write(parse_ok("[0.1, 1e300, -2.5e-7, 123456789012345678]")) ==
        "[0.1, 1e+300, -2.5e-07, 123456789012345678]");
  // A number written with a fraction or exponent stays a non-integer.
  CHECK(json_write(parse_ok("[-1.5e3, 2.0]")) == "[-1500.0, 2.0]");
}

TEST_CASE("json: typed access names the field with its path") {
  JsonValue v = parse_ok(SAMPLE);
  SUBCASE("paths") {
    CHECK(JsonReader::key_path("", "steps") == "steps");
    CHECK(JsonReader::key_path(JsonReader::index_path("steps", 3), "expect") == "steps[3].expect");
    CHECK(JsonReader::index_path("steps[3].expect.emitted", 0) == "steps[3].expect.emitted[0]");
  }
  SUBCASE("good fields") {
    JsonReader r;
    std::string id;
    std::int64_t n = 0;
    const JsonValue* f = r.member(v, "", "id", true);
    REQUIRE(f != nullptr);
    CHECK(r.get_string(*f, "id", id));
    CHECK(id == "HS-01");
    const JsonValue* iss = v.find("setup")->find("B")->find("iss");
    CHECK(r.get_int(iss->items[1], "setup.B.iss[1]", 0, 4294967295ll, n));
    CHECK(n == 4294967295ll);
    CHECK(r.member(v, "", "absent", false) == nullptr);
    CHECK(r.ok());
  }
  SUBCASE("a missing field") {
    JsonReader r;
    CHECK(r.member(*v.find("steps")->items[0].find("expect"), "steps[0].expect", "B", true) == nullptr);
    CHECK(r.error() == "steps[0].expect.B: missing required field");
  }
  SUBCASE("wrong types and ranges") {
    JsonReader r;
    std::int64_t n = 0;
    const JsonValue& x = *v.find("steps")->items[1].find("x");
    CHECK_FALSE(r.get_int(x.items[3], "steps[1].x[3]", 0, 10, n));
    CHECK(r.error() == "steps[1].x[3]: expected an integer from 0 to 10, got -1.5e3");
    // Only the first failure is kept.
    std::string s;
    CHECK_FALSE(r.get_string(x.items[0], "steps[1].x[0]", s));
    CHECK(r.error() == "steps[1].x[3]: expected an integer from 0 to 10, got -1.5e3");
    JsonReader r2;
    CHECK_FALSE(r2.get_string(x, "steps[1].x", s));
    CHECK(r2.error() == "steps[1].x: expected a string, got an array");
    JsonReader r3;
    bool b = false;
    CHECK_FALSE(r3.get_bool(x.items[2], "p", b));
    CHECK(r3.error() == "p: expected true or false, got null");
    JsonReader r4;
    CHECK_FALSE(r4.expect_object(*v.find("id"), "id"));
    CHECK(r4.error() == "id: expected an object, got \"HS-01\"");
    JsonReader r5;
    CHECK_FALSE(r5.get_int(x.items[4], "q", 0, 10, n));
    CHECK(r5.error() == "q: expected an integer from 0 to 10, got 0.25");
  }
  SUBCASE("long strings are cut in messages") {
    JsonValue s = parse_ok("\"" + std::string(100, 'x') + "\"");
    std::string d = json_describe(s);
    CHECK(d.size() < 50);
    CHECK(d.substr(d.size() - 3) == "...");
  }
}

TEST_CASE("json fuzz: random bytes never crash") {
  Rng rng(20240611);
  const char alphabet[] = "{}[]:,\"\\/ \n\t0123456789-+.eEtrufalsn\x01\xC3\xA9\xED\xF0\xFF";
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    std::uint32_t len = rng.below(48);
    for (std::uint32_t i = 0; i < len; ++i) {
      if (rng.below(4) == 0)
        text += static_cast<char>(rng.below(256));
      else
        text += alphabet[rng.below(sizeof alphabet - 1)];
    }
    JsonValue v;
    JsonError e;
    if (parse_json(text, v, e, 8)) {
      // Whatever parses writes back to something that parses the same.
      JsonValue w;
      REQUIRE(parse_json(json_write(v), w, e, 64));
      CHECK(same(v, w));
    } else {
      CHECK(e.line >= 1);
      CHECK(e.column >= 1);
      CHECK(e.column <= static_cast<int>(text.size()) + 1);
      CHECK_FALSE(e.message.empty());
    }
  }
}

TEST_CASE("json fuzz: every truncation and many mutations of a document") {
  const std::string doc = SAMPLE;
  // Every proper prefix of an object document is incomplete (whitespace
  // after the closing brace aside).
  std::size_t end = doc.find_last_of('}') + 1;
  for (std::size_t n = 0; n < end; ++n) {
    JsonValue v;
    JsonError e;
    CHECK_FALSE(parse_json(std::string_view(doc).substr(0, n), v, e));
    CHECK(e.line >= 1);
  }
  Rng rng(7);
  for (int round = 0; round < 5000; ++round) {
    std::string text = doc;
    int edits = 1 + static_cast<int>(rng.below(3));
    for (int k = 0; k < edits; ++k) {
      std::size_t at = rng.below(static_cast<std::uint32_t>(text.size()));
      switch (rng.below(3)) {
        case 0: text[at] = static_cast<char>(rng.below(256)); break;
        case 1: text.erase(at, 1 + rng.below(4)); break;
        default: text.insert(at, 1, "{}[],:\"\\"[rng.below(8)]); break;
      }
    }
    JsonValue v;
    JsonError e;
    bool ok = parse_json(text, v, e);
    if (!ok) CHECK_FALSE(e.message.empty());
  }
}
