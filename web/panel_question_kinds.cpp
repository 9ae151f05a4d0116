// The inputs of the questions that make learners construct (lessons/
// lesson_construct.cpp): classify (a class button per item), blanks (the
// run's ladder as rows with fields to type), ladder (small ladders to pick
// from). Every input is hooked, so Tab reaches it and Enter or Space uses
// it; the browser tests click them by name.
#include "panel_question_kinds.h"

#include <algorithm>
#include <cstdio>

#include "mutations.h"
#include "ui.h"

namespace tcplab {
namespace {

// Text that flows on the line like the buttons do, onto a new row when it
// would run past `right`.
void flow_text(const std::string& text, float right, bool first, ImU32 col) {
  const float w = ImGui::CalcTextSize(text.c_str()).x;
  if (!first) {
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 0.5f);
    if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, col);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
}

bool flow_button(const std::string& text, const std::string& hook, float right, bool first, bool selected) {
  const float w = ImGui::CalcTextSize(text.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
  if (!first) {
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
  }
  if (selected) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
  const bool clicked = ImGui::Button(text.c_str());
  if (selected) ImGui::PopStyleColor();
  hook_item(hook.c_str());
  return clicked;
}

// Text drawn at `at`, shrunk so it is no wider than `max_w`; `align`: 0
// left, 0.5 centre, 1 right of `at`.
void fit_text(ImDrawList* dl, ImVec2 at, float max_w, float align, ImU32 col, const std::string& text) {
  float size = ImGui::GetFontSize();
  const float w = ImGui::CalcTextSize(text.c_str()).x;
  if (w > max_w && w > 0) size *= max_w / w;
  const float drawn = w * size / ImGui::GetFontSize();
  dl->AddText(ImGui::GetFont(), size, ImVec2(at.x - drawn * align, at.y), col, text.c_str());
}

// One small ladder: A on the left, B on the right, one arrow per row with
// its label above it, a host's state written beside it where it changes.
void small_ladder(const std::vector<LadderRow>& rows, float width) {
  const float lh = ImGui::GetTextLineHeight();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float col = std::min(width * 0.3f, lh * 8.0f);
  const float xa = o.x + col, xb = o.x + width - col;
  const float row_h = lh * 2.6f;  // label, then the arrow with the states beside it
  const float h = lh * 1.1f + row_h * static_cast<float>(rows.size());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& pal = palette();
  const Ink ink = make_ink(pal);
  dl->AddLine(ImVec2(xa, o.y), ImVec2(xa, o.y + h), pal.host(0), 2.0f);
  dl->AddLine(ImVec2(xb, o.y), ImVec2(xb, o.y + h), pal.host(1), 2.0f);
  fit_text(dl, ImVec2(xa - 4, o.y), col - 6, 1.0f, pal.host(0), "A");
  fit_text(dl, ImVec2(xb + 4, o.y), col - 6, 0.0f, pal.host(1), "B");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LadderRow& r = rows[i];
    const float y = o.y + lh * 1.1f + row_h * static_cast<float>(i);
    // The label may use the whole width (the states are on the arrow's
    // line below it), over a patch of background where it crosses the lines.
    const std::string label = std::to_string(i + 1) + ". " + segment_label(r.seg);
    const float lw = std::min(ImGui::CalcTextSize(label.c_str()).x, width - 4);
    const float cx = o.x + width * 0.5f;
    dl->AddRectFilled(ImVec2(cx - lw * 0.5f - 2, y), ImVec2(cx + lw * 0.5f + 2, y + lh), ink.bg);
    fit_text(dl, ImVec2(cx, y), width - 4, 0.5f, pal.text, label);
    const float y0 = y + lh * 1.2f, y1 = y + lh * 1.8f;
    const ImVec2 from(r.from == 0 ? xa : xb, y0), to(r.from == 0 ? xb : xa, y1);
    dl->AddLine(from, to, pal.host(r.from), 1.5f);
    arrow_head(dl, from, to, lh * 0.4f, pal.host(r.from));
    for (int h = 0; h < 2; ++h) {
      if (i > 0 && rows[i - 1].state[h] == r.state[h]) continue;
      const std::string s = state_name(r.state[h]);
      if (h == 0) fit_text(dl, ImVec2(xa - 4, y1 - lh * 0.5f), col - 6, 1.0f, pal.host(0), s);
      else fit_text(dl, ImVec2(xb + 4, y1 - lh * 0.5f), col - 6, 0.0f, pal.host(1), s);
    }
  }
  ImGui::Dummy(ImVec2(width, h));
}

}  // namespace

std::optional<Feedback> draw_classify(App& app, LessonRun& run, const Question& q, float right) {
  std::vector<int>& picks = app.ls.picked;
  if (picks.size() != q.sort_items.size()) picks.assign(q.sort_items.size(), -1);
  for (std::size_t i = 0; i < q.sort_items.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    flow_text(std::to_string(i + 1) + ". " + run.fill(q.sort_items[i].text.get(app.lang), app.lang), right, true,
              palette().text);
    for (std::size_t k = 0; k < q.classes.size(); ++k) {
      const std::string text = run.fill(q.classes[k].get(app.lang), app.lang) + "###cls" + std::to_string(k);
      const std::string hook = "lesson.class." + std::to_string(i) + "." + std::to_string(k);
      if (flow_button(text, hook, right, k == 0, picks[i] == static_cast<int>(k))) picks[i] = static_cast<int>(k);
    }
    ImGui::PopID();
  }
  const bool complete = std::find(picks.begin(), picks.end(), -1) == picks.end();
  std::optional<Feedback> f;
  ImGui::BeginDisabled(!complete);
  if (ImGui::Button(label(app, "Check", "提交", "check").c_str())) f = run.answer_classify(picks);
  ImGui::EndDisabled();
  hook_item("lesson.check");
  return f;
}

std::optional<Feedback> draw_blanks(App& app, LessonRun& run, const Question& q, float right) {
  std::vector<std::string>& typed = app.ls.blanks;
  if (typed.size() != q.blanks.size()) typed.assign(q.blanks.size(), std::string());
  const std::vector<LadderRow>& rows = run.blank_ladder();
  const float lh = ImGui::GetTextLineHeight();
  bool entered = false;
  auto blank_at = [&](std::size_t row, Blank::Field field, int host) -> int {
    for (std::size_t i = 0; i < q.blanks.size(); ++i)
      if (run.blank_row(q.blanks[i]) == row && q.blanks[i].field == field &&
          (field != Blank::Field::State || (q.blanks[i].host & 1) == host))
        return static_cast<int>(i);
    return -1;
  };
  auto input = [&](int i, float em) {
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + lh * em > right) ImGui::NewLine();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s", typed[static_cast<std::size_t>(i)].c_str());
    ImGui::SetNextItemWidth(lh * em);
    ImGui::PushID(i);
    if (ImGui::InputText("##blank", buf, sizeof buf)) typed[static_cast<std::size_t>(i)] = buf;
    const std::string hook = "lesson.blank." + std::to_string(i);
    hook_item(hook.c_str());
    entered = entered || (ImGui::IsItemDeactivated() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false));
    ImGui::PopID();
  };
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const LadderRow& row = rows[r];
    const ImU32 col = palette().host(row.from);
    flow_text(std::to_string(r + 1) + ". " + (row.from == 0 ? "A \u2192 B" : "B \u2192 A"), right, true, col);
    const int fl = blank_at(r, Blank::Field::Flags, 0);
    if (fl >= 0) input(fl, 6.0f);
    else flow_text(flags_text(static_cast<std::uint8_t>(row.seg.flags & ~FLAG_PSH)), right, false, col);
    const int sq = blank_at(r, Blank::Field::Seq, 0);
    // A field and its value wrap as one ("seq=1001"), never apart.
    if (sq >= 0) {
      flow_text("seq=", right, false, col);
      input(sq, 7.0f);
    } else {
      flow_text("seq=" + std::to_string(row.seg.seq), right, false, col);
    }
    if (row.seg.has(FLAG_ACK)) {
      const int ak = blank_at(r, Blank::Field::Ack, 0);
      if (ak >= 0) {
        flow_text("ack=", right, false, col);
        input(ak, 7.0f);
      } else {
        flow_text("ack=" + std::to_string(row.seg.ack), right, false, col);
      }
    }
    if (row.seg.len > 0) flow_text("len=" + std::to_string(row.seg.len), right, false, col);
    // States: written where they change, and wherever one is a blank.
    for (int h = 0; h < 2; ++h) {
      const int st = blank_at(r, Blank::Field::State, h);
      const bool changed = r == 0 || rows[r - 1].state[h] != row.state[h];
      if (st < 0 && !changed) continue;
      const std::string who = std::string("   ") + (h == 0 ? "A: " : "B: ");
      if (st >= 0) {
        flow_text(who, right, h == 0, palette().host(h));
        input(st, 9.0f);
      } else {
        flow_text(who + state_name(row.state[h]), right, h == 0, palette().host(h));
      }
    }
  }
  std::optional<Feedback> f;
  if (entered) f = run.answer_blanks(typed);
  if (ImGui::Button(label(app, "Check", "提交", "check").c_str())) f = run.answer_blanks(typed);
  hook_item("lesson.check");
  return f;
}

// The ladders as radio buttons in a row, the chosen one (or the first,
// before any choice) drawn below: one ladder at a time keeps the card short
// enough to read on a phone.
std::optional<Feedback> draw_ladder_choice(App& app, LessonRun& run, float right) {
  const std::vector<LadderChoice>& options = run.ladder_options();
  std::vector<int>& picked = app.ls.picked;
  const bool missed = !picked.empty() && app.ls.feedback && !app.ls.feedback->correct;
  for (std::size_t i = 0; i < options.size(); ++i) {
    const bool on = !picked.empty() && picked[0] == static_cast<int>(i);
    const std::string name = std::string(app.lang == Lang::Zh ? "时序图 " : "Ladder ") + static_cast<char>('A' + i) +
                             (on && missed ? tr(app, " \u2717", " \u2717") : "");
    const float w = ImGui::CalcTextSize(name.c_str()).x + ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
    if (i > 0) {
      ImGui::SameLine();
      if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    }
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::RadioButton(name.c_str(), on)) picked.assign(1, static_cast<int>(i));
    const std::string hook = "lesson.ladder." + std::to_string(i);
    hook_item(hook.c_str());
    ImGui::PopID();
  }
  const std::size_t shown = picked.empty() ? 0 : static_cast<std::size_t>(picked[0]);
  if (shown < options.size()) {
    ImGui::TextDisabled("%s", (std::string(app.lang == Lang::Zh ? "时序图 " : "Ladder ") + static_cast<char>('A' + shown)).c_str());
    small_ladder(options[shown].rows, right - ImGui::GetCursorScreenPos().x);
  }
  std::optional<Feedback> f;
  ImGui::BeginDisabled(picked.empty());
  if (ImGui::Button(label(app, "Check", "提交", "check").c_str())) f = run.answer_ladder(picked[0]);
  ImGui::EndDisabled();
  hook_item("lesson.check");
  return f;
}

std::string construct_given_text(const App& app, const LessonRun& run, const Question& q) {
  std::string out;
  switch (q.kind) {
    case QuestionKind::Classify:
      for (std::size_t i = 0; i < q.sort_items.size() && i < app.ls.picked.size(); ++i) {
        const int k = app.ls.picked[i];
        if (k < 0 || static_cast<std::size_t>(k) >= q.classes.size()) continue;
        out += (out.empty() ? "" : "; ") + run.fill(q.sort_items[i].text.get(app.lang), app.lang) + ": " +
               run.fill(q.classes[static_cast<std::size_t>(k)].get(app.lang), app.lang);
      }
      return out;
    case QuestionKind::Blanks:
      for (const std::string& s : app.ls.blanks) out += (out.empty() ? "" : "; ") + s;
      return out;
    case QuestionKind::Ladder:
      if (!app.ls.picked.empty())
        return std::string(app.lang == Lang::Zh ? "时序图 " : "ladder ") + static_cast<char>('A' + app.ls.picked[0]);
      return out;
    default: return out;
  }
}

}  // namespace tcplab
