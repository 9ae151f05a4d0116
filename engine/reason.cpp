#include "reason.h"

namespace tcplab {
namespace {

struct ReasonInfo {
  const char* key;
  const char* rfc;
  bool rejects;
};

constexpr ReasonInfo REASONS[] = {
#define TCPLAB_REASON_INFO(name, key, rfc, rejects) {key, rfc, rejects},
    TCPLAB_REASONS(TCPLAB_REASON_INFO)
#undef TCPLAB_REASON_INFO
};
constexpr int REASON_COUNT = sizeof(REASONS) / sizeof(REASONS[0]);

}  // namespace

const char* reason_key(Reason r) { return REASONS[static_cast<int>(r)].key; }
const char* reason_rfc(Reason r) { return REASONS[static_cast<int>(r)].rfc; }
bool reason_rejects(Reason r) { return REASONS[static_cast<int>(r)].rejects; }
int reason_count() { return REASON_COUNT; }

std::optional<Reason> reason_from_key(std::string_view key) {
  for (int i = 0; i < REASON_COUNT; ++i)
    if (key == REASONS[i].key) return static_cast<Reason>(i);
  return std::nullopt;
}

}  // namespace tcplab
