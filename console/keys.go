package console

import (
	"crypto/rand"
	"sync"

	"github.com/oppkit/backoffice"
)

// newKey mints a dialog's Transaction ID: 16 characters from [A-Za-z0-9]
// (95 bits of randomness), within every white label's merchantTransactionId
// limits.
func newKey() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b [16]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:])
}

// keys serializes the submissions of one Transaction ID and remembers the
// payments recently made with each, so that a second POST of a form waits
// for the first and then shows its payment instead of sending again, even
// before OPP's query shows it.
type keys struct {
	mu    sync.Mutex
	locks map[string]*keyLock
	done  map[string]*backoffice.Payment
	order []string // of done, oldest first, for eviction
	max   int
}

type keyLock struct {
	sync.Mutex
	users int
}

func newKeys(max int) *keys {
	return &keys{locks: map[string]*keyLock{}, done: map[string]*backoffice.Payment{}, max: max}
}

// lock blocks until no other submission of key runs, and returns its unlock.
func (k *keys) lock(key string) (unlock func()) {
	k.mu.Lock()
	l := k.locks[key]
	if l == nil {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		l.users--
		if l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

// payment returns the payment made with key by this Handler, if any.
func (k *keys) payment(key string) *backoffice.Payment {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.done[key]
}

// remember records the payment made with key.
func (k *keys) remember(key string, p *backoffice.Payment) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.done[key]; !ok {
		k.order = append(k.order, key)
	}
	k.done[key] = p
	for len(k.order) > k.max {
		delete(k.done, k.order[0])
		k.order = k.order[1:]
	}
}
