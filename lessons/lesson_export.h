// Exam papers: a lesson run to its end with its solutions, its ladder drawn
// for paper with chosen fields left blank (numbered boxes), on a real time
// axis, and the answer key beside it. No internal reason keys: only what a
// learner sees on an exam paper. `tcplab-lesson export` writes them, and so
// does the page's *Export paper* at the end of a lesson (web/main.cpp).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lesson.h"

namespace tcplab {

struct PaperBlanks {
  bool seq = false, ack = false, flags = false, state = false;
};
// "seq,ack,flags,state" (any subset, any order); false and `why` on a word
// that is not one of them.
bool parse_paper_blanks(const std::string& text, PaperBlanks& out, std::string& why);

// One row of the paper: a segment on the wire with the times it left and
// arrived (virtual ms), and both hosts' states after it.
struct PaperRow {
  LadderRow row;
  std::int64_t sent_ms = 0, arrived_ms = 0;
};

// One blank of the paper and its answer: (3) row 2 ack = 1001.
struct PaperKey {
  int number = 0;
  std::size_t row = 0;
  std::string field;  // "seq", "ack", "flags", "state of A", "state of B"
  std::string answer;
};

struct Paper {
  bool ok = false;
  std::string error;
  std::vector<PaperRow> rows;
  std::vector<PaperKey> key;
  std::string text;      // the paper as plain text
  std::string svg;       // the paper as SVG
  std::string key_text;  // the answer key as plain text
};

// Runs `lesson` with `seed` to its end (every question solved) and lays
// out its ladder. Blanks: every seq except each host's first (the ISNs are
// given), every ack, every flag set, every state shown (where it changes).
Paper export_paper(const Lesson& lesson, std::uint64_t seed, const PaperBlanks& blanks, Lang lang);

}  // namespace tcplab
