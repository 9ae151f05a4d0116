// Lessons (lesson.h), part 1 of 6: names, placeholders and expressions.
// Every number a lesson shows comes from the engine in this run: texts
// carry placeholders ({A.iss+1}) and segment fields carry expressions,
// both read here.
#include "lesson.h"

#include <cstdio>
#include <utility>

#include "json.h"
#include "lesson_detail.h"

namespace tcplab {

using namespace lesson_detail;

//-----------------------------------------------------------------------------
// [SECTION] Names, placeholders and expressions
//-----------------------------------------------------------------------------

namespace lesson_detail {

const char* const VAR_NAMES[] = {"iss", "irs", "snd_una", "snd_nxt", "rcv_nxt"};
constexpr int VAR_COUNT = 5;

// Host A is the client, host B the server (README: setup), unless nobody
// listens: then they are peers, "host A" and "host B" (lesson 09).
const HostNames ROLES{};
const HostNames PEERS{{{"host A", "主机 A"}, {"host B", "主机 B"}}};

const HostNames& host_names(bool client_server) { return client_server ? ROLES : PEERS; }

std::string host_en(const HostNames& n, int host, bool capital) {
  std::string s = n.name[host & 1][0];
  if (capital && !s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}
std::string host_zh(const HostNames& n, int host) { return n.name[host & 1][1]; }

// "client"/"server" or "A"/"B": the ends of an arrow in a segment list.
std::string host_short(const HostNames& n, int host, Lang lang) {
  if (&n == &PEERS) return host & 1 ? "B" : "A";
  std::string s = n.name[host & 1][lang == Lang::Zh ? 1 : 0];
  return lang == Lang::Zh ? s : s.substr(4);  // without "the "
}

int var_index(std::string_view name) {
  for (int i = 0; i < VAR_COUNT; ++i)
    if (name == VAR_NAMES[i]) return i;
  return -1;
}

Seq var_value(const Simulation& sim, int host, int var) {
  const Tcb& t = sim.endpoint(host & 1).tcb();
  switch (var) {
    case 0: return t.iss;
    case 1: return t.irs;
    case 2: return t.snd_una;
    case 3: return t.snd_nxt;
    default: return t.rcv_nxt;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// At most 10 decimal digits (any 32-bit number), nothing else.
bool parse_digits(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 10) return false;
  out = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}


struct NamedPlaceholder {
  const char* name;
  PlaceholderKind kind;
};
const NamedPlaceholder NAMED_PLACEHOLDERS[] = {{"answer", PlaceholderKind::Answer},
                                               {"msl_s", PlaceholderKind::MslS},
                                               {"rto_s", PlaceholderKind::RtoS},
                                               {"latency_ms", PlaceholderKind::LatencyMs},
                                               {"now_s", PlaceholderKind::NowS},
                                               {"bytes", PlaceholderKind::Bytes}};


const char* const PLACEHOLDER_HELP =
    "(expected A or B, a dot and iss, irs, snd_una, snd_nxt or rcv_nxt, optionally +k or -k, "
    "as in {A.iss+1}; or {answer}, {msl_s}, {rto_s}, {latency_ms}, {now_s}, {bytes})";

// The inside of {...}: "A.iss", "B.rcv_nxt + 1", "answer", "msl_s".
bool parse_placeholder(std::string_view inner, Placeholder& out) {
  inner = trim(inner);
  out = Placeholder{};
  for (const NamedPlaceholder& n : NAMED_PLACEHOLDERS)
    if (inner == n.name) {
      out.kind = n.kind;
      return true;
    }
  if (inner.size() < 3 || (inner[0] != 'A' && inner[0] != 'B') || inner[1] != '.') return false;
  out.host = inner[0] == 'B' ? HOST_B : HOST_A;
  std::size_t i = 2;
  while (i < inner.size() && ((inner[i] >= 'a' && inner[i] <= 'z') || inner[i] == '_')) ++i;
  out.var = var_index(inner.substr(2, i - 2));
  if (out.var < 0) return false;
  std::string_view rest = trim(inner.substr(i));
  if (rest.empty()) return true;
  if (rest[0] != '+' && rest[0] != '-') return false;
  const bool minus = rest[0] == '-';
  std::uint64_t n = 0;
  if (!parse_digits(trim(rest.substr(1)), n)) return false;
  out.offset = minus ? -static_cast<std::int64_t>(n) : static_cast<std::int64_t>(n);
  return true;
}

// The octets of the most recent SEND in this run (a `do` step's or the
// learner's): what {bytes} says; 0 before any.
std::uint32_t last_send_octets(const Simulation& sim) {
  const Trace& t = sim.trace();
  for (std::size_t k = t.size(); k-- > 0;)
    if (t[k].kind == EventKind::Call && t[k].call == Call::Send) return t[k].arg;
  return 0;
}

// A sequence-number term: a variable, or {bytes} (data counted in numbers).
Seq placeholder_value(const Placeholder& p, const Simulation& sim) {
  const Seq base = p.kind == PlaceholderKind::Bytes ? last_send_octets(sim) : var_value(sim, p.host, p.var);
  return static_cast<Seq>(base + static_cast<Seq>(static_cast<std::uint64_t>(p.offset)));
}


// False, with `error`, on a "{" without its "}" or an unknown placeholder.
bool split_text(const std::string& s, std::vector<Piece>& out, std::string& error) {
  out.clear();
  std::string literal;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '{') {
      literal += s[i++];
      continue;
    }
    const std::size_t close = s.find('}', i + 1);
    const std::size_t reopen = s.find('{', i + 1);
    if (close == std::string::npos || (reopen != std::string::npos && reopen < close)) {
      error = "\"{\" without its closing \"}\" in " + json_quote(s.substr(i, 24));
      return false;
    }
    Piece p;
    p.placeholder = true;
    p.text = s.substr(i, close - i + 1);
    if (!parse_placeholder(std::string_view(s).substr(i + 1, close - i - 1), p.ph)) {
      error = "unknown placeholder " + json_quote(p.text) + " " + PLACEHOLDER_HELP;
      return false;
    }
    if (!literal.empty()) out.push_back(Piece{false, std::move(literal), Placeholder{}});
    literal.clear();
    out.push_back(std::move(p));
    i = close + 1;
  }
  if (!literal.empty()) out.push_back(Piece{false, std::move(literal), Placeholder{}});
  return true;
}


bool parse_expression(std::string_view e, std::vector<Term>& out) {
  out.clear();
  std::size_t i = 0;
  bool want_term = true;
  bool minus = false;
  auto skip_space = [&] {
    while (i < e.size() && (e[i] == ' ' || e[i] == '\t')) ++i;
  };
  for (;;) {
    skip_space();
    if (i >= e.size()) return !want_term && !out.empty();
    if (want_term) {
      Term t;
      t.minus = minus;
      if (e[i] == '{') {
        const std::size_t close = e.find('}', i);
        if (close == std::string_view::npos) return false;
        if (!parse_placeholder(e.substr(i + 1, close - i - 1), t.ph) ||
            (t.ph.kind != PlaceholderKind::Var && t.ph.kind != PlaceholderKind::Bytes))
          return false;
        t.is_var = true;
        i = close + 1;
      } else if (is_digit(e[i])) {
        std::size_t j = i;
        while (j < e.size() && is_digit(e[j])) ++j;
        if (!parse_digits(e.substr(i, j - i), t.number)) return false;
        i = j;
      } else {
        return false;
      }
      out.push_back(t);
      want_term = false;
    } else {
      if (e[i] != '+' && e[i] != '-') return false;
      minus = e[i] == '-';
      ++i;
      want_term = true;
    }
  }
}

Seq eval_terms(const std::vector<Term>& terms, const Simulation& sim) {
  Seq sum = 0;
  for (const Term& t : terms) {
    const Seq v = t.is_var ? placeholder_value(t.ph, sim) : static_cast<Seq>(t.number);
    sum = t.minus ? static_cast<Seq>(sum - v) : static_cast<Seq>(sum + v);
  }
  return sum;
}

// "4", "1.5".
std::string seconds_text(Duration ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Sentences of feedback: English joined by spaces, Chinese directly.
void append(Text& t, const Text& more) {
  if (!more.en.empty()) {
    if (!t.en.empty()) t.en += ' ';
    t.en += more.en;
  }
  t.zh += more.zh;
}

Text both(std::string en, std::string zh) {
  Text t;
  t.en = std::move(en);
  t.zh = std::move(zh);
  return t;
}

std::string list_text(const std::vector<const char*>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}



}  // namespace lesson_detail

std::string LessonError::text() const {
  if (line > 0) return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  if (path.empty()) return file + ": " + message;
  if (!question.empty()) return file + ": " + path + " (question \"" + question + "\"): " + message;
  return file + ": " + path + ": " + message;
}

const char* question_kind_name(QuestionKind k) {
  switch (k) {
    case QuestionKind::State: return "state";
    case QuestionKind::Number: return "number";
    case QuestionKind::Choose: return "choose";
    case QuestionKind::Order: return "order";
    case QuestionKind::Act: return "act";
    case QuestionKind::Classify: return "classify";
    case QuestionKind::Blanks: return "blanks";
    case QuestionKind::Ladder: return "ladder";
  }
  return "?";
}

int Lesson::question_count() const {
  int n = 0;
  for (const LessonStep& s : steps) n += s.kind == LessonStep::Kind::Ask ? 1 : 0;
  return n;
}

bool eval_expression(const std::string& expr, const Simulation& sim, std::uint32_t* out) {
  std::vector<Term> terms;
  if (!parse_expression(expr, terms)) return false;
  if (out != nullptr) *out = eval_terms(terms, sim);
  return true;
}

}  // namespace tcplab
