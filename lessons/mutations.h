// Named mutations of a run's ladder: the distractors of a ladder question.
// Each turns the run's own ladder into one a learner with a known
// misconception would draw; the lesson shows it only when the engine
// refuses it (check_ladder in run_ladder.h), so no distractor is valid by
// accident.
#pragma once
#include <string>
#include <vector>

#include "explain.h"
#include "run_ladder.h"

namespace tcplab {

enum class Mutation : int {
  AckIgnoresData,          // ack = seq + 1 although data was sent
  SynFinNotCounted,        // the ACK of a SYN or FIN does not count it
  StatesSwapped,           // the two hosts' states swapped
  FinAckMerged,            // FIN merged into the ACK while the peer still had data
  ClosingAfterLostAck,     // FIN-WAIT-1 (waiting for the ACK of the FIN) drawn as CLOSING
  TimeWaitOnPassiveCloser, // TIME-WAIT on the host that closed second
  ServerEstablishedEarly,  // ESTABLISHED before the third segment
  Count,
};

// "ack_ignores_data", ... as lesson files name them.
const std::vector<const char*>& mutation_names();
const char* mutation_name(int m);
// The mutated ladder; false when the run has nothing this mutation changes
// (no data segment for ack_ignores_data, no TIME-WAIT, ...).
bool apply_mutation(int m, const std::vector<LadderRow>& in, std::vector<LadderRow>& out);
// Why a ladder with this mistake is wrong, in terms of the rule.
const char* mutation_explain(int m, Lang lang);

}  // namespace tcplab
