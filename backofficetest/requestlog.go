package backofficetest

import "net/url"

// DefaultRequestLog is how many requests a Gateway keeps for Requests
// unless WithRequestLog says otherwise.
const DefaultRequestLog = 100_000

// maxLoggedParams bounds the parameters kept of one request: OPP's own
// parameters, custom ones included, fit many times over.
const maxLoggedParams = 8 << 10

// WithRequestLog makes the gateway keep the last n requests it received
// for Requests (a ring: the oldest is dropped first), DefaultRequestLog by
// default; 0 keeps none. A long-running gateway (cmd/fakegateway) keeps its
// memory bounded this way. New panics on a negative n.
func WithRequestLog(n int) Option {
	return func(g *Gateway) {
		if n < 0 {
			panic("backofficetest: WithRequestLog: negative size")
		}
		g.reqs.max = n
	}
}

// requestLog is a ring of the last max requests.
type requestLog struct {
	max  int
	buf  []logged // grows to max, then wraps
	next int      // where the next entry goes once buf is full
}

// add records r, dropping the oldest entry when the ring is full.
func (l *requestLog) add(r logged) {
	switch {
	case l.max == 0:
	case len(l.buf) < l.max:
		l.buf = append(l.buf, r)
	default:
		l.buf[l.next] = r
		l.next = (l.next + 1) % l.max
	}
}

// all returns the entries, oldest first.
func (l *requestLog) all() []logged {
	out := make([]logged, 0, len(l.buf))
	out = append(out, l.buf[l.next:]...)
	return append(out, l.buf[:l.next]...)
}

// reset empties the ring.
func (l *requestLog) reset() { l.buf, l.next = nil, 0 }

// Requests returns the requests the gateway received and kept (the last
// DefaultRequestLog, or as WithRequestLog says), oldest first, redacted.
// A request stopped by a Refused or ResetBeforeWrite fault never reached
// it; a request without a valid access token, or whose body was too large
// to read, is not kept.
func (g *Gateway) Requests() []Request {
	g.mu.Lock()
	kept := g.reqs.all()
	g.mu.Unlock()
	out := make([]Request, len(kept))
	for i, r := range kept {
		form, _ := url.ParseQuery(r.params) // kept only if it parsed, or re-encoded
		out[i] = Request{Method: r.method, Path: r.path, Form: form, FormOmitted: r.omitted, Fault: r.fault, Time: r.at}
	}
	return out
}
