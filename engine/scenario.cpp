// Scenario files: loading, running, reporting. See scenario.h and
// shared/SCENARIO-FORMAT.md.
//
// [SECTION] Small helpers
// [SECTION] Loading
// [SECTION] Running
// [SECTION] Texts
#include "scenario.h"

#include <map>
#include <utility>

#include "terminal.h"

namespace tcplab {

// [SECTION] Small helpers

namespace {

constexpr std::int64_t SEQ_MAX = 0xFFFFFFFFll;
constexpr std::int64_t OCTETS_MAX = 1ll << 30;            // one SEND, one segment's len
constexpr std::int64_t MSL_MAX = 1000000000ll;            // about 11 days
constexpr std::int64_t ADVANCE_MAX = 1000000000000ll;     // about 31 years

const char* const HOST_NAMES[] = {"A", "B"};
const char* const DIR_NAMES[] = {"A->B", "B->A"};

// `expected "a" or "b"` / `expected one of "a", "b", "c"`.
std::string choices_text(const std::vector<const char*>& names) {
  std::string out;
  if (names.size() == 2) return json_quote(names[0]) + " or " + json_quote(names[1]);
  out = "one of ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += json_quote(names[i]);
  }
  return out;
}

// A string that must be one of `names`; its index goes to `out`.
bool get_choice(JsonReader& r, const JsonValue& v, const std::string& path,
                const std::vector<const char*>& names, int& out) {
  if (!r.ok()) return false;
  if (v.is_string())
    for (std::size_t i = 0; i < names.size(); ++i)
      if (v.string == names[i]) {
        out = static_cast<int>(i);
        return true;
      }
  return r.fail_expected(path, choices_text(names), v);
}

bool get_host(JsonReader& r, const JsonValue& v, const std::string& path, int& out) {
  return get_choice(r, v, path, {"A", "B"}, out);
}

bool get_seq(JsonReader& r, const JsonValue& v, const std::string& path, Seq& out) {
  std::int64_t n = 0;
  if (!r.get_int(v, path, 0, SEQ_MAX, n)) return false;
  out = static_cast<Seq>(n);
  return true;
}

bool get_u32(JsonReader& r, const JsonValue& v, const std::string& path, std::int64_t lo,
             std::int64_t hi, std::uint32_t& out) {
  std::int64_t n = 0;
  if (!r.get_int(v, path, lo, hi, n)) return false;
  out = static_cast<std::uint32_t>(n);
  return true;
}

// An array of flag names, each at most once. PSH is accepted (and never
// compared); the format's flags are SYN, ACK, FIN, RST.
bool get_flags(JsonReader& r, const JsonValue& v, const std::string& path, std::uint8_t& out) {
  static const std::vector<const char*> NAMES = {"SYN", "ACK", "FIN", "RST", "PSH"};
  static const std::uint8_t BITS[] = {FLAG_SYN, FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_PSH};
  out = 0;
  if (!r.ok()) return false;
  if (!v.is_array()) return r.fail_expected(path, "an array of flag names such as [\"SYN\", \"ACK\"]", v);
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::string p = JsonReader::index_path(path, i);
    int k = 0;
    if (!get_choice(r, v.items[i], p, NAMES, k)) return false;
    if (out & BITS[k]) return r.fail(p, json_quote(NAMES[k]) + " appears twice");
    out = static_cast<std::uint8_t>(out | BITS[k]);
  }
  return true;
}

bool get_state(JsonReader& r, const JsonValue& v, const std::string& path, State& out) {
  if (!r.ok()) return false;
  static const char* const RFC_NAMES =
      "a state name (CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, "
      "FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT)";
  if (!v.is_string()) return r.fail_expected(path, RFC_NAMES, v);
  // Any name the engine's parser knows (RFC, ss, netstat, BSD spellings) is
  // accepted; its known misspellings (SYN_SEND) are not.
  std::optional<ParsedState> p = parse_state(v.string);
  if (!p) return r.fail(path, "unknown state " + json_describe(v) + ", expected " + RFC_NAMES);
  if (p->misspelling)
    return r.fail(path, json_describe(v) + " is a misspelling of \"" + state_name(p->state) + "\"");
  out = p->state;
  return true;
}

// Every member of `obj` must be one of `fields` or a comment ("_..."): a
// typo such as "expectt" beside a step would otherwise drop its check
// silently and the scenario would pass (issue 18, D16).
bool only_fields(JsonReader& r, const JsonValue& obj, const std::string& path,
                 const std::vector<const char*>& fields) {
  if (!r.ok()) return false;
  for (const std::string& k : obj.keys) {
    bool known = !k.empty() && k[0] == '_';  // a comment, as in lesson files
    for (const char* f : fields) known = known || k == f;
    if (!known) return r.fail(JsonReader::key_path(path, k), "unknown field, expected " + choices_text(fields));
  }
  return true;
}

const char* const STEP_KINDS[] = {"app", "deliver", "drop", "inject", "timer", "advance_ms"};

// The fields each step kind takes besides its own key and `expect`.
const std::vector<const char*>& kind_fields(StepKind k) {
  static const std::vector<const char*> CALL = {"call", "bytes"}, DELIVER = {"which"}, NONE = {},
                                        INJECT = {"segment"}, TIMER = {"kind"};
  switch (k) {
    case StepKind::Call: return CALL;
    case StepKind::Deliver: return DELIVER;
    case StepKind::Drop: return NONE;
    case StepKind::Inject: return INJECT;
    case StepKind::Timer: return TIMER;
    case StepKind::Advance: return NONE;
  }
  return NONE;
}

// [SECTION] Loading

bool load_segment_expect(JsonReader& r, const JsonValue& v, const std::string& path,
                         SegmentExpect& out) {
  if (!r.expect_object(v, path)) return false;
  only_fields(r, v, path, {"from", "flags", "optional_flags", "seq", "ack", "len"});
  if (const JsonValue* f = r.member(v, path, "from", true)) get_host(r, *f, JsonReader::key_path(path, "from"), out.from);
  if (const JsonValue* f = r.member(v, path, "flags", true)) get_flags(r, *f, JsonReader::key_path(path, "flags"), out.flags);
  if (const JsonValue* f = r.member(v, path, "optional_flags", false)) {
    std::string p = JsonReader::key_path(path, "optional_flags");
    if (get_flags(r, *f, p, out.optional_flags) && (out.flags & out.optional_flags) != 0)
      r.fail(p, "a flag cannot be both required (flags) and optional");
  }
  if (const JsonValue* f = r.member(v, path, "seq", false)) {
    Seq s = 0;
    if (!f->is_null() && get_seq(r, *f, JsonReader::key_path(path, "seq"), s)) out.seq = s;
  }
  const JsonValue* ack = r.member(v, path, "ack", false);
  std::string ack_path = JsonReader::key_path(path, "ack");
  if (r.ok()) {
    bool ack_required = (out.flags & FLAG_ACK) != 0;
    bool ack_optional = (out.optional_flags & FLAG_ACK) != 0;
    if (ack == nullptr && ack_required)
      r.fail(ack_path, "missing, but \"ACK\" is in flags (use null to leave it unchecked)");
    if (ack != nullptr && !ack_required && !ack_optional)
      r.fail(ack_path, "present, but \"ACK\" is not in flags (an absent ack means the ACK bit is off)");
    Seq a = 0;
    if (ack != nullptr && !ack->is_null() && get_seq(r, *ack, ack_path, a)) out.ack = a;
  }
  if (const JsonValue* f = r.member(v, path, "len", false))
    get_u32(r, *f, JsonReader::key_path(path, "len"), 0, OCTETS_MAX, out.len);
  return r.ok();
}

bool load_emitted_list(JsonReader& r, const JsonValue& v, const std::string& path,
                       std::vector<SegmentExpect>& out) {
  if (!r.expect_array(v, path)) return false;
  for (std::size_t i = 0; i < v.size() && r.ok(); ++i) {
    SegmentExpect e;
    if (load_segment_expect(r, v.items[i], JsonReader::index_path(path, i), e)) out.push_back(e);
  }
  return r.ok();
}

bool load_expect(JsonReader& r, const JsonValue& v, const std::string& path, Expect& out) {
  if (!r.expect_object(v, path)) return false;
  only_fields(r, v, path, {"A", "B", "emitted", "emitted_alternatives"});
  for (int h = 0; h < 2; ++h)
    if (const JsonValue* f = r.member(v, path, HOST_NAMES[h], false)) {
      State s = State::Closed;
      if (get_state(r, *f, JsonReader::key_path(path, HOST_NAMES[h]), s)) out.state[h] = s;
    }
  const JsonValue* emitted = r.member(v, path, "emitted", false);
  const JsonValue* alts = r.member(v, path, "emitted_alternatives", false);
  if (emitted != nullptr) {
    out.has_emitted = true;
    out.emitted.emplace_back();
    load_emitted_list(r, *emitted, JsonReader::key_path(path, "emitted"), out.emitted.back());
  }
  if (alts != nullptr) {
    std::string p = JsonReader::key_path(path, "emitted_alternatives");
    if (emitted == nullptr) return r.fail(p, "needs \"emitted\" beside it");
    if (r.expect_array(*alts, p))
      for (std::size_t i = 0; i < alts->size() && r.ok(); ++i) {
        out.emitted.emplace_back();
        load_emitted_list(r, alts->items[i], JsonReader::index_path(p, i), out.emitted.back());
      }
  }
  if (r.ok() && !out.state[0] && !out.state[1] && !out.has_emitted)
    return r.fail(path, "expected at least one of \"A\", \"B\", \"emitted\"");
  return r.ok();
}

bool load_step(JsonReader& r, const JsonValue& v, const std::string& path, const Scenario& sc,
               Step& out) {
  if (!r.expect_object(v, path)) return false;
  // Exactly one key names the step kind.
  int kind = -1;
  for (int k = 0; k < 6; ++k) {
    if (v.find(STEP_KINDS[k]) == nullptr) continue;
    if (kind >= 0)
      return r.fail(path, std::string("a step is exactly one of app, deliver, drop, inject, timer, advance_ms; this one has both \"") +
                              STEP_KINDS[kind] + "\" and \"" + STEP_KINDS[k] + "\"");
    kind = k;
  }
  if (kind < 0) {
    std::string fields;
    for (const std::string& k : v.keys) fields += (fields.empty() ? "" : ", ") + json_quote(k);
    return r.fail(path, "unknown step kind: expected one of the fields \"app\", \"deliver\", \"drop\", "
                        "\"inject\", \"timer\", \"advance_ms\", got " +
                            (fields.empty() ? std::string("an empty object") : "fields " + fields));
  }
  out.kind = static_cast<StepKind>(kind);
  const std::string key_path = JsonReader::key_path(path, STEP_KINDS[kind]);
  const JsonValue& key_value = *v.find(STEP_KINDS[kind]);
  // A field that belongs to another kind of step is a mistake, not metadata.
  for (int k = 0; k < 6; ++k) {
    for (const char* f : kind_fields(static_cast<StepKind>(k))) {
      bool mine = false;
      for (const char* g : kind_fields(out.kind)) mine = mine || std::string_view(f) == g;
      if (!mine && v.find(f) != nullptr)
        return r.fail(JsonReader::key_path(path, f),
                      std::string("not a field of a \"") + STEP_KINDS[kind] + "\" step");
    }
  }
  std::vector<const char*> fields = kind_fields(out.kind);
  fields.push_back(STEP_KINDS[kind]);
  fields.push_back("expect");
  if (!only_fields(r, v, path, fields)) return false;
  switch (out.kind) {
    case StepKind::Call: {
      get_host(r, key_value, key_path, out.host);
      static const std::vector<const char*> CALLS = {"open_active", "open_passive", "send", "close", "abort"};
      static const Call CALL_OF[] = {Call::OpenActive, Call::OpenPassive, Call::Send, Call::Close, Call::Abort};
      int c = 0;
      if (const JsonValue* f = r.member(v, path, "call", true))
        if (get_choice(r, *f, JsonReader::key_path(path, "call"), CALLS, c)) out.call = CALL_OF[c];
      const JsonValue* bytes = r.member(v, path, "bytes", false);
      std::string bytes_path = JsonReader::key_path(path, "bytes");
      if (r.ok() && out.call == Call::Send) {
        if (bytes == nullptr) return r.fail(bytes_path, "missing required field (a send call needs the number of octets)");
        get_u32(r, *bytes, bytes_path, 1, OCTETS_MAX, out.bytes);
      } else if (r.ok() && bytes != nullptr) {
        return r.fail(bytes_path, "only a \"send\" call takes bytes");
      }
      break;
    }
    case StepKind::Deliver: {
      get_choice(r, key_value, key_path, {DIR_NAMES[0], DIR_NAMES[1]}, out.dir);
      int which = 0;
      if (const JsonValue* f = r.member(v, path, "which", true))
        if (get_choice(r, *f, JsonReader::key_path(path, "which"), {"next", "all"}, which))
          out.all = which == 1;
      break;
    }
    case StepKind::Drop:
      get_choice(r, key_value, key_path, {DIR_NAMES[0], DIR_NAMES[1]}, out.dir);
      break;
    case StepKind::Inject: {
      get_host(r, key_value, key_path, out.host);
      const JsonValue* seg = r.member(v, path, "segment", true);
      std::string sp = JsonReader::key_path(path, "segment");
      if (seg == nullptr || !r.expect_object(*seg, sp)) break;
      if (!only_fields(r, *seg, sp, {"flags", "seq", "ack", "len"})) break;
      if (const JsonValue* f = r.member(*seg, sp, "flags", true))
        get_flags(r, *f, JsonReader::key_path(sp, "flags"), out.segment.flags);
      if (const JsonValue* f = r.member(*seg, sp, "seq", true))
        get_seq(r, *f, JsonReader::key_path(sp, "seq"), out.segment.seq);
      const JsonValue* ack = r.member(*seg, sp, "ack", false);
      std::string ap = JsonReader::key_path(sp, "ack");
      if (r.ok() && out.segment.has(FLAG_ACK) && ack == nullptr)
        return r.fail(ap, "missing, but \"ACK\" is in flags");
      if (r.ok() && !out.segment.has(FLAG_ACK) && ack != nullptr)
        return r.fail(ap, "present, but \"ACK\" is not in flags");
      if (ack != nullptr) get_seq(r, *ack, ap, out.segment.ack);
      if (const JsonValue* f = r.member(*seg, sp, "len", false))
        get_u32(r, *f, JsonReader::key_path(sp, "len"), 0, OCTETS_MAX, out.segment.len);
      out.segment.wnd = sc.rcv_wnd;
      break;
    }
    case StepKind::Timer: {
      get_host(r, key_value, key_path, out.host);
      int k = 0;
      if (const JsonValue* f = r.member(v, path, "kind", true))
        if (get_choice(r, *f, JsonReader::key_path(path, "kind"), {"retransmit", "time_wait"}, k))
          out.timer = k == 0 ? TimerKind::Retransmit : TimerKind::TimeWait;
      break;
    }
    case StepKind::Advance: {
      std::int64_t ms = 0;
      if (r.get_int(key_value, key_path, 0, ADVANCE_MAX, ms)) out.advance_ms = ms;
      if (r.ok() && !sc.requires_clock)
        return r.fail(key_path, "advance_ms needs \"requires\": [\"clock\"] in the scenario");
      break;
    }
  }
  if (const JsonValue* e = r.member(v, path, "expect", false)) {
    out.has_expect = true;
    load_expect(r, *e, JsonReader::key_path(path, "expect"), out.expect);
  }
  return r.ok();
}

bool load_setup(JsonReader& r, const JsonValue& v, Scenario& out) {
  const std::string path = "setup";
  if (!r.expect_object(v, path)) return false;
  only_fields(r, v, path, {"A", "B", "rcv_wnd", "msl_ms"});
  for (int h = 0; h < 2; ++h) {
    const JsonValue* host = r.member(v, path, HOST_NAMES[h], false);
    if (host == nullptr) continue;
    std::string hp = JsonReader::key_path(path, HOST_NAMES[h]);
    if (!r.expect_object(*host, hp)) return false;
    if (!only_fields(r, *host, hp, {"role", "iss"})) return false;
    if (const JsonValue* f = r.member(*host, hp, "role", false))
      r.get_string(*f, JsonReader::key_path(hp, "role"), out.role[h]);
    if (const JsonValue* f = r.member(*host, hp, "iss", false)) {
      std::string ip = JsonReader::key_path(hp, "iss");
      if (!f->is_array()) return r.fail_expected(ip, "an array of integers from 0 to 4294967295", *f);
      for (std::size_t i = 0; i < f->size() && r.ok(); ++i) {
        Seq s = 0;
        if (get_seq(r, f->items[i], JsonReader::index_path(ip, i), s)) out.iss[h].push_back(s);
      }
    }
  }
  if (const JsonValue* f = r.member(v, path, "rcv_wnd", false))
    get_u32(r, *f, JsonReader::key_path(path, "rcv_wnd"), 1, OCTETS_MAX, out.rcv_wnd);
  if (const JsonValue* f = r.member(v, path, "msl_ms", false)) {
    std::int64_t ms = 0;
    if (r.get_int(*f, JsonReader::key_path(path, "msl_ms"), 0, MSL_MAX, ms)) out.msl_ms = ms;
  }
  return r.ok();
}

}  // namespace

const char* profile_name(Profile p) {
  switch (p) {
    case Profile::Any: return "any";
    case Profile::Rfc5961: return "rfc5961";
    case Profile::Rfc793: return "rfc793";
  }
  return "?";
}

bool load_scenario(const JsonValue& v, Scenario& out, std::string& error) {
  JsonReader r;
  std::size_t index = out.index;
  out = Scenario{};
  out.index = index;
  if (!v.is_object()) {
    r.fail_expected("", "a scenario object", v);
    error = r.error();
    return false;
  }
  if (const JsonValue* f = r.member(v, "", "id", true))
    if (r.get_string(*f, "id", out.id) && out.id.empty()) r.fail("id", "must not be empty");
  if (const JsonValue* f = r.member(v, "", "title", true)) r.get_string(*f, "title", out.title);
  if (const JsonValue* f = r.member(v, "", "source", false)) r.get_string(*f, "source", out.source);
  if (const JsonValue* f = r.member(v, "", "notes", false)) r.get_string(*f, "notes", out.notes);
  if (const JsonValue* f = r.member(v, "", "profile", false)) {
    int p = 0;
    if (get_choice(r, *f, "profile", {"any", "rfc5961", "rfc793"}, p)) out.profile = static_cast<Profile>(p);
  }
  if (const JsonValue* f = r.member(v, "", "requires", false)) {
    if (!f->is_array()) {
      r.fail_expected("requires", "an array such as [\"clock\"]", *f);
    } else {
      for (std::size_t i = 0; i < f->size() && r.ok(); ++i) {
        const JsonValue& q = f->items[i];
        std::string p = JsonReader::index_path("requires", i);
        if (q.is_string() && q.string == "clock")
          out.requires_clock = true;
        else if (q.is_string())
          r.fail(p, "unknown requirement " + json_describe(q) + " (this runner provides \"clock\")");
        else
          r.fail_expected(p, "\"clock\"", q);
      }
    }
  }
  if (const JsonValue* f = r.member(v, "", "setup", true)) load_setup(r, *f, out);
  if (const JsonValue* f = r.member(v, "", "steps", true)) {
    if (r.expect_array(*f, "steps") && f->size() == 0) r.fail("steps", "a scenario needs at least one step");
    for (std::size_t i = 0; i < f->size() && r.ok(); ++i) {
      Step s;
      if (load_step(r, f->items[i], JsonReader::index_path("steps", i), out, s)) out.steps.push_back(s);
    }
  }
  error = r.error();
  return r.ok();
}

std::string scenario_name(const Scenario& s) {
  if (!s.id.empty()) return "scenario " + json_quote(s.id);
  return "scenario [" + std::to_string(s.index) + "]";
}

namespace {

// The top level may carry other suites' metadata (the format: "unknown
// fields are ignored"), so a field this runner does not know is a warning,
// not an error; the format's own examples and the malformed-file tests'
// "expect_error" are not even that. "" when there is nothing to say.
std::string top_level_warning(const JsonValue& v) {
  static const std::vector<std::string_view> KNOWN = {"id",    "title",      "source",      "profile",      "requires",
                                                      "notes", "setup",      "steps",       "level",        "cross_check",
                                                      "expect_error"};
  constexpr std::size_t LISTED = 5;
  std::string names;
  std::size_t unknown = 0;
  for (const std::string& k : v.keys) {
    bool known = !k.empty() && k[0] == '_';
    for (std::string_view n : KNOWN) known = known || k == n;
    if (known || ++unknown > LISTED) continue;
    names += (names.empty() ? "" : ", ") + json_quote(k);
  }
  if (unknown == 0) return "";
  if (unknown > LISTED) names += " and " + std::to_string(unknown - LISTED) + " more";
  return "warning: unknown top-level field" + std::string(unknown > 1 ? "s " : " ") + names +
         " ignored (metadata of another suite, or a misspelling?)";
}

}  // namespace

ScenarioFile load_scenarios(std::string_view text, const std::string& file_name) {
  ScenarioFile file;
  JsonValue doc;
  JsonError je;
  if (!parse_json(text, doc, je)) {
    file.errors.push_back(file_name + ":" + std::to_string(je.line) + ":" + std::to_string(je.column) +
                          ": " + je.message);
    return file;
  }
  std::vector<const JsonValue*> list;
  if (doc.is_object()) {
    list.push_back(&doc);
  } else if (doc.is_array()) {
    for (const JsonValue& item : doc.items) list.push_back(&item);
    if (list.empty()) file.errors.push_back(file_name + ": an empty array: expected at least one scenario");
  } else {
    file.errors.push_back(file_name + ": expected a scenario object or an array of them, got " + json_describe(doc));
  }
  std::map<std::string, std::size_t> ids;  // first use of each id
  for (std::size_t i = 0; i < list.size(); ++i) {
    const JsonValue& v = *list[i];
    const JsonValue* id = v.find("id");
    Scenario s;
    s.index = i;
    if (id != nullptr && id->is_string()) s.id = id->string;  // for the name only
    std::string name = scenario_name(s);
    std::string error;
    if (!load_scenario(v, s, error)) {
      file.errors.push_back(file_name + ": " + name + ": " + error);
      continue;
    }
    const std::string warning = top_level_warning(v);
    if (!warning.empty()) file.warnings.push_back(file_name + ": " + name + ": " + warning);
    // A map, not a scan of the ids so far: a file of many scenarios stays linear.
    auto seen = ids.emplace(s.id, i);
    if (!seen.second)
      file.errors.push_back(file_name + ": " + name + " [" + std::to_string(i) + "]: id: duplicate id, scenario [" +
                            std::to_string(seen.first->second) + "] has it too");
    file.scenarios.push_back(std::move(s));
  }
  if (!file.errors.empty()) file.scenarios.clear();
  return file;
}

// [SECTION] Running

SimConfig scenario_sim_config(const Scenario& s) {
  SimConfig c;
  c.seed = 1;
  c.keep_trace = true;
  c.net.auto_deliver = false;  // segments wait for deliver/drop steps
  c.net.loss_ppm = c.net.dup_ppm = c.net.reorder_ppm = 0;
  c.net.jitter_ms = 0;
  // max_retransmits -1 and a long advance_ms would otherwise run for ever.
  c.budget = RUN_BUDGET_DEFAULT;
  for (int h = 0; h < 2; ++h) {
    EndpointConfig& e = c.endpoint[h];
    const bool default_rfc5961 = EndpointConfig{}.rfc5961;
    e.rfc5961 = s.profile == Profile::Rfc5961  ? true
                : s.profile == Profile::Rfc793 ? false
                                               : default_rfc5961;
    e.delayed_ack = false;     // immediate ACKs
    e.close_on_fin = false;    // the application closes only when a step says so
    e.max_retransmits = -1;    // no give-up surprises: timers fire only as steps say
    e.send_within_window = false;  // no window limits: each SEND is one segment at once
    e.msl_ms = s.msl_ms;
    e.rcv_wnd = s.rcv_wnd;
    c.iss[h] = s.iss[h];
  }
  return c;
}

bool segment_matches(const SegmentExpect& want, const EmittedSegment& got) {
  if (want.from != got.from) return false;
  const std::uint8_t actual = static_cast<std::uint8_t>(got.seg.flags & ~FLAG_PSH);
  const std::uint8_t required = static_cast<std::uint8_t>(want.flags & ~FLAG_PSH);
  const std::uint8_t allowed = static_cast<std::uint8_t>(required | want.optional_flags | FLAG_PSH);
  if ((actual & required) != required || (actual & ~allowed) != 0) return false;
  if (want.seq && *want.seq != got.seg.seq) return false;
  if (want.ack && got.seg.has(FLAG_ACK) && *want.ack != got.seg.ack) return false;
  return want.len == got.seg.len;
}

bool emitted_matches(const std::vector<SegmentExpect>& want, const std::vector<EmittedSegment>& got) {
  if (want.size() != got.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i)
    if (!segment_matches(want[i], got[i])) return false;
  return true;
}

namespace {

// "B state differs", "A state, emitted segments differ".
std::string differs_phrase(const std::string& differs) {
  bool plural = differs.find(',') != std::string::npos || differs == "emitted segments";
  return differs + (plural ? " differ" : " differs");
}

void perform(Simulation& sim, const Step& step, StepOutcome& o) {
  switch (step.kind) {
    case StepKind::Call:
      sim.call(step.host, step.call, step.bytes);
      return;
    case StepKind::Deliver: {
      // "all": the segments in flight when the step starts, one at a time,
      // each fully processed before the next; replies stay in flight.
      std::size_t n = step.all ? sim.network().in_flight(step.dir).size() : 1;
      for (std::size_t i = 0; i < n; ++i)
        if (!sim.deliver_oldest(step.dir)) {
          o.performed = false;
          o.problem = std::string("no segment in flight ") + DIR_NAMES[step.dir] + " to deliver";
          return;
        }
      return;
    }
    case StepKind::Drop:
      if (!sim.drop_oldest(step.dir)) {
        o.performed = false;
        o.problem = std::string("no segment in flight ") + DIR_NAMES[step.dir] + " to drop";
      }
      return;
    case StepKind::Inject:
      sim.inject(step.host, step.segment);
      return;
    case StepKind::Timer:
      sim.fire_timer(step.host, step.timer);
      return;
    case StepKind::Advance:
      sim.advance_to(sim.now() + step.advance_ms);
      return;
  }
}

}  // namespace

ScenarioRun run_scenario(const Scenario& s, bool stop_at_failure) {
  ScenarioRun run;
  run.sim = Simulation(scenario_sim_config(s));
  Simulation& sim = run.sim;
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    const Step& step = s.steps[i];
    StepOutcome o;
    o.index = i;
    o.trace_begin = sim.trace().size();
    perform(sim, step, o);
    if (sim.over_budget() != BudgetField::None) {
      o.performed = false;
      o.problem = budget_message(sim.over_budget(), sim.config().budget);
    }
    o.trace_end = sim.trace().size();
    for (std::size_t k = o.trace_begin; k < o.trace_end; ++k) {
      const Event& e = sim.trace()[k];
      if (e.kind == EventKind::Sent) o.emitted.push_back(EmittedSegment{e.host == 0 ? HOST_A : HOST_B, e.seg});
    }
    for (int h = 0; h < 2; ++h) o.state[h] = sim.endpoint(h).state();
    o.checked = step.has_expect;
    if (!o.performed) {
      o.passed = false;
    } else if (step.has_expect) {
      const Expect& x = step.expect;
      std::string differs;
      for (int h = 0; h < 2; ++h)
        if (x.state[h] && *x.state[h] != o.state[h])
          differs += std::string(differs.empty() ? "" : ", ") + HOST_NAMES[h] + " state";
      if (x.has_emitted) {
        bool any = false;
        for (const auto& list : x.emitted) any = any || emitted_matches(list, o.emitted);
        if (!any) differs += std::string(differs.empty() ? "" : ", ") + "emitted segments";
      }
      o.passed = differs.empty();
      o.differs = differs;
    }
    run.steps.push_back(o);
    if (!o.passed && run.passed) {
      run.passed = false;
      run.failed_step = i;
      if (!o.performed) {
        run.failure = o.problem + "\n    actual:   " + outcome_text(o);
      } else {
        run.failure = differs_phrase(o.differs);
        run.failure += "\n    expected: " + expect_text(step.expect);
        run.failure += "\n    actual:   " + outcome_text(o);
      }
      if (stop_at_failure) break;
    }
    if (sim.over_budget() != BudgetField::None) break;  // nothing more can happen
  }
  return run;
}

// [SECTION] Texts

std::string step_text(const Step& s) {
  switch (s.kind) {
    case StepKind::Call:
      if (s.call == Call::Send) return std::string(HOST_NAMES[s.host]) + " send(" + std::to_string(s.bytes) + ")";
      return std::string(HOST_NAMES[s.host]) + " " + call_name(s.call) + "()";
    case StepKind::Deliver: return std::string("deliver ") + DIR_NAMES[s.dir] + (s.all ? " all" : " next");
    case StepKind::Drop: return std::string("drop ") + DIR_NAMES[s.dir];
    case StepKind::Inject: return std::string("inject at ") + HOST_NAMES[s.host] + ": " + segment_label(s.segment);
    case StepKind::Timer: return std::string(HOST_NAMES[s.host]) + " " + timer_name(s.timer) + " timer";
    case StepKind::Advance: return "advance " + std::to_string(s.advance_ms) + " ms";
  }
  return "?";
}

std::string segment_expect_text(const SegmentExpect& e) {
  std::string out = std::string(HOST_NAMES[e.from]) + " " + flags_text(e.flags);
  if (e.optional_flags != 0) out += "(+" + flags_text(e.optional_flags) + "?)";
  out += " seq=" + (e.seq ? std::to_string(*e.seq) : std::string("*"));
  if ((e.flags | e.optional_flags) & FLAG_ACK) out += " ack=" + (e.ack ? std::to_string(*e.ack) : std::string("*"));
  if (e.len > 0) out += " len=" + std::to_string(e.len);
  return out;
}

std::string emitted_text(const std::vector<EmittedSegment>& v) {
  // A step that goes over the run's budget emits a thousand segments: the
  // report names the first ones and counts the rest.
  constexpr std::size_t LISTED = 20;
  std::string out = "[";
  for (std::size_t i = 0; i < v.size() && i < LISTED; ++i) {
    if (i > 0) out += "; ";
    out += std::string(HOST_NAMES[v[i].from]) + " " + segment_label(v[i].seg);
  }
  if (v.size() > LISTED) out += "; and " + std::to_string(v.size() - LISTED) + " more";
  return out + "]";
}

namespace {

std::string expect_list_text(const std::vector<SegmentExpect>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i > 0 ? "; " : "") + segment_expect_text(v[i]);
  return out + "]";
}

}  // namespace

std::string expect_text(const Expect& e) {
  std::string out;
  for (int h = 0; h < 2; ++h)
    if (e.state[h]) out += std::string(out.empty() ? "" : ", ") + HOST_NAMES[h] + " " + state_name(*e.state[h]);
  if (e.has_emitted) {
    out += std::string(out.empty() ? "" : ", ") + "emitted ";
    for (std::size_t i = 0; i < e.emitted.size(); ++i)
      out += (i > 0 ? " or " : "") + expect_list_text(e.emitted[i]);
  }
  return out;
}

std::string outcome_text(const StepOutcome& o) {
  return std::string("A ") + state_name(o.state[0]) + ", B " + state_name(o.state[1]) + ", emitted " +
         emitted_text(o.emitted);
}

std::string run_report(const Scenario& s, const ScenarioRun& run) {
  // The id comes from the file: escaped, it cannot forge a line (D14).
  const std::string id = terminal_text(s.id);
  if (run.passed) return "PASS " + id;
  std::string out = "FAIL " + id + " step " + std::to_string(run.failed_step);
  if (run.failed_step < s.steps.size()) out += " (" + step_text(s.steps[run.failed_step]) + ")";
  return out + ": " + run.failure;
}

std::string step_json(const std::string& scenario_id, const StepOutcome& o) {
  JsonWriter w;
  w.begin_object();
  w.key("scenario").string(scenario_id);
  w.key("step").integer(static_cast<std::int64_t>(o.index));
  w.key("A").string(state_name(o.state[0]));
  w.key("B").string(state_name(o.state[1]));
  w.key("emitted").begin_array();
  for (const EmittedSegment& e : o.emitted) {
    w.begin_object();
    w.key("from").string(HOST_NAMES[e.from]);
    // The format's order; PSH is never compared and not written.
    w.key("flags").begin_array();
    if (e.seg.has(FLAG_SYN)) w.string("SYN");
    if (e.seg.has(FLAG_ACK)) w.string("ACK");
    if (e.seg.has(FLAG_FIN)) w.string("FIN");
    if (e.seg.has(FLAG_RST)) w.string("RST");
    w.end_array();
    w.key("seq").integer(e.seg.seq);
    if (e.seg.has(FLAG_ACK)) w.key("ack").integer(e.seg.ack);
    w.key("len").integer(e.seg.len);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.str();
}

std::string scenario_ladder(const Scenario& s, const ScenarioRun& run) {
  LadderOptions options;
  for (const StepOutcome& o : run.steps) {
    LadderMark m;
    m.before_event = o.trace_begin;
    m.text = "step " + std::to_string(o.index) + ": " + step_text(s.steps[o.index]);
    if (!o.passed) m.text += "  [FAIL: " + (o.performed ? differs_phrase(o.differs) : o.problem) + "]";
    options.marks.push_back(m);
  }
  std::string out = terminal_text(s.id) + ": " + terminal_text(s.title);
  if (s.profile != Profile::Any) out += std::string(" (profile ") + profile_name(s.profile) + ")";
  out += "\n" + render_ladder(run.sim.trace(), options);
  std::string result = run_report(s, run);
  return out + result + "\n";
}

}  // namespace tcplab
