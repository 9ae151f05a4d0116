#include "socket_reason.h"

namespace tcplab {
namespace {

struct SockReasonInfo {
  const char* key;
  const char* source;
  const char* en;
  const char* zh;
};

constexpr SockReasonInfo SOCK_REASONS[] = {
#define TCPLAB_SOCK_REASON_INFO(name, key, src, en, zh) {key, src, en, zh},
    TCPLAB_SOCK_REASONS(TCPLAB_SOCK_REASON_INFO)
#undef TCPLAB_SOCK_REASON_INFO
};
constexpr int SOCK_REASON_COUNT = sizeof(SOCK_REASONS) / sizeof(SOCK_REASONS[0]);

}  // namespace

const char* sock_reason_key(SockReason r) { return SOCK_REASONS[static_cast<int>(r)].key; }
const char* sock_reason_source(SockReason r) { return SOCK_REASONS[static_cast<int>(r)].source; }
const char* sock_reason_text(SockReason r, bool zh) {
  return zh ? SOCK_REASONS[static_cast<int>(r)].zh : SOCK_REASONS[static_cast<int>(r)].en;
}
int sock_reason_count() { return SOCK_REASON_COUNT; }

std::optional<SockReason> sock_reason_from_key(std::string_view key) {
  for (int i = 0; i < SOCK_REASON_COUNT; ++i)
    if (key == SOCK_REASONS[i].key) return static_cast<SockReason>(i);
  return std::nullopt;
}

}  // namespace tcplab
