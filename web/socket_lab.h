// The socket lab: a World of the engine's sockets layer (engine/sockets.h)
// that the learner drives with POSIX calls: one server, clients added one by
// one, host events, a SYN flood. No UI here: the panels
// (panel_sockets.cpp, panel_socket_controls.cpp) read the lab and push
// LabCommands, applied after drawing, like App's Commands.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "socket_lesson.h"
#include "sockets.h"

namespace tcplab {

enum class LabCmdKind : std::uint8_t {
  Call,        // host, call, fd, arg (port, backlog, octets, option)
  HostEvent,   // host, event
  Flood,       // start (arg: SYNs per second) or stop (arg 0)
  AddClient,
  NewWorld,    // a fresh World with the lab's settings (profile, cookies)
  Step,        // the clock jumps to the next thing due
  // Socket lessons (web/socket_lesson_page.cpp).
  OpenLesson,  // arg: index into lessons
  Continue,    // past a narration
  Choose,      // arg: the picked choice
  LeaveLesson,
};

enum class HostEventKind : std::uint8_t { Exit, Crash, Reboot, Unplug, Plug };

struct LabCommand {
  LabCmdKind kind = LabCmdKind::Step;
  int host = 0;
  SockCall call = SockCall::Socket;
  int fd = -1;
  int arg = 0;
  int arg2 = 0;
  HostEventKind event = HostEventKind::Exit;
};

struct LabSettings {
  StackProfile profile = StackProfile::Linux;
  SynCookies cookies = SynCookies::WhenFull;
  Duration latency_ms = 400;  // one way: slow enough to watch a segment cross
};

constexpr int LAB_SERVER = 0;      // host 0 is the server, 10.0.0.1
constexpr Port LAB_PORT = 80;      // the port the server binds
constexpr int LAB_MAX_CLIENTS = 4;

struct SocketLab {
  bool open = false;  // the page shows the lab instead of the two hosts
  bool playing = true;
  LabSettings settings;
  World world;
  int selected = LAB_SERVER;  // the host the controls act on
  std::vector<int> chosen_fd; // per host: the descriptor the calls use (-1: the newest)
  int backlog = 2;            // listen()'s argument
  std::vector<LabCommand> pending;
  // Socket lessons: the built-in ones, the run being played (its World is
  // copied into `world` after each step) and the last answer's feedback.
  std::deque<SocketLesson> lessons;
  std::vector<std::string> lesson_errors;
  std::optional<SocketLessonRun> run;
  std::optional<Feedback> feedback;
  int verdicts = 0;  // answers graded so far (a test waits for the next one)
  bool in_lesson() const { return run.has_value(); }
  // While a question waits for its answer the picture shows no state name.
  bool conceal_states() const { return run && run->question() && !(feedback && feedback->correct); }

  SocketLab() { reset(); }
  void reset();
  void push(const LabCommand& c) { pending.push_back(c); }
  // Applies the pushed commands; true if anything changed.
  bool apply_pending();
  // Lets real time pass; the virtual clock runs only while something is due
  // soon (a segment in flight, a retransmission). Longer waits (TIME-WAIT,
  // keepalive) are crossed with Step. True while something moves.
  bool tick(double real_ms);
  // The descriptor the next call on `host` uses.
  int fd_for(int host, SockCall call) const;
  int clients() const { return static_cast<int>(world.hosts().size()) - 1; }
  Instant next_due() const { return world.next_deadline(); }

 private:
  void call(const LabCommand& c);
  void host_event(const LabCommand& c);
  void add_client();
};

// Waits longer than this are not run in real time: Step crosses them.
constexpr Duration LAB_REAL_TIME_LIMIT_MS = 3000;

// Socket lessons (web/socket_lesson_page.cpp): loads the built-in ones once;
// applies a lesson command; true if it was one.
void lab_load_lessons(SocketLab& lab);
bool lab_lesson_command(SocketLab& lab, const LabCommand& c);

// The server's listening descriptor (-1: none).
int lab_listener(const World& w);

}  // namespace tcplab
