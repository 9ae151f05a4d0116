// Sequence-number arithmetic modulo 2^32 (RFC 9293 3.4) and segment length.
#include "fixtures.h"

using namespace tcplab;

// The comparisons are constexpr: the simplest cases are checked at compile time.
static_assert(seq_lt(1, 2), "1 before 2");
static_assert(seq_lt(0xFFFFFFFFu, 0), "2^32-1 is just before 0");
static_assert(!seq_lt(0, 0xFFFFFFFFu), "0 is after 2^32-1");
static_assert(seq_in(0, 0xFFFFFFF0u, 0x10), "0 lies in a window that wraps");

TEST_SUITE("sequence numbers") {

// RFC 9293 3.4: "arithmetic ... must be performed modulo 2^32".
TEST_CASE("seq comparisons without wrap") {
  CHECK(seq_lt(1000, 1001));
  CHECK_FALSE(seq_lt(1001, 1000));
  CHECK_FALSE(seq_lt(1000, 1000));
  CHECK(seq_le(1000, 1000));
  CHECK(seq_le(1000, 1001));
  CHECK_FALSE(seq_le(1001, 1000));
  CHECK(seq_gt(1001, 1000));
  CHECK_FALSE(seq_gt(1000, 1000));
  CHECK(seq_ge(1000, 1000));
  CHECK(seq_ge(1001, 1000));
  CHECK_FALSE(seq_ge(1000, 1001));
}

TEST_CASE("seq comparisons across the wrap at 2^32") {
  const Seq top = 0xFFFFFFFFu;  // 2^32 - 1
  SUBCASE("2^32-1 is before 0, 0 is after 2^32-1") {
    CHECK(seq_lt(top, 0));
    CHECK(seq_le(top, 0));
    CHECK(seq_gt(0, top));
    CHECK(seq_ge(0, top));
    CHECK_FALSE(seq_lt(0, top));
    CHECK_FALSE(seq_gt(top, 0));
  }
  SUBCASE("adding wraps") {
    Seq iss = top;
    Seq nxt = iss + 1;  // the SYN occupies 2^32-1, SND.NXT is 0
    CHECK(nxt == 0);
    CHECK(seq_lt(iss, nxt));
    CHECK(seq_lt(0xFFFFFF9Cu, 0xFFFFFF9Cu + 200u));  // 2^32-100 + 200 = 100
    CHECK(static_cast<Seq>(0xFFFFFF9Cu + 200u) == 100u);
  }
  SUBCASE("far apart but less than 2^31") {
    CHECK(seq_lt(0xF0000000u, 0x10000000u));  // 2^29 apart across the wrap
    CHECK(seq_gt(0x10000000u, 0xF0000000u));
    CHECK(seq_lt(0, 0x7FFFFFFFu));  // 2^31 - 1 ahead: still after
    CHECK(seq_gt(0, 0x80000001u));  // 2^31 + 1 ahead is really behind
  }
}

TEST_CASE("seq_in: lo <= x < hi in sequence space") {
  SUBCASE("plain window") {
    CHECK(seq_in(5001, 5001, 5001 + 4096));
    CHECK(seq_in(5001 + 4095, 5001, 5001 + 4096));
    CHECK_FALSE(seq_in(5001 + 4096, 5001, 5001 + 4096));  // right edge excluded
    CHECK_FALSE(seq_in(5000, 5001, 5001 + 4096));
  }
  SUBCASE("window that wraps") {
    const Seq lo = 0xFFFFFF00u, hi = 0x100;  // 512 numbers across 0
    CHECK(seq_in(0xFFFFFF00u, lo, hi));
    CHECK(seq_in(0xFFFFFFFFu, lo, hi));
    CHECK(seq_in(0, lo, hi));
    CHECK(seq_in(0xFF, lo, hi));
    CHECK_FALSE(seq_in(0x100, lo, hi));
    CHECK_FALSE(seq_in(0xFFFFFEFFu, lo, hi));
    CHECK_FALSE(seq_in(0x80000000u, lo, hi));
  }
  SUBCASE("empty window") {
    CHECK_FALSE(seq_in(7, 7, 7));
  }
}

// RFC 9293 3.4: SEG.LEN counts the octets of data and one for each of SYN
// and FIN.
TEST_CASE("SEG.LEN counts SYN and FIN") {
  Segment s;
  CHECK(s.seg_len() == 0);
  s.flags = FLAG_SYN;
  CHECK(s.seg_len() == 1);
  s.flags = FLAG_SYN | FLAG_FIN;
  CHECK(s.seg_len() == 2);
  s.flags = FLAG_ACK | FLAG_FIN;
  s.len = 100;
  CHECK(s.seg_len() == 101);
  s.flags = FLAG_ACK | FLAG_RST | FLAG_PSH;
  CHECK(s.seg_len() == 100);
  CHECK(s.has(FLAG_RST));
  CHECK_FALSE(s.has(FLAG_SYN));

  Outstanding o;
  o.flags = FLAG_SYN;
  CHECK(o.seg_len() == 1);
  o.flags = FLAG_FIN;
  o.len = 10;
  CHECK(o.seg_len() == 11);
}

TEST_CASE("segments compare without the ACK field when the ACK bit is off") {
  Segment a = fx::seg(FLAG_SYN, 1000, 1234);
  Segment b = fx::seg(FLAG_SYN, 1000, 9999);
  CHECK(a == b);
  a.flags = b.flags = FLAG_SYN | FLAG_ACK;
  CHECK_FALSE(a == b);
  b.ack = 1234;
  CHECK(a == b);
  b.len = 1;
  CHECK_FALSE(a == b);
}

}  // TEST_SUITE
