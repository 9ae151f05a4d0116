// Captures: the toolbar's capture menu (download the run as .pcap, the
// ladder as text or SVG; open a .pcap/.pcapng), the connection picker, the
// replay panel (one row per captured segment with both hosts' states after
// it and the engine's verdict) and the list of problems with a file.
#include <cinttypes>
#include <cstdio>
#include <string>

#include "ui.h"

namespace tcplab {
namespace {

const char* verdict_text(const App& app, Verdict v) {
  switch (v) {
    case Verdict::Ok: return tr(app, "ok", "正常");
    case Verdict::Unexpected: return tr(app, "unexpected", "意外");
    case Verdict::Rejected: return tr(app, "rejected", "被拒绝");
  }
  return "";
}

// "SYN,ACK seq=1 ack=2 win=65483 len=0" with absolute numbers.
std::string row_segment_text(const ReplayRow& r) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s seq=%" PRIu32, flags_text(r.seg.flags).c_str(), r.seg.seq);
  std::string s = buf;
  if (r.seg.has(FLAG_ACK)) {
    std::snprintf(buf, sizeof buf, " ack=%" PRIu32, r.seg.ack);
    s += buf;
  }
  std::snprintf(buf, sizeof buf, " win=%" PRIu32 " len=%" PRIu32, r.seg.wnd, r.seg.len);
  s += buf;
  return s;
}

// Continues the row when a small button labelled `text` still fits in the
// window, else starts a new row.
void same_line_if_fits(const char* text) {
  ImGui::SameLine();
  const float w = ImGui::CalcTextSize(text).x + ImGui::GetStyle().FramePadding.x * 2;
  if (ImGui::GetCursorScreenPos().x + w > ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
    ImGui::NewLine();
}

}  // namespace

void draw_capture_menu(App& app) {
  if (!ImGui::BeginPopup("capture_popup")) return;
  ImGui::TextDisabled("%s", tr(app, "Download this run", "下载本次运行"));
  if (ImGui::Selectable(label(app, "Capture for Wireshark (.pcap)", "Wireshark 抓包文件 (.pcap)", "cap.pcap").c_str()))
    app.want_export = Export::Pcap;
  hook_item("capture.pcap");
  if (ImGui::Selectable(label(app, "Ladder diagram as text (.txt)", "时序图（文本 .txt）", "cap.txt").c_str()))
    app.want_export = Export::LadderText;
  hook_item("capture.txt");
  if (ImGui::Selectable(label(app, "Ladder diagram as image (.svg)", "时序图（图片 .svg）", "cap.svg").c_str()))
    app.want_export = Export::LadderSvg;
  hook_item("capture.svg");
  ImGui::Separator();
  ImGui::TextDisabled("%s", tr(app, "Replay a real connection", "回放真实连接"));
  if (ImGui::Selectable(
          label(app, "Open a capture file (.pcap, .pcapng)...", "打开抓包文件 (.pcap, .pcapng)...", "cap.open").c_str()))
    app.want_open_capture = true;
  hook_item("capture.open");
  ImGui::TextDisabled("%s", tr(app, "(or drop the file on the page)", "（也可以把文件拖到页面上）"));
  if (app.mode == Mode::Replay) {
    if (ImGui::Selectable(label(app, "Leave the replay", "退出回放", "cap.leave").c_str())) app.leave_replay();
    hook_item("capture.leave");
  }
  ImGui::EndPopup();
}

void draw_connection_picker(App& app) {
  CaptureState& cap = app.cap;
  if (!cap.picking) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(vp->Size.x * 0.8f, 0));
  ImGui::Begin(tr(app, "Pick a connection###conn_picker", "选择一个连接###conn_picker"), nullptr,
               ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
  text_wrapped(cap.name.c_str());
  text_wrapped(cap.parsed.summary().c_str());
  text_wrapped(tr(app, "This file holds several TCP connections. Which one should be replayed?",
                              "这个文件里有多个 TCP 连接。要回放哪一个？"));
  const float list_h = ImGui::GetTextLineHeightWithSpacing() * 8.5f;
  ImGui::BeginChild("conn_list", ImVec2(0, list_h), true);
  // Each connection as a row that wraps on narrow screens (a Selectable
  // would run off the side with a long address).
  const float wrap = ImGui::GetContentRegionAvail().x;
  for (std::size_t i = 0; i < cap.parsed.connections.size(); ++i) {
    const CaptureConnection& c = cap.parsed.connections[i];
    char row[256];
    std::snprintf(row, sizeof row, "%zu.  %s  %s", i + 1, c.summary().c_str(),
                  c.has_syn ? "" : tr(app, "(no SYN: began before the capture)", "（无 SYN：连接在抓包前已建立）"));
    const ImVec2 text = ImGui::CalcTextSize(row, nullptr, false, wrap);
    const std::string id = "##conn" + std::to_string(i);
    if (ImGui::Selectable(id.c_str(), false, 0, ImVec2(wrap, text.y))) app.replay_capture(i);
    const std::string hook = "capture.conn." + std::to_string(i);
    hook_item(hook.c_str());
    ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImGui::GetItemRectMin(),
                                        ImGui::GetColorU32(ImGuiCol_Text), row, nullptr, wrap);
  }
  ImGui::EndChild();
  if (ImGui::Button(label(app, "Cancel", "取消", "conn.cancel").c_str())) cap.picking = false;
  hook_item("capture.cancel");
  ImGui::End();
}


namespace {

// Why a replayed segment stayed in flight past its own row, for the learner
// (the rules: engine/BEHAVIOUR.md, replay rows).
const char* hold_rule_text(HoldRule r, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (r) {
    case HoldRule::AckBelow: return zh ? "它后来发出的 ACK 没有确认这个报文段" : "its later ACK did not cover this segment";
    case HoldRule::BareSyn: return zh ? "它随后发出了不带 ACK 的 SYN" : "it then sent a SYN without ACK";
    case HoldRule::RstUnseen: return zh ? "它在这个 RST 之后仍在发送" : "it kept sending after this RST";
    case HoldRule::RstReply: return zh ? "它先发了自己的 RST，才用 RST 回应" : "it answered with a RST after sending its own";
    case HoldRule::TooSoon: return zh ? "它的下一个报文段在不到一个往返时间内发出" : "its next segment left less than a round trip later";
    case HoldRule::Fifo: return zh ? "同一方向上更早的报文段还在传输中" : "an earlier segment on the same path was still in flight";
    case HoldRule::None: break;
  }
  return "";
}

// The replay's options: relative sequence numbers (display only) and where
// the capture was taken (the replay is run again with it).
void draw_replay_options(App& app) {
  CaptureState& cap = app.cap;
  ImGui::Checkbox(label(app, "Relative numbers", "相对序号", "rp.rel").c_str(), &cap.relative);
  hook_item("replay.relative");
  same_line_if_fits(tr(app, "Captured at: in the middle", "抓包位置：链路中间"));
  static const char* const POINT_EN[4] = {"unknown", "host A", "host B", "in the middle"};
  static const char* const POINT_ZH[4] = {"未知", "A 端", "B 端", "链路中间"};
  const char* const* names = app.lang == Lang::Zh ? POINT_ZH : POINT_EN;
  int point = static_cast<int>(cap.options.capture_point);
  ImGui::TextUnformatted(tr(app, "Captured at:", "抓包位置："));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::CalcTextSize(names[3]).x + ImGui::GetFrameHeight() * 2.0f);
  if (ImGui::Combo(label(app, "##point", "##point", "rp.point").c_str(), &point, names, 4)) {
    cap.options.capture_point = static_cast<CapturePoint>(point);
    app.replay_capture(cap.connection);
  }
  hook_item("replay.point");
}

// One replayed segment: what was sent, the verdict and both states, why it
// was sent and what the receiver did. A click shows the hosts as they were
// after it.
void draw_replay_row(App& app, const ReplayRow& row, ImDrawList* dl) {
  const Palette& pal = palette();
  CaptureState& cap = app.cap;
  const bool shown = row.index < cap.shown;
  const bool current = row.index + 1 == cap.shown;
  if (!shown) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.55f);
  ImGui::BeginGroup();
  const ImU32 col = row.verdict == Verdict::Ok ? pal.host(row.from) : pal.rejected;
  ImGui::PushStyleColor(ImGuiCol_Text, col);
  text_wrappedf("#%zu  %.6f s  %s  %s%s%s", row.index + 1, row.time, row.from == HOST_A ? "A -> B" : "B -> A",
                row_segment_text(row).c_str(), row.options.empty() ? "" : "  ", row.options.c_str());
  ImGui::PopStyleColor();
  ImGui::Indent();
  ImGui::Text("[%s]  A: %s   B: %s", verdict_text(app, row.verdict), state_name(row.state[HOST_A]),
              state_name(row.state[HOST_B]));
  // When the engine disagrees with the capture, why (in red, with the RFC rule).
  const char* name[2] = {"A", "B"};
  if (row.cause != Reason::None) text_wrappedf("%s: %s", name[row.from], reason_text(row.cause, app.lang));
  if (row.verdict != Verdict::Ok && row.reason != Reason::None) {
    ImGui::PushStyleColor(ImGuiCol_Text, pal.rejected);
    text_wrappedf("%s (%s)", reason_text(row.reason, app.lang), rfc_citation(row.reason, app.lang).c_str());
    ImGui::PopStyleColor();
  }
  if (row.received != Reason::None && (row.verdict == Verdict::Ok || row.received != row.reason))
    text_wrappedf("%s: %s", name[row.from ^ 1], reason_text(row.received, app.lang));
  if (row.delivered_after != row.index) {
    // The segments crossed: this one was still in flight (replay_order.h).
    char text[256];
    if (app.lang == Lang::Zh)
      std::snprintf(text, sizeof text, "交叉：%s 在 #%zu 之后才收到它（%s）", name[row.from ^ 1],
                    row.delivered_after + 1, hold_rule_text(row.held, app.lang));
    else
      std::snprintf(text, sizeof text, "crossed: %s received it only after #%zu (%s)", name[row.from ^ 1],
                    row.delivered_after + 1, hold_rule_text(row.held, app.lang));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    text_wrapped(text);
    ImGui::PopStyleColor();
  }
  ImGui::Unindent();
  ImGui::EndGroup();
  if (!shown) ImGui::PopStyleVar();
  if (ImGui::IsItemClicked()) app.show_replay_upto(row.index + 1);
  if (current) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    dl->AddRectFilled(ImVec2(a.x - 6, a.y), ImVec2(a.x - 3, b.y), pal.host(row.from));
    if (cap.shown < cap.replay->rows.size() && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY(0.5f);
  }
}

// A row's height before it was ever drawn: its lines, unwrapped.
float estimated_row_height(const ReplayRow& row) {
  int lines = 2;
  lines += row.cause != Reason::None;
  lines += row.verdict != Verdict::Ok && row.reason != Reason::None;
  lines += row.received != Reason::None && (row.verdict == Verdict::Ok || row.received != row.reason);
  return static_cast<float>(lines) * ImGui::GetTextLineHeightWithSpacing();
}

// Every row of a replay, but only those near the view are laid out: the
// others are space of the height they had when last drawn (or an
// estimate), so a capture of 100,000 segments draws as fast as one of ten
// (issue 18: work linear in what is seen, not in the input).
void draw_replay_rows(App& app, const ReplayResult& r) {
  CaptureState& cap = app.cap;
  const std::size_t n = r.rows.size();
  const float width = ImGui::GetContentRegionAvail().x;
  const int key = static_cast<int>(width) * 2 + static_cast<int>(app.lang);
  if (cap.row_height.size() != n || cap.row_height_key != key) cap.row_height.assign(n, 0.0f);
  cap.row_height_key = key;
  const float view_h = ImGui::GetWindowHeight();
  const float top = ImGui::GetScrollY() - view_h, bottom = ImGui::GetScrollY() + 2 * view_h;
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const bool appearing = ImGui::IsWindowAppearing();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  float skipped = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const ReplayRow& row = r.rows[i];
    const float y = ImGui::GetCursorPosY() + skipped;
    const float h = cap.row_height[i] > 0 ? cap.row_height[i] : estimated_row_height(row);
    const bool current = row.index + 1 == cap.shown;
    if ((y + h < top || y > bottom) && !(current && appearing)) {
      skipped += h;
      continue;
    }
    if (skipped > 0) ImGui::Dummy(ImVec2(1, skipped - spacing));
    skipped = 0;
    const float before = ImGui::GetCursorPosY();
    draw_replay_row(app, cap.relative ? relative_row(row, cap.bases) : row, dl);
    cap.row_height[i] = ImGui::GetCursorPosY() - before;
  }
  if (skipped > 0) ImGui::Dummy(ImVec2(1, skipped - spacing));
}

}  // namespace

void draw_replay(App& app, ImVec2 pos, ImVec2 size) {
  const Palette& pal = palette();
  CaptureState& cap = app.cap;
  ImGui::SetCursorScreenPos(pos);
  ImGui::BeginChild("replay", size, true);
  if (!cap.replay) {
    ImGui::EndChild();
    return;
  }
  const ReplayResult& r = *cap.replay;
  ImGui::PushStyleColor(ImGuiCol_Text, pal.client);
  text_wrappedf("%s %s", tr(app, "Replay of", "回放："), cap.name.c_str());
  ImGui::PopStyleColor();
  text_wrappedf("A = %s   B = %s", r.endpoint[0].c_str(), r.endpoint[1].c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrappedf("%zu %s: %zu %s, %zu %s, %zu %s", r.rows.size(), tr(app, "segments", "个报文段"),
                      r.count(Verdict::Ok), verdict_text(app, Verdict::Ok), r.count(Verdict::Unexpected),
                      verdict_text(app, Verdict::Unexpected), r.count(Verdict::Rejected),
                      verdict_text(app, Verdict::Rejected));
  ImGui::PopStyleColor();
  if (cap.parsed.connections.size() > 1) {
    same_line_if_fits(tr(app, "Other connection...", "其他连接..."));
    if (ImGui::SmallButton(label(app, "Other connection...", "其他连接...", "rp.other").c_str())) cap.picking = true;
    hook_item("replay.other");
  }
  same_line_if_fits(tr(app, "Exit", "退出"));
  if (ImGui::SmallButton(label(app, "Exit", "退出", "rp.exit").c_str())) app.leave_replay();
  hook_item("replay.exit");
  if (r.late_start) {
    ImGui::PushStyleColor(ImGuiCol_Text, pal.rejected);
    text_wrapped(tr(app,
                                "The capture began after the connection was opened (no SYN): both hosts start in "
                                "ESTABLISHED, synchronised from their first segments.",
                                "抓包开始时连接已经建立（没有 SYN）：两端都从 ESTABLISHED 状态开始，"
                                "序号取自各自的第一个报文段。"));
    ImGui::PopStyleColor();
  }
  for (const ReplayResult::Note& n : r.notes) text_wrapped(tr(app, n.en.c_str(), n.zh.c_str()));
  draw_replay_options(app);
  // Step through the capture: the hosts, ladder and diagram follow.
  const std::size_t n = r.rows.size();
  // The step buttons wrap on narrow screens.
  ImGui::BeginDisabled(cap.shown == 0);
  if (ImGui::SmallButton(label(app, "< Previous", "< 上一个", "rp.prev").c_str())) app.show_replay_upto(cap.shown - 1);
  ImGui::EndDisabled();
  hook_item("replay.prev");
  same_line_if_fits(tr(app, "Next >", "下一个 >"));
  ImGui::BeginDisabled(cap.shown >= n);
  if (ImGui::SmallButton(label(app, "Next >", "下一个 >", "rp.next").c_str())) app.show_replay_upto(cap.shown + 1);
  hook_item("replay.next");
  same_line_if_fits(tr(app, "All", "全部"));
  if (ImGui::SmallButton(label(app, "All", "全部", "rp.all").c_str())) app.show_replay_upto(n);
  ImGui::EndDisabled();
  hook_item("replay.all");
  same_line_if_fits("shown: 99 / 99");
  ImGui::TextDisabled("%s %zu / %zu", tr(app, "shown:", "已显示："), cap.shown, n);
  ImGui::Separator();

  ImGui::BeginChild("replay_rows", ImVec2(0, 0), false);
  draw_replay_rows(app, r);
  ImGui::EndChild();
  ImGui::EndChild();
}

void draw_capture_errors(App& app) {
  draw_problem_list(app, tr(app, "Problems with a capture file###capture_errors", "抓包文件有问题###capture_errors"),
                    tr(app, "This capture could not be replayed; the rest of tcplab works as before.",
                       "无法回放这个抓包文件；tcplab 的其他功能不受影响。"),
                    app.cap.errors, "capture.errors.dismiss");
}

}  // namespace tcplab
