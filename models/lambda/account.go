package lambda

import "fmt"

// DefaultAccountConcurrency is the default account concurrency quota (behaviour reference
// §5.1, [L-QUOTA]).
const DefaultAccountConcurrency = 1000

// UnreservedMinimum is the part of the account pool that reserved concurrency can never
// take: at least 100 environments stay unreserved for the functions without a reservation
// (§5.1, [L-CONC]).
const UnreservedMinimum = 100

// Account is the account-wide concurrency pool of one Region. Every Function built on the
// same Account shares it: a function with reserved concurrency takes its reservation out
// of the pool at build time and is limited by it; a function without one but with
// provisioned concurrency takes its provisioned environments out likewise; functions
// without a reservation share what is left (the unreserved pool), which always keeps at
// least UnreservedMinimum.
type Account struct {
	limit          int
	reserved       int // sum of reservations and of provisioned concurrency without one
	unreservedBusy int // environments busy in functions without a reservation
}

// NewAccount returns a pool with the given concurrency quota (≤ 0 means the default 1,000).
func NewAccount(limit int) *Account {
	if limit <= 0 {
		limit = DefaultAccountConcurrency
	}
	return &Account{limit: limit}
}

// Limit is the account concurrency quota.
func (a *Account) Limit() int { return a.limit }

// Unreserved is the size of the unreserved pool (quota minus all reservations and the
// provisioned concurrency of functions without one).
func (a *Account) Unreserved() int { return a.limit - a.reserved }

// UnreservedBusy is the number of environments busy in functions without a reservation
// (CloudWatch UnreservedConcurrentExecutions).
func (a *Account) UnreservedBusy() int { return a.unreservedBusy }

// reserve takes n environments out of the unreserved pool for one function: its reserved
// concurrency, or, without one, its provisioned concurrency (field names the setting, for
// the error). AWS applies the same rule to both: reservations and provisioned concurrency
// together must leave UnreservedMinimum unreserved ([L-CONC]).
func (a *Account) reserve(field string, n int) error {
	if free := a.limit - a.reserved - UnreservedMinimum; n > free {
		return fmt.Errorf("%s: %d is more than the %d the account can reserve (quota %d, already reserved or provisioned %d, %d must stay unreserved)",
			field, n, max(free, 0), a.limit, a.reserved, UnreservedMinimum)
	}
	a.reserved += n
	return nil
}
