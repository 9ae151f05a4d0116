// Fuzz target: the lesson loader and validator (lessons/lesson.h). A lesson
// that validates is then played through, each question answered wrong and
// then right, as `tcplab-lesson play --wrong` does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lesson.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tcplab;
  std::vector<LessonError> errors;
  const std::optional<Lesson> l =
      load_lesson(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json", errors);
  if (!l) return 0;
  LessonRun run(*l, 7);
  for (int guard = 0; !run.finished() && guard < 1000; ++guard) {
    if (run.question() == nullptr) {
      (void)run.narration();
      run.advance();
      continue;
    }
    std::string given;
    run.answer_wrong(&given);
    (void)run.answer_text(Lang::Zh);
    if (run.question() != nullptr) run.solve();
    if (run.question() != nullptr) run.skip();  // a solution that does not pass
  }
  (void)run.score();
  return 0;
}
