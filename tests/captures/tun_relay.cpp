// A delaying link between two network namespaces, for capture tests that
// need segments to cross (tests/captures/crossing.sh): this kernel has no
// netem, and loopback delivers at once. It creates a TUN device named
// tl0 in each namespace and copies every IP packet from one to the other
// after DELAY_MS milliseconds, in order. Usage:
//
//   tun-relay NETNS_A NETNS_B DELAY_MS
//
// It prints "ready" once both devices exist (the caller then gives them
// addresses and brings them up) and runs until killed.
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <string>
#include <vector>

namespace {

void fail(const char* what) {
  std::fprintf(stderr, "tun-relay: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

std::int64_t now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// A TUN device opened inside namespace `ns` stays there after we leave it.
int open_tun(const std::string& ns) {
  const std::string path = "/var/run/netns/" + ns;
  int nsfd = open(path.c_str(), O_RDONLY);
  if (nsfd < 0) fail(path.c_str());
  if (setns(nsfd, CLONE_NEWNET) < 0) fail("setns");
  close(nsfd);
  int fd = open("/dev/net/tun", O_RDWR);
  if (fd < 0) fail("/dev/net/tun");
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::strncpy(ifr.ifr_name, "tl0", IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) fail("TUNSETIFF");
  return fd;
}

struct Held {
  std::int64_t due;
  std::vector<char> packet;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: tun-relay NETNS_A NETNS_B DELAY_MS\n");
    return 2;
  }
  const int fd[2] = {open_tun(argv[1]), open_tun(argv[2])};
  const std::int64_t delay = std::atoll(argv[3]);
  std::printf("ready\n");
  std::fflush(stdout);
  std::deque<Held> queue[2];  // queue[d]: read from fd[d], to be written to fd[d ^ 1]
  for (;;) {
    int timeout = -1;
    const std::int64_t t = now_ms();
    for (const auto& q : queue)
      if (!q.empty()) {
        const int wait = static_cast<int>(q.front().due > t ? q.front().due - t : 0);
        timeout = timeout < 0 ? wait : std::min(timeout, wait);
      }
    pollfd p[2] = {{fd[0], POLLIN, 0}, {fd[1], POLLIN, 0}};
    if (poll(p, 2, timeout) < 0 && errno != EINTR) fail("poll");
    for (int d = 0; d < 2; ++d) {
      if (!(p[d].revents & POLLIN)) continue;
      std::vector<char> buf(65536);
      const ssize_t n = read(fd[d], buf.data(), buf.size());
      if (n <= 0) continue;
      buf.resize(static_cast<std::size_t>(n));
      queue[d].push_back({now_ms() + delay, std::move(buf)});
    }
    const std::int64_t after = now_ms();
    for (int d = 0; d < 2; ++d)
      while (!queue[d].empty() && queue[d].front().due <= after) {
        if (write(fd[d ^ 1], queue[d].front().packet.data(), queue[d].front().packet.size()) < 0 && errno != EIO)
          fail("write");
        queue[d].pop_front();
      }
  }
}
