package backofficetest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// inbound is a request as the gateway reads it, whichever way it came: the
// RoundTripper, ServeHTTP or an httpmock responder.
type inbound struct {
	method, path, rawQuery, auth, body string
}

// failure is how an exchange ends without an HTTP response.
type failure uint8

const (
	failNone       failure = iota
	failRefused            // the connection was refused: nothing sent
	failResetWrite         // reset before the request was written
	failResetRead          // reset after the request was written
	failContext            // the request's context ended
)

// reply is how an exchange ends: an HTTP response or a failure.
type reply struct {
	status      int
	contentType string
	retryAfter  string
	body        []byte
	fail        failure
	err         error // failContext: the context's error
}

// exchange runs one request through the gateway: fault selection, the
// request log, the state machine, the events, and the faults after the
// commit. sent is called once the request counts as written (the
// RoundTripper fires the client's trace hooks there); ctx is the request's.
func (g *Gateway) exchange(ctx context.Context, in *inbound, sent func()) reply {
	var form url.Values
	var formErr error
	op := opQuery
	if in.method == http.MethodPost {
		form, formErr = url.ParseQuery(in.body)
		op = form.Get("paymentType")
	} else {
		form, formErr = url.ParseQuery(in.rawQuery)
	}

	g.mu.Lock()
	f, faulted := g.pickFault(in.method, op)
	switch {
	case faulted && f.kind == Refused:
		g.mu.Unlock()
		return reply{fail: failRefused}
	case faulted && f.kind == ResetBeforeWrite:
		g.mu.Unlock()
		return reply{fail: failResetWrite}
	}
	now := g.tick()
	g.requests = append(g.requests, logged{method: in.method, path: in.path, params: redacted(in, form, formErr), fault: f.kind, at: now})
	var early *reply
	if faulted {
		early = g.faultBeforeCommit(f, form, now)
	}
	g.mu.Unlock()
	sent()
	if early != nil {
		return *early
	}
	if faulted && f.kind == Latency {
		if err := g.sleep(ctx, f.latency); err != nil {
			return reply{fail: failContext, err: err}
		}
	}

	g.mu.Lock()
	rep, committed := g.process(in, form, formErr, now)
	subs := g.subscribers(committed)
	g.mu.Unlock()
	emit(subs, committed)

	if faulted {
		switch f.kind {
		case DropAfterCommit:
			return reply{fail: failResetRead}
		case StatusAfterCommit:
			return htmlReply(f.status)
		case TimeoutAfterCommit:
			select {
			case <-ctx.Done():
				return reply{fail: failContext, err: ctx.Err()}
			case <-g.done:
				return reply{fail: failResetRead}
			}
		}
	}
	return rep
}

// faultBeforeCommit returns the reply of a fault that stops the request
// before OPP processes it, or nil. The caller holds mu.
func (g *Gateway) faultBeforeCommit(f injected, form url.Values, now time.Time) *reply {
	switch f.kind {
	case ResetAfterWrite:
		return &reply{fail: failResetRead}
	case StatusBeforeCommit:
		r := htmlReply(f.status)
		return &r
	case Throttle:
		p := &wireObject{id: g.mintID(), code: codeThrottled, at: now}
		if e := form.Get("entityId"); validEntityID(e) {
			p.entityID = e
		}
		r := p.reply(http.StatusTooManyRequests)
		r.retryAfter = f.retryAfter
		return &r
	}
	return nil
}

// sleep waits d, or until ctx ends (returning its error) or the gateway is
// closed.
func (g *Gateway) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-g.done:
		return nil
	}
}

func htmlReply(status int) reply {
	return reply{status: status, contentType: "text/html", body: html5xx(status)}
}

// redacted returns the parameters of a request as the log keeps them:
// encoded as received, unless card secrets must be masked, or they did not
// parse (then nothing is kept, since a secret could hide in them).
func redacted(in *inbound, form url.Values, formErr error) string {
	switch {
	case formErr != nil:
		return ""
	case form.Has("card.number") || form.Has("card.cvv"):
		out := cloneValues(form)
		for _, name := range [...]string{"card.number", "card.cvv"} {
			for i, s := range out[name] {
				out[name][i] = redactValue(name, s)
			}
		}
		return out.Encode()
	case in.method == http.MethodPost:
		return in.body
	}
	return in.rawQuery
}

// routeKind is which of OPP's endpoints a path names.
type routeKind uint8

const (
	routeNone     routeKind = iota
	routePayments           // /v1/payments
	routePayment            // /v1/payments/{id}
	routeQuery              // /v1/query
	routeQueryID            // /v1/query/{id}
)

// parseRoute finds the endpoint after the last "/v1/" of path, so that a
// base URL may carry a prefix, as white labels' do.
func parseRoute(path string) (routeKind, string) {
	i := strings.LastIndex(path, "/v1/")
	if i < 0 {
		return routeNone, ""
	}
	rest := path[i+len("/v1/"):]
	name, id, hasID := strings.Cut(rest, "/")
	switch {
	case name == "payments" && !hasID:
		return routePayments, ""
	case name == "query" && !hasID:
		return routeQuery, ""
	case id == "" || strings.Contains(id, "/"):
		return routeNone, ""
	case name == "payments":
		return routePayment, id
	case name == "query":
		return routeQueryID, id
	}
	return routeNone, ""
}
