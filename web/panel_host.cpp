// One host: its state in large type, its timers, its variables on demand,
// the application calls and the segment builder.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>

#include "conceal.h"
#include "ui.h"

namespace tcplab {
namespace {

void timer_bar(const App& app, const char* what, Instant at, Instant started, ImU32 colour) {
  const Instant now = app.sim.now();
  const double left = static_cast<double>(at - now) / 1000.0;
  const double total = static_cast<double>(at - started);
  float frac = total > 0 ? static_cast<float>(static_cast<double>(at - now) / total) : 0.f;
  if (frac < 0) frac = 0;
  if (frac > 1) frac = 1;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s %.1f s", what, left < 0 ? 0.0 : left);
  // A light tint of the colour, so the dark text on it keeps its contrast.
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, (colour & 0x00FFFFFFu) | (0x55u << IM_COL32_A_SHIFT));
  ImGui::ProgressBar(frac, ImVec2(-1, 0), buf);
  ImGui::PopStyleColor();
}

}  // namespace

void draw_calls(App& app, int host) {
  struct CallButton {
    const char *en, *zh;        // the socket call and the RFC's event
    const char *en_short, *zh_short;
    const char* key;
    Call call;
    std::uint32_t octets;
  };
  static const CallButton CALLS[] = {
      {"Listen (passive OPEN)", "监听（被动打开）", "Listen", "监听", "listen", Call::OpenPassive, 0},
      {"Connect (active OPEN)", "连接（主动打开）", "Connect", "连接", "connect", Call::OpenActive, 0},
      {"Send 100 B (SEND)", "发送 100 字节（SEND）", "Send 100 B", "发送 100 字节", "send", Call::Send, 100},
      {"Close (CLOSE)", "关闭（CLOSE）", "Close", "关闭", "close", Call::Close, 0},
      {"Abort (ABORT: RST)", "中止（ABORT：RST）", "Abort (RST)", "中止 (RST)", "abort", Call::Abort, 0},
  };
  const std::string id = host == 0 ? "A." : "B.";
  const ImGuiStyle& st = ImGui::GetStyle();
  const float w = ImGui::GetContentRegionAvail().x;
  const float half = (w - st.ItemSpacing.x) * 0.5f;
  // Both names, two to a row, when the longest fits in half the width;
  // else the short names two to a row, the full ones in a tooltip.
  float widest = 0;
  for (const CallButton& c : CALLS) widest = std::max(widest, ImGui::CalcTextSize(tr(app, c.en, c.zh)).x);
  const bool both_names = widest + st.FramePadding.x * 2 <= half;
  int i = 0;
  for (const CallButton& c : CALLS) {
    if ((i++ % 2) == 1) ImGui::SameLine();
    const std::string hook = id + c.key;
    const char* text = both_names ? tr(app, c.en, c.zh) : tr(app, c.en_short, c.zh_short);
    if (ImGui::Button((std::string(text) + "###" + hook).c_str(), ImVec2(half, 0)))
      app.push(Command{CommandKind::Call, host, c.call, c.octets, {}, 0, 0, 0});
    if (!both_names && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(app, c.en, c.zh));
    hook_item(hook.c_str());
  }
}

float draw_state_strip(App& app, ImVec2 pos, float width) {
  const Concealed hide = concealed(app);
  const float h = ImGui::GetFrameHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float half = width * 0.5f;
  for (int host = 0; host < 2; ++host) {
    const ImVec2 p(pos.x + half * static_cast<float>(host), pos.y);
    const Endpoint& ep = app.sim.endpoint(host);
    const std::string text = std::string(host == 0 ? "[C] " : "(S) ") + host_title(app, host) + ": " +
                             (hide.state[host] ? "?" : state_name(ep.state()));
    dl->AddRectFilled(p, ImVec2(p.x + half - 3.0f, p.y + h), with_alpha(palette().host(host), 0.12f), 3.0f);
    dl->PushClipRect(p, ImVec2(p.x + half - 3.0f, p.y + h), true);
    dl->AddText(ImVec2(p.x + 4.0f, p.y + (h - ImGui::GetFontSize()) * 0.5f), palette().host(host), text.c_str());
    dl->PopClipRect();
    hook_rect(host == 0 ? "A.strip" : "B.strip", p, ImVec2(p.x + half - 3.0f, p.y + h));
  }
  return h;
}

void draw_host(App& app, int host, ImVec2 pos, ImVec2 size) {
  const Palette& pal = palette();
  const Endpoint& ep = app.sim.endpoint(host);
  const char* id = host == 0 ? "A" : "B";
  auto hid = [&](const char* what) { return std::string(id) + "." + what; };
  // A question about this host's state or numbers is open: "?" in their place.
  const Concealed hide = concealed(app);

  ImGui::SetCursorScreenPos(pos);
  hook_rect(host == 0 ? "panel.A" : "panel.B", pos, ImVec2(pos.x + size.x, pos.y + size.y));
  ImGui::BeginChild(host == 0 ? "host_a" : "host_b", size, true);

  // Who: name in the host's colour plus a shape and a letter, so the two
  // hosts are told apart without colour too.
  ImGui::PushStyleColor(ImGuiCol_Text, pal.host(host));
  ImGui::Text("%s %s (%s)", host == 0 ? "[C]" : "(S)", host_title(app, host), id);
  ImGui::PopStyleColor();
  // With a role (?role=client|server), which host is the learner's.
  if (app.role != Role::Both && app.mode == Mode::Sandbox) {
    const bool mine = (app.role == Role::Client) == (host == HOST_A);
    ImGui::SameLine();
    ImGui::TextDisabled("%s", mine ? tr(app, "- you", "- 你") : tr(app, "- acts by itself", "- 自动操作"));
    hook_item(host == 0 ? "A.role" : "B.role");
  }

  // The state, large.
  if (font_large()) ImGui::PushFont(font_large());
  ImGui::TextUnformatted(hide.state[host] ? "?" : state_name(ep.state()));
  if (font_large()) ImGui::PopFont();
  hook_item(hid("state").c_str());
  // The names the learner meets in ss and netstat, wrapped, never cut off.
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  if (hide.state[host])
    text_wrapped(tr(app, "(shown after your answer)", "（回答后显示）"));
  else
    text_wrappedf("ss: %s   netstat: %s", state_ss_name(ep.state()), state_netstat_name(ep.state()));
  ImGui::PopStyleColor();

  // Timers (none in a replay: there the capture says when things happen).
  const Timers t = app.mode == Mode::Replay ? Timers{} : ep.timers();
  if (t.retransmit != NEVER) {
    char what[64];
    if (app.lang == Lang::Zh)
      std::snprintf(what, sizeof what, "第 %d 次重传倒计时", ep.retransmit_count() + 1);
    else
      std::snprintf(what, sizeof what, "Retransmission #%d in", ep.retransmit_count() + 1);
    timer_bar(app, what, t.retransmit, t.retransmit - ep.current_rto(), pal.lost);
  }
  // The 2*MSL timer runs only in TIME-WAIT: it would name a hidden state.
  if (t.time_wait != NEVER && !hide.state[host])
    timer_bar(app, tr(app, "2*MSL ends in", "2MSL 剩余"), t.time_wait,
              t.time_wait - 2 * static_cast<Instant>(ep.config().msl_ms), pal.host(host));
  if (t.delayed_ack != NEVER)
    timer_bar(app, tr(app, "Delayed ACK in", "延迟确认"), t.delayed_ack,
              t.delayed_ack - ep.config().delayed_ack_ms, pal.dim);

  // Variables, on demand.
  const bool vars_open = ImGui::CollapsingHeader(label(app, "Variables", "变量", hid("vars").c_str()).c_str());
  hook_item(hid("vars").c_str());
  if (vars_open) {
    const Tcb& b = ep.tcb();
    // Two columns by hand (no ImGui table: it would add its code to the page).
    const float col = ImGui::CalcTextSize("SND.UNA  ").x;
    const bool hidden = hide.numbers[host];
    auto row = [col, hidden](const char* name, std::uint32_t v) {
      ImGui::TextUnformatted(name);
      ImGui::SameLine(ImGui::GetStyle().WindowPadding.x + col);
      if (hidden) ImGui::TextUnformatted("?");
      else ImGui::Text("%" PRIu32, v);
    };
    row("ISS", b.iss);
    row("IRS", b.irs);
    row("SND.UNA", b.snd_una);
    row("SND.NXT", b.snd_nxt);
    row("SND.WND", b.snd_wnd);
    row("RCV.NXT", b.rcv_nxt);
    row("RCV.WND", b.rcv_wnd);
  }

  // In a replay the captured segments drive both hosts.
  if (app.mode == Mode::Replay) {
    ImGui::Separator();
    text_wrapped(tr(app, "Replaying a capture: this host does what the captured segments show.",
                                "正在回放抓包：这一端的行为来自抓到的报文段。"));
    ImGui::EndChild();
    return;
  }

  // Application calls.
  ImGui::Separator();
  ImGui::TextDisabled("%s", tr(app, "Application calls", "应用程序调用"));
  draw_calls(app, host);

  // The segment builder.
  ImGui::Separator();
  const bool builder_open =
      ImGui::CollapsingHeader(label(app, "Build a segment", "手工构造报文段", hid("builder").c_str()).c_str());
  hook_item(hid("builder").c_str());
  if (builder_open) {
    SegmentBuilder& b = app.builder[host];
    bool changed = false;
    changed |= ImGui::Checkbox(label(app, "SYN", "SYN", hid("b.syn").c_str()).c_str(), &b.syn);
    hook_item(hid("build.syn").c_str());
    ImGui::SameLine();
    changed |= ImGui::Checkbox(label(app, "ACK", "ACK", hid("b.ack").c_str()).c_str(), &b.ack);
    hook_item(hid("build.ack").c_str());
    ImGui::SameLine();
    changed |= ImGui::Checkbox(label(app, "FIN", "FIN", hid("b.fin").c_str()).c_str(), &b.fin);
    hook_item(hid("build.fin").c_str());
    ImGui::SameLine();
    changed |= ImGui::Checkbox(label(app, "RST", "RST", hid("b.rst").c_str()).c_str(), &b.rst);
    hook_item(hid("build.rst").c_str());
    const ImU32 step = 1;
    const ImU32 step_fast = 100;
    // The pre-filled numbers would answer a number question about this host.
    const bool hidden = hide.numbers[host] && !b.edited;
    const char* num_fmt = hidden ? "?" : "%u";
    ImGui::BeginDisabled(hidden);
    ImGui::PushItemWidth(-ImGui::CalcTextSize("len ").x - ImGui::GetStyle().ItemInnerSpacing.x);
    changed |= ImGui::InputScalar(label(app, "seq", "序号", hid("b.seq").c_str()).c_str(), ImGuiDataType_U32,
                                  &b.seq, &step, &step_fast, num_fmt);
    hook_item(hid("build.seq").c_str());
    ImGui::BeginDisabled(!b.ack);
    changed |= ImGui::InputScalar(label(app, "ack", "确认号", hid("b.ackno").c_str()).c_str(), ImGuiDataType_U32,
                                  &b.ack_no, &step, &step_fast, num_fmt);
    ImGui::EndDisabled();
    hook_item(hid("build.ackno").c_str());
    const ImU32 len_step = 10;
    changed |= ImGui::InputScalar(label(app, "len", "长度", hid("b.len").c_str()).c_str(), ImGuiDataType_U32,
                                  &b.len, &len_step, &len_step, "%u");
    ImGui::EndDisabled();
    ImGui::PopItemWidth();
    if (changed) {
      b.edited = true;
      b.filled_for = ep.state();
    }
    const Segment seg = app.built_segment(host);
    if (ImGui::Button(label(app, "Send this segment", "发送这个报文段", hid("b.send").c_str()).c_str(),
                      ImVec2(-1, 0)))
      app.push(Command{CommandKind::SendSegment, host, Call::OpenPassive, 0, seg, 0, 0, 0});
    hook_item(hid("build.send").c_str());
    // What the peer would do with it, were it to arrive now.
    const Prediction p = app.sim.predict(host ^ 1, seg);
    ImGui::PushStyleColor(ImGuiCol_Text, p.rejected ? pal.rejected : pal.dim);
    text_wrappedf("%s %s: %s (RFC 9293 %s)", tr(app, "If it arrived now,", "如果现在到达，"),
                       host_title(app, host ^ 1), reason_text(p.reason, app.lang), reason_rfc(p.reason));
    ImGui::PopStyleColor();
    if (!app.feedback[host].empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, pal.text);
      text_wrapped(app.feedback[host].c_str());
      ImGui::PopStyleColor();
    }
  }
  ImGui::EndChild();
}

}  // namespace tcplab
