// Shared by the files that implement lesson.h, one per section: the
// words for hosts, placeholders and expressions, and the sentences of
// feedback. Not part of the lessons' API: only lesson_*.cpp include it.
//
//   lesson_expressions.cpp  names, placeholders and expressions
//   lesson_parse.cpp        parsing: the first error of each part, by JSON path
//   lesson_run.cpp          the run: settings, steps and actions
//   lesson_grade.cpp        answers and grading
//   lesson_solve.cpp        solutions, skips and wrong answers
//   lesson_validate.cpp     validation
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json.h"
#include "lesson.h"

namespace tcplab::lesson_detail {

inline const char* const HOST_NAMES[] = {"A", "B"};
inline const char* const DIR_NAMES[] = {"A->B", "B->A"};
inline constexpr std::int64_t SEQ_MAX = 0xFFFFFFFFll;
inline constexpr std::int64_t OCTETS_MAX = 1ll << 30;
inline constexpr std::int64_t MS_MAX = 1000000000ll;  // about 11 days

// Var: {A.iss+1}; the others are the run's settings and clock:
// {answer} {msl_s} {rto_s} {latency_ms} {now_s} {bytes}.
enum class PlaceholderKind : std::uint8_t { Var, Answer, MslS, RtoS, LatencyMs, NowS, Bytes };

struct Placeholder {
  PlaceholderKind kind = PlaceholderKind::Var;
  int host = 0;
  int var = 0;
  std::int64_t offset = 0;
};

// A text cut into literal pieces and placeholders.
struct Piece {
  bool placeholder = false;
  std::string text;  // the literal, or the placeholder as written ("{A.iss+1}")
  Placeholder ph;
};

// A sequence-number expression: numbers and {H.var(+k)} joined by + and -.
struct Term {
  bool minus = false;
  bool is_var = false;
  Placeholder ph;
  std::uint64_t number = 0;
};

inline const char* const STATE_LIST =
    "CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, "
    "CLOSING, LAST-ACK, TIME-WAIT";

inline const std::vector<const char*> CALL_NAMES = {"open_passive", "open_active", "send", "close", "abort"};
inline const Call CALL_OF[] = {Call::OpenPassive, Call::OpenActive, Call::Send, Call::Close, Call::Abort};

// JSON paths: at("steps[3]", "ask") is "steps[3].ask", at("choices", 1) "choices[1]".
inline std::string at(const std::string& path, std::string_view key) { return JsonReader::key_path(path, key); }
inline std::string at(const std::string& path, std::size_t index) { return JsonReader::index_path(path, index); }

// Hosts: "the client"/"客户端", or "host A"/"主机 A" when nobody listens.
const HostNames& host_names(bool client_server);
std::string host_en(const HostNames& n, int host, bool capital);
std::string host_zh(const HostNames& n, int host);
std::string host_short(const HostNames& n, int host, Lang lang);  // "client" or "A"

// Variables, placeholders and expressions.
int var_index(std::string_view name);  // iss irs snd_una snd_nxt rcv_nxt, or -1
Seq var_value(const Simulation& sim, int host, int var);
std::string_view trim(std::string_view s);
bool is_digit(char c);
std::uint32_t last_send_octets(const Simulation& sim);
Seq placeholder_value(const Placeholder& p, const Simulation& sim);
bool split_text(const std::string& s, std::vector<Piece>& out, std::string& error);
bool parse_expression(std::string_view e, std::vector<Term>& out);
std::string seconds_text(Duration ms);  // "4", "1.5"

// Sentences of feedback.
void append(Text& t, const Text& more);
Text both(std::string en, std::string zh);
std::string list_text(const std::vector<const char*>& names);  // "a, b, c"
std::string fill_text(const std::string& text, const Simulation& sim, const LessonSetup& setup,
                      const std::string* answer);
std::string call_on(const HostNames& n, int host, Call c, std::uint32_t bytes, Lang lang);
Text host_story(const Simulation& sim, int host, const HostNames& n);
Text state_misses(const std::optional<State> want[2], const Simulation& sim, const HostNames& n);
std::string positions_en(const std::vector<int>& v);  // "1, 2 and 4"
std::string positions_zh(const std::vector<int>& v);  // "1、2、4"

}  // namespace tcplab::lesson_detail
