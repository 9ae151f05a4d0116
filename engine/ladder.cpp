// The ladder diagram as text. See ladder.h.
#include "ladder.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace tcplab {

namespace {

enum class ArrowStyle : std::uint8_t { Delivered, Dropped, Injected, InFlight };

struct Row {
  bool is_mark = false;
  std::string mark;
  Instant time = 0;
  std::string col[2];  // beside A, beside B
  bool has_arrow = false;
  int dir = 0;  // 0: A->B, 1: B->A
  ArrowStyle style = ArrowStyle::Delivered;
  std::string label;
  std::vector<std::string> notes;
};

std::string call_label(const Event& e) {
  if (e.call == Call::Send) return std::string("send(") + std::to_string(e.arg) + ")";
  return std::string(call_name(e.call)) + "()";
}

std::string timer_label(TimerKind k) {
  switch (k) {
    case TimerKind::Retransmit: return "RTO fires";
    case TimerKind::TimeWait: return "2MSL ends";
    case TimerKind::DelayedAck: return "delayed ACK";
  }
  return "timer";
}

std::string pad_right(std::string s, std::size_t width, char fill = ' ') {
  if (s.size() < width) s.append(width - s.size(), fill);
  return s;
}

std::string pad_left(std::string s, std::size_t width, char fill = ' ') {
  if (s.size() < width) s.insert(0, width - s.size(), fill);
  return s;
}

// The text between the two lifelines, exactly `w` characters.
std::string arrow_text(const Row& r, std::size_t w) {
  const std::string& l = r.label;
  std::string s;
  switch (r.style) {
    case ArrowStyle::Delivered:
      if (r.dir == 0) return pad_right("---" + l, w - 1, '-') + ">";
      return pad_right("<--" + l, w, '-');
    case ArrowStyle::Dropped: {
      std::size_t len = std::max<std::size_t>(l.size() + 5, w * 3 / 4);
      if (r.dir == 0) return pad_right(pad_right("---" + l + "--", len, '-') + "X", w);
      return pad_left("X" + pad_right("--" + l + "---", len, '-'), w);
    }
    case ArrowStyle::Injected: {
      std::size_t len = std::max<std::size_t>(l.size() + 6, w * 2 / 3);
      if (r.dir == 0) return pad_left(pad_right("*~~" + l, len - 1, '~') + ">", w);
      return pad_right(pad_right("<~~" + l, len - 1, '~') + "*", w);
    }
    case ArrowStyle::InFlight: {
      std::size_t len = std::max<std::size_t>(l.size() + 6, w / 2);
      if (r.dir == 0) return pad_right(pad_right("---" + l, len - 1, '-') + ">", w);
      return pad_left(pad_right("<--" + l, len, '-'), w);
    }
  }
  return std::string(w, ' ');
}

std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// The rows of the diagram, shared by the text and the SVG renderers.
std::vector<Row> build_rows(const Trace& trace, const LadderOptions& options) {
  std::vector<Row> rows;
  if (options.show_initial) {
    Row r;
    r.col[0] = r.col[1] = state_name(State::Closed);
    rows.push_back(r);
  }
  struct SentInfo {
    Instant time = 0;
    int from = 0;
    Segment seg;
    bool fated = false;
    bool retransmission = false;
  };
  std::map<std::uint32_t, SentInfo> sent;  // by seg_id
  std::vector<std::uint32_t> sent_order;
  std::size_t next_mark = 0;

  auto arrow_row = [&](const Event& e, ArrowStyle style, const char* note) {
    Row r;
    r.time = e.time;
    r.has_arrow = true;
    r.dir = e.host == 0 ? 1 : 0;  // the event's host is the receiver
    r.style = style;
    r.label = segment_label(e.seg);
    if (note != nullptr) r.notes.push_back(note);
    auto it = e.seg_id != 0 ? sent.find(e.seg_id) : sent.end();
    if (it != sent.end()) {
      it->second.fated = true;
      if (it->second.retransmission) r.notes.push_back("retransmission");
      if (it->second.time != e.time && style != ArrowStyle::Injected)
        r.notes.push_back("sent t=" + std::to_string(it->second.time));
    }
    rows.push_back(r);
  };
  auto note_last = [&](const std::string& note) {
    if (rows.empty()) rows.emplace_back();
    rows.back().notes.push_back(note);
  };

  for (std::size_t i = 0; i < trace.size(); ++i) {
    while (next_mark < options.marks.size() && options.marks[next_mark].before_event <= i) {
      Row m;
      m.is_mark = true;
      m.mark = options.marks[next_mark++].text;
      rows.push_back(m);
    }
    const Event& e = trace[i];
    const int h = e.host == 0 ? 0 : 1;
    switch (e.kind) {
      case EventKind::Call:
      case EventKind::CallError:
        if (options.show_calls || e.kind == EventKind::CallError) {
          Row r;
          r.time = e.time;
          r.col[h] = call_label(e);
          if (e.kind == EventKind::CallError) r.notes.push_back(std::string("refused: ") + reason_key(e.reason));
          rows.push_back(r);
        }
        break;
      case EventKind::Sent:
      case EventKind::Duplicated:
        if (e.seg_id != 0 && sent.find(e.seg_id) == sent.end()) {
          // The retransmission timer fires, then the endpoint re-sends.
          bool rtx = e.kind == EventKind::Sent && i > 0 && trace[i - 1].kind == EventKind::TimerFired &&
                     trace[i - 1].host == e.host && trace[i - 1].reason == Reason::TimerRetransmit;
          sent[e.seg_id] = SentInfo{e.time, h, e.seg, false, rtx};
          sent_order.push_back(e.seg_id);
        }
        if (e.kind == EventKind::Duplicated) note_last("network duplicated " + segment_label(e.seg));
        break;
      case EventKind::Delivered: {
        // An injected segment may also be reported as delivered: one arrow.
        bool after_inject = false;
        for (std::size_t j = i; j > 0; --j) {
          const Event& p = trace[j - 1];
          if (p.kind == EventKind::Injected) {
            after_inject = p.host == e.host && p.seg == e.seg;
            break;
          }
          if (p.kind != EventKind::Delivered) break;
        }
        if (!after_inject) arrow_row(e, ArrowStyle::Delivered, nullptr);
        break;
      }
      case EventKind::Injected: arrow_row(e, ArrowStyle::Injected, "injected"); break;
      case EventKind::Dropped: arrow_row(e, ArrowStyle::Dropped, "dropped"); break;
      case EventKind::Lost: arrow_row(e, ArrowStyle::Dropped, "lost"); break;
      case EventKind::Accepted:
      case EventKind::Rejected: {
        // The rule that decided, beside the arrow of the segment.
        std::string note = std::string(e.kind == EventKind::Rejected ? "refused: " : "") + reason_key(e.reason);
        bool placed = false;
        for (std::size_t j = rows.size(); j > 0 && !placed; --j) {
          Row& r = rows[j - 1];
          if (r.is_mark) break;
          if (r.has_arrow && (r.dir == 0 ? 1 : 0) == h) {
            r.notes.push_back(note);
            placed = true;
          }
        }
        if (!placed) note_last(note);
        break;
      }
      case EventKind::StateChanged: {
        const char* name = state_name(e.to);
        if (!rows.empty()) {
          Row& last = rows.back();
          if (last.has_arrow && (last.dir == 0 ? 1 : 0) == h && last.col[h].empty() &&
              last.time == e.time) {
            last.col[h] = name;
            break;
          }
        }
        Row r;
        r.time = e.time;
        r.col[h] = name;
        rows.push_back(r);
        break;
      }
      case EventKind::TimerFired:
        if (options.show_calls) {
          Row r;
          r.time = e.time;
          r.col[h] = timer_label(e.timer);
          if (e.reason == Reason::TimerRetransmitIdle || e.reason == Reason::TimerTimeWaitIdle ||
              e.reason == Reason::TimerRetransmitGiveUp)
            r.notes.push_back(reason_key(e.reason));
          rows.push_back(r);
        }
        break;
      case EventKind::Signal:
        note_last(std::string(h == 0 ? "A" : "B") + " told: " + reason_key(e.reason));
        break;
    }
  }
  while (next_mark < options.marks.size()) {
    Row m;
    m.is_mark = true;
    m.mark = options.marks[next_mark++].text;
    rows.push_back(m);
  }
  Instant end_time = trace.empty() ? 0 : trace.back().time;
  for (std::uint32_t id : sent_order) {
    const SentInfo& s = sent[id];
    if (s.fated) continue;
    Row r;
    r.time = end_time;
    r.has_arrow = true;
    r.dir = s.from;
    r.style = ArrowStyle::InFlight;
    r.label = segment_label(s.seg);
    r.notes.push_back("in flight");
    if (s.retransmission) r.notes.push_back("retransmission");
    if (s.time != end_time) r.notes.push_back("sent t=" + std::to_string(s.time));
    rows.push_back(r);
  }

  return rows;
}

}  // namespace

std::string render_ladder(const Trace& trace) { return render_ladder(trace, LadderOptions{}); }

namespace {

// Column widths in characters, shared by the text and the SVG ladder:
// time | text beside A | A's lifeline, arrows, B's lifeline | text beside B | notes.
struct Columns {
  std::size_t time_w = 5, left_w = 12, right_w = 12, arrow_w = 36, notes_w = 0;
};

Columns measure(const std::vector<Row>& rows) {
  Columns c;
  for (const Row& r : rows) {
    if (r.is_mark) continue;
    c.time_w = std::max(c.time_w, std::to_string(r.time).size());
    c.left_w = std::max(c.left_w, r.col[0].size());
    c.right_w = std::max(c.right_w, r.col[1].size());
    if (r.has_arrow) c.arrow_w = std::max(c.arrow_w, r.label.size() + 8);
    std::size_t n = 0;
    for (std::size_t k = 0; k < r.notes.size(); ++k) n += r.notes[k].size() + (k > 0 ? 2 : 0);
    c.notes_w = std::max(c.notes_w, n);
  }
  return c;
}

}  // namespace

std::string render_ladder(const Trace& trace, const LadderOptions& options) {
  const std::vector<Row> rows = build_rows(trace, options);
  const Columns c = measure(rows);
  const std::size_t time_w = c.time_w, left_w = c.left_w, right_w = c.right_w, arrow_w = c.arrow_w;
  const std::string gap = "  ";
  std::string out;
  // Host names stand above their lifelines.
  out += pad_left("t(ms)", time_w) + gap + std::string(left_w + 1, ' ') + "A" +
         std::string(arrow_w, ' ') + "B\n";
  const std::size_t full_w = time_w + gap.size() + left_w + 1 + arrow_w + 2 + gap.size() + right_w;
  for (const Row& r : rows) {
    std::string line;
    if (r.is_mark) {
      line = std::string(time_w, ' ') + gap + "-- " + r.mark + " ";
      line = pad_right(line, full_w, '-');
    } else {
      line = pad_left(std::to_string(r.time), time_w) + gap + pad_right(r.col[0], left_w) + " |" +
             (r.has_arrow ? arrow_text(r, arrow_w) : std::string(arrow_w, ' ')) + "|" + gap +
             pad_right(r.col[1], right_w);
      if (!r.notes.empty()) {
        line += gap;
        for (std::size_t k = 0; k < r.notes.size(); ++k) line += (k > 0 ? "; " : "") + r.notes[k];
      }
    }
    out += rtrim(line) + "\n";
  }
  return out;
}

}  // namespace tcplab

namespace tcplab {

namespace {

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c; break;
    }
  }
  return o;
}

std::string px(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

}  // namespace

std::string render_ladder_svg(const Trace& trace) { return render_ladder_svg(trace, LadderOptions{}); }

// The same rows as the text, drawn: a row is 22 px high, monospace 12 px
// text (about 7.2 px per character), lifelines at fixed x positions.
std::string render_ladder_svg(const Trace& trace, const LadderOptions& options) {
  const std::vector<Row> rows = build_rows(trace, options);
  const double cw = 7.2, rh = 22, top = 40, pad = 10;
  const Columns c = measure(rows);
  const std::size_t time_w = c.time_w, left_w = c.left_w, right_w = c.right_w, arrow_w = c.arrow_w,
                    notes_w = c.notes_w;
  const double x_time = pad + time_w * cw;             // right edge of the time column
  const double x_a = x_time + (left_w + 3) * cw;        // A's lifeline
  const double x_b = x_a + (arrow_w + 2) * cw;          // B's lifeline
  const double x_right = x_b + 2 * cw;                  // text beside B
  const double x_notes = x_right + (right_w + 2) * cw;  // notes
  const double width = x_notes + notes_w * cw + pad;
  const double height = top + rows.size() * rh + pad;
  std::string o;
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + px(width) + "\" height=\"" + px(height) +
       "\" viewBox=\"0 0 " + px(width) + " " + px(height) + "\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"12\">\n";
  o += "<defs><marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\">"
       "<path d=\"M0,0 L10,4 L0,8 z\" fill=\"#1f3a93\"/></marker></defs>\n";
  o += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  o += "<text x=\"" + px(x_time) + "\" y=\"24\" text-anchor=\"end\" fill=\"#555\">t(ms)</text>\n";
  o += "<text x=\"" + px(x_a) + "\" y=\"24\" text-anchor=\"middle\" font-weight=\"bold\">A</text>\n";
  o += "<text x=\"" + px(x_b) + "\" y=\"24\" text-anchor=\"middle\" font-weight=\"bold\">B</text>\n";
  const double y_end = top + rows.size() * rh;
  o += "<line x1=\"" + px(x_a) + "\" y1=\"" + px(top) + "\" x2=\"" + px(x_a) + "\" y2=\"" + px(y_end) + "\" stroke=\"#333\"/>\n";
  o += "<line x1=\"" + px(x_b) + "\" y1=\"" + px(top) + "\" x2=\"" + px(x_b) + "\" y2=\"" + px(y_end) + "\" stroke=\"#333\"/>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const double y = top + i * rh + rh * 0.7;
    const double ym = top + i * rh + rh * 0.5;
    if (r.is_mark) {
      o += "<rect x=\"" + px(pad) + "\" y=\"" + px(top + i * rh + 2) + "\" width=\"" + px(width - 2 * pad) + "\" height=\"" +
           px(rh - 4) + "\" fill=\"#eef1f7\"/>\n";
      o += "<text x=\"" + px(pad + 4) + "\" y=\"" + px(y) + "\" fill=\"#333\">" + xml_escape(r.mark) + "</text>\n";
      continue;
    }
    o += "<text x=\"" + px(x_time) + "\" y=\"" + px(y) + "\" text-anchor=\"end\" fill=\"#555\">" + std::to_string(r.time) + "</text>\n";
    if (!r.col[0].empty())
      o += "<text x=\"" + px(x_a - cw) + "\" y=\"" + px(y) + "\" text-anchor=\"end\">" + xml_escape(r.col[0]) + "</text>\n";
    if (!r.col[1].empty())
      o += "<text x=\"" + px(x_right) + "\" y=\"" + px(y) + "\">" + xml_escape(r.col[1]) + "</text>\n";
    if (r.has_arrow) {
      double x1 = r.dir == 0 ? x_a : x_b, x2 = r.dir == 0 ? x_b : x_a;
      std::string dash, end = " marker-end=\"url(#head)\"", cross;
      switch (r.style) {
        case ArrowStyle::Delivered: break;
        case ArrowStyle::Dropped:
          x2 = x1 + (x2 - x1) * 0.75;
          end.clear();
          cross = "<path d=\"M" + px(x2 - 5) + "," + px(ym - 5) + " L" + px(x2 + 5) + "," + px(ym + 5) + " M" + px(x2 - 5) + "," +
                  px(ym + 5) + " L" + px(x2 + 5) + "," + px(ym - 5) + "\" stroke=\"#b00020\" stroke-width=\"2\"/>\n";
          break;
        case ArrowStyle::Injected:
          x1 = x2 + (x1 - x2) * 0.66;
          dash = " stroke-dasharray=\"2,3\"";
          break;
        case ArrowStyle::InFlight:
          x2 = x1 + (x2 - x1) * 0.5;
          dash = " stroke-dasharray=\"6,4\"";
          break;
      }
      o += "<line x1=\"" + px(x1) + "\" y1=\"" + px(ym + 3) + "\" x2=\"" + px(x2) + "\" y2=\"" + px(ym + 3) +
           "\" stroke=\"#1f3a93\" stroke-width=\"1.5\"" + dash + end + "/>\n" + cross;
      // The label centred on the drawn part, clear of a drop's cross.
      const double lx = r.style == ArrowStyle::Delivered ? (x_a + x_b) / 2 : (x1 + x2) / 2;
      o += "<text x=\"" + px(lx) + "\" y=\"" + px(ym - 1) + "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1f3a93\">" +
           xml_escape(r.label) + "</text>\n";
    }
    if (!r.notes.empty()) {
      std::string n;
      for (std::size_t k = 0; k < r.notes.size(); ++k) n += (k > 0 ? "; " : "") + r.notes[k];
      o += "<text x=\"" + px(x_notes) + "\" y=\"" + px(y) + "\" fill=\"#666\">" + xml_escape(n) + "</text>\n";
    }
  }
  o += "</svg>\n";
  return o;
}

}  // namespace tcplab
