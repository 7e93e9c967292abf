package backoffice

import (
	"strings"
	"testing"
)

// TestWithObserverNeedsAFunction: an observer with no function is a
// mistake New reports.
func TestWithObserverNeedsAFunction(t *testing.T) {
	_, err := New(testToken, testEntity, WithObserver(Observer{}))
	if err == nil || !strings.Contains(err.Error(), "WithObserver: the observer has no function") {
		t.Fatalf("New = %v", err)
	}
}

// TestCategory names the one sentinel of each error, nil for success.
func TestCategory(t *testing.T) {
	for _, s := range sentinels {
		if got := category(&Error{Kind: s}); got != s {
			t.Errorf("category(Error{Kind: %v}) = %v", s, got)
		}
	}
	for err, want := range map[error]error{
		nil:                       nil,
		&NetworkError{}:           ErrNetwork,
		&OutcomeUnknownError{}:    ErrOutcomeUnknown,
		&ValidationError{}:        ErrInvalidRequest,
		&Error{Kind: ErrDeclined}: ErrDeclined,
	} {
		if got := category(err); got != want {
			t.Errorf("category(%T) = %v, want %v", err, got, want)
		}
	}
}
