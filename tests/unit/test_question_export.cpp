// Exam papers (lessons/lesson_export.h): the SVG is well-formed XML, the
// chosen fields are blank, and the answer key is what the engine sent.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lesson_export.h"

using namespace tcplab;

namespace {

Lesson lesson_file(const std::string& name) {
  std::ifstream in(std::string(TCPLAB_LESSONS_DIR) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<LessonError> errors;
  std::optional<Lesson> l = load_lesson(ss.str(), name, errors);
  REQUIRE(l);
  return *l;
}

// Well-formed enough for any XML parser: one root, every tag closed in
// order, attributes quoted, & only in entities, no < in text.
bool well_formed(const std::string& x, std::string& why) {
  std::vector<std::string> open;
  int roots = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] == '&') {
      const std::size_t semi = x.find(';', i);
      const std::string ent = semi == std::string::npos ? "" : x.substr(i, semi - i + 1);
      if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;") return why = "bare & at " + std::to_string(i), false;
      continue;
    }
    if (x[i] != '<') continue;
    const std::size_t end = x.find('>', i);
    if (end == std::string::npos) return why = "unclosed <", false;
    const std::string tag = x.substr(i + 1, end - i - 1);
    i = end;
    if (tag.empty()) return why = "empty tag", false;
    if (tag[0] == '?' || tag[0] == '!') continue;
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) return why = "unbalanced quotes in <" + tag + ">", false;
    if (tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1)) return why = "</" + tag.substr(1) + "> closes nothing open", false;
      open.pop_back();
      continue;
    }
    const std::string name = tag.substr(0, tag.find_first_of(" /"));
    if (open.empty()) ++roots;
    if (tag.back() != '/') open.push_back(name);
  }
  if (!open.empty()) return why = "<" + open.back() + "> never closed", false;
  if (roots != 1) return why = std::to_string(roots) + " root elements", false;
  return true;
}

// The segments that reached their receiver, from the trace of the same run.
std::vector<Segment> delivered(const Lesson& l, std::uint64_t seed) {
  LessonRun run(l, seed);
  while (!run.finished()) {
    if (run.question() != nullptr) REQUIRE(run.solve().correct);
    else run.advance();
  }
  const Trace& t = run.sim().trace();
  std::vector<Segment> out;
  for (std::size_t k = 0; k < t.size(); ++k)
    if (t[k].kind == EventKind::Sent)
      for (std::size_t j = k + 1; j < t.size(); ++j)
        if (t[j].seg_id == t[k].seg_id && t[j].kind == EventKind::Delivered) {
          out.push_back(t[k].seg);
          break;
        }
  return out;
}

std::size_t count(const std::string& s, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = s.find(part); at != std::string::npos; at = s.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("export: the SVG paper is well-formed, blanks blank, the key right") {
  const Lesson l = lesson_file("02-four-way-close.json");
  for (std::uint64_t seed : {5, 77}) {
    PaperBlanks b;
    std::string why;
    REQUIRE(parse_paper_blanks("ack,state", b, why));
    const Paper p = export_paper(l, seed, b, Lang::En);
    REQUIRE_MESSAGE(p.ok, p.error);
    CHECK_MESSAGE(well_formed(p.svg, why), why);
    CHECK(p.svg.find("<svg") != std::string::npos);
    // No internal reason keys, no rule names: only what is on a paper.
    CHECK(p.svg.find("listen.") == std::string::npos);
    CHECK(p.text.find(".send_") == std::string::npos);
    // Every ack and every state shown is a numbered blank, once; no ack number is printed.
    CHECK(p.svg.find("ack=2") == std::string::npos);
    for (char d = '0'; d <= '9'; ++d) {
      CHECK(p.svg.find(std::string("ack=") + d) == std::string::npos);
      CHECK(p.text.find(std::string("ack=") + d) == std::string::npos);
    }
    for (const char* st : {"SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "TIME-WAIT", "LAST-ACK"}) {
      CHECK(p.svg.find(st) == std::string::npos);
      CHECK(p.text.find(st) == std::string::npos);
    }
    CHECK(count(p.svg, "____") == p.key.size());
    CHECK(count(p.text, "____") == p.key.size());
    for (const PaperKey& k : p.key) CHECK(count(p.text, "(" + std::to_string(k.number) + ")____") == 1);
    // The key: every ack is the delivered segment's, from the trace.
    const std::vector<Segment> segs = delivered(l, seed);
    REQUIRE(segs.size() == p.rows.size());
    int acks = 0;
    for (const PaperKey& k : p.key)
      if (k.field == "ack") {
        ++acks;
        CHECK(k.answer == std::to_string(segs[k.row].ack));
      }
    CHECK(acks == static_cast<int>(segs.size()) - 1);  // all but the SYN
    CHECK(p.key.front().field == "state of A");
    CHECK(p.key.front().answer == "SYN-SENT");
    // A real time axis: rows at the times they were sent, later rows later.
    for (std::size_t i = 1; i < p.rows.size(); ++i) CHECK(p.rows[i].sent_ms >= p.rows[i - 1].sent_ms);
    CHECK(p.rows[1].sent_ms - p.rows[0].sent_ms == l.setup.latency_ms);
    CHECK(p.key_text.find("(1) row 1 state of A = SYN-SENT") != std::string::npos);
  }
}

TEST_CASE("export: seq blanks leave each host's first seq (its ISN) on the paper") {
  const Lesson l = lesson_file("01-handshake.json");
  PaperBlanks b;
  std::string why;
  REQUIRE(parse_paper_blanks("seq", b, why));
  const Paper p = export_paper(l, 3, b, Lang::Zh);
  REQUIRE(p.ok);
  const std::vector<Segment> segs = delivered(l, 3);
  CHECK(p.text.find("seq=" + std::to_string(segs[0].seq)) != std::string::npos);
  CHECK(p.text.find("seq=" + std::to_string(segs[1].seq)) != std::string::npos);
  CHECK(p.key.size() == segs.size() - 2);
  for (const PaperKey& k : p.key) CHECK(k.answer == std::to_string(segs[k.row].seq));
  CHECK(p.key_text.find("答案") != std::string::npos);
}

TEST_CASE("export: a blank that is not a field is refused, naming it") {
  PaperBlanks b;
  std::string why;
  CHECK_FALSE(parse_paper_blanks("seq,window", b, why));
  CHECK(why == "unknown blank \"window\" (expected seq, ack, flags, state)");
  CHECK_FALSE(parse_paper_blanks("", b, why));
}

TEST_CASE("export: a Chinese paper says seed, row and the hosts' states in Chinese") {
  const Lesson l = lesson_file("01-handshake.json");
  PaperBlanks b;
  std::string why;
  REQUIRE(parse_paper_blanks("seq,ack,state", b, why));
  const Paper p = export_paper(l, 9, b, Lang::Zh);
  REQUIRE(p.ok);
  CHECK(p.svg.find("（种子 9）") != std::string::npos);
  CHECK(p.svg.find("(seed") == std::string::npos);
  CHECK(p.key_text.find("A 的状态 = ") != std::string::npos);
  CHECK(p.key_text.find("B 的状态 = ") != std::string::npos);
  CHECK(p.key_text.find("state of") == std::string::npos);
  CHECK(p.key_text.find("(1) 第 1 行 ") != std::string::npos);
  // The key's fields stay machine words for the English key and the tool.
  for (const PaperKey& k : p.key) CHECK((k.field == "seq" || k.field == "ack" || k.field == "state of A" || k.field == "state of B"));
}
