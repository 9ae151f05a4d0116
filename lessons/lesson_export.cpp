// Exam papers of a lesson run (lesson_export.h).
#include "lesson_export.h"

#include <algorithm>
#include <cstdio>

namespace tcplab {

namespace {

// The times of the run's delivered segments, in the order run_ladder lists
// them (sent order, delivered ones only).
void segment_times(const Trace& t, std::vector<std::int64_t>& sent, std::vector<std::int64_t>& arrived) {
  for (std::size_t k = 0; k < t.size(); ++k) {
    if (t[k].kind != EventKind::Sent || t[k].seg_id == 0) continue;
    for (std::size_t j = k + 1; j < t.size(); ++j)
      if (t[j].seg_id == t[k].seg_id && t[j].kind == EventKind::Delivered) {
        sent.push_back(t[k].time);
        arrived.push_back(t[j].time);
        break;
      }
  }
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string ms_text(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

// The fields of one row as printed: a blank is "(n)____".
struct RowText {
  std::string flags, seq, ack, len, state[2];
};

class Blanker {
 public:
  Blanker(const PaperBlanks& b, std::vector<PaperKey>& key) : b_(b), key_(key) {}
  std::string field(bool hide, std::size_t row, const std::string& name, const std::string& value) {
    if (!hide) return value;
    PaperKey k{static_cast<int>(key_.size() + 1), row, name, value};
    key_.push_back(k);
    return "(" + std::to_string(k.number) + ")____";
  }
  const PaperBlanks& b_;

 private:
  std::vector<PaperKey>& key_;
};

std::vector<RowText> row_texts(const std::vector<PaperRow>& rows, const PaperBlanks& b, std::vector<PaperKey>& key) {
  Blanker bl(b, key);
  std::vector<RowText> out;
  bool first_sent[2] = {false, false};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LadderRow& r = rows[i].row;
    RowText t;
    const bool isn = !first_sent[r.from];  // each host's first seq is given: the ISN
    first_sent[r.from] = true;
    t.flags = bl.field(b.flags, i, "flags", flags_text(static_cast<std::uint8_t>(r.seg.flags & ~FLAG_PSH)));
    t.seq = "seq=" + bl.field(b.seq && !isn, i, "seq", std::to_string(r.seg.seq));
    if (r.seg.has(FLAG_ACK)) t.ack = "ack=" + bl.field(b.ack, i, "ack", std::to_string(r.seg.ack));
    if (r.seg.len > 0) t.len = "len=" + std::to_string(r.seg.len);
    for (int h = 0; h < 2; ++h)
      if (i == 0 || rows[i - 1].row.state[h] != r.state[h])
        t.state[h] = bl.field(b.state, i, std::string("state of ") + (h == 0 ? "A" : "B"), state_name(r.state[h]));
    out.push_back(t);
  }
  return out;
}

std::string paper_text(const Lesson& l, std::uint64_t seed, const std::vector<PaperRow>& rows,
                       const std::vector<RowText>& texts, Lang lang) {
  const bool zh = lang == Lang::Zh;
  std::string out = l.title.get(lang) + (zh ? "（种子 " : " (seed ") + std::to_string(seed) + (zh ? "）\n" : ")\n");
  out += zh ? "时间      A                                                B\n" : "time      A                                                B\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const RowText& t = texts[i];
    const bool ab = rows[i].row.from == 0;
    std::string label = t.flags + " " + t.seq + (t.ack.empty() ? "" : " " + t.ack) + (t.len.empty() ? "" : " " + t.len);
    std::string arrow = ab ? "---" + label + "--->" : "<--" + label + "----";
    char line[512];
    std::snprintf(line, sizeof line, "%-9s %-14s |%-44s| %s\n", ms_text(rows[i].sent_ms).c_str(), t.state[0].c_str(),
                  arrow.c_str(), t.state[1].c_str());
    out += line;
  }
  return out;
}

// Time runs down the page: 1 ms of virtual time is `k` px, with a least
// gap between rows so labels never overlap.
std::string paper_svg(const Lesson& l, std::uint64_t seed, const std::vector<PaperRow>& rows,
                      const std::vector<RowText>& texts, Lang lang) {
  const int w = 720, xa = 190, xb = 530, top = 70;
  std::vector<double> ys;
  double y = top, last_ms = rows.empty() ? 0 : static_cast<double>(rows[0].sent_ms);
  const double k = 0.12;  // px per ms
  for (const PaperRow& r : rows) {
    y += std::max(34.0, (static_cast<double>(r.sent_ms) - last_ms) * k);
    last_ms = static_cast<double>(r.sent_ms);
    ys.push_back(y);
  }
  const double h = y + 60;
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                  std::to_string(w) + "\" height=\"" + std::to_string(static_cast<int>(h)) +
                  "\" font-family=\"sans-serif\" font-size=\"13\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  const bool zh = lang == Lang::Zh;
  s += "<text x=\"20\" y=\"24\" font-size=\"16\">" + xml_escape(l.title.get(lang)) + (zh ? "（种子 " : " (seed ") +
       std::to_string(seed) + (zh ? "）" : ")") + "</text>\n";
  s += "<text x=\"" + std::to_string(xa) + "\" y=\"50\" text-anchor=\"middle\">A</text>\n";
  s += "<text x=\"" + std::to_string(xb) + "\" y=\"50\" text-anchor=\"middle\">B</text>\n";
  s += "<line x1=\"" + std::to_string(xa) + "\" y1=\"56\" x2=\"" + std::to_string(xa) + "\" y2=\"" + std::to_string(static_cast<int>(h - 20)) + "\" stroke=\"black\"/>\n";
  s += "<line x1=\"" + std::to_string(xb) + "\" y1=\"56\" x2=\"" + std::to_string(xb) + "\" y2=\"" + std::to_string(static_cast<int>(h - 20)) + "\" stroke=\"black\"/>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const RowText& t = texts[i];
    const bool ab = rows[i].row.from == 0;
    const double y0 = ys[i], y1 = ys[i] + std::max(16.0, static_cast<double>(rows[i].arrived_ms - rows[i].sent_ms) * k * 0.5);
    const int x0 = ab ? xa : xb, x1 = ab ? xb : xa;
    char buf[256];
    std::snprintf(buf, sizeof buf, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\" marker-end=\"url(#a)\"/>\n", x0, y0, x1, y1);
    s += buf;
    const std::string label = t.flags + " " + t.seq + (t.ack.empty() ? "" : " " + t.ack) + (t.len.empty() ? "" : " " + t.len);
    std::snprintf(buf, sizeof buf, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">", (xa + xb) / 2, (y0 + y1) / 2 - 6);
    s += buf + xml_escape(label) + "</text>\n";
    std::snprintf(buf, sizeof buf, "<text x=\"10\" y=\"%.1f\" fill=\"#555\">", y0 + 4);
    s += buf + xml_escape(ms_text(rows[i].sent_ms)) + "</text>\n";
    for (int hh = 0; hh < 2; ++hh) {
      if (t.state[hh].empty()) continue;
      const bool receiver = (rows[i].row.from ^ 1) == hh;
      std::snprintf(buf, sizeof buf, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"%s\">", hh == 0 ? xa - 8 : xb + 8,
                    (receiver ? y1 : y0) + 4, hh == 0 ? "end" : "start");
      s += buf + xml_escape(t.state[hh]) + "</text>\n";
    }
  }
  s += "<defs><marker id=\"a\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" orient=\"auto\">"
       "<path d=\"M0,0 L8,4 L0,8 z\"/></marker></defs>\n</svg>\n";
  return s;
}

// A key's field in the key's language ("state of A": "A 的状态").
std::string key_field(const std::string& field, Lang lang) {
  if (lang != Lang::Zh) return field;
  if (field == "flags") return "标志位";
  if (field == "state of A") return "A 的状态";
  if (field == "state of B") return "B 的状态";
  return field;  // seq, ack: the textbook writes them so
}

}  // namespace

bool parse_paper_blanks(const std::string& text, PaperBlanks& out, std::string& why) {
  out = PaperBlanks{};
  std::string word;
  auto take = [&]() {
    if (word == "seq") out.seq = true;
    else if (word == "ack") out.ack = true;
    else if (word == "flags") out.flags = true;
    else if (word == "state") out.state = true;
    else {
      why = "unknown blank \"" + word + "\" (expected seq, ack, flags, state)";
      return false;
    }
    word.clear();
    return true;
  };
  for (char c : text) {
    if (c == ',') {
      if (!take()) return false;
    } else {
      word += c;
    }
  }
  return take();
}

Paper export_paper(const Lesson& lesson, std::uint64_t seed, const PaperBlanks& blanks, Lang lang) {
  Paper p;
  LessonRun run(lesson, seed);
  for (int guard = 0; guard < 100000 && !run.finished(); ++guard) {
    if (run.question() != nullptr) {
      if (!run.solve().correct) run.skip();
    } else {
      run.advance();
    }
  }
  std::vector<LadderRow> rows;
  if (!run_ladder(run.sim().trace(), rows, &p.error)) return p;
  std::vector<std::int64_t> sent, arrived;
  segment_times(run.sim().trace(), sent, arrived);
  for (std::size_t i = 0; i < rows.size() && i < sent.size(); ++i) p.rows.push_back(PaperRow{rows[i], sent[i], arrived[i]});
  const std::vector<RowText> texts = row_texts(p.rows, blanks, p.key);
  p.text = paper_text(lesson, seed, p.rows, texts, lang);
  p.svg = paper_svg(lesson, seed, p.rows, texts, lang);
  const bool zh = lang == Lang::Zh;
  p.key_text = std::string(zh ? "答案（种子 " : "Answer key (seed ") + std::to_string(seed) + (zh ? "）\n" : ")\n");
  for (const PaperKey& k : p.key)
    p.key_text += "(" + std::to_string(k.number) + ") " + (zh ? "第 " : "row ") + std::to_string(k.row + 1) +
                  (zh ? " 行 " : " ") + key_field(k.field, lang) + " = " + k.answer + "\n";
  p.ok = true;
  return p;
}

}  // namespace tcplab
