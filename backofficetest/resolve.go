package backofficetest

// Resolve settles the pending transaction id (one seeded or answered with a
// pending code such as 000.200.000, by SetNextResults or the test data of
// the amount convention) with its final result code, as OPP does when the
// acquirer's answer arrives: the transaction keeps its id and takes code;
// if code is a success, the money moves as it would have at once (a PA
// authorizes, a capture captures, ...); the ledger's entry of the
// transaction reads code from then on; and the subscribers (Subscribe,
// DeliverWebhooks) get the transaction again, as OPP notifies the final
// result.
//
// code must be in OPP's catalogue and final: a success or a rejection, not
// pending. An unknown id is refused with a *ResultError 700.400.580 (no
// transaction found), an operation that can no longer be performed (its
// payment was reversed meanwhile, ...) with the *ResultError OPP would
// answer, and it then stays pending.
func (g *Gateway) Resolve(id, code string) error {
	if g.tb != nil {
		g.tb.Helper()
	}
	return g.refused(g.resolve(id, code))
}

func (g *Gateway) resolve(id, code string) error {
	e := &ArgumentError{Helper: "Resolve"}
	if _, ok := describe(code); !ok {
		e.add("code", "result code %q: %v", code, errUnknownCode)
	} else if statusOf(code) == StatusPending {
		e.add("code", "result code %q is pending, not final", code)
	}
	if err := e.err(); err != nil {
		return err
	}
	g.mu.Lock()
	t := g.txns[id]
	switch {
	case t == nil:
		g.mu.Unlock()
		return resultError(codeNotFound)
	case t.status != StatusPending:
		g.mu.Unlock()
		e.add("id", "transaction %s is %s, not pending", id, t.status)
		return e
	}
	if statusOf(code) == StatusSucceeded {
		if t.ref == nil {
			openBalance(t)
		} else {
			f := &fields{entityID: t.entityID, paymentType: t.paymentType, amount: t.amount,
				hasAmount: t.paymentType != "RV" || !t.amount.IsZero(), currency: t.currency}
			refusal, amt := check(t.paymentType, t.ref, f, g.entities[t.entityID])
			if refusal != "" {
				g.mu.Unlock()
				return resultError(refusal)
			}
			apply(t, amt)
		}
	}
	t.code = code
	t.status = statusOf(code)
	p := t.object()
	t.json = p.appendJSON(make([]byte, 0, len(t.json)+64)) // a new slice: replies and notices hold the old one
	n := g.notice(t)
	g.mu.Unlock()
	n.emit()
	return nil
}

// Reset returns the gateway to its state after New: no payments, an empty
// ledger and request log, no queued results, no fault rules, only the
// default account, every entity configured by default. It keeps its
// options, its subscribers (webhook deliveries go on), the control API's
// tokens, its clock and its id source: ids are never reused, so a receiver
// that deduplicates notifications by id is not fooled.
func (g *Gateway) Reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.accounts = map[string]*account{DefaultToken: {entities: map[string]bool{DefaultEntityID: true}}}
	g.entities = make(map[string]EntityConfig)
	g.txns = make(map[string]*txn)
	g.byMTID = make(map[mtidKey][]*txn)
	g.ledger = nil
	g.ledgerGen++
	g.commits = make(map[string][]*txn)
	g.reqs.reset()
	g.forced = make(map[string][]string)
	g.faults = nil
}
