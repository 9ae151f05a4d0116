// tcplab-lesson export: an exam paper of a lesson run (lessons/lesson_export.h).
#include <cstdio>

#include "lesson_export.h"
#include "tool.h"

namespace tcplab_tool {

using namespace tcplab;

namespace {

bool write_file(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return std::fclose(f) == 0 && ok;
}

bool parse_u64(const std::string& s, std::uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  unsigned long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const unsigned long long d = static_cast<unsigned long long>(c - '0');
    if (v > (~0ull - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

}  // namespace

// tcplab-lesson export FILE --seed N (--svg OUT | --txt OUT) [--blank seq,ack,flags,state] [--lang en|zh]
// writes the paper to OUT and its answer key to OUT.key.txt.
int command_export(const std::vector<std::string>& args) {
  std::string file, svg, txt, lang = "en";
  std::uint64_t seed = 0;
  bool have_seed = false;
  PaperBlanks blanks;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--seed" || a == "--svg" || a == "--txt" || a == "--blank" || a == "--lang") {
      if (!has_value) return usage_error(a + " needs a value");
      const std::string v = args[++i];
      if (a == "--seed") {
        if (!parse_u64(v, seed)) return usage_error("bad seed " + v + ": expected a whole number");
        have_seed = true;
      } else if (a == "--svg") {
        svg = v;
      } else if (a == "--txt") {
        txt = v;
      } else if (a == "--lang") {
        if (v != "en" && v != "zh") return usage_error("--lang is en or zh, not " + v);
        lang = v;
      } else {
        std::string why;
        if (!parse_paper_blanks(v, blanks, why)) return usage_error("--blank: " + why);
      }
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option " + a);
    } else if (file.empty()) {
      file = a;
    } else {
      return usage_error("export takes one file");
    }
  }
  if (file.empty()) return usage_error("export needs a file");
  if (!have_seed) return usage_error("export needs --seed N");
  if (svg.empty() == txt.empty()) return usage_error("export needs one of --svg OUT or --txt OUT");
  const std::optional<Lesson> l = load_file(file);
  if (!l) return 2;
  const Paper p = export_paper(*l, seed, blanks, lang == "zh" ? Lang::Zh : Lang::En);
  if (!p.ok) {
    put(stderr, file + ": no ladder to export: " + p.error + "\n");
    return 2;
  }
  const std::string out = svg.empty() ? txt : svg;
  if (!write_file(out, svg.empty() ? p.text : p.svg) || !write_file(out + ".key.txt", p.key_text)) {
    put(stderr, out + ": cannot write the file\n");
    return 2;
  }
  put(stdout, "wrote " + out + " (" + std::to_string(p.rows.size()) + " rows, " + std::to_string(p.key.size()) +
                  " blanks) and " + out + ".key.txt\n");
  return 0;
}

}  // namespace tcplab_tool
