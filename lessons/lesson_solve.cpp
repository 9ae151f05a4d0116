// Lessons (lesson.h), part 5 of 6: solutions, skips and wrong answers (exam
// fast-forward, validation, tests and `tcplab-lesson play --wrong`).
#include "lesson.h"

#include <algorithm>

#include "json.h"
#include "lesson_detail.h"
#include "mutations.h"

namespace tcplab {

using namespace lesson_detail;

//-----------------------------------------------------------------------------
// [SECTION] Solutions, skips and wrong answers
//-----------------------------------------------------------------------------

Feedback LessonRun::solve() {
  const Question* q = question();
  if (q == nullptr) return not_graded(both("There is no question to answer now.", "现在没有要回答的问题。"));
  switch (q->kind) {
    case QuestionKind::State: return answer_state(state_name(sim_.endpoint(q->host).state()));
    case QuestionKind::Number: {
      bool ok = false;
      const std::uint32_t v = selector_value(q->value, &ok);
      return answer_number(v);
    }
    case QuestionKind::Choose: {
      std::vector<int> picked;
      for (std::size_t i = 0; i < q->choices.size(); ++i)
        if (q->choices[i].correct && (q->multiple || picked.empty())) picked.push_back(static_cast<int>(i));
      return answer_choices(picked);
    }
    case QuestionKind::Order: {
      // The learner's j-th item is the shown item that is the right j-th.
      std::vector<int> order(shuffle_.size());
      for (std::size_t i = 0; i < shuffle_.size(); ++i) order[static_cast<std::size_t>(shuffle_[i])] = static_cast<int>(i);
      return answer_order(order);
    }
    case QuestionKind::Classify: {
      std::vector<int> classes;
      for (const ClassifyItem& it : q->sort_items) classes.push_back(it.cls);
      return answer_classify(classes);
    }
    case QuestionKind::Blanks: {
      std::vector<std::string> values;
      for (const Blank& b : q->blanks) values.push_back(blank_answer(b));
      return answer_blanks(values);
    }
    case QuestionKind::Ladder:
      for (std::size_t i = 0; i < ladder_options_.size(); ++i)
        if (ladder_options_[i].mutation < 0) return answer_ladder(static_cast<int>(i));
      return grade(false, both("The run's own ladder cannot be shown.", "无法显示本次运行的时序图。"));
    case QuestionKind::Act: {
      if (q->goal.call) return act_call(q->host, *q->solution.call, q->solution.bytes);
      Segment s;
      if (!solution_segment(&s))
        return grade(false, both("The solution's segment does not evaluate.", "答案中的报文段无法求值。"));
      return act_segment(q->host, s);
    }
  }
  return Feedback{};
}

bool LessonRun::perform_solution() {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Act) return false;
  if (q->goal.call) {
    sim_.call(q->host, *q->solution.call, q->solution.bytes);
    return true;
  }
  Segment s;
  if (!solution_segment(&s)) return false;
  sim_.deliver(sim_.send_raw(q->host, s));
  return true;
}

void LessonRun::skip() {
  if (question() == nullptr) return;
  perform_solution();  // an act question: the conversation goes on as the lesson expects
  next_step();
}

Feedback LessonRun::answer_wrong(std::string* given) {
  const Question* q = question();
  if (q == nullptr) return not_graded(both("There is no question to answer now.", "现在没有要回答的问题。"));
  std::string g;
  Feedback f;
  switch (q->kind) {
    case QuestionKind::State: {
      const State actual = sim_.endpoint(q->host).state();
      State w = actual == State::Closed ? State::Listen : State::Closed;
      for (const Mistake& m : q->mistakes)
        if (m.answer != actual) {
          w = m.answer;
          break;
        }
      g = state_name(w);
      f = answer_state(g);
      break;
    }
    case QuestionKind::Number: {
      bool ok = false;
      const std::uint32_t v = static_cast<std::uint32_t>(selector_value(q->value, &ok) + 1);
      g = std::to_string(v);
      f = answer_number(v);
      break;
    }
    case QuestionKind::Choose: {
      std::vector<int> picked;
      for (std::size_t i = 0; i < q->choices.size() && picked.empty(); ++i)
        if (!q->choices[i].correct) picked.push_back(static_cast<int>(i));
      if (picked.empty()) picked.push_back(0);  // all correct (multiple): one is too few
      for (int i : picked) g += (g.empty() ? "" : "; ") + fill(q->choices[static_cast<std::size_t>(i)].text.en, Lang::En);
      f = answer_choices(picked);
      break;
    }
    case QuestionKind::Order: {
      std::vector<int> order(shuffle_.size());
      for (std::size_t i = 0; i < shuffle_.size(); ++i) order[static_cast<std::size_t>(shuffle_[i])] = static_cast<int>(i);
      std::reverse(order.begin(), order.end());
      const std::vector<Text> shown = order_items();
      for (int i : order) g += (g.empty() ? "" : "; ") + fill(shown[static_cast<std::size_t>(i)].en, Lang::En);
      f = answer_order(order);
      break;
    }
    case QuestionKind::Classify: {
      // Every item in the class after its own: all wrong.
      std::vector<int> classes;
      for (const ClassifyItem& it : q->sort_items)
        classes.push_back((it.cls + 1) % static_cast<int>(q->classes.size()));
      for (int c : classes) g += (g.empty() ? "" : ",") + std::to_string(c);
      f = answer_classify(classes);
      break;
    }
    case QuestionKind::Blanks: {
      // The right number + 1 (off by one), the flags without ACK or with
      // it, the other host's state.
      std::vector<std::string> values;
      for (const Blank& b : q->blanks) {
        const std::size_t r = blank_row(b);
        const LadderRow* row = r < blank_ladder_.size() ? &blank_ladder_[r] : nullptr;
        if (row == nullptr) values.push_back("0");
        else if (b.field == Blank::Field::Seq) values.push_back(std::to_string(static_cast<Seq>(row->seg.seq + 1)));
        else if (b.field == Blank::Field::Ack) values.push_back(std::to_string(static_cast<Seq>(row->seg.ack + 1)));
        else if (b.field == Blank::Field::Flags) values.push_back(flags_text(static_cast<std::uint8_t>((row->seg.flags ^ FLAG_ACK) | (row->seg.flags == FLAG_ACK ? FLAG_SYN : 0))));
        else values.push_back(row->state[b.host & 1] == State::Closed ? "LISTEN" : "CLOSED");
        g += (g.empty() ? "" : "|") + values.back();
      }
      f = answer_blanks(values);
      break;
    }
    case QuestionKind::Ladder: {
      int pick = 0;
      for (std::size_t i = 0; i < ladder_options_.size(); ++i)
        if (ladder_options_[i].mutation >= 0) {
          pick = static_cast<int>(i);
          g = mutation_name(ladder_options_[i].mutation);
          break;
        }
      f = answer_ladder(pick);
      break;
    }
    case QuestionKind::Act: {
      if (q->goal.call) {
        static const Call CALLS[] = {Call::Abort, Call::Close, Call::OpenPassive, Call::OpenActive, Call::Send};
        Call c = Call::Abort;
        for (Call k : CALLS)
          if (k != *q->goal.call) {
            c = k;
            break;
          }
        g = call_on(names(), q->host, c, 1, Lang::En);
        f = act_call(q->host, c, 1);
      } else {
        // Far outside the peer's window (and acknowledging nothing it sent):
        // refused in every state.
        const Tcb& t = sim_.endpoint(q->host).tcb();
        Segment s;
        s.flags = FLAG_ACK;
        s.seq = static_cast<Seq>(t.snd_nxt + (1u << 30));
        s.ack = static_cast<Seq>(t.rcv_nxt + (1u << 30));
        s.wnd = lesson_->setup.rcv_wnd;
        g = host_en(names(), q->host, false) + " sends " + segment_label(s);
        f = act_segment(q->host, s);
      }
      break;
    }
  }
  if (given != nullptr) *given = g;
  return f;
}

}  // namespace tcplab
