// Socket lessons: lessons about socket calls, listening queues, SYN floods
// and host events, played on a World of the sockets layer
// (engine/sockets.h) instead of the two-endpoint Simulation of lesson.h.
//
// A socket lesson is the lesson format's story (say, do, ask) around a
// socket scenario (engine/SOCKET-SCENARIOS.md): its `setup` is a socket
// scenario's setup (hosts with addresses), each `do` is a list of socket
// scenario steps (calls, advance_ms, host events, a flood, with their
// `expect`), and an `act` question's `solution` is one such step. All the
// steps in order make one socket scenario, which the engine runs to
// validate the lesson; the World at any point of the lesson is that
// scenario run up to there. Format: lessons/README.md, "Socket lessons".
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lesson.h"
#include "socket_scenario.h"

namespace tcplab {

// True when the text is a socket lesson ("kind": "sockets" at the top).
bool is_socket_lesson_text(std::string_view text);

struct SockWrongCall {
  SockCall call = SockCall::Socket;
  Text explain;
};

struct SockQuestion {
  enum class Kind : std::uint8_t { Choose, Act };
  std::string id;
  Kind kind = Kind::Choose;
  Text prompt, hint, explain;
  std::vector<Choice> choices;  // Choose (one right)
  int host = 0;                 // Act: the host whose call is asked for
  SockCall call = SockCall::Socket;  // Act: the right call
  std::vector<SockWrongCall> wrong;  // Act: what other calls would do
  std::size_t solution = 0;          // Act: index of its step in the scenario
};

struct SockLessonStep {
  enum class Kind : std::uint8_t { Say, Do, Ask };
  Kind kind = Kind::Say;
  Text say;
  bool has_say = false;
  std::size_t scenario_end = 0;  // scenario steps done once this step is done
  SockQuestion question;         // Ask
};

struct SocketLesson {
  std::string file, id;
  int version = 1, order = 0;
  Text title, summary;
  SocketScenario scenario;              // every do step and act solution, in order
  std::vector<std::string> step_paths;  // the lesson path of each scenario step
  std::vector<SockLessonStep> steps;
  int question_count() const;
};

// Parses the lesson and its scenario; nullopt with `errors` when anything
// is wrong (messages name the file and the JSON path).
std::optional<SocketLesson> parse_socket_lesson(std::string_view json, const std::string& file,
                                                std::vector<LessonError>& errors);
// Runs the whole scenario (every expect against the engine) and checks each
// act's solution is the asked call. True when clean.
bool validate_socket_lesson(const SocketLesson& lesson, std::vector<LessonError>& errors);

// One run of a socket lesson. A value.
class SocketLessonRun {
 public:
  explicit SocketLessonRun(const SocketLesson& lesson);
  const SocketLesson& lesson() const { return *lesson_; }
  const World& world() const { return world_; }
  std::size_t step_index() const { return step_; }
  bool finished() const { return step_ >= lesson_->steps.size(); }
  const SockQuestion* question() const;
  // The narration to show now (the current say, the do just done, or the
  // one before the question); nullptr when none.
  const Text* narration() const { return narration_; }
  bool awaiting_continue() const { return !finished() && question() == nullptr; }
  void advance();
  Feedback answer_choice(int picked);
  // The learner made `call` on `host` while an act question is asked.
  Feedback act_call(int host, SockCall call);
  Feedback solve();  // the right answer (tests, validation)
  Feedback answer_wrong();
  LessonScore score() const { return score_; }

 private:
  void settle();  // runs do steps until a say, an ask or the end
  void run_to(std::size_t scenario_end);
  Feedback grade(bool correct, const Text& specific);

  const SocketLesson* lesson_;
  World world_;
  std::size_t step_ = 0;
  std::size_t done_ = 0;  // scenario steps run
  int misses_ = 0;
  const Text* narration_ = nullptr;
  LessonScore score_;
};

}  // namespace tcplab
