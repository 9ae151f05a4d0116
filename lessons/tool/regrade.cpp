// tcplab-lesson regrade: replays an attempt record (lessons/attempt.h) on
// its lesson and says whether the score the browser reported is the one
// the lesson gives. The browser's score is formative; this one counts.
#include <algorithm>
#include <cstdio>
#include <dirent.h>
#include <string>
#include <vector>

#include "attempt.h"
#include "json.h"
#include "tool.h"

namespace tcplab_tool {

using namespace tcplab;

namespace {

// The lesson files of a folder (*.json), sorted.
std::vector<std::string> json_files(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0) out.push_back(dir + "/" + n);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The record in `text`: a bare record, or an object carrying one in
// "record" (a saved `complete` event).
bool read_record(const std::string& path, Attempt& a) {
  std::string text;
  const std::string why = read_file(path, text);
  if (!why.empty()) {
    put(stderr, path + ": " + why + "\n");
    return false;
  }
  JsonValue doc;
  JsonError je;
  if (parse_json(text, doc, je))
    if (const JsonValue* rec = doc.find("record")) text = json_write(*rec);
  std::string error;
  if (parse_attempt(text, a, error)) return true;
  put(stderr, path + ": not an attempt record: " + error + "\n");
  return false;
}

std::string pts(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", p);
  return buf;
}

}  // namespace

int command_regrade(const std::vector<std::string>& args) {
  std::string record_path, dir = TCPLAB_LESSONS_DIR;
  std::vector<std::string> lesson_files;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--lessons") {
      if (i + 1 >= args.size()) return usage_error("--lessons needs a folder");
      dir = args[++i];
    } else if (!args[i].empty() && args[i][0] == '-') {
      return usage_error("unknown option " + args[i]);
    } else if (record_path.empty()) {
      record_path = args[i];
    } else {
      lesson_files.push_back(args[i]);
    }
  }
  if (record_path.empty()) return usage_error("regrade needs an attempt record (a .json file)");
  Attempt a;
  if (!read_record(record_path, a)) return 2;
  if (lesson_files.empty()) lesson_files = json_files(dir);
  std::optional<Lesson> lesson;
  for (const std::string& f : lesson_files) {
    std::optional<Lesson> l = load_file(f);
    if (l && l->id == a.lesson && l->version == a.version) lesson = std::move(l);
    if (lesson) break;
  }
  if (!lesson) {
    put(stderr, record_path + ": no lesson \"" + a.lesson + "\" version " + std::to_string(a.version) + " among " +
                    std::to_string(lesson_files.size()) + " lesson file(s) (give the file, or --lessons DIR)\n");
    return 2;
  }
  const Regrade r = regrade_attempt(*lesson, a);
  out("lesson " + a.lesson + " v" + std::to_string(a.version) + ", seed " + std::to_string(a.seed) + ", attempt " +
      std::to_string(a.attempt) + ", " + std::to_string(a.answers.size()) + " answer(s)");
  if (!r.replayed) {
    out("cannot replay: " + r.error);
    return 1;
  }
  const double pct = r.score.questions ? 100.0 * r.score.points / r.score.questions : 0.0;
  char line[200];
  std::snprintf(line, sizeof line, "re-graded: %s / %d (%.0f %%), %d first try%s", pts(r.score.points).c_str(),
                r.score.questions, pct, r.score.first_try, r.finished ? "" : ", unfinished");
  out(line);
  if (a.score) out("reported: " + pts(*a.score) + (a.questions ? " / " + std::to_string(*a.questions) : ""));
  for (const std::string& m : r.mismatches) out("mismatch: " + m);
  out(r.score_matches() ? "MATCHES" : "DOES NOT MATCH: the reported score is not what these answers earn");
  return r.score_matches() ? 0 : 1;
}

}  // namespace tcplab_tool
