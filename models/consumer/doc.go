// Package consumer models a fleet of worker processes — EC2 instances or ECS tasks, not
// Lambda — that poll an SQS queue with the SDK in a loop, as application code does.
//
// Each worker repeats (§1.3 of the behaviour reference):
//
//  1. ReceiveMessage with MaxNumberOfMessages (1..10) and WaitTimeSeconds (0 is short
//     polling, up to 20 s is long polling; unset, the queue's ReceiveMessageWaitTimeSeconds)
//     and an optional VisibilityTimeout override;
//  2. processes the messages it got one after another, each for a time drawn from the
//     processing-time distribution; a message fails with the error probability, and a
//     poison message always fails;
//  3. deletes the messages that succeeded with one DeleteMessageBatch and leaves the
//     failures alone: they become visible again when their visibility timeout ends, and
//     the queue's redrive policy moves them to its dead-letter queue after
//     maxReceiveCount receives;
//  4. polls again at once — or, after an empty receive, after PollInterval (default 0: the
//     tight loop of naive code, which on a short-polling queue is one billed request per
//     API round trip).
//
// On a FIFO queue a worker stops at the first failure of a batch and leaves the rest of
// the batch unprocessed (they return with it), so that a message group keeps its order,
// as AWS asks of FIFO consumers.
//
// Assumptions: the worker's own time between API calls is zero apart from the processing
// time; DeleteMessageBatch acts at the time of the call (the queue model gives deletes no
// latency); a worker never crashes. The default processing time is lognormal with p50
// 20 ms and p99 200 ms (an assumption, like a small handler's).
//
// Metrics (per consumer): Receives and EmptyReceives (ReceiveMessage calls made, and those
// answered with nothing — each one billed by the queue), Processed and Failed (messages
// whose processing succeeded or failed; a message processed again after its visibility
// timeout ran out counts again, and its late delete is a no-op), ProcessingTime (the
// processing time of each message) and Busy (workers holding a batch; at most Workers).
//
// Messages stay owned by the queue while a worker holds them (they are in flight), so a
// Consumer holds nothing for the conservation check. Deleting a message finishes it with
// w.Consume at the consumer, which records end-to-end latency there when Sink is set (the
// default: a consumer ends its path). Nothing is allocated per message: each worker keeps
// its batch in a fixed array and events carry the worker's index.
package consumer
