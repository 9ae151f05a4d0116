// Lessons (lesson.h): the questions that make learners construct or judge
// a whole exchange. Order as a partial order, classify, blanks (a ladder of
// this run with fields hidden) and ladder (pick the valid ladder among the
// run's own and its named mutations, each refused by the engine).
#include <algorithm>

#include "lesson.h"
#include "lesson_detail.h"
#include "mutations.h"
#include "segment_mistakes.h"

namespace tcplab {

using namespace lesson_detail;

namespace {

// The trace positions of the run's segments (the order items of "segments":
// true, in the same order).
std::vector<std::size_t> sent_events(const Trace& t) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < t.size(); ++k)
    if (t[k].kind == EventKind::Sent) out.push_back(k);
  return out;
}

// Whether the segment sent at `x` was still in flight when the other host
// sent the segment at `y` (x < y): the two crossed, and either may be drawn
// first.
bool crossed(const Trace& t, std::size_t x, std::size_t y) {
  if ((t[x].host & 1) == (t[y].host & 1) || t[x].seg_id == 0) return false;
  for (std::size_t j = x + 1; j < y; ++j)
    if (t[j].seg_id == t[x].seg_id &&
        (t[j].kind == EventKind::Delivered || t[j].kind == EventKind::Lost || t[j].kind == EventKind::Dropped))
      return false;
  return true;
}

Rng question_rng(std::uint64_t seed, std::size_t step) {
  return Rng(seed * 0x9E3779B97F4A7C15ull ^ (static_cast<std::uint64_t>(step) + 1) * 0xD1B54A32D192ED03ull);
}

std::string quoted(const std::string& s, Lang lang) { return lang == Lang::Zh ? "“" + s + "”" : "\"" + s + "\""; }

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Order as a partial order
//-----------------------------------------------------------------------------

void LessonRun::prepare_order(const Question& q) {
  const std::size_t n = order_right_.size();
  before_.assign(n, std::vector<bool>(n, false));
  const std::vector<std::size_t> sent = q.order_segments ? sent_events(sim_.trace()) : std::vector<std::size_t>{};
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      bool strict = true;
      if (!q.order_segments) strict = q.rank[i] < q.rank[j];
      else if (q.crossing && j < sent.size()) strict = !crossed(sim_.trace(), sent[i], sent[j]);
      before_[i][j] = strict;
    }
}

namespace {

// Whether some two different items may come in either order.
bool has_either_pair(const std::vector<std::vector<bool>>& before, const std::vector<Text>& items) {
  for (std::size_t a = 0; a < items.size(); ++a)
    for (std::size_t b = a + 1; b < items.size(); ++b)
      if (!before[a][b] && items[a].en != items[b].en) return true;
  return false;
}

}  // namespace

// A total order: the positions that are not right, as before partial orders.
Feedback LessonRun::grade_total_order(const std::vector<std::size_t>& pos) {
  std::vector<int> wrong;
  for (std::size_t r = 0; r < pos.size(); ++r)
    if (pos[r] != r) wrong.push_back(static_cast<int>(pos[r] + 1));
  std::sort(wrong.begin(), wrong.end());
  if (wrong.empty()) return grade(true, Text{});
  if (wrong.size() == 1)
    return grade(false, both("Position " + positions_en(wrong) + " is not right.", "第 " + positions_zh(wrong) + " 项的位置不对。"));
  return grade(false, both("Positions " + positions_en(wrong) + " are not right.", "第 " + positions_zh(wrong) + " 项的位置不对。"));
}

bool LessonRun::order_has_strict_pair() const {
  for (const std::vector<bool>& row : before_)
    for (bool b : row)
      if (b) return true;
  return false;
}

Feedback LessonRun::answer_order(const std::vector<int>& order) {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Order) return not_graded(both("There is no order question to answer now.", "现在没有要回答的排序题。"));
  const std::size_t n = order_right_.size();
  std::vector<bool> used(n, false);
  bool permutation = order.size() == n;
  for (int i : order) {
    if (!permutation) break;
    if (i < 0 || static_cast<std::size_t>(i) >= n || used[static_cast<std::size_t>(i)]) permutation = false;
    else used[static_cast<std::size_t>(i)] = true;
  }
  if (!permutation) return not_graded(both("Put every item in the list exactly once.", "每一项都要放进列表，且只放一次。"));
  std::string value;
  for (int i : order) value += (value.empty() ? "" : ",") + std::to_string(i);
  giving_.value = value;
  // pos[r]: where the learner put right item r. Items with the same text
  // (two identical retransmissions) are interchangeable: each placed one
  // takes the earliest right item with its text.
  std::vector<std::size_t> pos(n, 0);
  std::vector<bool> taken(n, false);
  for (std::size_t j = 0; j < n; ++j) {
    const std::string& text = order_right_[static_cast<std::size_t>(shuffle_[static_cast<std::size_t>(order[j])])].en;
    for (std::size_t r = 0; r < n; ++r)
      if (!taken[r] && order_right_[r].en == text) {
        taken[r] = true;
        pos[r] = j;
        break;
      }
  }
  if (!has_either_pair(before_, order_right_)) return grade_total_order(pos);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b)
      if (before_[a][b] && pos[a] > pos[b]) {
        const Text x = fill(order_right_[a]), y = fill(order_right_[b]);
        return grade(false, both(quoted(x.en, Lang::En) + " must come before " + quoted(y.en, Lang::En) + ".",
                                 quoted(x.zh, Lang::Zh) + "必须在" + quoted(y.zh, Lang::Zh) + "之前。"));
      }
  // Right. Say which pairs could have been the other way round.
  Text either;
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b)
      if (!before_[a][b] && order_right_[a].en != order_right_[b].en) {
        const Text x = fill(order_right_[a]), y = fill(order_right_[b]);
        append(either, both(quoted(x.en, Lang::En) + " and " + quoted(y.en, Lang::En) + " may come in either order" +
                                (q->order_segments ? ": they crossed on the wire." : "."),
                            quoted(x.zh, Lang::Zh) + "和" + quoted(y.zh, Lang::Zh) + "的先后顺序都对" +
                                (q->order_segments ? "：它们在链路上交错而过。" : "。")));
      }
  return grade(true, either);
}

//-----------------------------------------------------------------------------
// [SECTION] Classify
//-----------------------------------------------------------------------------

Feedback LessonRun::answer_classify(const std::vector<int>& classes) {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Classify)
    return not_graded(both("There is no classify question to answer now.", "现在没有要回答的分类题。"));
  const std::size_t n = q->sort_items.size();
  bool complete = classes.size() == n;
  for (int c : classes) complete = complete && c >= 0 && static_cast<std::size_t>(c) < q->classes.size();
  if (!complete) return not_graded(both("Put every item in a class.", "请把每一项都归入一类。"));
  std::string value;
  for (int c : classes) value += (value.empty() ? "" : ",") + std::to_string(c);
  giving_.value = value;
  Text specific;
  int wrong = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const ClassifyItem& it = q->sort_items[i];
    if (classes[i] == it.cls) continue;
    ++wrong;
    const Text item = fill(it.text), cls = fill(q->classes[static_cast<std::size_t>(classes[i])]);
    append(specific, both(quoted(item.en, Lang::En) + " is not " + quoted(cls.en, Lang::En) + ": " + fill(it.explain).en,
                          quoted(item.zh, Lang::Zh) + "不属于" + quoted(cls.zh, Lang::Zh) + "：" + fill(it.explain).zh));
  }
  if (wrong == 0) return grade(true, Text{});
  return grade(false, specific);
}

//-----------------------------------------------------------------------------
// [SECTION] The run's ladder: blanks and ladder questions
//-----------------------------------------------------------------------------

void LessonRun::prepare_ladder(const Question& q) {
  ladder_options_.clear();
  blank_ladder_.clear();
  ladder_problems_.clear();
  if (q.kind != QuestionKind::Blanks && q.kind != QuestionKind::Ladder) return;
  const std::string path = "steps[" + std::to_string(step_) + "].ask";
  std::vector<LadderRow> rows;
  std::string why;
  if (!run_ladder(sim_.trace(), rows, &why)) {
    ladder_problems_.push_back(LessonError{lesson_->file, path, "the run's ladder cannot be shown: " + why});
    return;
  }
  if (q.kind == QuestionKind::Blanks) {
    blank_ladder_ = rows;
    for (std::size_t i = 0; i < q.blanks.size(); ++i) {
      const Blank& b = q.blanks[i];
      const std::string bp = path + ".blanks[" + std::to_string(i) + "].row";
      if (blank_row(b) >= rows.size())
        ladder_problems_.push_back(LessonError{lesson_->file, bp, "there is no row " + std::to_string(b.row) + ": the ladder has " +
                                                                     std::to_string(rows.size()) + " rows (0 to " +
                                                                     std::to_string(rows.size() - 1) + ")"});
      else if (b.field == Blank::Field::Ack && !rows[blank_row(b)].seg.has(FLAG_ACK))
        ladder_problems_.push_back(LessonError{lesson_->file, path + ".blanks[" + std::to_string(i) + "].field",
                                               "row " + std::to_string(blank_row(b)) + " (" + segment_label(rows[blank_row(b)].seg) +
                                                   ") carries no ACK: its ack field means nothing"});
    }
    return;
  }
  ladder_options_.push_back(LadderChoice{rows, -1});
  if (distractor_seed_) {
    // An exam: the drawn mutations, each already refused by the engine.
    for (int m : distractor_mutations(q, rows)) {
      LadderChoice c{{}, m};
      apply_mutation(m, rows, c.rows);
      ladder_options_.push_back(c);
    }
  }
  for (std::size_t i = 0; !distractor_seed_ && i < q.distractors.size(); ++i) {
    const int m = q.distractors[i].mutation;
    const std::string dp = path + ".distractors[" + std::to_string(i) + "]";
    LadderChoice c{{}, m};
    if (!apply_mutation(m, rows, c.rows)) {
      ladder_problems_.push_back(LessonError{lesson_->file, dp, std::string("\"") + mutation_name(m) +
                                                                    "\" changes nothing in this run's ladder (it has nothing this mistake is about)"});
      continue;
    }
    if (check_ladder(c.rows).valid) {
      ladder_problems_.push_back(LessonError{lesson_->file, dp, std::string("the engine accepts the \"") + mutation_name(m) +
                                                                    "\" ladder: it is not a mistake in this run"});
      continue;
    }
    ladder_options_.push_back(c);
  }
  // Shuffled by the seed; the run's own ladder is never always first.
  Rng rng = question_rng(seed_, step_);
  for (std::size_t i = ladder_options_.size(); i > 1; --i)
    std::swap(ladder_options_[i - 1], ladder_options_[rng.below(static_cast<std::uint32_t>(i))]);
}

// The exam's distractors: every mutation in an order drawn by the exam's
// seed (mixed with the step, so two ladder questions draw apart), the
// first ones that change this run's ladder into one the engine refuses, as
// many as the author chose.
std::vector<int> LessonRun::distractor_mutations(const Question& q, const std::vector<LadderRow>& rows) const {
  std::vector<int> all;
  for (int m = 0; m < static_cast<int>(Mutation::Count); ++m) all.push_back(m);
  Rng rng = question_rng(*distractor_seed_ ^ 0xA0761D6478BD642Full, step_);
  for (std::size_t i = all.size(); i > 1; --i) std::swap(all[i - 1], all[rng.below(static_cast<std::uint32_t>(i))]);
  std::vector<int> out;
  for (int m : all) {
    if (out.size() >= q.distractors.size()) break;
    std::vector<LadderRow> mutated;
    if (apply_mutation(m, rows, mutated) && !check_ladder(mutated).valid) out.push_back(m);
  }
  return out;
}

void LessonRun::redraw_distractors(std::uint64_t draw_seed) {
  distractor_seed_ = draw_seed;
  if (const Question* q = question(); q != nullptr && q->kind == QuestionKind::Ladder) prepare_ladder(*q);
}

std::size_t LessonRun::blank_row(const Blank& b) const {
  const long n = static_cast<long>(blank_ladder_.size());
  const long r = b.row < 0 ? n + b.row : b.row;
  return r < 0 || r >= n ? blank_ladder_.size() : static_cast<std::size_t>(r);
}

std::string LessonRun::blank_answer(const Blank& b) const {
  const std::size_t r = blank_row(b);
  if (r >= blank_ladder_.size()) return "?";
  const LadderRow& row = blank_ladder_[r];
  switch (b.field) {
    case Blank::Field::Seq: return std::to_string(row.seg.seq);
    case Blank::Field::Ack: return std::to_string(row.seg.ack);
    case Blank::Field::Flags: return flags_text(static_cast<std::uint8_t>(row.seg.flags & ~FLAG_PSH));
    case Blank::Field::State: return state_name(row.state[b.host & 1]);
  }
  return "?";
}

namespace {

const char* field_name(const Blank& b, Lang lang) {
  switch (b.field) {
    case Blank::Field::Seq: return "seq";
    case Blank::Field::Ack: return lang == Lang::Zh ? "确认号 ack" : "ack";
    case Blank::Field::Flags: return lang == Lang::Zh ? "标志位" : "flags";
    case Blank::Field::State: return lang == Lang::Zh ? "状态" : "state";
  }
  return "";
}

// "Blank 2 (row 3, ack)" / "第 2 空（第 3 行，确认号 ack）": rows counted from 1 as drawn.
Text blank_title(std::size_t i, std::size_t row, const Blank& b) {
  const std::string who = b.field == Blank::Field::State ? std::string(b.host == 0 ? " of A" : " of B") : "";
  const std::string who_zh = b.field == Blank::Field::State ? std::string(b.host == 0 ? "A 的" : "B 的") : "";
  return both("Blank " + std::to_string(i + 1) + " (row " + std::to_string(row + 1) + ", " + field_name(b, Lang::En) + who + ")",
              "第 " + std::to_string(i + 1) + " 空（第 " + std::to_string(row + 1) + " 行，" + who_zh + field_name(b, Lang::Zh) + "）");
}

bool parse_u32(std::string_view t, std::uint32_t& out) {
  t = trim(t);
  if (t.empty() || t.size() > 20) return false;
  std::uint64_t v = 0;
  for (char ch : t) {
    if (!is_digit(ch)) return false;
    v = (v * 10 + static_cast<std::uint64_t>(ch - '0')) & 0xFFFFFFFFull;  // modulo 2^32
  }
  out = static_cast<std::uint32_t>(v);
  return true;
}

}  // namespace

Feedback LessonRun::answer_blanks(const std::vector<std::string>& values) {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Blanks)
    return not_graded(both("There is no blanks question to answer now.", "现在没有要回答的填空题。"));
  if (values.size() != q->blanks.size()) return not_graded(both("Fill every blank.", "请填写每一个空。"));
  std::string value;
  for (const std::string& v : values) value += (value.empty() ? "" : "|") + std::string(trim(v));
  // Every blank is read before any is graded: text that is not a number,
  // a flag list or a state is not graded (no miss).
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Blank& b = q->blanks[i];
    std::uint32_t n = 0;
    std::uint8_t flags = 0;
    const bool readable = b.field == Blank::Field::State   ? parse_state(std::string(trim(values[i]))).has_value()
                          : b.field == Blank::Field::Flags ? parse_flag_list(values[i], flags)
                                                           : parse_u32(values[i], n);
    if (!readable) {
      const Text t = blank_title(i, blank_row(b), b);
      const char* en = b.field == Blank::Field::State ? "a state name such as ESTABLISHED"
                       : b.field == Blank::Field::Flags ? "flags such as SYN,ACK"
                                                         : "a number such as 1001";
      const char* zh = b.field == Blank::Field::State ? "状态名，例如 ESTABLISHED"
                       : b.field == Blank::Field::Flags ? "标志位，例如 SYN,ACK"
                                                         : "一个数，例如 1001";
      return not_graded(both(t.en + ": type " + en + ".", t.zh + "：请输入" + zh + "。"));
    }
  }
  giving_.value = value;
  Text specific;
  bool all = true;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Blank& b = q->blanks[i];
    const std::size_t r = blank_row(b);
    const LadderRow& row = blank_ladder_[r];
    const Text title = blank_title(i, r, b);
    bool right = false;
    Text why;
    switch (b.field) {
      case Blank::Field::State:
        right = parse_state(std::string(trim(values[i])))->state == row.state[b.host & 1];
        break;
      case Blank::Field::Flags: {
        std::uint8_t f = 0;
        parse_flag_list(values[i], f);
        const std::uint8_t mask = static_cast<std::uint8_t>(~FLAG_PSH);
        right = (f & mask) == (row.seg.flags & mask);
        break;
      }
      case Blank::Field::Seq:
      case Blank::Field::Ack: {
        std::uint32_t n = 0;
        parse_u32(values[i], n);
        const bool ack = b.field == Blank::Field::Ack;
        right = n == (ack ? row.seg.ack : row.seg.seq);
        if (!right) why = mistake_text(ladder_number_mistake(blank_ladder_, r, ack, n));
        break;
      }
    }
    all = all && right;
    if (right) append(specific, both(title.en + ": right.", title.zh + "：正确。"));
    else {
      Text line = both(title.en + ": not right.", title.zh + "：不对。");
      append(line, why);
      append(specific, line);
    }
  }
  return grade(all, specific);
}

//-----------------------------------------------------------------------------
// [SECTION] Ladder: pick the valid one
//-----------------------------------------------------------------------------

Feedback LessonRun::answer_ladder(int picked) {
  const Question* q = question();
  if (q == nullptr || q->kind != QuestionKind::Ladder)
    return not_graded(both("There is no ladder question to answer now.", "现在没有要回答的时序图题。"));
  if (picked < 0 || static_cast<std::size_t>(picked) >= ladder_options_.size())
    return not_graded(both("Pick one of the ladders.", "请选择其中一个时序图。"));
  giving_.value = std::to_string(picked);
  const LadderChoice& c = ladder_options_[static_cast<std::size_t>(picked)];
  if (c.mutation < 0) return grade(true, Text{});
  const LadderVerdict v = check_ladder(c.rows);
  Text specific = both(mutation_explain(c.mutation, Lang::En), mutation_explain(c.mutation, Lang::Zh));
  append(specific, both(ladder_verdict_text(v, c.rows, Lang::En), ladder_verdict_text(v, c.rows, Lang::Zh)));
  return grade(false, specific);
}

}  // namespace tcplab
