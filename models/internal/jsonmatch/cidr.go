package jsonmatch

import (
	"errors"
	"net/netip"
	"strings"
)

// parseCIDR parses an IPv4 or IPv6 prefix such as "10.0.0.0/24" or "2001:db8::/32".
// Host bits are cleared, so "10.0.0.7/24" means 10.0.0.0/24. A bare address is not a
// CIDR block and is rejected.
func parseCIDR(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		return netip.Prefix{}, errors.New("missing prefix length")
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return p.Masked(), nil
}
