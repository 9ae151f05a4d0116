// The words of the lesson (lessons/explain.h): a text for every reason in
// both languages, one sentence for every kind of trace event, and the
// sentences the log shows for a real handshake and close.
//
// [SECTION] Helpers
// [SECTION] Reason texts
// [SECTION] Names: citations, aliases, signals
// [SECTION] describe_event for every kind of event
// [SECTION] The log of real runs
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "explain.h"
#include "simulation.h"

using namespace tcplab;

namespace {

// =============================================================================
// [SECTION] Helpers
// =============================================================================

std::vector<Reason> all_reasons() {
  std::vector<Reason> out;
  for (int i = 0; i < reason_count(); ++i) out.push_back(static_cast<Reason>(i));
  return out;
}

const EventKind ALL_KINDS[] = {
    EventKind::Call,       EventKind::CallError, EventKind::Sent,         EventKind::Delivered,
    EventKind::Accepted,   EventKind::Rejected,  EventKind::Lost,         EventKind::Dropped,
    EventKind::Duplicated, EventKind::Injected,  EventKind::StateChanged, EventKind::TimerFired,
    EventKind::Signal,
};

const State ALL_STATES[] = {
    State::Closed,      State::Listen,   State::SynSent,   State::SynReceived,
    State::Established, State::FinWait1, State::FinWait2,  State::CloseWait,
    State::Closing,     State::LastAck,  State::TimeWait,
};

// Decodes UTF-8 and reports whether any code point is a Chinese character.
bool has_han(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    char32_t cp = c & (0x3F >> n);
    for (int k = 1; k <= n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF)) return true;
    i += static_cast<std::size_t>(n) + 1;
  }
  return false;
}

bool is_ascii(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string en(Reason r) { return reason_text(r, Lang::En); }
std::string zh(Reason r) { return reason_text(r, Lang::Zh); }

// A Simulation in which segments wait for the test to deliver them: A (the
// client, ISS 1000) and B (the server, ISS 5000).
SimConfig manual_config() {
  SimConfig c;
  c.iss[HOST_A] = {1000};
  c.iss[HOST_B] = {5000};
  c.net.auto_deliver = false;
  return c;
}

// The first event of `kind` at `host` written since trace index `since`.
const Event* find_event(const Simulation& sim, std::size_t since, EventKind kind, int host) {
  const Trace& t = sim.trace();
  for (std::size_t i = since; i < t.size(); ++i)
    if (t[i].kind == kind && t[i].host == host) return &t[i];
  return nullptr;
}

// The sentence for that event, or "(no such event)".
std::string said(const Simulation& sim, std::size_t since, EventKind kind, int host, Lang lang) {
  const Event* e = find_event(sim, since, kind, host);
  return e ? describe_event(*e, lang) : std::string("(no such event)");
}

// The verdict (Accepted or Rejected) of the last delivery.
std::string verdict(const Simulation& sim, std::size_t since, int host, Lang lang) {
  const Trace& t = sim.trace();
  for (std::size_t i = since; i < t.size(); ++i)
    if ((t[i].kind == EventKind::Accepted || t[i].kind == EventKind::Rejected) && t[i].host == host)
      return describe_event(t[i], lang);
  return "(no verdict)";
}

}  // namespace

TEST_SUITE_BEGIN("explain");

// =============================================================================
// [SECTION] Reason texts
// =============================================================================

TEST_CASE("every reason has a text in English and in Chinese") {
  for (Reason r : all_reasons()) {
    INFO("reason: " << std::string(reason_key(r)));
    REQUIRE(reason_text(r, Lang::En) != nullptr);
    REQUIRE(reason_text(r, Lang::Zh) != nullptr);
    CHECK_FALSE(en(r).empty());
    CHECK_FALSE(zh(r).empty());
    CHECK(is_ascii(en(r)));
    CHECK_FALSE(has_han(en(r)));
    CHECK(has_han(zh(r)));
  }
}

TEST_CASE("no two reasons share a text") {
  const std::vector<Reason> rs = all_reasons();
  for (std::size_t i = 0; i < rs.size(); ++i) {
    for (std::size_t j = i + 1; j < rs.size(); ++j) {
      INFO(std::string(reason_key(rs[i])) << " and " << std::string(reason_key(rs[j])));
      CHECK(en(rs[i]) != en(rs[j]));
      CHECK(zh(rs[i]) != zh(rs[j]));
    }
  }
}

TEST_CASE("reason texts read as a clause the RFC reference can follow") {
  // The log writes "...: <text> (RFC 9293 3.10.7.2)." so a text neither ends
  // a sentence nor ends in brackets, and starts in lower case.
  for (Reason r : all_reasons()) {
    INFO("reason: " << std::string(reason_key(r)));
    const std::string e = en(r), z = zh(r);
    CHECK_FALSE(ends_with(e, "."));
    CHECK_FALSE(ends_with(e, ")"));
    CHECK_FALSE(ends_with(z, "。"));
    CHECK_FALSE(ends_with(z, "）"));
    CHECK_FALSE(ends_with(z, "."));
    CHECK_FALSE((e[0] >= 'A' && e[0] <= 'Z'));
  }
}

TEST_CASE("reason texts name the same states in both languages, in their RFC form") {
  for (Reason r : all_reasons()) {
    INFO("reason: " << std::string(reason_key(r)));
    for (State s : ALL_STATES) {
      INFO("state: " << std::string(state_name(s)));
      CHECK(contains(en(r), state_name(s)) == contains(zh(r), state_name(s)));
    }
    // Translated state names are not what the learners will meet anywhere.
    for (const char* translated : {"监听状态", "已建立", "同步已发送", "同步已接收", "同步收到", "终止等待",
                                   "关闭等待", "时间等待状态", "最后确认状态", "正在关闭状态"}) {
      INFO("translated: " << std::string(translated));
      CHECK_FALSE(contains(zh(r), translated));
    }
  }
}

TEST_CASE("the two examples of the lesson plan, word for word") {
  CHECK(en(Reason::ListenSynSendSynAck) == "it answers SYN,ACK and moves to SYN-RECEIVED");
  CHECK(zh(Reason::ListenSynSendSynAck) == "回复 SYN,ACK，进入 SYN-RECEIVED 状态");
  CHECK(en(Reason::SeqUnacceptableSendAck) ==
        "the segment is outside the receive window (an old duplicate, or beyond the window), so it is dropped "
        "and answered with an ACK stating what is expected next");
  CHECK(zh(Reason::SeqUnacceptableSendAck) ==
        "报文段不在接收窗口内（是旧的重复报文段，或超出了窗口），于是丢弃它，并回一个确认（ACK）说明期望的下一个序号");
}

TEST_CASE("the Chinese texts use the terms of the textbooks") {
  CHECK(contains(zh(Reason::AckSynReceivedEstablished), "三报文握手"));
  CHECK(contains(zh(Reason::SynSentSynAckEstablished), "三报文握手"));
  CHECK(contains(zh(Reason::CloseSendFin), "主动关闭方"));
  CHECK(contains(zh(Reason::CloseCloseWaitSendFin), "被动关闭方"));
  CHECK(contains(zh(Reason::AckLastAckFinAcked), "被动关闭方"));
  CHECK(contains(zh(Reason::FinCloseWait), "半关闭"));
  CHECK(contains(zh(Reason::AckFinWait1FinAcked), "半关闭"));
  CHECK(contains(zh(Reason::TimerTimeWaitExpire), "最长报文段寿命"));
  CHECK(contains(zh(Reason::TimerTimeWaitExpire), "2MSL"));
  CHECK(contains(zh(Reason::TimerRetransmit), "重传"));
  CHECK(contains(zh(Reason::TimerRetransmit), "超时"));
  CHECK(contains(zh(Reason::AbortSendRst), "复位"));
  CHECK(contains(zh(Reason::OpenActive), "初始序号"));
  CHECK(contains(zh(Reason::ListenAckSendRst), "确认号"));
  CHECK(contains(zh(Reason::SeqUnacceptableSendAck), "接收窗口"));
  CHECK(contains(zh(Reason::SeqUnacceptableSendAck), "序号"));
  CHECK(contains(zh(Reason::RstReset), "连接被复位"));
  CHECK(contains(zh(Reason::TimerRetransmitGiveUp), "连接超时"));
  CHECK(contains(en(Reason::AckSynReceivedEstablished), "three-way handshake"));
  CHECK(contains(en(Reason::FinCloseWait), "half-closed"));
}

TEST_CASE("the RFC 5961 rules speak of a challenge ACK") {
  int seen = 0;
  for (Reason r : all_reasons()) {
    if (!contains(reason_rfc(r), "RFC 5961")) continue;
    ++seen;
    INFO("reason: " << std::string(reason_key(r)));
    CHECK(contains(en(r), "RFC 5961"));
    CHECK(contains(en(r), "challenge ACK"));
    CHECK(contains(zh(r), "RFC 5961"));
    CHECK(contains(zh(r), "挑战 ACK"));
  }
  CHECK(seen == 3);
  // And the rule that applies when RFC 5961 is off says so.
  CHECK(contains(en(Reason::SynInWindowSendRst), "RFC 793"));
  CHECK(contains(zh(Reason::SynInWindowSendRst), "RFC 793"));
}

// =============================================================================
// [SECTION] Names: citations, aliases, signals
// =============================================================================

TEST_CASE("rfc_citation") {
  CHECK(rfc_citation(Reason::ListenSynSendSynAck, Lang::En) == "RFC 9293 3.10.7.2");
  CHECK(rfc_citation(Reason::ListenSynSendSynAck, Lang::Zh) == "RFC 9293 3.10.7.2");
  CHECK(rfc_citation(Reason::RstChallengeAck, Lang::En) == "RFC 9293 3.10.7.4; RFC 5961 3.2");
  CHECK(rfc_citation(Reason::RstChallengeAck, Lang::Zh) == "RFC 9293 3.10.7.4；RFC 5961 3.2");
  CHECK(rfc_citation(Reason::SynReceivedSynAckEstablished, Lang::En) == "RFC 9293 3.10.7.4, Figure 7");
  CHECK(rfc_citation(Reason::SynReceivedSynAckEstablished, Lang::Zh) == "RFC 9293 3.10.7.4，图 7");
  CHECK(rfc_citation(Reason::TimerRetransmitGiveUp, Lang::En) == "RFC 9293 3.10.8, 3.8.3 R2");
  CHECK(rfc_citation(Reason::SynInWindowSendRst, Lang::En) == "RFC 9293 3.10.7.4, 3.5.2; RFC 793");
  CHECK(rfc_citation(Reason::TimerDelayedAck, Lang::En) == "RFC 9293 3.8.6.3");
  CHECK(rfc_citation(Reason::NetLost, Lang::En).empty());
  CHECK(rfc_citation(Reason::None, Lang::Zh).empty());
  for (Reason r : all_reasons()) {
    INFO("reason: " << std::string(reason_key(r)));
    const std::string c = rfc_citation(r, Lang::En);
    CHECK(c.find('(') == std::string::npos);  // never brackets inside the log's brackets
    CHECK(c.empty() == std::string(reason_rfc(r)).empty());
  }
}

TEST_CASE("state_with_alias gives the ss name where it differs") {
  CHECK(state_with_alias(State::SynReceived) == "SYN-RECEIVED (ss: SYN-RECV)");
  CHECK(state_with_alias(State::Established) == "ESTABLISHED (ss: ESTAB)");
  CHECK(state_with_alias(State::Closed) == "CLOSED (ss: UNCONN)");
  CHECK(state_with_alias(State::Listen) == "LISTEN");
  CHECK(state_with_alias(State::SynSent) == "SYN-SENT");
  CHECK(state_with_alias(State::TimeWait) == "TIME-WAIT");
  CHECK(state_with_alias(State::FinWait1) == "FIN-WAIT-1");
}

TEST_CASE("signal_text says what the user is told") {
  CHECK(std::string(signal_text(Reason::RstReset, Lang::En)) == "connection reset");
  CHECK(std::string(signal_text(Reason::SynSentRstReset, Lang::En)) == "connection refused");
  CHECK(std::string(signal_text(Reason::RstSynReceivedRefused, Lang::En)) == "connection refused");
  CHECK(std::string(signal_text(Reason::TimerRetransmitGiveUp, Lang::En)) == "connection timed out");
  CHECK(std::string(signal_text(Reason::FinCloseWait, Lang::En)) == "the peer has closed its side");
  CHECK(contains(signal_text(Reason::RstReset, Lang::Zh), "连接被复位"));
  CHECK(contains(signal_text(Reason::SynSentRstReset, Lang::Zh), "连接被拒绝"));
  CHECK(contains(signal_text(Reason::TimerRetransmitGiveUp, Lang::Zh), "连接超时"));
  CHECK(signal_text(Reason::AckAdvance, Lang::En) == nullptr);
}

// =============================================================================
// [SECTION] describe_event for every kind of event
// =============================================================================

TEST_CASE("describe_event writes a sentence for every kind of event, in both languages") {
  for (EventKind k : ALL_KINDS) {
    for (Reason r : all_reasons()) {
      Event e;
      e.kind = k;
      e.host = static_cast<std::uint8_t>(static_cast<int>(r) & 1);
      e.from = State::Established;
      e.to = State::FinWait1;
      e.reason = r;
      e.call = Call::Send;
      e.arg = 100;
      e.timer = TimerKind::Retransmit;
      e.seg.flags = FLAG_ACK | FLAG_FIN;
      e.seg.seq = 1101;
      e.seg.ack = 5001;
      INFO("kind: " << std::string(event_kind_name(k)) << ", reason: " << std::string(reason_key(r)));
      const std::string s_en = describe_event(e, Lang::En);
      const std::string s_zh = describe_event(e, Lang::Zh);
      REQUIRE_FALSE(s_en.empty());
      REQUIRE_FALSE(s_zh.empty());
      CHECK(s_en[0] >= 'A');
      CHECK(s_en[0] <= 'Z');
      CHECK(ends_with(s_en, "."));
      CHECK(ends_with(s_zh, "。"));
      CHECK(is_ascii(s_en));
      CHECK(has_han(s_zh));
      CHECK_FALSE(contains(s_en, ".."));
      CHECK_FALSE(contains(s_en, "  "));
      CHECK_FALSE(contains(s_zh, "。。"));
    }
  }
}

TEST_CASE("describe_event: each kind says what it should") {
  Event e;
  e.host = HOST_A;
  e.seg.flags = FLAG_SYN;
  e.seg.seq = 1000;
  e.from = e.to = State::SynSent;

  SUBCASE("Call, with the call and its octets") {
    e.kind = EventKind::Call;
    e.call = Call::Send;
    e.arg = 100;
    e.from = e.to = State::Established;
    e.reason = Reason::SendData;
    CHECK(describe_event(e, Lang::En) ==
          "The client called SEND (100 octets) in ESTABLISHED: it sends the data in one segment with the ACK "
          "piggybacked, and keeps it for retransmission until it is acknowledged (RFC 9293 3.10.2).");
    CHECK(describe_event(e, Lang::Zh) ==
          "客户端在 ESTABLISHED 状态调用 SEND（100 字节）：把数据装入一个报文段发送（捎带确认 ACK），"
          "在收到确认之前保留它以便重传（RFC 9293 3.10.2）。");
  }
  SUBCASE("CallError, with why") {
    e.kind = EventKind::CallError;
    e.call = Call::Close;
    e.from = e.to = State::FinWait2;
    e.reason = Reason::CloseClosing;
    CHECK(describe_event(e, Lang::En) ==
          "The client called CLOSE in FIN-WAIT-2: it has already asked to close and sends no second FIN, so the "
          "call fails with \"error: connection closing\"; nothing changes (RFC 9293 3.10.4).");
    CHECK(contains(describe_event(e, Lang::Zh), "状态不变"));
  }
  SUBCASE("Sent, with the segment label") {
    e.kind = EventKind::Sent;
    CHECK(describe_event(e, Lang::En) == "The client sends SYN seq=1000.");
    CHECK(describe_event(e, Lang::Zh) == "客户端发送报文段 SYN seq=1000。");
  }
  SUBCASE("Lost, Dropped, Duplicated, Injected") {
    e.kind = EventKind::Lost;
    e.host = HOST_B;
    CHECK(describe_event(e, Lang::En) == "The network lost SYN seq=1000 on its way to the server.");
    CHECK(describe_event(e, Lang::Zh) == "网络丢失了发往服务器的 SYN seq=1000。");
    e.kind = EventKind::Dropped;
    CHECK(describe_event(e, Lang::En) == "You dropped SYN seq=1000 on its way to the server.");
    CHECK(describe_event(e, Lang::Zh) == "你丢弃了发往服务器的 SYN seq=1000。");
    e.kind = EventKind::Duplicated;
    e.host = HOST_A;  // the sender
    CHECK(contains(describe_event(e, Lang::En), "duplicated SYN seq=1000 sent by the client"));
    CHECK(contains(describe_event(e, Lang::Zh), "复制了客户端发送的 SYN seq=1000"));
    e.kind = EventKind::Injected;
    e.host = HOST_B;
    CHECK(contains(describe_event(e, Lang::En), "arrives at the server from outside the connection"));
    CHECK(contains(describe_event(e, Lang::Zh), "到达服务器"));
  }
  SUBCASE("StateChanged: from -> to") {
    e.kind = EventKind::StateChanged;
    e.host = HOST_B;
    e.from = State::Listen;
    e.to = State::SynReceived;
    e.reason = Reason::ListenSynSendSynAck;
    CHECK(describe_event(e, Lang::En) == "The server's state changes: LISTEN -> SYN-RECEIVED (RFC 9293 3.10.7.2).");
    CHECK(describe_event(e, Lang::Zh) == "服务器的状态变化：LISTEN -> SYN-RECEIVED（RFC 9293 3.10.7.2）。");
  }
  SUBCASE("TimerFired, with the timer") {
    e.kind = EventKind::TimerFired;
    e.timer = TimerKind::Retransmit;
    e.reason = Reason::TimerRetransmit;
    CHECK(describe_event(e, Lang::En) ==
          "The client's retransmission timer expired in SYN-SENT: no ACK came in time, so it retransmits the "
          "oldest unacknowledged segment and doubles the timeout, an exponential backoff (RFC 9293 3.10.8).");
    CHECK(contains(describe_event(e, Lang::Zh), "客户端的重传计时器在 SYN-SENT 状态超时："));
    e.timer = TimerKind::TimeWait;
    CHECK(contains(describe_event(e, Lang::En), "TIME-WAIT timer"));
    e.timer = TimerKind::DelayedAck;
    CHECK(contains(describe_event(e, Lang::En), "delayed-ACK timer"));
    CHECK(contains(describe_event(e, Lang::Zh), "延迟确认计时器"));
  }
  SUBCASE("Signal, as the user is told") {
    e.kind = EventKind::Signal;
    e.reason = Reason::RstReset;
    CHECK(describe_event(e, Lang::En) == "The client's application is told: connection reset.");
    CHECK(describe_event(e, Lang::Zh) == "客户端的应用进程被告知：连接被复位（connection reset）。");
    e.reason = Reason::SynSentRstReset;
    CHECK(contains(describe_event(e, Lang::En), "connection refused"));
    e.reason = Reason::TimerRetransmitGiveUp;
    CHECK(contains(describe_event(e, Lang::En), "connection timed out"));
    e.reason = Reason::FinCloseWait;
    CHECK(contains(describe_event(e, Lang::En), "the peer has closed its side"));
  }
  SUBCASE("a verdict that changes the state says where it went when the rule does not") {
    // A FIN riding on the ACK that completes the handshake: the rule is the
    // handshake's, the state is CLOSE-WAIT.
    e.kind = EventKind::Accepted;
    e.from = State::SynSent;
    e.to = State::CloseWait;
    e.reason = Reason::SynSentSynAckEstablished;
    CHECK(ends_with(describe_event(e, Lang::En), ", and it is now in CLOSE-WAIT (RFC 9293 3.10.7.3)."));
    CHECK(ends_with(describe_event(e, Lang::Zh), "，现处于 CLOSE-WAIT 状态（RFC 9293 3.10.7.3）。"));
  }
}

TEST_CASE("describe_event uses the host names it is given") {
  HostNames ab;
  ab.name[0][0] = "A";
  ab.name[0][1] = "A";
  ab.name[1][0] = "B";
  ab.name[1][1] = "B";
  Event e;
  e.kind = EventKind::Accepted;
  e.host = HOST_B;
  e.from = State::Listen;
  e.to = State::SynReceived;
  e.reason = Reason::ListenSynSendSynAck;
  e.seg.flags = FLAG_SYN;
  e.seg.seq = 1000;
  CHECK(describe_event(e, Lang::En, ab) ==
        "B received SYN seq=1000 in LISTEN: it answers SYN,ACK and moves to SYN-RECEIVED (RFC 9293 3.10.7.2).");
  // A space between a Latin name and the Chinese around it.
  CHECK(describe_event(e, Lang::Zh, ab) ==
        "B 在 LISTEN 状态收到 SYN seq=1000：回复 SYN,ACK，进入 SYN-RECEIVED 状态（RFC 9293 3.10.7.2）。");
  e.kind = EventKind::Lost;
  CHECK(describe_event(e, Lang::Zh, ab) == "网络丢失了发往 B 的 SYN seq=1000。");
  e.kind = EventKind::Signal;
  e.reason = Reason::RstReset;
  CHECK(describe_event(e, Lang::En, ab) == "B's application is told: connection reset.");
}

// =============================================================================
// [SECTION] The log of real runs
// =============================================================================

TEST_CASE("the log of a three-way handshake") {
  Simulation sim(manual_config());
  std::size_t mark = sim.trace().size();
  sim.call(HOST_B, Call::OpenPassive);
  CHECK(said(sim, mark, EventKind::Call, HOST_B, Lang::En) ==
        "The server called OPEN (passive) in CLOSED: it creates a TCB and moves to LISTEN to wait for a SYN "
        "(RFC 9293 3.10.1).");
  CHECK(said(sim, mark, EventKind::Call, HOST_B, Lang::Zh) ==
        "服务器在 CLOSED 状态调用 OPEN（被动打开）：创建传输控制块（TCB），进入 LISTEN 状态，等待对方的 SYN"
        "（RFC 9293 3.10.1）。");

  mark = sim.trace().size();
  sim.call(HOST_A, Call::OpenActive);
  CHECK(said(sim, mark, EventKind::Sent, HOST_A, Lang::En) == "The client sends SYN seq=1000.");
  CHECK(said(sim, mark, EventKind::StateChanged, HOST_A, Lang::En) ==
        "The client's state changes: CLOSED -> SYN-SENT (RFC 9293 3.10.1).");

  // The SYN reaches B in LISTEN.
  mark = sim.trace().size();
  REQUIRE(sim.deliver_oldest(HOST_A));
  CHECK(said(sim, mark, EventKind::Delivered, HOST_B, Lang::En) ==
        "SYN seq=1000 arrives at the server, which is in LISTEN.");
  const Event* v = find_event(sim, mark, EventKind::Accepted, HOST_B);
  REQUIRE(v != nullptr);
  const std::string b_en = describe_event(*v, Lang::En);
  const std::string b_zh = describe_event(*v, Lang::Zh);
  CHECK(contains(b_en, "SYN seq=1000"));
  CHECK(contains(b_en, "LISTEN"));
  CHECK(contains(b_en, "SYN-RECEIVED"));
  CHECK(contains(b_en, "3.10.7.2"));
  CHECK(b_en == "The server received SYN seq=1000 in LISTEN: it answers SYN,ACK and moves to SYN-RECEIVED "
                "(RFC 9293 3.10.7.2).");
  CHECK(b_zh == "服务器在 LISTEN 状态收到 SYN seq=1000：回复 SYN,ACK，进入 SYN-RECEIVED 状态（RFC 9293 3.10.7.2）。");
  CHECK(said(sim, mark, EventKind::Sent, HOST_B, Lang::En) == "The server sends SYN,ACK seq=5000 ack=1001.");
  CHECK(said(sim, mark, EventKind::StateChanged, HOST_B, Lang::Zh) ==
        "服务器的状态变化：LISTEN -> SYN-RECEIVED（RFC 9293 3.10.7.2）。");

  // The SYN,ACK reaches A in SYN-SENT.
  mark = sim.trace().size();
  REQUIRE(sim.deliver_oldest(HOST_B));
  CHECK(verdict(sim, mark, HOST_A, Lang::En) ==
        "The client received SYN,ACK seq=5000 ack=1001 in SYN-SENT: the SYN,ACK acknowledges its SYN, so it "
        "answers ACK, the third segment of the handshake, and moves to ESTABLISHED (RFC 9293 3.10.7.3).");
  CHECK(verdict(sim, mark, HOST_A, Lang::Zh) ==
        "客户端在 SYN-SENT 状态收到 SYN,ACK seq=5000 ack=1001：SYN,ACK 确认了本方的 SYN，于是回复确认 ACK"
        "（三报文握手的第三个报文段），进入 ESTABLISHED 状态（RFC 9293 3.10.7.3）。");

  // The ACK reaches B in SYN-RECEIVED.
  mark = sim.trace().size();
  REQUIRE(sim.deliver_oldest(HOST_A));
  CHECK(verdict(sim, mark, HOST_B, Lang::En) ==
        "The server received ACK seq=1001 ack=5001 in SYN-RECEIVED: the ACK acknowledges its SYN,ACK, so the "
        "three-way handshake is complete and it moves to ESTABLISHED (RFC 9293 3.10.7.4).");
  CHECK(verdict(sim, mark, HOST_B, Lang::Zh) ==
        "服务器在 SYN-RECEIVED 状态收到 ACK seq=1001 ack=5001：该 ACK 确认了本方的 SYN,ACK，三报文握手完成，"
        "进入 ESTABLISHED 状态（RFC 9293 3.10.7.4）。");
}

TEST_CASE("the log of a four-way close") {
  Simulation sim(manual_config());
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);
  REQUIRE(sim.deliver_oldest(HOST_A));
  REQUIRE(sim.deliver_oldest(HOST_B));
  REQUIRE(sim.deliver_oldest(HOST_A));
  REQUIRE(sim.endpoint(HOST_B).state() == State::Established);

  std::size_t mark = sim.trace().size();
  sim.call(HOST_A, Call::Close);
  CHECK(said(sim, mark, EventKind::Call, HOST_A, Lang::Zh) ==
        "客户端在 ESTABLISHED 状态调用 CLOSE：发送 FIN（带 ACK）关闭本方的发送方向，进入 FIN-WAIT-1 状态，"
        "成为主动关闭方（RFC 9293 3.10.4）。");

  mark = sim.trace().size();
  REQUIRE(sim.deliver_oldest(HOST_A));  // FIN -> B
  CHECK(contains(verdict(sim, mark, HOST_B, Lang::En), "received FIN,ACK seq=1001 ack=5001 in ESTABLISHED"));
  CHECK(contains(verdict(sim, mark, HOST_B, Lang::En), "CLOSE-WAIT"));
  CHECK(contains(verdict(sim, mark, HOST_B, Lang::Zh), "半关闭"));
  CHECK(said(sim, mark, EventKind::Signal, HOST_B, Lang::En) ==
        "The server's application is told: the peer has closed its side.");

  mark = sim.trace().size();
  REQUIRE(sim.deliver_oldest(HOST_B));  // ACK -> A
  CHECK(contains(verdict(sim, mark, HOST_A, Lang::En), "in FIN-WAIT-1: its FIN is acknowledged"));
  CHECK(contains(verdict(sim, mark, HOST_A, Lang::En), "FIN-WAIT-2"));

  mark = sim.trace().size();
  sim.call(HOST_B, Call::Close);
  CHECK(contains(said(sim, mark, EventKind::Call, HOST_B, Lang::En), "called CLOSE in CLOSE-WAIT"));
  CHECK(contains(said(sim, mark, EventKind::Call, HOST_B, Lang::Zh), "被动关闭方"));

  mark = sim.trace().size();
  REQUIRE(sim.deliver_oldest(HOST_B));  // FIN -> A
  CHECK(contains(verdict(sim, mark, HOST_A, Lang::En), "in FIN-WAIT-2:"));
  CHECK(contains(verdict(sim, mark, HOST_A, Lang::En), "TIME-WAIT"));
  CHECK(contains(verdict(sim, mark, HOST_A, Lang::Zh), "2MSL"));

  mark = sim.trace().size();
  REQUIRE(sim.deliver_oldest(HOST_A));  // last ACK -> B
  CHECK(contains(verdict(sim, mark, HOST_B, Lang::En), "in LAST-ACK: the last ACK acknowledges its FIN"));

  mark = sim.trace().size();
  sim.advance_to(sim.endpoint(HOST_A).timers().time_wait);
  CHECK(said(sim, mark, EventKind::TimerFired, HOST_A, Lang::En) ==
        "The client's TIME-WAIT timer (2*MSL) expired in TIME-WAIT: the 2*MSL wait is over and old segments of "
        "this connection have died out, so it deletes the TCB and goes to CLOSED (RFC 9293 3.10.8).");
  CHECK(sim.endpoint(HOST_A).state() == State::Closed);
}

TEST_CASE("the log of a refused connection") {
  Simulation sim(manual_config());
  sim.call(HOST_A, Call::OpenActive);
  std::size_t mark = sim.trace().size();
  REQUIRE(sim.deliver_oldest(HOST_A));  // SYN -> B in CLOSED
  const Event* v = find_event(sim, mark, EventKind::Rejected, HOST_B);
  REQUIRE(v != nullptr);
  CHECK(describe_event(*v, Lang::En) ==
        "The server received SYN seq=1000 in CLOSED: there is no connection here, so it drops the segment and "
        "answers RST, numbered so that the sender will accept it (RFC 9293 3.10.7.1).");
  CHECK(said(sim, mark, EventKind::Sent, HOST_B, Lang::En) == "The server sends RST,ACK seq=0 ack=1001.");

  mark = sim.trace().size();
  REQUIRE(sim.deliver_oldest(HOST_B));  // RST,ACK -> A in SYN-SENT
  CHECK(contains(verdict(sim, mark, HOST_A, Lang::En), "the connection is refused"));
  CHECK(said(sim, mark, EventKind::Signal, HOST_A, Lang::En) == "The client's application is told: connection refused.");
  CHECK(said(sim, mark, EventKind::Signal, HOST_A, Lang::Zh) ==
        "客户端的应用进程被告知：连接被拒绝（connection refused）。");
}

TEST_CASE("every event of a lossy run has a sentence in both languages") {
  SimConfig c;
  c.seed = 7;
  c.net.loss_ppm = 200000;
  c.net.dup_ppm = 200000;
  c.net.jitter_ms = 50;
  c.endpoint[HOST_B].close_on_fin = true;
  Simulation sim(c);
  sim.call(HOST_B, Call::OpenPassive);
  sim.call(HOST_A, Call::OpenActive);
  sim.call(HOST_A, Call::Send, 300);
  sim.advance_to(3000);
  sim.call(HOST_A, Call::Close);
  sim.call(HOST_A, Call::Send, 10);  // refused: closing
  sim.advance_to(600000);
  REQUIRE(sim.trace().size() > 10);
  for (const Event& e : sim.trace()) {
    INFO("kind: " << std::string(event_kind_name(e.kind)) << ", reason: " << std::string(reason_key(e.reason)));
    const std::string s_en = describe_event(e, Lang::En);
    const std::string s_zh = describe_event(e, Lang::Zh);
    CHECK(s_en.size() > 10);
    CHECK(has_han(s_zh));
    CHECK_FALSE(has_han(s_en));
  }
}

TEST_SUITE_END();
