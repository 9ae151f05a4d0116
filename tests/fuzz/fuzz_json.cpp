// Fuzz target: the JSON reader (engine/json.h). Any input is parsed; what
// parses is written back and must parse again to the same text, so the
// writer and the reader agree on every value the reader accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tcplab;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  JsonValue v;
  JsonError e;
  if (!parse_json(text, v, e)) return 0;
  const std::string once = json_write(v);
  JsonValue again;
  if (!parse_json(once, again, e)) std::abort();  // the writer wrote what the reader refuses
  if (json_write(again) != once) std::abort();     // not a fixed point
  return 0;
}
