// Package core is the plumbing every msgsim model shares: the World of one replication
// (engine, named random streams, message pool), messages and their ledger, the three ways
// components interact (send, call, poll), end-to-end paths, and the metrics registry.
//
// Models (sqs, lambda, sns, ...) import core; core imports only sim. The engine fires
// events; the World turns a few of them — messages in transit, replies to calls, metric
// samples — into method calls on components.
package core
