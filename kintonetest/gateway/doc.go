// Package gateway is a misbehaving reverse proxy for tests. It sits on
// 127.0.0.1 in front of a Kintone emulator (kintonetest.Server) or any
// other HTTP server and, as a table of faults says, answers in the
// upstream's place the way real gateways, load balancers and corporate
// proxies do when something goes wrong:
//
//   - forward the request, then answer 503 text/html (or 502, 504, 500,
//     any status, content type and body) instead of the upstream's answer
//     (Replace): the request was applied, the client is told it failed;
//   - answer such a status without forwarding (Reject);
//   - forward, then cut the answer's body short (Truncate, a complete but
//     short body; CutOff, the connection closed in the middle of the
//     body) or garble it (Garble);
//   - forward, then close the connection without answering (DropAfter), or
//     close it without forwarding (DropBefore);
//   - delay the request (Fault.Delay, with any action), or hold it without
//     an answer until the client gives up (Hang, HangAfter).
//
// Faults select requests by method and API resource like the emulator's
// own faults (kintonetest.Fault): the method after X-HTTP-Method-Override
// and the resource between v1/ and .json ("records", "bulkRequest",
// "records/cursor"). A fault fires on the Nth matching request, or on
// each with a probability drawn from a seeded generator, at most Times
// times.
//
// Every request is logged with what the gateway did: whether it was
// forwarded, the upstream's status, and the status the client got. A
// test can thus tell which writes were applied, whatever the client was
// told. The gateway forwards each request to the end even when the client
// has gone away, so a forwarded write is applied or refused by the
// upstream deterministically.
//
// Start a gateway in a test with Start, which closes it when the test
// ends; New and Close do the same by hand.
package gateway
