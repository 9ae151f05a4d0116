// Embedding in course pages (see embed.h).
//
// [SECTION] Page glue (library.js)
// [SECTION] Notices
// [SECTION] Checking parameters
// [SECTION] Share links (run=)
// [SECTION] Start-up
// [SECTION] Progress storage
// [SECTION] Events to the host page
// [SECTION] Entry points from JavaScript
#include "embed.h"

#include "a11y.h"
#include "lesson_attempt.h"
#include "scorm.h"

#include <emscripten.h>

#include <cctype>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "imgui.h"
#include "json.h"
#include "platform.h"

namespace tcplab {
namespace {

// [SECTION] Page glue (library.js)

extern "C" {
int tcplab_js_url_param(const char* name, char* buf, int size);
int tcplab_js_prefers_chinese();
int tcplab_js_storage_get(const char* key, char* buf, int size);
void tcplab_js_storage_set(const char* key, const char* value);
void tcplab_js_fetch_lesson(const char* url);
void tcplab_js_embed_init(const char* parent_origin, const char* instance, int locked);
void tcplab_js_post(const char* json);
void tcplab_js_notice(const char* json);
void tcplab_js_share(const char* query, const char* texts_json);
void tcplab_js_console_warn(const char* text);
}

constexpr const char* PROGRESS_KEY = "tcplab.progress.v1";

// A URL parameter's value; false when absent.
bool url_param(const char* name, std::string& out) {
  const int n = tcplab_js_url_param(name, nullptr, 0);
  if (n < 0) return false;
  std::vector<char> buf(static_cast<std::size_t>(n) + 1);
  tcplab_js_url_param(name, buf.data(), static_cast<int>(buf.size()));
  out.assign(buf.data());
  return true;
}

// [SECTION] Notices

// One ignored URL parameter and why, in both languages.
struct Notice {
  std::string param, value, en, zh;
};

struct Embed {
  App* app = nullptr;
  std::vector<Notice> notices;
  bool notices_dismissed = false;
  int notice_lang = -1;            // language the notice was last shown in
  std::string parent_origin;       // checked and normalised; empty: none
  std::string instance;
  // What the host page was last told.
  bool ready_sent = false;
  bool started = false;            // embed_open_requested has run
  std::string state_key;
  std::uint32_t answers_seen = 0;
  std::uint32_t completions_seen = 0;
  bool exam_done_seen = false;
  double exam_started_ms = 0;
  Mode last_mode = Mode::Sandbox;
  int height = 0;
  unsigned posted = 0;             // messages handed to library.js
  bool visible = true;
  std::string share_query;         // the last share link's query
  // What the URL asked for, applied once the lessons are loaded.
  std::string want_lesson, want_mode, lesson_url;
  bool has_lesson = false, has_mode = false, has_lesson_url = false;
  std::vector<std::string> exam_lessons;  // lessons=a,b: the exam draws from these
  std::size_t exam_count = 10;
  // A lessonUrl fetch: `ready` waits for it; a failure sends `error`.
  bool url_pending = false;
  std::string url_error_en, url_error_zh;
  bool url_error_notice = false;  // a failed fetch (a bad file has the error panel already)
  bool error_sent = false;
  // Commands that came before `ready`, run (and acknowledged) after it.
  struct Queued {
    std::string type, arg, id;
  };
  std::vector<Queued> queued;
  std::size_t dropped = 0;  // commands beyond MAX_QUEUED, told once in the console
  // A shared run (`run=`), replayed once it is known that the sandbox opens.
  bool has_run = false, has_run_seed = false;
  std::string run;
  std::uint64_t run_seed = 0;
};

// A page that posts without end before `ready` must not grow the queue
// without bound; a real host page sends a handful.
constexpr std::size_t MAX_QUEUED = 256;

Embed g;

std::string shorten(const std::string& v) {
  if (v.size() <= 40) return v;
  return v.substr(0, 37) + "...";
}

void add_notice(const std::string& param, const std::string& value, const std::string& en, const std::string& zh) {
  g.notices.push_back(Notice{param, value, en, zh});
  g.notice_lang = -1;  // show it again
}

// The notice in the page (a DOM panel made by library.js), in the app's
// language; shown again when the language changes.
void show_notice(const App& app) {
  const int lang = static_cast<int>(app.lang);
  if (g.notice_lang == lang) return;
  g.notice_lang = lang;
  if (g.notices.empty() || g.notices_dismissed) return;
  const bool zh = app.lang == Lang::Zh;
  std::string items;
  for (const Notice& n : g.notices) {
    if (!items.empty()) items += ',';
    items += json_quote(n.param + "=" + shorten(n.value) + (zh ? "：" : ": ") + (zh ? n.zh : n.en));
  }
  const std::string json =
      "{\"lang\":\"" + std::string(zh ? "zh" : "en") + "\",\"title\":" +
      json_quote(zh ? "链接中的部分参数无效，已被忽略：" : "Some parameters in the link were ignored:") +
      ",\"items\":[" + items + "],\"dismiss\":" + json_quote(zh ? "知道了" : "Dismiss") + "}";
  tcplab_js_notice(json.c_str());
}

// [SECTION] Checking parameters

constexpr std::uint64_t MAX_SEED = 9007199254740992ull;  // 2^53: exact in a JS number

// A whole decimal number without sign, at most `max`.
bool parse_uint(const std::string& s, std::uint64_t max, std::uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > max) return false;
  }
  out = v;
  return true;
}

// An integer parameter in [lo, hi]; a notice names it when it is not.
bool int_param(const char* name, std::uint64_t lo, std::uint64_t hi, const char* unit_en, const char* unit_zh,
               const std::string& keeps_en, const std::string& keeps_zh, std::uint64_t& out) {
  std::string v;
  if (!url_param(name, v)) return false;
  std::uint64_t n = 0;
  if (parse_uint(v, hi, n) && n >= lo) {
    out = n;
    return true;
  }
  char en[200], zh[200];
  std::snprintf(en, sizeof en, "not a whole number from %" PRIu64 " to %" PRIu64 "%s; %s.", lo, hi, unit_en,
                keeps_en.c_str());
  std::snprintf(zh, sizeof zh, "不是 %" PRIu64 " 到 %" PRIu64 "%s之间的整数；%s。", lo, hi, unit_zh, keeps_zh.c_str());
  add_notice(name, v, en, zh);
  return false;
}

// An origin as the browser writes event.origin: scheme "://" host
// [":" port], lower case, no default port, nothing after. Returns "" when
// `s` is not one.
std::string normalise_origin(const std::string& s) {
  std::string low;
  for (char c : s) low += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  std::string scheme;
  if (low.rfind("https://", 0) == 0) scheme = "https";
  else if (low.rfind("http://", 0) == 0) scheme = "http";
  else return "";
  const std::string rest = low.substr(scheme.size() + 3);
  std::string host = rest, port;
  bool has_port = false;
  if (!rest.empty() && rest[0] == '[') {  // IPv6 literal
    const std::size_t close = rest.find(']');
    if (close == std::string::npos || close < 2) return "";
    host = rest.substr(0, close + 1);
    for (std::size_t i = 1; i < close; ++i)
      if (!std::isxdigit(static_cast<unsigned char>(rest[i])) && rest[i] != ':' && rest[i] != '.') return "";
    const std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return "";
      has_port = true;
      port = after.substr(1);
    }
  } else {
    const std::size_t colon = rest.find(':');
    if (colon != std::string::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
      has_port = true;
    }
    if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.') return "";
    for (char c : host)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return "";
  }
  if (has_port) {
    std::uint64_t p = 0;
    if (!parse_uint(port, 65535, p) || p == 0) return "";
    if ((scheme == "https" && p == 443) || (scheme == "http" && p == 80)) port.clear();
    else port = std::to_string(p);
  }
  return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

// [SECTION] Share links (run=)
//
// run = "1" _ latency _ loss _ msl _ rto _ retries _ flags _ end
//       { _ time letter args }        (args separated by '.')
// flags: 1 RFC 5961, 2 delayed ACK, 4 close on FIN. Letters: c call
// (host.call.octets), s segment (host.flags.seq.ack.len.wnd), d drop (id),
// v deliver (id), n next event, o settings (latency.loss.msl.rto.retries.flags).
// Every character is unreserved in a URL: the link needs no escaping.

// Why a run cannot be read or replayed, in both languages.
struct Why {
  std::string en, zh;
  bool empty() const { return en.empty(); }
};

int settings_flags(const Settings& s) {
  return (s.rfc5961 ? 1 : 0) | (s.delayed_ack ? 2 : 0) | (s.close_on_fin ? 4 : 0);
}

std::string settings_text(const Settings& s, char sep) {
  std::string out;
  const int v[6] = {s.latency_ms, s.loss_percent, s.msl_ms, s.rto_ms, s.max_retransmits, settings_flags(s)};
  for (int i = 0; i < 6; ++i) out += (i ? std::string(1, sep) : std::string()) + std::to_string(v[i]);
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == sep) out.emplace_back();
    else out.back() += c;
  }
  return out;
}

// Settings from six numbers, each in the range its control allows.
bool settings_from(const std::vector<std::string>& f, std::size_t at, Settings& s, Why& why) {
  static const std::uint64_t LO[6] = {20, 0, 100, 200, 1, 0};
  static const std::uint64_t HI[6] = {3000, 100, 120000, 5000, 10, 7};
  static const char* NAME[6] = {"latency", "loss", "MSL", "retransmission timeout", "retries", "flags"};
  static const char* NAME_ZH[6] = {"时延", "丢包率", "MSL", "重传超时", "重传次数", "选项"};
  std::uint64_t v[6];
  for (int i = 0; i < 6; ++i) {
    if (at + static_cast<std::size_t>(i) >= f.size() || !parse_uint(f[at + static_cast<std::size_t>(i)], HI[i], v[i]) ||
        v[i] < LO[i]) {
      why = {std::string(NAME[i]) + " missing or out of range", std::string(NAME_ZH[i]) + "缺失或超出范围"};
      return false;
    }
  }
  s.latency_ms = static_cast<int>(v[0]);
  s.loss_percent = static_cast<int>(v[1]);
  s.msl_ms = static_cast<int>(v[2]);
  s.rto_ms = static_cast<int>(v[3]);
  s.max_retransmits = static_cast<int>(v[4]);
  s.rfc5961 = (v[5] & 1) != 0;
  s.delayed_ack = (v[5] & 2) != 0;
  s.close_on_fin = (v[5] & 4) != 0;
  return true;
}

struct SharedRun {
  Settings settings;
  Instant end = 0;
  std::vector<RunAction> actions;
};

constexpr std::size_t MAX_ACTIONS = 2000;
constexpr std::uint64_t MAX_TIME = 1000000000000ull;  // virtual ms

bool decode_run(const std::string& text, SharedRun& out, Why& why) {
  const std::vector<std::string> f = split(text, '_');
  if (f.empty() || f[0] != "1") {
    why = {"unknown format (expected version 1)", "未知格式（应为第 1 版）"};
    return false;
  }
  if (f.size() < 8 || !settings_from(f, 1, out.settings, why)) {
    if (why.empty()) why = {"header incomplete", "开头部分不完整"};
    return false;
  }
  std::uint64_t end = 0;
  if (!parse_uint(f[7], MAX_TIME, end)) {
    why = {"end time missing or out of range", "结束时间缺失或超出范围"};
    return false;
  }
  out.end = static_cast<Instant>(end);
  if (f.size() - 8 > MAX_ACTIONS) {
    why = {"too many actions", "操作太多"};
    return false;
  }
  Instant last = 0;
  for (std::size_t i = 8; i < f.size(); ++i) {
    const std::string& a = f[i];
    const Why where = {"action " + std::to_string(i - 7) + " (" + shorten(a) + "): ",
                       "第 " + std::to_string(i - 7) + " 个操作（" + shorten(a) + "）："};
    std::size_t k = 0;
    while (k < a.size() && a[k] >= '0' && a[k] <= '9') ++k;
    std::uint64_t t = 0;
    if (k == 0 || k >= a.size() || !parse_uint(a.substr(0, k), MAX_TIME, t)) {
      why = {where.en + "no time", where.zh + "缺少时间"};
      return false;
    }
    if (static_cast<Instant>(t) < last || static_cast<Instant>(t) > out.end) {
      why = {where.en + "time out of order", where.zh + "时间顺序不对"};
      return false;
    }
    last = static_cast<Instant>(t);
    const char letter = a[k];
    const std::vector<std::string> args = a.size() > k + 1 ? split(a.substr(k + 1), '.') : std::vector<std::string>();
    std::vector<std::uint64_t> n(args.size());
    for (std::size_t j = 0; j < args.size(); ++j)
      if (!parse_uint(args[j], 0xFFFFFFFFull, n[j])) {
        why = {where.en + "not a number", where.zh + "不是数字"};
        return false;
      }
    RunAction r;
    r.t = static_cast<Instant>(t);
    Command& c = r.cmd;
    switch (letter) {
      case 'c':
        if (n.size() != 3 || n[0] > 1 || n[1] > static_cast<std::uint64_t>(Call::Abort)) {
          why = {where.en + "bad call", where.zh + "调用无效"};
          return false;
        }
        c.kind = CommandKind::Call;
        c.host = static_cast<int>(n[0]);
        c.call = static_cast<Call>(n[1]);
        c.octets = static_cast<std::uint32_t>(n[2]);
        break;
      case 's':
        if (n.size() != 6 || n[0] > 1 || n[1] > 0xFF) {
          why = {where.en + "bad segment", where.zh + "报文段无效"};
          return false;
        }
        c.kind = CommandKind::SendSegment;
        c.host = static_cast<int>(n[0]);
        c.seg.flags = static_cast<std::uint8_t>(n[1]);
        c.seg.seq = static_cast<Seq>(n[2]);
        c.seg.ack = static_cast<Seq>(n[3]);
        c.seg.len = static_cast<std::uint32_t>(n[4]);
        c.seg.wnd = static_cast<std::uint32_t>(n[5]);
        break;
      case 'd':
      case 'v':
        if (n.size() != 1) {
          why = {where.en + "bad segment id", where.zh + "报文段编号无效"};
          return false;
        }
        c.kind = letter == 'd' ? CommandKind::Drop : CommandKind::Deliver;
        c.seg_id = static_cast<std::uint32_t>(n[0]);
        break;
      case 'n':
        if (!n.empty()) {
          why = {where.en + "unexpected arguments", where.zh + "多余的参数"};
          return false;
        }
        c.kind = CommandKind::Step;
        break;
      case 'o':
        if (!settings_from(args, 0, r.settings, why) || args.size() != 6) {
          why = why.empty() ? Why{where.en + "bad settings", where.zh + "设置无效"}
                            : Why{where.en + why.en, where.zh + why.zh};
          return false;
        }
        c.kind = CommandKind::Settings;
        break;
      default:
        why = {where.en + "unknown action", where.zh + "未知操作"};
        return false;
    }
    out.actions.push_back(r);
  }
  return true;
}

// Replays a decoded run on a fresh sandbox; false (with `why`) when an
// action cannot be done as recorded.
bool replay_run(App& app, std::uint64_t seed, const SharedRun& run, Why& why) {
  app.settings = run.settings;
  app.reset(seed);
  for (std::size_t i = 0; i < run.actions.size(); ++i) {
    const RunAction& a = run.actions[i];
    const Why where = {"action " + std::to_string(i + 1) + ": ", "第 " + std::to_string(i + 1) + " 个操作："};
    if (a.t < app.sim.now()) {
      why = {where.en + "its time has already passed", where.zh + "它的时间已经过去"};
      return false;
    }
    app.advance(a.t);
    if ((a.cmd.kind == CommandKind::Drop || a.cmd.kind == CommandKind::Deliver) &&
        !app.sim.network().find(a.cmd.seg_id)) {
      why = {where.en + "segment #" + std::to_string(a.cmd.seg_id) + " is not in flight",
             where.zh + "报文段 #" + std::to_string(a.cmd.seg_id) + " 不在传输中"};
      return false;
    }
    if (a.cmd.kind == CommandKind::Step && !app.busy()) {
      why = {where.en + "no event is due", where.zh + "没有待处理的事件"};
      return false;
    }
    if (a.cmd.kind == CommandKind::Settings) app.settings = a.settings;
    app.push(a.cmd);
    app.apply_pending();
  }
  if (run.end < app.sim.now()) {
    why = {"the end time has already passed", "结束时间已经过去"};
    return false;
  }
  app.advance(run.end);
  app.playing = false;  // the shared moment stays on screen
  return true;
}

// [SECTION] Start-up

const char* mode_name(Mode m) {
  switch (m) {
    case Mode::Sandbox: return "sandbox";
    case Mode::Lesson: return "lesson";
    case Mode::Exam: return "exam";
    case Mode::Replay: return "replay";
  }
  return "sandbox";
}

const char* role_name(Role r) {
  switch (r) {
    case Role::Both: return "both";
    case Role::Client: return "client";
    case Role::Server: return "server";
  }
  return "both";
}

// lessons=a,b and count=N for mode=exam (checked against the lessons once
// they are loaded, in start_exam).
void exam_params() {
  std::string v;
  if (url_param("lessons", v)) {
    for (const std::string& id : split(v, ','))
      if (!id.empty()) g.exam_lessons.push_back(id);
    if (g.exam_lessons.empty())
      add_notice("lessons", v, "no lesson ids (a comma-separated list such as handshake,resets); every lesson is used.",
                 "没有课程编号（应为逗号分隔的列表，如 handshake,resets）；使用全部课程。");
  }
  std::uint64_t n = 0;
  if (int_param("count", 1, 50, "", "", "the exam has 10 questions", "考试共 10 题", n)) g.exam_count = n;
}

// The exam of `lessons=` (unknown ids named in the notice) and `count=`.
void start_exam(App& app) {
  std::vector<std::string> known, unknown;
  for (const std::string& id : g.exam_lessons) {
    bool found = false;
    for (const Lesson& l : app.ls.lessons) found = found || l.id == id;
    (found ? known : unknown).push_back(id);
  }
  if (!unknown.empty()) {
    std::string list;
    for (const std::string& id : unknown) list += (list.empty() ? "" : ", ") + id;
    add_notice("lessons", list, "no lesson has these ids; the exam draws from the others.",
               "没有这些编号的课程；考试从其余课程中出题。");
  }
  app.exam_lessons = known.empty() ? std::vector<std::string>() : known;
  app.start_exam(app.seed, g.exam_count);
}

std::string random_instance(double entropy) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "tcplab-%06u", static_cast<unsigned>(std::fmod(std::fabs(entropy) * 1e6, 1e6)));
  return buf;
}

}  // namespace

void embed_init(App& app, double entropy) {
  g.app = &app;
  std::string v;
  // Settings first: the first run is built with them.
  std::uint64_t n = 0;
  if (int_param("msl", 100, 120000, " ms", " 毫秒", "MSL stays " + std::to_string(app.settings.msl_ms) + " ms",
                "MSL 保持 " + std::to_string(app.settings.msl_ms) + " 毫秒", n))
    app.settings.msl_ms = static_cast<int>(n);
  if (int_param("loss", 0, 100, " %", " %", "loss stays " + std::to_string(app.settings.loss_percent) + " %",
                "丢包率保持 " + std::to_string(app.settings.loss_percent) + " %", n))
    app.settings.loss_percent = static_cast<int>(n);

  // Text size: 1 to 2 times (a stored choice otherwise).
  if (url_param("textSize", v)) {
    char* end = nullptr;
    const double f = std::strtod(v.c_str(), &end);
    if (!v.empty() && end && *end == '\0' && f >= 1.0 && f <= 2.0)
      app.access.text_scale = clamp_text_scale(static_cast<float>(f));
    else
      add_notice("textSize", v, "not a number from 1 to 2; the text keeps its size.",
                 "不是 1 到 2 之间的数；文字大小不变。");
  }

  // Presenter mode: 1 or 0.
  if (url_param("present", v)) {
    if (v == "1" || v == "0") app.access.presenting = v == "1";
    else add_notice("present", v, "not 1 or 0; the usual view is shown.", "不是 1 或 0；显示普通视图。");
  }

  if (url_param("role", v)) {
    if (v == "client") app.role = Role::Client;
    else if (v == "server") app.role = Role::Server;
    else if (v == "both") app.role = Role::Both;
    else
      add_notice("role", v, "not one of client, server, both; you play both hosts.",
                 "不是 client、server 或 both；由你操作两台主机。");
  }

  // Assessment mode: the learner stays in the lesson or exam asked for.
  if (url_param("lock", v)) {
    if (v == "1") app.locked = true;
    else if (v != "0")
      add_notice("lock", v, "not 1 or 0; the page is not locked.", "不是 1 或 0；页面不锁定。");
  }
  scorm_init();
  if (scorm_active()) app.locked = true;  // a graded package is always locked

  std::uint64_t seed = 0;
  const bool has_seed = int_param("seed", 1, MAX_SEED, "", "", "a random seed is used", "使用随机种子", seed);
  // seedPolicy=learner (packages' default): the LMS's learner id gives
  // each learner numbers of their own, the same in every session.
  std::string policy = "learner";
  if (url_param("seedPolicy", v)) {
    if (v == "learner" || v == "random") policy = v;
    else
      add_notice("seedPolicy", v, "not learner or random; each learner gets numbers of their own.",
                 "不是 learner 或 random；每个学习者使用自己的一组数字。");
  }
  std::string lesson_for_seed;
  if (!url_param("lesson", lesson_for_seed)) url_param("lessonUrl", lesson_for_seed);
  const std::optional<std::uint64_t> learner_seed =
      !has_seed && policy == "learner" ? scorm_learner_seed(lesson_for_seed) : std::nullopt;
  app.reset(has_seed ? seed : learner_seed ? *learner_seed : seed_from_entropy(entropy));

  // Language: ?lang=zh|en, else the browser's preference.
  bool zh = tcplab_js_prefers_chinese() != 0;
  if (url_param("lang", v)) {
    if (v == "zh" || v == "en") zh = v == "zh";
    else
      add_notice("lang", v, std::string("not zh or en; the browser's language is used (") + (zh ? "Chinese" : "English") + ").",
                 std::string("不是 zh 或 en；使用浏览器的语言（") + (zh ? "中文" : "英文") + "）。");
  }
  if (zh) app.lang_request = static_cast<int>(Lang::Zh);

  if (url_param("parentOrigin", v)) {
    g.parent_origin = normalise_origin(v);
    if (g.parent_origin.empty())
      add_notice("parentOrigin", v,
                 "not an origin such as https://example.org (http or https, a host, an optional port, no path); "
                 "no events are sent and no commands are accepted.",
                 "不是形如 https://example.org 的源（http 或 https、主机名、可选端口，不含路径）；"
                 "不发送事件，也不接受命令。");
  }
  g.instance = random_instance(entropy);
  if (url_param("instance", v)) {
    bool ok = !v.empty() && v.size() <= 64;
    for (char c : v)
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
    if (ok) g.instance = v;
    else
      add_notice("instance", v, "not 1 to 64 letters, digits, '-', '_' or '.'; the events carry " + g.instance + ".",
                 "不是 1 到 64 个字母、数字、“-”、“_”或“.”；事件中使用 " + g.instance + "。");
  }

  // What to open once the lessons are loaded.
  g.has_mode = url_param("mode", g.want_mode);
  if (g.has_mode && g.want_mode != "sandbox" && g.want_mode != "lesson" && g.want_mode != "exam") {
    add_notice("mode", g.want_mode, "not one of sandbox, lesson, exam; the default is used.",
               "不是 sandbox、lesson 或 exam；使用默认模式。");
    g.has_mode = false;
  }
  g.has_lesson = url_param("lesson", g.want_lesson);
  g.has_lesson_url = url_param("lessonUrl", g.lesson_url);
  if (g.has_lesson_url) {
    bool ok = !g.lesson_url.empty() && g.lesson_url.size() <= 2048;
    for (char c : g.lesson_url) ok = ok && static_cast<unsigned char>(c) >= 0x20 && c != '\\';
    // "//host/x.json" is another host's address, not a relative one.
    ok = ok && g.lesson_url.compare(0, 2, "//") != 0;
    const std::size_t colon = g.lesson_url.find(':');
    const std::size_t slash = g.lesson_url.find('/');
    if (ok && colon != std::string::npos && (slash == std::string::npos || colon < slash)) {
      const std::string scheme = g.lesson_url.substr(0, colon);
      ok = scheme == "http" || scheme == "https";
    }
    if (!ok) {
      add_notice("lessonUrl", g.lesson_url, "not a relative, http or https address of a lesson file.",
                 "不是课程文件的相对地址或 http、https 地址。");
      g.has_lesson_url = false;
    }
  }
  exam_params();
  const bool author_exam = g.has_mode && g.want_mode == "exam" && g.has_lesson_url;  // its questions join the exam
  if (g.has_mode && g.want_mode != "lesson" && !author_exam) {
    if (g.has_lesson)
      add_notice("lesson", g.want_lesson, "ignored: mode=" + g.want_mode + " opens no lesson.",
                 "已忽略：mode=" + g.want_mode + " 不打开课程。");
    if (g.has_lesson_url)
      add_notice("lessonUrl", g.lesson_url, "ignored: mode=" + g.want_mode + " opens no lesson.",
                 "已忽略：mode=" + g.want_mode + " 不打开课程。");
    g.has_lesson = g.has_lesson_url = false;
  }
  if (author_exam && g.has_lesson) {
    add_notice("lesson", g.want_lesson, "ignored: mode=exam opens no lesson.", "已忽略：mode=exam 不打开课程。");
    g.has_lesson = false;
  }

  // A shared sandbox run: replayed once the lessons are in, if the page
  // opens the sandbox then (a lesson id no lesson has opens it too).
  g.has_run = url_param("run", g.run);
  g.has_run_seed = has_seed;
  g.run_seed = seed;

  tcplab_js_embed_init(g.parent_origin.c_str(), g.instance.c_str(), app.locked ? 1 : 0);
}

// The `run=` of a share link, in the sandbox only (README: Share this run).
static void replay_shared_run(App& app, bool sandbox) {
  if (!g.has_run) return;
  const std::string& v = g.run;
  SharedRun run;
  Why why;
  if (!sandbox) {
    add_notice("run", v, "ignored: a shared run replays in the sandbox only.", "已忽略：只有沙盒模式能重放分享的过程。");
  } else if (!g.has_run_seed) {
    add_notice("run", v, "ignored: it needs the seed it was recorded with (seed=).", "已忽略：需要录制时的种子（seed=）。");
  } else if (!decode_run(v, run, why)) {
    add_notice("run", v, "malformed (" + why.en + "); a fresh run starts instead.",
               "格式错误（" + why.zh + "）；改为开始新的过程。");
  } else if (!replay_run(app, g.run_seed, run, why)) {
    add_notice("run", v, "could not be replayed (" + why.en + "); a fresh run starts instead.",
               "无法重放（" + why.zh + "）；改为开始新的过程。");
    app.reset(g.run_seed);
    app.playing = true;
  }
}

void embed_open_requested(App& app, double now_ms) {
  g.started = true;
  std::string stored;
  {
    std::vector<char> buf(1 << 16);
    if (tcplab_js_storage_get(PROGRESS_KEY, buf.data(), static_cast<int>(buf.size())) >= 0) stored = buf.data();
  }
  app.ls.progress = parse_progress_json(stored);
  const bool lesson_mode = g.has_mode && g.want_mode == "lesson";
  app.exam_lessons = g.exam_lessons;
  if (g.has_mode && g.want_mode == "exam") {
    if (!g.has_lesson_url) start_exam(app);  // else once the author's lesson is in
  } else if (g.has_lesson) {
    std::size_t found = app.ls.lessons.size();
    std::string known;
    for (std::size_t i = 0; i < app.ls.lessons.size(); ++i) {
      if (app.ls.lessons[i].id == g.want_lesson && found == app.ls.lessons.size()) found = i;
      known += (known.empty() ? "" : ", ") + app.ls.lessons[i].id;
    }
    if (found < app.ls.lessons.size()) {
      app.open_lesson(found, app.seed, now_ms);
    } else {
      add_notice("lesson", g.want_lesson, "no lesson has this id (known: " + known + ").",
                 "没有这个编号的课程（已有：" + known + "）。");
      if (lesson_mode && !g.has_lesson_url && !app.ls.lessons.empty()) app.open_lesson(0, app.seed, now_ms);
    }
  } else if (lesson_mode && !g.has_lesson_url && !app.ls.lessons.empty()) {
    app.open_lesson(0, app.seed, now_ms);
  }
  const bool exam = g.has_mode && g.want_mode == "exam";
  replay_shared_run(app, app.mode == Mode::Sandbox && !exam && !g.has_lesson_url);
  if (!g.has_lesson_url) scorm_resume(app, now_ms);  // else once that lesson is open
  g.url_pending = g.has_lesson_url;
  if (g.has_lesson_url) tcplab_js_fetch_lesson(g.lesson_url.c_str());
  platform_request_redraw();
}

// [SECTION] Progress storage
//
// Several instances (iframes of one course page, tabs) share one storage
// entry. Each keeps the stored progress plus what it changed itself; a save
// re-reads the entry and merges its own changes in, so nobody's entries are
// lost; a `storage` event (another instance saved) reloads it. Reset
// progress (nothing changed here, progress emptied) writes the empty set.

namespace {

std::string read_stored() {
  std::vector<char> buf(1 << 16);
  int n = tcplab_js_storage_get(PROGRESS_KEY, buf.data(), static_cast<int>(buf.size()));
  if (n == -2) {  // larger than the buffer
    buf.resize(1 << 22);
    n = tcplab_js_storage_get(PROGRESS_KEY, buf.data(), static_cast<int>(buf.size()));
  }
  return n >= 0 ? std::string(buf.data()) : std::string();
}

void save_progress(App& app) {
  if (!app.progress_dirty) return;
  app.progress_dirty = false;
  if (app.ls.progress_changed.empty()) {
    tcplab_js_storage_set(PROGRESS_KEY, app.progress_json().c_str());
    return;
  }
  std::map<std::string, Progress> stored = parse_progress_json(read_stored());
  for (const std::string& key : app.ls.progress_changed) {
    const auto mine = app.ls.progress.find(key);
    if (mine != app.ls.progress.end()) merge_progress(stored[key], mine->second);
  }
  app.ls.progress_changed.clear();
  app.ls.progress = stored;
  tcplab_js_storage_set(PROGRESS_KEY, progress_to_json(stored).c_str());
}

// [SECTION] Events to the host page

void post(const std::string& json) {
  ++g.posted;
  tcplab_js_post(json.c_str());
}

std::string lesson_id_json(const App& app) {
  if (app.mode == Mode::Lesson && app.ls.run) return json_quote(app.ls.run->lesson().id);
  return "null";
}

// The height the layout needs to show every panel without squeezing it
// (web/main.cpp layout_and_draw): the toolbar as wrapped at this width, the
// hosts and the ladder, and the log or lesson panel with the state diagram.
int content_height(const App& app, float toolbar_h) {
  const float pad = 6.f, gap = 6.f;
  const bool lesson = app.mode != Mode::Sandbox;
  const float main_min = 330.f;             // a host's state, timers and calls
  const float bottom = lesson ? 300.f : 220.f;
  return static_cast<int>(std::ceil(2 * pad + toolbar_h + gap * 0.5f + main_min + gap + bottom));
}

void run_command(App& app, const std::string& t, const std::string& a, const std::string& id);

// `error` once, when the lessonUrl lesson could not be opened.
void send_url_error(const App& app) {
  if (g.error_sent) return;
  g.error_sent = true;
  const bool zh = app.lang == Lang::Zh || app.lang_request == static_cast<int>(Lang::Zh);
  if (g.url_error_notice) add_notice("lessonUrl", g.lesson_url, g.url_error_en, g.url_error_zh);
  post("{\"type\":\"error\",\"what\":\"lessonUrl\",\"url\":" + json_quote(g.lesson_url) + ",\"reason\":" +
       json_quote(g.url_error_en) + ",\"reasonZh\":" + json_quote(g.url_error_zh) + ",\"lang\":\"" +
       (zh ? "zh" : "en") + "\"}");
}

void send_events(App& app, float toolbar_h, double now_ms) {
  if (!g.ready_sent) {
    if (!g.started || g.url_pending) return;
    if (!g.url_error_en.empty()) send_url_error(app);
    g.ready_sent = true;
    std::string params;
    for (const Notice& n : g.notices) params += (params.empty() ? "" : ",") + json_quote(n.param);
    post("{\"type\":\"ready\",\"mode\":\"" + std::string(mode_name(app.mode)) + "\",\"lesson\":" + lesson_id_json(app) +
         ",\"lang\":\"" + (app.lang_request == static_cast<int>(Lang::Zh) || app.lang == Lang::Zh ? "zh" : "en") +
         "\",\"seed\":" + std::to_string(app.seed) + ",\"role\":\"" + role_name(app.role) + "\",\"ignored\":[" +
         params + "]" + (app.locked ? ",\"locked\":true" : "") + "}");
    // Commands that came early, in the order they came.
    std::vector<Embed::Queued> early;
    early.swap(g.queued);
    for (const Embed::Queued& q : early) run_command(app, q.type, q.arg, q.id);
  }
  const int h = content_height(app, toolbar_h);
  if (h != g.height) {
    g.height = h;
    post("{\"type\":\"height\",\"height\":" + std::to_string(h) + "}");
  }
  // State: the mode, the lesson, its seed (new numbers are news too) and
  // both hosts' states.
  const std::string key = std::string(mode_name(app.mode)) + "|" + lesson_id_json(app) + "|" +
                          std::to_string(app.seed) + "|" + state_name(app.sim.endpoint(HOST_A).state()) + "|" +
                          state_name(app.sim.endpoint(HOST_B).state());
  if (key != g.state_key) {
    g.state_key = key;
    post("{\"type\":\"state\",\"mode\":\"" + std::string(mode_name(app.mode)) + "\",\"lesson\":" + lesson_id_json(app) +
         ",\"A\":\"" + state_name(app.sim.endpoint(HOST_A).state()) + "\",\"B\":\"" +
         state_name(app.sim.endpoint(HOST_B).state()) + "\",\"now\":" + std::to_string(app.sim.now()) +
         ",\"seed\":" + std::to_string(app.seed) + "}");
  }
  // Answers.
  if (app.ls.answers != g.answers_seen) {
    g.answers_seen = app.ls.answers;
    std::string lesson = lesson_id_json(app);
    if (app.mode == Mode::Exam && app.ls.exam_pos < app.ls.exam.size())
      lesson = json_quote(app.ls.lessons[app.ls.exam[app.ls.exam_pos].lesson].id);
    char pts[32];
    std::snprintf(pts, sizeof pts, "%g", app.ls.answered_points);
    post("{\"type\":\"answer\",\"mode\":\"" + std::string(mode_name(app.mode)) + "\",\"lesson\":" + lesson +
         ",\"question\":" + json_quote(app.ls.answered_question) + ",\"correct\":" +
         (app.ls.answered_correct ? "true" : "false") + ",\"points\":" + pts + "}");
  }
  // A lesson completed (its time is measured by main.cpp's after_frame),
  // with the attempt record a course can re-grade (tcplab-lesson regrade).
  if (app.ls.completions != g.completions_seen) {
    g.completions_seen = app.ls.completions;
    const std::optional<Attempt> a = attempt_current(app);
    if (app.ls.run && a) {
      const LessonScore sc = app.ls.run->score();
      const double pct = sc.questions ? 100.0 * sc.points / sc.questions : 100.0;
      char body[240];
      std::snprintf(body, sizeof body,
                    ",\"score\":%g,\"questions\":%d,\"percent\":%.1f,\"firstTry\":%d,\"seconds\":%.1f,"
                    "\"seed\":%llu,\"attempt\":%d",
                    sc.points, sc.questions, pct, sc.first_try, app.lesson_elapsed_s,
                    static_cast<unsigned long long>(app.ls.run->seed()), a->attempt);
      post("{\"type\":\"complete\",\"mode\":\"lesson\",\"lesson\":" + json_quote(app.ls.run->lesson().id) +
           ",\"version\":" + std::to_string(app.ls.run->lesson().version) + body + ",\"record\":" +
           attempt_to_json(*a) + "}");
    }
  }
  // The exam: timed from its first frame to its last answer.
  if (app.mode == Mode::Exam && g.last_mode != Mode::Exam) {
    g.exam_started_ms = now_ms;
    g.exam_done_seen = false;
  }
  g.last_mode = app.mode;
  const bool exam_done = app.mode == Mode::Exam && !app.ls.exam.empty() && app.ls.exam_pos >= app.ls.exam.size();
  if (exam_done && !g.exam_done_seen) {
    g.exam_done_seen = true;
    int correct = 0;
    for (const ExamItem& e : app.ls.exam) correct += e.correct ? 1 : 0;
    char body[200];
    std::snprintf(body, sizeof body, ",\"score\":%d,\"questions\":%zu,\"percent\":%.1f,\"seconds\":%.1f,\"seed\":%llu",
                  correct, app.ls.exam.size(), 100.0 * correct / static_cast<double>(app.ls.exam.size()),
                  (now_ms - g.exam_started_ms) / 1000.0, static_cast<unsigned long long>(app.seed));
    post(std::string("{\"type\":\"complete\",\"mode\":\"exam\",\"lesson\":null") + body + "}");
  }
  if (app.mode != Mode::Exam) g.exam_done_seen = false;
}

// The share link's query: the seed, the role, the language and the run.
std::string share_query(const App& app) {
  std::string q = "?seed=" + std::to_string(app.seed);
  if (app.role != Role::Both) q += std::string("&role=") + role_name(app.role);
  q += std::string("&lang=") + (app.lang == Lang::Zh ? "zh" : "en");
  q += "&run=" + encode_run(app);
  return q;
}

void share(App& app) {
  if (!app.want_share) return;
  app.want_share = false;
  if (app.mode != Mode::Sandbox) return;
  g.share_query = share_query(app);
  const bool zh = app.lang == Lang::Zh;
  const std::string texts =
      std::string("{\"title\":") + json_quote(zh ? "分享这个过程" : "Share this run") + ",\"explain\":" +
      json_quote(zh ? "打开这个链接会用相同的种子重放你的每一步操作，回到现在的状态。"
                    : "Opening this link replays every action of yours with the same seed and reaches this moment.") +
      ",\"copy\":" + json_quote(zh ? "复制" : "Copy") + ",\"close\":" + json_quote(zh ? "关闭" : "Close") +
      ",\"copied\":" + json_quote(zh ? "链接已复制到剪贴板。" : "The link is on the clipboard.") +
      ",\"manual\":" + json_quote(zh ? "请从上面的文本框中复制链接。" : "Copy the link from the field above.") +
      ",\"label\":" + json_quote(zh ? "这个过程的链接" : "Link to this run") + "}";
  tcplab_js_share(g.share_query.c_str(), texts.c_str());
}

// Runs one host command and acknowledges it (ok, or why not).
void run_command(App& app, const std::string& t, const std::string& a, const std::string& id) {
  const double now_ms = ImGui::GetTime() * 1000.0;
  std::string why;
  Command c;
  c.at_ms = now_ms;
  c.seed = app.seed;
  if (t == "reset") {
    // Back to the start of what is on screen, with the same numbers.
    if (app.mode == Mode::Lesson && app.ls.current) {
      c.kind = CommandKind::OpenLesson;
      c.index = static_cast<int>(*app.ls.current);
    } else if (app.mode == Mode::Exam) {
      c.kind = CommandKind::StartExam;
    } else {
      c.kind = CommandKind::Reset;
    }
    app.push(c);
  } else if (t == "openLesson") {
    why = "no lesson has the id " + a;
    for (std::size_t i = 0; i < app.ls.lessons.size() && !why.empty(); ++i)
      if (app.ls.lessons[i].id == a) {
        c.kind = CommandKind::OpenLesson;
        c.index = static_cast<int>(i);
        app.push(c);
        why.clear();
      }
  } else if (t == "setLanguage") {
    if (a == "zh" || a == "en") app.lang_request = static_cast<int>(a == "zh" ? Lang::Zh : Lang::En);
    else why = "lang must be zh or en";
  } else {
    why = "unknown command (known: reset, openLesson, setLanguage)";
  }
  post("{\"type\":\"ack\",\"command\":" + json_quote(t) + ",\"id\":" + id + ",\"ok\":" +
       (why.empty() ? "true" : "false") + (why.empty() ? "" : ",\"reason\":" + json_quote(why)) + "}");
}

}  // namespace

std::string encode_run(const App& app) {
  std::string out = "1_" + settings_text(app.run_settings, '_') + "_" + std::to_string(app.sim.now());
  for (const RunAction& a : app.run_log) {
    const Command& c = a.cmd;
    out += "_" + std::to_string(a.t);
    switch (c.kind) {
      case CommandKind::Call:
        out += "c" + std::to_string(c.host) + "." + std::to_string(static_cast<int>(c.call)) + "." +
               std::to_string(c.octets);
        break;
      case CommandKind::SendSegment:
        out += "s" + std::to_string(c.host) + "." + std::to_string(c.seg.flags) + "." + std::to_string(c.seg.seq) +
               "." + std::to_string(c.seg.ack) + "." + std::to_string(c.seg.len) + "." + std::to_string(c.seg.wnd);
        break;
      case CommandKind::Drop: out += "d" + std::to_string(c.seg_id); break;
      case CommandKind::Deliver: out += "v" + std::to_string(c.seg_id); break;
      case CommandKind::Step: out += "n"; break;
      case CommandKind::Settings: out += "o" + settings_text(a.settings, '.'); break;
      case CommandKind::Undo:
      case CommandKind::Reset:
      case CommandKind::OpenLesson:
      case CommandKind::StartExam:
        break;  // never logged
    }
  }
  return out;
}

void embed_after_frame(App& app, float toolbar_h, double now_ms) {
  save_progress(app);
  attempt_track(app, now_ms);
  send_events(app, toolbar_h, now_ms);
  scorm_after_frame(app);
  show_notice(app);
  share(app);
}

bool embed_visible() { return g.visible; }

std::string embed_state_fields(const App& app) {
  std::string s = "\"notices\":[";
  for (std::size_t i = 0; i < g.notices.size(); ++i) {
    const Notice& n = g.notices[i];
    s += (i ? "," : "") + std::string("{\"param\":") + json_quote(n.param) + ",\"value\":" + json_quote(n.value) +
         ",\"en\":" + json_quote(n.en) + ",\"zh\":" + json_quote(n.zh) + "}";
  }
  s += "],\"noticesDismissed\":" + std::string(g.notices_dismissed ? "true" : "false");
  s += ",\"role\":\"" + std::string(role_name(app.role)) + "\"";
  s += ",\"instance\":" + json_quote(g.instance);
  s += ",\"parentOrigin\":" + json_quote(g.parent_origin);
  s += ",\"visible\":" + std::string(g.visible ? "true" : "false");
  s += ",\"posted\":" + std::to_string(g.posted);
  s += ",\"height\":" + std::to_string(g.height);
  s += ",\"runActions\":" + std::to_string(app.run_log.size());
  s += ",\"locked\":" + std::string(app.locked ? "true" : "false");
  s += ",\"examItems\":[";  // the lesson of each exam question
  for (std::size_t i = 0; i < app.ls.exam.size(); ++i)
    s += (i ? "," : "") + json_quote(app.ls.lessons[app.ls.exam[i].lesson].id);
  s += "]";
  s += "," + scorm_state_field();
  s += ",\"share\":" + json_quote(g.share_query);
  s += ",\"settings\":{\"latency\":" + std::to_string(app.settings.latency_ms) +
       ",\"loss\":" + std::to_string(app.settings.loss_percent) + ",\"msl\":" + std::to_string(app.settings.msl_ms) +
       ",\"rto\":" + std::to_string(app.settings.rto_ms) + "}";
  return s;
}

}  // namespace tcplab

// [SECTION] Entry points from JavaScript (library.js)
extern "C" {
// A command from the host page (library.js has checked its origin and
// source): "reset", "openLesson" (arg: a lesson id), "setLanguage" (arg: zh
// or en); `id` is the command's id as JSON (or null), echoed in its `ack`.
// All three strings were allocated with malloc. Before `ready` the command
// waits in a queue; afterwards it runs at once. Either way an `ack` event
// follows it.
EMSCRIPTEN_KEEPALIVE void tcplab_embed_command(char* type, char* arg, char* id) {
  using namespace tcplab;
  const std::string t = type ? type : "", a = arg ? arg : "", i = id && *id ? id : "null";
  std::free(type);
  std::free(arg);
  std::free(id);
  if (!g.app) return;
  if (!g.ready_sent && g.queued.size() < MAX_QUEUED) g.queued.push_back(Embed::Queued{t, a, i});
  else if (!g.ready_sent && g.dropped++ == 0) tcplab_js_console_warn("more than 256 commands came before the app was ready; the rest are dropped");
  else run_command(*g.app, t, a, i);
  platform_request_redraw();
}

// What library.js learnt of the lessonUrl fetch, after handing the text (or
// nothing) to the loader: ok 1, or a reason: "http <status>", "cors",
// "network".
EMSCRIPTEN_KEEPALIVE void tcplab_embed_lesson_fetched(int ok, char* reason) {
  using namespace tcplab;
  const std::string r = reason ? reason : "";
  std::free(reason);
  if (!g.app || !g.url_pending) return;
  g.url_pending = false;
  App& app = *g.app;
  const bool opened = ok && app.mode == Mode::Lesson && app.ls.run && app.ls.run->lesson().file == g.lesson_url;
  const bool exam = g.has_mode && g.want_mode == "exam";
  if (ok && exam) {
    start_exam(app);  // with the author's lesson among the candidates
    if (app.mode == Mode::Exam) return;
  } else if (opened) {
    scorm_resume(app, ImGui::GetTime() * 1000.0);
    return;
  }
  g.url_error_notice = !r.empty();
  if (r.rfind("http ", 0) == 0) {
    g.url_error_en = "the server answered HTTP " + r.substr(5) + ".";
    g.url_error_zh = "服务器返回 HTTP " + r.substr(5) + "。";
  } else if (r == "cors") {
    g.url_error_en = "the lesson's server does not allow this page to read it (CORS: it must send "
                     "Access-Control-Allow-Origin).";
    g.url_error_zh = "课程所在的服务器不允许本页面读取它（CORS：服务器须发送 Access-Control-Allow-Origin）。";
  } else if (r == "network") {
    g.url_error_en = "the lesson could not be downloaded (network error or no such server).";
    g.url_error_zh = "无法下载课程（网络错误或服务器不存在）。";
  } else {
    const std::string last = app.ls.errors.empty() ? std::string("not a lesson file") : app.ls.errors.back();
    g.url_error_en = "the file is not a valid lesson: " + last;
    g.url_error_zh = "该文件不是有效的课程：" + last;
  }
  platform_request_redraw();
}

// Another instance saved progress (a `storage` event): reload it, keeping
// this instance's unsaved changes.
EMSCRIPTEN_KEEPALIVE void tcplab_progress_changed() {
  using namespace tcplab;
  if (!g.app || !g.started) return;
  App& app = *g.app;
  std::map<std::string, Progress> stored = parse_progress_json(read_stored());
  for (const std::string& key : app.ls.progress_changed) {
    const auto mine = app.ls.progress.find(key);
    if (mine != app.ls.progress.end()) merge_progress(stored[key], mine->second);
  }
  app.ls.progress = stored;
  platform_request_redraw();
}

// The notice's button was pressed.
EMSCRIPTEN_KEEPALIVE void tcplab_notice_dismissed() { tcplab::g.notices_dismissed = true; }

// The app came into view (1) or left it (0), or its page was hidden.
EMSCRIPTEN_KEEPALIVE void tcplab_set_visible(int visible) {
  tcplab::g.visible = visible != 0;
  if (visible) tcplab::platform_request_redraw();
}
}
