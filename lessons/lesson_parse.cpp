// Lessons (lesson.h), part 2 of 6: parsing a lesson file, the first error of
// each part named by its JSON path (lessons/README.md is the format).
#include "lesson.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "json.h"
#include "lesson_detail.h"
#include "mutations.h"

namespace tcplab {

using namespace lesson_detail;

//-----------------------------------------------------------------------------
// [SECTION] Parsing: the first error of each part, named by its JSON path
//-----------------------------------------------------------------------------

namespace {

// Typed access that records "<path>: <message>" as a LessonError. The file
// is read in parts (the top-level fields, each step): each part reports its
// first error, so one mistake does not hide the others.
class Check {
 public:
  Check(const std::string& file, std::vector<LessonError>& out) : file_(file), out_(out) {}
  // The languages every text must have (top-level "languages"); a missing
  // other one is filled from these, marked as a fallback.
  bool need_lang[2] = {true, true};
  bool ok() const { return !failed_; }
  bool any() const { return any_; }
  void next_part() { failed_ = false; }

  bool fail(const std::string& path, const std::string& message) {
    if (!failed_) out_.push_back(LessonError{file_, path, message});
    failed_ = any_ = true;
    return false;
  }
  bool fail_expected(const std::string& path, const std::string& what, const JsonValue& v) {
    return fail(path, "expected " + what + ", got " + json_describe(v));
  }
  const JsonValue* member(const JsonValue& obj, const std::string& path, std::string_view key,
                          bool required) {
    if (!ok()) return nullptr;
    const JsonValue* v = obj.find(key);
    if (v == nullptr && required) fail(JsonReader::key_path(path, key), "missing required field");
    return v;
  }
  bool object(const JsonValue& v, const std::string& path, const std::string& what = "an object") {
    if (!ok()) return false;
    return v.is_object() || fail_expected(path, what, v);
  }
  bool string(const JsonValue& v, const std::string& path, std::string& out) {
    if (!ok()) return false;
    if (!v.is_string()) return fail_expected(path, "a string", v);
    out = v.string;
    return true;
  }
  bool boolean(const JsonValue& v, const std::string& path, bool& out) {
    if (!ok()) return false;
    if (!v.is_bool()) return fail_expected(path, "true or false", v);
    out = v.boolean;
    return true;
  }
  bool integer(const JsonValue& v, const std::string& path, std::int64_t lo, std::int64_t hi,
               std::int64_t& out) {
    if (!ok()) return false;
    if (!v.is_number() || !v.is_integer || v.integer < lo || v.integer > hi)
      return fail_expected(path, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi), v);
    out = v.integer;
    return true;
  }

 private:
  const std::string& file_;
  std::vector<LessonError>& out_;
  bool failed_ = false;
  bool any_ = false;
};


// Keys starting with "_" are comments, anywhere.
bool is_comment(const std::string& key) { return !key.empty() && key[0] == '_'; }

bool contains(const std::vector<const char*>& names, const std::string& s) {
  for (const char* n : names)
    if (s == n) return true;
  return false;
}

// Every member of `obj` must be one of `fields`; a member that belongs to
// another kind (`others`) is "not a field of <kind_phrase>".
bool only_fields(Check& c, const JsonValue& obj, const std::string& path, const std::vector<const char*>& fields,
                 const std::vector<const char*>& others = {}, const std::string& kind_phrase = "") {
  if (!c.ok()) return false;
  for (const std::string& k : obj.keys) {
    if (is_comment(k) || contains(fields, k)) continue;
    if (contains(others, k)) return c.fail(at(path, k), "not a field of " + kind_phrase);
    return c.fail(at(path, k), "unknown field (expected " + list_text(fields) + ")");
  }
  return true;
}

// A string that must be one of `names`: `unknown question kind "pick"
// (expected state, number, choose, order, act)`.
bool get_name(Check& c, const JsonValue& v, const std::string& path, const std::string& what,
              const std::vector<const char*>& names, int& out) {
  if (!c.ok()) return false;
  if (!v.is_string()) return c.fail_expected(path, what + " (" + list_text(names) + ")", v);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (v.string == names[i]) {
      out = static_cast<int>(i);
      return true;
    }
  return c.fail(path, "unknown " + what + " " + json_quote(v.string) + " (expected " + list_text(names) + ")");
}

bool get_host(Check& c, const JsonValue& v, const std::string& path, int& out) {
  return get_name(c, v, path, "host", {"A", "B"}, out);
}

bool get_state(Check& c, const JsonValue& v, const std::string& path, State& out) {
  if (!c.ok()) return false;
  if (!v.is_string()) return c.fail_expected(path, std::string("a state name (") + STATE_LIST + ")", v);
  // Any name the engine's parser knows (RFC, ss, netstat, BSD) is accepted;
  // its known misspellings are not.
  std::optional<ParsedState> p = parse_state(v.string);
  if (!p) return c.fail(path, "unknown state " + json_quote(v.string) + " (expected " + STATE_LIST + ")");
  if (p->misspelling)
    return c.fail(path, json_quote(v.string) + " is a misspelling of \"" + state_name(p->state) + "\"");
  out = p->state;
  return true;
}

bool get_call(Check& c, const JsonValue& v, const std::string& path, Call& out) {
  int k = 0;
  if (!get_name(c, v, path, "call", CALL_NAMES, k)) return false;
  out = CALL_OF[k];
  return true;
}

bool get_u32(Check& c, const JsonValue& v, const std::string& path, std::int64_t lo, std::int64_t hi,
             std::uint32_t& out) {
  std::int64_t n = 0;
  if (!c.integer(v, path, lo, hi, n)) return false;
  out = static_cast<std::uint32_t>(n);
  return true;
}

bool get_flags(Check& c, const JsonValue& v, const std::string& path, std::uint8_t& out) {
  static const std::vector<const char*> NAMES = {"SYN", "ACK", "FIN", "RST", "PSH"};
  static const std::uint8_t BITS[] = {FLAG_SYN, FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_PSH};
  out = 0;
  if (!c.ok()) return false;
  if (!v.is_array()) return c.fail_expected(path, "an array of flag names such as [\"SYN\", \"ACK\"]", v);
  for (std::size_t i = 0; i < v.size(); ++i) {
    int k = 0;
    const std::string p = at(path, i);
    if (!get_name(c, v.items[i], p, "flag", NAMES, k)) return false;
    if (out & BITS[k]) return c.fail(p, json_quote(NAMES[k]) + " appears twice");
    out = static_cast<std::uint8_t>(out | BITS[k]);
  }
  return true;
}

enum class TextUse : std::uint8_t {
  Menu,      // title, summary: shown before any run, no placeholders
  Run,       // narration: the run's numbers, no {answer}
  Question,  // a question's texts: everything
};

bool check_placeholders(Check& c, const std::string& s, const std::string& path, TextUse use) {
  std::vector<Piece> pieces;
  std::string error;
  if (!split_text(s, pieces, error)) return c.fail(path, error);
  for (const Piece& p : pieces) {
    if (!p.placeholder) continue;
    switch (use) {
      case TextUse::Menu:
        return c.fail(path, "no placeholders in a title or summary (they are shown before any run): " +
                                json_quote(p.text));
      case TextUse::Run:
        if (p.ph.kind == PlaceholderKind::Answer)
          return c.fail(path, "{answer} is known only in a question's texts");
        break;
      case TextUse::Question:
        break;
    }
  }
  return true;
}

// A BCP 47 language tag such as "ja", "zh-Hant", "pt-BR": a language of 2
// or 3 letters, then subtags of 2 to 8 letters or digits.
bool bcp47_tag(const std::string& k) {
  std::size_t i = 0;
  while (i < k.size() && k[i] >= 'a' && k[i] <= 'z') ++i;
  if (i < 2 || i > 3) return false;
  while (i < k.size()) {
    if (k[i] != '-') return false;
    const std::size_t from = ++i;
    while (i < k.size() && (std::isalnum(static_cast<unsigned char>(k[i])) != 0)) ++i;
    if (i - from < 2 || i - from > 8) return false;
  }
  return true;
}

// A lesson written in one language shows it in the other too, marked, so
// the learner knows the translation is missing (README: languages).
const char* const FALLBACK_MARK[] = {"[中文] ", "〔English〕"};

bool get_text(Check& c, const JsonValue& v, const std::string& path, TextUse use, Text& out) {
  if (!c.ok()) return false;
  if (!v.is_object()) return c.fail_expected(path, "a text {\"en\": \"...\", \"zh\": \"...\"}", v);
  for (const std::string& k : v.keys) {
    if (is_comment(k) || k == "en" || k == "zh") continue;
    if (!bcp47_tag(k))
      return c.fail(at(path, k), "unknown language " + json_quote(k) +
                                     " (a text has \"en\" and \"zh\", and may add BCP 47 tags such as \"ja\" or "
                                     "\"zh-Hant\")");
    std::string other;  // kept in the file for a page that shows it; checked like the others
    if (!c.string(*v.find(k), at(path, k), other)) return false;
    if (trim(other).empty()) return c.fail(at(path, k), "empty text");
  }
  bool present[2] = {false, false};
  for (int lang = 0; lang < 2; ++lang) {
    const char* key = lang == 0 ? "en" : "zh";
    const std::string p = at(path, key);
    const JsonValue* f = v.find(key);
    if (f == nullptr) {
      if (!c.need_lang[lang]) continue;
      return c.fail(p, c.need_lang[0] && c.need_lang[1] ? "missing: a text needs both \"en\" and \"zh\""
                                                        : std::string("missing: this lesson's texts are in \"") + key + "\"");
    }
    std::string& s = lang == 0 ? out.en : out.zh;
    if (!c.string(*f, p, s)) return false;
    if (trim(s).empty()) return c.fail(p, "empty text");
    if (!check_placeholders(c, s, p, use)) return false;
    present[lang] = true;
  }
  if (!present[0] && !present[1]) return c.fail(path, "a text needs \"en\" or \"zh\"");
  if (!present[0]) out.en = FALLBACK_MARK[0] + out.zh;
  if (!present[1]) out.zh = FALLBACK_MARK[1] + out.en;
  return true;
}

// A required Text member.
void text_member(Check& c, const JsonValue& obj, const std::string& path, const char* key, TextUse use,
                 Text& out) {
  if (const JsonValue* f = c.member(obj, path, key, true)) get_text(c, *f, at(path, key), use, out);
}

bool get_expression(Check& c, const JsonValue& v, const std::string& path, std::string& out) {
  if (!c.ok()) return false;
  if (v.is_number()) {
    if (!v.is_integer || v.integer < 0 || v.integer > SEQ_MAX)
      return c.fail_expected(path, "a sequence number from 0 to 4294967295", v);
    out = std::to_string(v.integer);
    return true;
  }
  if (!v.is_string())
    return c.fail_expected(path, "a sequence number or an expression such as \"{A.snd_nxt}\" or \"{B.iss}-300\"", v);
  std::vector<Term> terms;
  if (!parse_expression(v.string, terms))
    return c.fail(path, "cannot read " + json_quote(v.string) +
                            " as a sequence number (expected numbers and placeholders such as {A.iss+1}, "
                            "joined with + or -)");
  out = v.string;
  return true;
}

struct SegmentFields {
  std::uint8_t flags = 0;
  std::string seq, ack;
  std::uint32_t len = 0;
};

bool get_segment(Check& c, const JsonValue& v, const std::string& path, SegmentFields& out) {
  if (!c.object(v, path, "a segment object {\"flags\": [...], \"seq\": ..., \"ack\": ..., \"len\": n}")) return false;
  if (!only_fields(c, v, path, {"flags", "seq", "ack", "len"})) return false;
  if (const JsonValue* f = c.member(v, path, "flags", true)) get_flags(c, *f, at(path, "flags"), out.flags);
  if (const JsonValue* f = c.member(v, path, "seq", true)) get_expression(c, *f, at(path, "seq"), out.seq);
  const JsonValue* ack = c.member(v, path, "ack", false);
  if (!c.ok()) return false;
  if ((out.flags & FLAG_ACK) && ack == nullptr) return c.fail(at(path, "ack"), "missing, but \"ACK\" is in flags");
  if (!(out.flags & FLAG_ACK) && ack != nullptr) return c.fail(at(path, "ack"), "present, but \"ACK\" is not in flags");
  if (ack != nullptr) get_expression(c, *ack, at(path, "ack"), out.ack);
  if (const JsonValue* f = c.member(v, path, "len", false)) get_u32(c, *f, at(path, "len"), 0, OCTETS_MAX, out.len);
  return c.ok();
}

bool get_arc(Check& c, const JsonValue& v, const std::string& path, Arc& out) {
  if (!c.object(v, path, "an arc {\"host\": \"B\", \"from\": \"LISTEN\", \"to\": \"SYN-RECEIVED\"}")) return false;
  if (!only_fields(c, v, path, {"host", "from", "to"})) return false;
  if (const JsonValue* f = c.member(v, path, "host", true)) get_host(c, *f, at(path, "host"), out.host);
  if (const JsonValue* f = c.member(v, path, "from", true)) get_state(c, *f, at(path, "from"), out.from);
  if (const JsonValue* f = c.member(v, path, "to", true)) get_state(c, *f, at(path, "to"), out.to);
  if (c.ok() && !diagram_has_arc(out.from, out.to))
    return c.fail(path, std::string(state_name(out.from)) + " -> " + state_name(out.to) +
                            " is not an arc of the state diagram");
  return c.ok();
}

bool get_selector(Check& c, const JsonValue& v, const std::string& path, Selector& out) {
  static const std::vector<const char*> KINDS = {"reply", "sent", "var", "closed_ms", "octets"};
  if (!c.object(v, path, "a selector such as {\"reply\": \"B\", \"field\": \"ack\"}")) return false;
  int kind = -1;
  for (int k = 0; k < static_cast<int>(KINDS.size()); ++k) {
    if (v.find(KINDS[k]) == nullptr) continue;
    if (kind >= 0)
      return c.fail(path, std::string("a selector is exactly one of reply, sent, var, closed_ms, octets; this one has both \"") +
                              KINDS[kind] + "\" and \"" + KINDS[k] + "\"");
    kind = k;
  }
  if (kind < 0)
    return c.fail(path, "unknown selector: expected one of the fields \"reply\", \"sent\", \"var\", \"closed_ms\", "
                        "\"octets\"");
  out.kind = static_cast<Selector::Kind>(kind);
  const std::string kp = at(path, KINDS[kind]);
  const JsonValue& key = *v.find(KINDS[kind]);
  switch (out.kind) {
    case Selector::Kind::Reply:
    case Selector::Kind::Sent: {
      const bool sent = out.kind == Selector::Kind::Sent;
      if (!only_fields(c, v, path, sent ? std::vector<const char*>{"sent", "field", "index"}
                                        : std::vector<const char*>{"reply", "field"}))
        return false;
      get_host(c, key, kp, out.host);
      int field = 0;
      if (const JsonValue* f = c.member(v, path, "field", true))
        if (get_name(c, *f, at(path, "field"), "field", {"seq", "ack"}, field)) out.ack_field = field == 1;
      if (const JsonValue* f = c.member(v, path, "index", false)) {
        std::int64_t n = 0;
        if (c.integer(*f, at(path, "index"), 0, 1000000, n)) out.index = static_cast<int>(n);
      }
      break;
    }
    case Selector::Kind::Var: {
      if (!only_fields(c, v, path, {"var"})) return false;
      std::string s;
      if (!c.string(key, kp, s)) return false;
      const bool good = s.size() > 2 && (s[0] == 'A' || s[0] == 'B') && s[1] == '.' && var_index(s.substr(2)) >= 0;
      if (!good)
        return c.fail(kp, "unknown variable " + json_quote(s) +
                              " (expected A. or B. and iss, irs, snd_una, snd_nxt or rcv_nxt, as in \"B.rcv_nxt\")");
      out.host = s[0] == 'B' ? HOST_B : HOST_A;
      out.var = s.substr(2);
      break;
    }
    case Selector::Kind::ClosedMs:
    case Selector::Kind::Octets:
      if (!only_fields(c, v, path, {KINDS[kind]})) return false;
      get_host(c, key, kp, out.host);
      break;
  }
  return c.ok();
}

const std::vector<const char*> ACTION_KEYS = {"app", "deliver", "drop", "inject", "timer", "advance_ms", "until"};

const std::vector<const char*>& action_fields(int key) {
  static const std::vector<const char*> APP = {"app", "call", "bytes"}, DELIVER = {"deliver", "which"},
                                        DROP = {"drop"}, INJECT = {"inject", "segment"},
                                        TIMER = {"timer", "kind"}, ADVANCE = {"advance_ms"}, UNTIL = {"until"};
  static const std::vector<const char*>* const ALL[] = {&APP, &DELIVER, &DROP, &INJECT, &TIMER, &ADVANCE, &UNTIL};
  return *ALL[key];
}

// {"timer": "A", "kind": "retransmit"}: the host and the timer's kind.
void get_timer(Check& c, const JsonValue& v, const std::string& path, LessonAction& out) {
  static const TimerKind KINDS[] = {TimerKind::Retransmit, TimerKind::TimeWait, TimerKind::DelayedAck};
  get_host(c, *v.find("timer"), at(path, "timer"), out.host);
  int k = 0;
  if (const JsonValue* f = c.member(v, path, "kind", true))
    if (get_name(c, *f, at(path, "kind"), "timer kind", {"retransmit", "time_wait", "delayed_ack"}, k))
      out.timer = KINDS[k];
}

bool get_action(Check& c, const JsonValue& v, const std::string& path, LessonAction& out) {
  out.path = path;
  if (!c.object(v, path, "an action object such as {\"deliver\": \"A->B\", \"which\": \"next\"}")) return false;
  const int keys = static_cast<int>(ACTION_KEYS.size());
  int key = -1;
  for (int k = 0; k < keys; ++k) {
    if (v.find(ACTION_KEYS[k]) == nullptr) continue;
    if (key >= 0)
      return c.fail(path, std::string("an action is exactly one of app, deliver, drop, inject, timer, advance_ms, "
                                      "until; this one has both \"") +
                              ACTION_KEYS[key] + "\" and \"" + ACTION_KEYS[k] + "\"");
    key = k;
  }
  if (key < 0) {
    std::string fields;
    for (const std::string& k : v.keys) fields += (fields.empty() ? "" : ", ") + json_quote(k);
    return c.fail(path, "unknown action: expected one of the fields \"app\", \"deliver\", \"drop\", \"inject\", "
                        "\"timer\", \"advance_ms\", \"until\", got " +
                            (fields.empty() ? std::string("an empty object") : "fields " + fields));
  }
  std::vector<const char*> others;
  for (int k = 0; k < keys; ++k)
    if (k != key)
      for (const char* f : action_fields(k)) others.push_back(f);
  if (!only_fields(c, v, path, action_fields(key), others,
                   std::string("a \"") + ACTION_KEYS[key] + "\" action"))
    return false;
  const std::string kp = at(path, ACTION_KEYS[key]);
  const JsonValue& kv = *v.find(ACTION_KEYS[key]);
  switch (key) {
    case 0: {  // {"app": "A", "call": "send", "bytes": n}
      out.kind = LessonAction::Kind::Call;
      get_host(c, kv, kp, out.host);
      if (const JsonValue* f = c.member(v, path, "call", true)) get_call(c, *f, at(path, "call"), out.call);
      const JsonValue* bytes = c.member(v, path, "bytes", false);
      if (!c.ok()) return false;
      if (out.call == Call::Send && bytes == nullptr)
        return c.fail(at(path, "bytes"), "missing required field (a send call needs the number of octets)");
      if (out.call != Call::Send && bytes != nullptr) return c.fail(at(path, "bytes"), "only a \"send\" call takes bytes");
      if (bytes != nullptr) get_u32(c, *bytes, at(path, "bytes"), 1, OCTETS_MAX, out.bytes);
      break;
    }
    case 1: {  // {"deliver": "A->B", "which": "next"}
      out.kind = LessonAction::Kind::Deliver;
      get_name(c, kv, kp, "direction", {DIR_NAMES[0], DIR_NAMES[1]}, out.host);
      int which = 0;
      if (const JsonValue* f = c.member(v, path, "which", false))
        if (get_name(c, *f, at(path, "which"), "choice of segments", {"next", "all"}, which) && which == 1)
          out.kind = LessonAction::Kind::DeliverAll;
      break;
    }
    case 2:  // {"drop": "A->B"}
      out.kind = LessonAction::Kind::Drop;
      get_name(c, kv, kp, "direction", {DIR_NAMES[0], DIR_NAMES[1]}, out.host);
      break;
    case 3: {  // {"inject": "B", "segment": {...}}
      out.kind = LessonAction::Kind::Inject;
      get_host(c, kv, kp, out.host);
      SegmentFields s;
      if (const JsonValue* f = c.member(v, path, "segment", true))
        if (get_segment(c, *f, at(path, "segment"), s)) {
          out.flags = s.flags;
          out.seq = s.seq;
          out.ack = s.ack;
          out.len = s.len;
        }
      break;
    }
    case 4:  // {"timer": "A", "kind": "retransmit"}
      out.kind = LessonAction::Kind::Timer;
      get_timer(c, v, path, out);
      break;
    case 5:  // {"advance_ms": n}
      out.kind = LessonAction::Kind::Advance;
      c.integer(kv, kp, 0, MS_MAX, out.advance_ms);
      break;
    default:  // {"until": {"timer": "B", "kind": "retransmit"}}
      out.kind = LessonAction::Kind::Until;
      if (c.object(kv, kp, "a timer {\"timer\": \"B\", \"kind\": \"retransmit\"}") &&
          only_fields(c, kv, kp, {"timer", "kind"}) && c.member(kv, kp, "timer", true) != nullptr)
        get_timer(c, kv, kp, out);
      break;
  }
  return c.ok();
}

const std::vector<const char*> QUESTION_KINDS = {"state", "number", "choose", "order", "act",
                                                  "classify", "blanks", "ladder"};
constexpr int QUESTION_KIND_COUNT = 8;
const std::vector<const char*> COMMON_FIELDS = {"id", "kind", "prompt", "hint", "explain", "arc"};

const std::vector<const char*>& kind_fields(QuestionKind k) {
  static const std::vector<const char*> STATE = {"host", "expect", "mistakes"}, NUMBER = {"value"},
                                        CHOOSE = {"choices", "multiple"}, ORDER = {"items", "segments", "crossing"},
                                        ACT = {"host", "goal", "solution"}, CLASSIFY = {"classes", "items"},
                                        BLANKS = {"blanks"}, LADDER = {"distractors"};
  switch (k) {
    case QuestionKind::State: return STATE;
    case QuestionKind::Number: return NUMBER;
    case QuestionKind::Choose: return CHOOSE;
    case QuestionKind::Order: return ORDER;
    case QuestionKind::Act: return ACT;
    case QuestionKind::Classify: return CLASSIFY;
    case QuestionKind::Blanks: return BLANKS;
    case QuestionKind::Ladder: return LADDER;
  }
  return STATE;
}

// Question ids name progress records: letters, digits, '-' and '_'.
bool good_question_id(const std::string& id) {
  if (id.empty()) return false;
  for (char ch : id)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || is_digit(ch) || ch == '-' || ch == '_'))
      return false;
  return true;
}

bool get_goal(Check& c, const JsonValue& v, const std::string& path, ActGoal& out) {
  if (!c.object(v, path, "a goal such as {\"call\": \"close\"} or {\"segment\": {\"peer_state\": \"ESTABLISHED\"}}"))
    return false;
  if (!only_fields(c, v, path, {"call", "segment", "state"})) return false;
  const JsonValue* call = v.find("call");
  const JsonValue* seg = v.find("segment");
  if (call != nullptr && seg != nullptr)
    return c.fail(path, "a goal is a \"call\" or a \"segment\", not both");
  if (call == nullptr && seg == nullptr) return c.fail(path, "expected a \"call\" or a \"segment\" goal");
  if (call != nullptr) {
    Call k = Call::Close;
    if (get_call(c, *call, at(path, "call"), k)) out.call = k;
  } else {
    const std::string sp = at(path, "segment");
    out.segment = true;
    if (!c.object(*seg, sp, "an object such as {\"peer_state\": \"ESTABLISHED\"} (or {})")) return false;
    if (!only_fields(c, *seg, sp, {"peer_state"})) return false;
    if (const JsonValue* f = seg->find("peer_state")) {
      State s = State::Closed;
      if (get_state(c, *f, at(sp, "peer_state"), s)) out.peer_state = s;
    }
  }
  if (const JsonValue* st = c.member(v, path, "state", false)) {
    const std::string sp = at(path, "state");
    if (!c.object(*st, sp, "an object such as {\"A\": \"FIN-WAIT-1\"}")) return false;
    if (!only_fields(c, *st, sp, {"A", "B"})) return false;
    if (st->find("A") == nullptr && st->find("B") == nullptr) return c.fail(sp, "expected \"A\" or \"B\" or both");
    for (int h = 0; h < 2; ++h)
      if (const JsonValue* f = st->find(HOST_NAMES[h])) {
        State s = State::Closed;
        if (get_state(c, *f, at(sp, HOST_NAMES[h]), s)) out.state[h] = s;
      }
  }
  return c.ok();
}

bool get_solution(Check& c, const JsonValue& v, const std::string& path, const ActGoal& goal, ActSolution& out) {
  if (!c.object(v, path, "a solution such as {\"call\": \"close\"} or {\"segment\": {...}}")) return false;
  if (!only_fields(c, v, path, {"call", "bytes", "segment"})) return false;
  const JsonValue* call = v.find("call");
  const JsonValue* seg = v.find("segment");
  if (call != nullptr && seg != nullptr) return c.fail(path, "a solution is a \"call\" or a \"segment\", not both");
  if (call == nullptr && seg == nullptr) return c.fail(path, "expected a \"call\" or a \"segment\"");
  const JsonValue* bytes = v.find("bytes");
  if (call != nullptr) {
    if (goal.segment) return c.fail(at(path, "call"), "the goal asks for a segment, the solution makes a call");
    Call k = Call::Close;
    if (!get_call(c, *call, at(path, "call"), k)) return false;
    if (goal.call && k != *goal.call)
      return c.fail(at(path, "call"), std::string("the solution calls \"") + call_name(k) + "\", the goal asks for \"" +
                                          call_name(*goal.call) + "\"");
    out.call = k;
    if (k == Call::Send && bytes == nullptr)
      return c.fail(at(path, "bytes"), "missing required field (a send call needs the number of octets)");
    if (k != Call::Send && bytes != nullptr) return c.fail(at(path, "bytes"), "only a \"send\" call takes bytes");
    if (bytes != nullptr) get_u32(c, *bytes, at(path, "bytes"), 1, OCTETS_MAX, out.bytes);
  } else {
    if (goal.call) return c.fail(at(path, "segment"), "the goal asks for a call, the solution builds a segment");
    if (bytes != nullptr) return c.fail(at(path, "bytes"), "only a \"send\" call takes bytes");
    SegmentFields s;
    if (get_segment(c, *seg, at(path, "segment"), s)) {
      out.flags = s.flags;
      out.seq = s.seq;
      out.ack = s.ack;
      out.len = s.len;
    }
  }
  return c.ok();
}

//-----------------------------------------------------------------------------
// [SECTION] Questions that make learners construct: order (a partial
// order), classify, blanks, ladder
//-----------------------------------------------------------------------------

// "items": texts in the right order; an item that is an array of texts is
// a group whose members may come in either order among themselves (two
// FINs crossing). "segments": true with "crossing": true lets segments
// that crossed on the wire come in either order.
bool get_order(Check& c, const JsonValue& v, const std::string& path, Question& q) {
  const JsonValue* items = c.member(v, path, "items", false);
  const JsonValue* segs = c.member(v, path, "segments", false);
  const JsonValue* crossing = c.member(v, path, "crossing", false);
  if (items != nullptr && segs != nullptr) return c.fail(path, "an order question has \"items\" or \"segments\", not both");
  if (items == nullptr && segs == nullptr)
    return c.fail(path, "expected \"items\" (the texts in the right order) or \"segments\": true");
  if (segs != nullptr) {
    if (!c.boolean(*segs, at(path, "segments"), q.order_segments)) return false;
    if (!q.order_segments) return c.fail(at(path, "segments"), "must be true (or give \"items\" instead)");
    if (crossing != nullptr) c.boolean(*crossing, at(path, "crossing"), q.crossing);
    return c.ok();
  }
  if (crossing != nullptr)
    return c.fail(at(path, "crossing"), "only with \"segments\": true (group authored items in an array instead)");
  const std::string ip = at(path, "items");
  if (!items->is_array()) return c.fail_expected(ip, "an array of texts in the right order", *items);
  for (std::size_t i = 0; i < items->size() && c.ok(); ++i) {
    const JsonValue& it = items->items[i];
    const int rank = static_cast<int>(i);
    if (!it.is_array()) {
      Text t;
      if (get_text(c, it, at(ip, i), TextUse::Question, t)) {
        q.items.push_back(t);
        q.rank.push_back(rank);
      }
      continue;
    }
    if (it.size() < 2) return c.fail(at(ip, i), "a group of items that may come in either order needs at least two texts");
    for (std::size_t j = 0; j < it.size() && c.ok(); ++j) {
      Text t;
      if (get_text(c, it.items[j], at(at(ip, i), j), TextUse::Question, t)) {
        q.items.push_back(t);
        q.rank.push_back(rank);
      }
    }
  }
  if (c.ok() && q.items.size() < 2) return c.fail(ip, "an order question needs at least two items");
  if (c.ok() && q.rank.front() == q.rank.back())
    return c.fail(ip, "every item is in one group: any order would be right, so there is nothing to ask");
  return c.ok();
}

// "classes": [Text, ...] (2 to 4); "items": [{"text", "class": k,
// "explain"}] with k the index of its class.
bool get_classify(Check& c, const JsonValue& v, const std::string& path, Question& q) {
  const JsonValue* classes = c.member(v, path, "classes", true);
  const JsonValue* items = c.member(v, path, "items", true);
  if (!c.ok()) return false;
  const std::string cp = at(path, "classes"), ip = at(path, "items");
  if (!classes->is_array()) return c.fail_expected(cp, "an array of two to four class names (texts)", *classes);
  if (classes->size() < 2 || classes->size() > 4) return c.fail(cp, "a classify question needs two to four classes");
  for (std::size_t i = 0; i < classes->size() && c.ok(); ++i) {
    Text t;
    if (get_text(c, classes->items[i], at(cp, i), TextUse::Question, t)) q.classes.push_back(t);
  }
  if (!c.ok()) return false;
  if (!items->is_array()) return c.fail_expected(ip, "an array of {\"text\", \"class\", \"explain\"}", *items);
  if (items->size() < 2) return c.fail(ip, "a classify question needs at least two items");
  std::vector<bool> used(q.classes.size(), false);
  for (std::size_t i = 0; i < items->size() && c.ok(); ++i) {
    const std::string p = at(ip, i);
    const JsonValue& it = items->items[i];
    ClassifyItem item;
    if (!c.object(it, p, "an item {\"text\": ..., \"class\": 0, \"explain\": ...}")) break;
    if (!only_fields(c, it, p, {"text", "class", "explain"})) break;
    text_member(c, it, p, "text", TextUse::Question, item.text);
    std::int64_t k = 0;
    if (const JsonValue* f = c.member(it, p, "class", true))
      if (c.integer(*f, at(p, "class"), 0, static_cast<std::int64_t>(q.classes.size()) - 1, k)) item.cls = static_cast<int>(k);
    text_member(c, it, p, "explain", TextUse::Question, item.explain);
    if (c.ok()) {
      used[static_cast<std::size_t>(item.cls)] = true;
      q.sort_items.push_back(item);
    }
  }
  for (std::size_t k = 0; k < used.size() && c.ok(); ++k)
    if (!used[k]) return c.fail(at(cp, k), "no item belongs to this class");
  return c.ok();
}

// "blanks": [{"row": 2, "field": "ack"}, {"row": -1, "field": "state", "host": "B"}].
bool get_blanks(Check& c, const JsonValue& v, const std::string& path, Question& q) {
  static const std::vector<const char*> FIELDS = {"seq", "ack", "flags", "state"};
  const JsonValue* list = c.member(v, path, "blanks", true);
  if (!c.ok()) return false;
  const std::string bp = at(path, "blanks");
  if (!list->is_array()) return c.fail_expected(bp, "an array of blanks such as {\"row\": 1, \"field\": \"ack\"}", *list);
  if (list->size() < 1 || list->size() > 8) return c.fail(bp, "a blanks question hides one to eight fields");
  for (std::size_t i = 0; i < list->size() && c.ok(); ++i) {
    const std::string p = at(bp, i);
    const JsonValue& b = list->items[i];
    Blank blank;
    if (!c.object(b, p, "a blank {\"row\": 1, \"field\": \"ack\"}")) break;
    if (!only_fields(c, b, p, {"row", "field", "host"})) break;
    std::int64_t row = 0;
    if (const JsonValue* f = c.member(b, p, "row", true)) c.integer(*f, at(p, "row"), -1000, 1000, row);
    blank.row = static_cast<int>(row);
    int field = 0;
    if (const JsonValue* f = c.member(b, p, "field", true)) get_name(c, *f, at(p, "field"), "field", FIELDS, field);
    blank.field = static_cast<Blank::Field>(field);
    const JsonValue* host = b.find("host");
    if (c.ok() && blank.field == Blank::Field::State && host == nullptr)
      return c.fail(at(p, "host"), "missing required field (whose state: \"A\" or \"B\")");
    if (c.ok() && blank.field != Blank::Field::State && host != nullptr)
      return c.fail(at(p, "host"), "only a \"state\" blank names a host (a segment's field belongs to its sender)");
    if (host != nullptr) get_host(c, *host, at(p, "host"), blank.host);
    for (const Blank& seen : q.blanks)
      if (c.ok() && seen.row == blank.row && seen.field == blank.field && seen.host == blank.host)
        return c.fail(p, "this field is already a blank");
    if (c.ok()) q.blanks.push_back(blank);
  }
  return c.ok();
}

// "distractors": ["ack_ignores_data", "states_swapped"]: two or three
// named mutations (mutations.h); the validator checks that the engine
// refuses each.
bool get_distractors(Check& c, const JsonValue& v, const std::string& path, Question& q) {
  const JsonValue* list = c.member(v, path, "distractors", true);
  if (!c.ok()) return false;
  const std::string dp = at(path, "distractors");
  if (!list->is_array()) return c.fail_expected(dp, "an array of mutation names such as [\"states_swapped\"]", *list);
  if (list->size() < 2 || list->size() > 3) return c.fail(dp, "a ladder question shows two or three distractors");
  for (std::size_t i = 0; i < list->size() && c.ok(); ++i) {
    int m = 0;
    if (!get_name(c, list->items[i], at(dp, i), "mutation", mutation_names(), m)) break;
    for (const LadderDistractor& d : q.distractors)
      if (d.mutation == m) return c.fail(at(dp, i), json_quote(mutation_name(m)) + " appears twice");
    q.distractors.push_back(LadderDistractor{m});
  }
  return c.ok();
}

bool get_question(Check& c, const JsonValue& v, const std::string& path, Question& q) {
  if (!c.object(v, path, "a question object")) return false;
  if (const JsonValue* f = c.member(v, path, "id", true))
    if (c.string(*f, at(path, "id"), q.id) && !good_question_id(q.id))
      return c.fail(at(path, "id"), json_quote(q.id) + " is not a valid id (letters, digits, '-' and '_')");
  int kind = 0;
  if (const JsonValue* f = c.member(v, path, "kind", true)) get_name(c, *f, at(path, "kind"), "question kind", QUESTION_KINDS, kind);
  if (!c.ok()) return false;
  q.kind = static_cast<QuestionKind>(kind);
  std::vector<const char*> fields = COMMON_FIELDS, others;
  for (const char* f : kind_fields(q.kind)) fields.push_back(f);
  for (int k = 0; k < QUESTION_KIND_COUNT; ++k)
    for (const char* f : kind_fields(static_cast<QuestionKind>(k)))
      if (!contains(fields, f)) others.push_back(f);
  if (!only_fields(c, v, path, fields, others,
                   std::string("a \"") + question_kind_name(q.kind) + "\" question"))
    return false;
  text_member(c, v, path, "prompt", TextUse::Question, q.prompt);
  text_member(c, v, path, "hint", TextUse::Question, q.hint);
  text_member(c, v, path, "explain", TextUse::Question, q.explain);
  if (const JsonValue* f = c.member(v, path, "arc", false)) {
    Arc a;
    if (get_arc(c, *f, at(path, "arc"), a)) q.arc = a;
  }
  switch (q.kind) {
    case QuestionKind::State: {
      if (const JsonValue* f = c.member(v, path, "host", true)) get_host(c, *f, at(path, "host"), q.host);
      if (const JsonValue* f = c.member(v, path, "expect", false)) {
        State s = State::Closed;
        if (get_state(c, *f, at(path, "expect"), s)) q.expect = s;
      }
      if (const JsonValue* f = c.member(v, path, "mistakes", false)) {
        const std::string mp = at(path, "mistakes");
        if (!f->is_array()) return c.fail_expected(mp, "an array of {\"answer\": state, \"explain\": text}", *f);
        for (std::size_t i = 0; i < f->size() && c.ok(); ++i) {
          const std::string p = at(mp, i);
          const JsonValue& m = f->items[i];
          Mistake mk;
          if (!c.object(m, p, "a mistake {\"answer\": state, \"explain\": text}")) break;
          if (!only_fields(c, m, p, {"answer", "explain"})) break;
          if (const JsonValue* a = c.member(m, p, "answer", true)) get_state(c, *a, at(p, "answer"), mk.answer);
          text_member(c, m, p, "explain", TextUse::Question, mk.explain);
          for (const Mistake& seen : q.mistakes)
            if (c.ok() && seen.answer == mk.answer)
              c.fail(at(p, "answer"), std::string("\"") + state_name(mk.answer) + "\" appears twice");
          if (c.ok()) q.mistakes.push_back(mk);
        }
      }
      break;
    }
    case QuestionKind::Number:
      if (const JsonValue* f = c.member(v, path, "value", true)) get_selector(c, *f, at(path, "value"), q.value);
      break;
    case QuestionKind::Choose: {
      if (const JsonValue* f = c.member(v, path, "multiple", false)) c.boolean(*f, at(path, "multiple"), q.multiple);
      const JsonValue* list = c.member(v, path, "choices", true);
      if (list == nullptr) break;
      const std::string lp = at(path, "choices");
      if (!list->is_array()) return c.fail_expected(lp, "an array of {\"text\", \"correct\", \"explain\"}", *list);
      if (list->size() < 2) return c.fail(lp, "a choose question needs at least two choices");
      int correct = 0;
      for (std::size_t i = 0; i < list->size() && c.ok(); ++i) {
        const std::string p = at(lp, i);
        const JsonValue& ch = list->items[i];
        Choice choice;
        if (!c.object(ch, p, "a choice {\"text\": ..., \"correct\": true, \"explain\": ...}")) break;
        if (!only_fields(c, ch, p, {"text", "correct", "explain"})) break;
        text_member(c, ch, p, "text", TextUse::Question, choice.text);
        if (const JsonValue* f = c.member(ch, p, "correct", true)) c.boolean(*f, at(p, "correct"), choice.correct);
        text_member(c, ch, p, "explain", TextUse::Question, choice.explain);
        correct += choice.correct ? 1 : 0;
        q.choices.push_back(choice);
      }
      if (!c.ok()) break;
      if (correct == 0) return c.fail(lp, "no choice is marked correct");
      if (correct > 1 && !q.multiple)
        return c.fail(lp, std::to_string(correct) +
                              " choices are marked correct but \"multiple\" is not true (the learner picks one)");
      break;
    }
    case QuestionKind::Order: get_order(c, v, path, q); break;
    case QuestionKind::Classify: get_classify(c, v, path, q); break;
    case QuestionKind::Blanks: get_blanks(c, v, path, q); break;
    case QuestionKind::Ladder: get_distractors(c, v, path, q); break;
    case QuestionKind::Act: {
      if (const JsonValue* f = c.member(v, path, "host", true)) get_host(c, *f, at(path, "host"), q.host);
      if (const JsonValue* f = c.member(v, path, "goal", true)) get_goal(c, *f, at(path, "goal"), q.goal);
      if (const JsonValue* f = c.member(v, path, "solution", true))
        get_solution(c, *f, at(path, "solution"), q.goal, q.solution);
      break;
    }
  }
  return c.ok();
}

// One segment of an expect's "emitted": {"from": "A", "flags": ["ACK"],
// "seq": "{A.iss+1}", "ack": null, "len": 0}; seq or ack null or absent: not
// checked.
bool get_emitted(Check& c, const JsonValue& v, const std::string& path, ExpectedSegment& out) {
  if (!c.object(v, path, "a segment {\"from\": \"A\", \"flags\": [...], \"seq\": ..., \"ack\": ...}")) return false;
  if (!only_fields(c, v, path, {"from", "flags", "seq", "ack", "len"})) return false;
  if (const JsonValue* f = c.member(v, path, "from", true)) get_host(c, *f, at(path, "from"), out.from);
  if (const JsonValue* f = c.member(v, path, "flags", true)) get_flags(c, *f, at(path, "flags"), out.flags);
  for (const char* key : {"seq", "ack"}) {
    const JsonValue* f = c.member(v, path, key, false);
    if (f != nullptr && !f->is_null()) get_expression(c, *f, at(path, key), key[0] == 's' ? out.seq : out.ack);
  }
  if (c.ok() && !out.ack.empty() && !(out.flags & FLAG_ACK))
    return c.fail(at(path, "ack"), "present, but \"ACK\" is not in flags");
  if (const JsonValue* f = c.member(v, path, "len", false)) get_u32(c, *f, at(path, "len"), 0, OCTETS_MAX, out.len);
  return c.ok();
}

// A do step's "expect": {"A": state, "B": state, "emitted": [segment...]}.
bool get_step_expect(Check& c, const JsonValue& v, const std::string& path, StepExpect& out) {
  out.path = path;
  if (!c.object(v, path, "an object such as {\"A\": \"SYN-SENT\", \"emitted\": [...]}")) return false;
  if (!only_fields(c, v, path, {"A", "B", "emitted"})) return false;
  for (int h = 0; h < 2; ++h)
    if (const JsonValue* f = v.find(HOST_NAMES[h])) {
      State st = State::Closed;
      if (get_state(c, *f, at(path, HOST_NAMES[h]), st)) out.state[h] = st;
    }
  const JsonValue* em = v.find("emitted");
  if (em == nullptr) return c.ok();
  const std::string ep = at(path, "emitted");
  if (!em->is_array()) return c.fail_expected(ep, "an array of segments ([] when nothing is sent)", *em);
  out.check_emitted = true;
  for (std::size_t i = 0; i < em->size() && c.ok(); ++i) {
    ExpectedSegment e;
    if (get_emitted(c, em->items[i], at(ep, i), e)) out.emitted.push_back(e);
  }
  return c.ok();
}

bool get_step(Check& c, const JsonValue& v, const std::string& path, LessonStep& out) {
  if (!c.object(v, path, "a step object ({\"say\": ...}, {\"do\": ...} or {\"ask\": ...})")) return false;
  const JsonValue* say = v.find("say");
  const JsonValue* act = v.find("do");
  const JsonValue* ask = v.find("ask");
  if (say == nullptr && act == nullptr && ask == nullptr) {
    std::string fields;
    for (const std::string& k : v.keys) fields += (fields.empty() ? "" : ", ") + json_quote(k);
    return c.fail(path, "unknown step kind: expected one of the fields \"say\", \"do\", \"ask\", got " +
                            (fields.empty() ? std::string("an empty object") : "fields " + fields));
  }
  for (const std::string& k : v.keys)
    if (!is_comment(k) && k != "say" && k != "do" && k != "ask" && k != "expect")
      return c.fail(at(path, k), "unknown field (a step is {\"say\": text}, {\"do\": action(s), \"say\": text, "
                                 "\"expect\": {...}} or {\"ask\": question})");
  const JsonValue* expect = v.find("expect");
  if (expect != nullptr && act == nullptr)
    return c.fail(at(path, "expect"), "only a \"do\" step has an \"expect\" (a question has its own)");
  if (ask != nullptr && (say != nullptr || act != nullptr))
    return c.fail(path, std::string("an \"ask\" step has nothing else; this one also has \"") +
                            (act != nullptr ? "do" : "say") + "\" (put it in a step of its own)");
  if (ask != nullptr) {
    out.kind = LessonStep::Kind::Ask;
    return get_question(c, *ask, at(path, "ask"), out.question);
  }
  if (act != nullptr) {
    out.kind = LessonStep::Kind::Do;
    const std::string dp = at(path, "do");
    if (act->is_array()) {
      if (act->size() == 0) return c.fail(dp, "an empty list of actions");
      for (std::size_t i = 0; i < act->size() && c.ok(); ++i) {
        LessonAction a;
        if (get_action(c, act->items[i], at(dp, i), a)) out.actions.push_back(a);
      }
    } else {
      LessonAction a;
      if (get_action(c, *act, dp, a)) out.actions.push_back(a);
    }
    if (expect != nullptr) {
      StepExpect e;
      if (get_step_expect(c, *expect, at(path, "expect"), e)) out.expect = e;
    }
  } else {
    out.kind = LessonStep::Kind::Say;
  }
  if (say != nullptr) {
    out.has_say = true;
    get_text(c, *say, at(path, "say"), TextUse::Run, out.say);
  }
  return c.ok();
}

bool good_lesson_id(const std::string& id) {
  if (id.empty()) return false;
  for (char ch : id)
    if (!((ch >= 'a' && ch <= 'z') || is_digit(ch) || ch == '-')) return false;
  return true;
}

// "iss": {"A": 100, "B": 300} (or lists, one ISN per OPEN in order): the
// textbook's numbers instead of the seed's; the validator then runs the
// lesson with these ISNs only.
void get_iss(Check& c, const JsonValue& v, const std::string& path, LessonSetup& out) {
  if (!c.object(v, path, "an object such as {\"A\": 100, \"B\": 300}")) return;
  if (!only_fields(c, v, path, {"A", "B"})) return;
  for (int h = 0; h < 2; ++h) {
    const JsonValue* f = v.find(HOST_NAMES[h]);
    if (f == nullptr) continue;
    const std::string hp = at(path, HOST_NAMES[h]);
    std::uint32_t n = 0;
    if (!f->is_array()) {
      if (get_u32(c, *f, hp, 0, SEQ_MAX, n)) out.iss[h].push_back(n);
      continue;
    }
    if (f->size() == 0) return void(c.fail(hp, "an empty list of ISNs"));
    for (std::size_t i = 0; i < f->size() && c.ok(); ++i)
      if (get_u32(c, f->items[i], at(hp, i), 0, SEQ_MAX, n)) out.iss[h].push_back(n);
  }
}

void get_setup(Check& c, const JsonValue& v, LessonSetup& out) {
  const std::string path = "setup";
  if (!c.object(v, path)) return;
  if (!only_fields(c, v, path,
                   {"latency_ms", "msl_ms", "rto_ms", "max_retransmits", "rfc5961", "delayed_ack", "close_on_fin",
                    "rcv_wnd", "iss"}))
    return;
  struct IntField {
    const char* key;
    std::int64_t lo, hi;
    int* out;
  };
  const IntField ints[] = {{"latency_ms", 0, 3600000, &out.latency_ms},
                           {"msl_ms", 1, MS_MAX, &out.msl_ms},
                           {"rto_ms", 1, 3600000, &out.rto_ms},
                           {"max_retransmits", -1, 100, &out.max_retransmits}};
  for (const IntField& f : ints)
    if (const JsonValue* m = c.member(v, path, f.key, false)) {
      std::int64_t n = 0;
      if (c.integer(*m, at(path, f.key), f.lo, f.hi, n)) *f.out = static_cast<int>(n);
    }
  if (const JsonValue* m = c.member(v, path, "rfc5961", false)) c.boolean(*m, "setup.rfc5961", out.rfc5961);
  if (const JsonValue* m = c.member(v, path, "delayed_ack", false)) c.boolean(*m, "setup.delayed_ack", out.delayed_ack);
  if (const JsonValue* m = c.member(v, path, "close_on_fin", false)) c.boolean(*m, "setup.close_on_fin", out.close_on_fin);
  if (const JsonValue* m = c.member(v, path, "rcv_wnd", false)) get_u32(c, *m, "setup.rcv_wnd", 1, OCTETS_MAX, out.rcv_wnd);
  if (const JsonValue* m = c.member(v, path, "iss", false)) get_iss(c, *m, "setup.iss", out);
}

// "languages": ["en"] or ["zh"] (or both, the default): the languages every
// text is written in.
void get_languages(Check& c, const JsonValue& v, const std::string& path) {
  if (!v.is_array() || v.size() == 0)
    return void(c.fail_expected(path, "a list of languages, [\"en\"], [\"zh\"] or [\"en\", \"zh\"]", v));
  c.need_lang[0] = c.need_lang[1] = false;
  for (std::size_t i = 0; i < v.size() && c.ok(); ++i) {
    int k = 0;
    if (get_name(c, v.items[i], at(path, i), "language", {"en", "zh"}, k)) c.need_lang[k] = true;
  }
  if (!c.ok()) c.need_lang[0] = c.need_lang[1] = true;
}

// Errors inside a question also name its id (when it has a readable one):
// an author finds "who-retransmits" faster than steps[18].
void name_question(const JsonValue& step, const std::string& path, std::vector<LessonError>& errors,
                   std::size_t from) {
  const JsonValue* ask = step.is_object() ? step.find("ask") : nullptr;
  const JsonValue* id = ask != nullptr && ask->is_object() ? ask->find("id") : nullptr;
  if (id == nullptr || !id->is_string() || !good_question_id(id->string)) return;
  const std::string prefix = path + ".ask";
  for (std::size_t k = from; k < errors.size(); ++k)
    if (errors[k].path.rfind(prefix, 0) == 0) errors[k].question = id->string;
}

// Client and server exist when someone listens (RFC 9293 3.10.1 passive
// OPEN); in a simultaneous open both hosts are peers.
bool has_passive_open(const Lesson& l) {
  for (const LessonStep& s : l.steps)
    for (const LessonAction& a : s.actions)
      if (a.kind == LessonAction::Kind::Call && a.call == Call::OpenPassive) return true;
  return false;
}

}  // namespace

std::optional<Lesson> parse_lesson(std::string_view json, const std::string& file, std::vector<LessonError>& errors) {
  JsonValue doc;
  JsonError je;
  if (!parse_json(json, doc, je)) {
    LessonError e{file, "", je.message};
    e.line = je.line;
    e.column = je.column;
    errors.push_back(e);
    return std::nullopt;
  }
  Check c(file, errors);
  if (!doc.is_object()) {
    c.fail("", "expected a lesson object, got " + json_describe(doc));
    return std::nullopt;
  }
  Lesson l;
  l.file = file;
  // Unknown top-level fields are refused like any other, but for comments
  // ("_...") and "expect_error" (the malformed-file tests' expected message).
  // Past a few, one line counts the rest: a file of 100,000 unknown keys
  // printed 100,000 lines (issue 18, D5).
  std::size_t unknown = 0;
  constexpr std::size_t UNKNOWN_LISTED = 5;
  for (const std::string& k : doc.keys) {
    static const std::vector<const char*> TOP = {"id",    "version", "order", "title", "summary",
                                                 "setup", "steps",   "languages"};
    if (!is_comment(k) && k != "expect_error" && !contains(TOP, k) && ++unknown <= UNKNOWN_LISTED) {
      c.fail(k, "unknown field (expected " + list_text(TOP) + ")");
      c.next_part();
    }
  }
  if (unknown > UNKNOWN_LISTED) {
    c.fail("", "and " + std::to_string(unknown - UNKNOWN_LISTED) + " more unknown top-level fields");
    c.next_part();
  }
  if (const JsonValue* f = c.member(doc, "", "languages", false)) get_languages(c, *f, "languages");
  c.next_part();
  if (const JsonValue* f = c.member(doc, "", "id", true))
    if (c.string(*f, "id", l.id) && !good_lesson_id(l.id))
      c.fail("id", json_quote(l.id) + " does not match [a-z0-9-]+ (lower-case letters, digits and hyphens)");
  c.next_part();
  if (const JsonValue* f = c.member(doc, "", "version", true)) {
    if (f->is_number() && f->is_integer && f->integer < 1)
      c.fail("version", "must be 1 or more, got " + std::to_string(f->integer));
    std::int64_t n = 0;
    if (c.integer(*f, "version", 1, 1000000000, n)) l.version = static_cast<int>(n);
  }
  c.next_part();
  if (const JsonValue* f = c.member(doc, "", "order", false)) {
    std::int64_t n = 0;
    if (c.integer(*f, "order", -1000000, 1000000, n)) l.order = static_cast<int>(n);
  }
  c.next_part();
  text_member(c, doc, "", "title", TextUse::Menu, l.title);
  c.next_part();
  text_member(c, doc, "", "summary", TextUse::Menu, l.summary);
  c.next_part();
  if (const JsonValue* f = c.member(doc, "", "setup", false)) get_setup(c, *f, l.setup);
  c.next_part();
  if (const JsonValue* steps = c.member(doc, "", "steps", true)) {
    if (!steps->is_array()) {
      c.fail_expected("steps", "an array of steps", *steps);
    } else if (steps->size() == 0) {
      c.fail("steps", "a lesson needs at least one step");
    } else {
      std::vector<std::pair<std::string, std::string>> ids;  // id, path of its first use
      for (std::size_t i = 0; i < steps->size(); ++i) {
        c.next_part();
        const std::string p = at("steps", i);
        LessonStep s;
        const std::size_t before = errors.size();
        if (!get_step(c, steps->items[i], p, s)) {
          name_question(steps->items[i], p, errors, before);
          continue;
        }
        if (s.kind == LessonStep::Kind::Ask) {
          const std::string idp = p + ".ask.id";
          for (const auto& seen : ids)
            if (seen.first == s.question.id) {
              c.fail(idp, "duplicate question id " + json_quote(s.question.id) + " (" + seen.second + " has it too)");
              errors.back().question = s.question.id;
              break;
            }
          ids.emplace_back(s.question.id, idp);
        }
        l.steps.push_back(std::move(s));
      }
    }
  }
  if (c.any()) return std::nullopt;
  l.client_server = has_passive_open(l);
  return l;
}

std::optional<Lesson> load_lesson(std::string_view json, const std::string& file, std::vector<LessonError>& errors) {
  std::optional<Lesson> l = parse_lesson(json, file, errors);
  if (!l) return std::nullopt;
  if (!validate_lesson(*l, errors)) return std::nullopt;
  return l;
}

}  // namespace tcplab
