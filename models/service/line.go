package service

import (
	"time"

	"msgsim/models/core"
)

// noCall marks a customer that came as an asynchronous request (the service owns its
// message) rather than as a synchronous call (the caller owns it and waits for a reply).
const noCall core.CallID = -1

// customer is one request at the station: waiting in the line or being served.
type customer struct {
	arrival time.Duration // when it reached the station
	start   time.Duration // when its service began (valid once in service)
	msg     core.MsgID
	call    core.CallID // noCall for an asynchronous request
}

// line is the station's waiting line: a ring buffer of customers whose capacity is a power
// of two and only ever doubles, so once it has grown to the longest line of the run,
// pushing and popping allocate nothing.
type line struct {
	buf  []customer
	head int // index of the oldest customer
	n    int // customers waiting
}

// len is the number of customers waiting.
func (l *line) len() int { return l.n }

// push appends c at the back of the line.
func (l *line) push(c customer) {
	if l.n == len(l.buf) {
		l.grow()
	}
	l.buf[(l.head+l.n)&(len(l.buf)-1)] = c
	l.n++
}

// popFront removes and returns the oldest customer (FIFO). The line must not be empty.
func (l *line) popFront() customer {
	c := l.buf[l.head]
	l.head = (l.head + 1) & (len(l.buf) - 1)
	l.n--
	return c
}

// popBack removes and returns the newest customer (LIFO: only for the test that shows the
// validation catches a wrong discipline). The line must not be empty.
func (l *line) popBack() customer {
	l.n--
	return l.buf[(l.head+l.n)&(len(l.buf)-1)]
}

// at returns the i-th customer from the front (0 = oldest).
func (l *line) at(i int) customer { return l.buf[(l.head+i)&(len(l.buf)-1)] }

// grow doubles the capacity (16 at first), unrolling the ring to start at index 0.
func (l *line) grow() {
	size := 2 * len(l.buf)
	if size == 0 {
		size = 16
	}
	buf := make([]customer, size)
	for i := 0; i < l.n; i++ {
		buf[i] = l.at(i)
	}
	l.buf, l.head = buf, 0
}
