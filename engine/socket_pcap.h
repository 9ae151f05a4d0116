// A World's packets as a classic pcap file (raw IPv4, LINKTYPE_RAW 101):
// one packet per Sent event, every host's and the attacker's (spoofed SYNs
// included), taken at the sender's wire like trace_to_pcap; the addresses
// and ports are the World's own. Timestamps are the virtual clock; payload
// octets are payload_octet(seq), so the bytes follow the sequence numbers.
// A segment longer than one IPv4 packet is written as several (SYN on the
// first, FIN and PSH on the last), as segmentation offload would.
#pragma once
#include <cstdint>
#include <vector>

#include "sockets.h"

namespace tcplab {

std::vector<std::uint8_t> world_to_pcap(const World& w);

}  // namespace tcplab
