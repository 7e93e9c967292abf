package backoffice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/hashicorp/go-retryablehttp"
)

// exchange is what one request established: OPP's answer, decoded (with
// the status and headers it came with), or a transport error with no query
// string in it.
type exchange struct {
	status   int
	header   http.Header
	ans      answer
	err      error
	attempts int // requests made
}

// post sends one attempt of a money movement: exactly one request, never
// repeated here. Every re-send is decided by the movement loop.
func (c *Client) post(ctx context.Context, path string, body []byte) exchange {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return exchange{err: sanitize(err)}
	}
	c.setHeaders(req.Header)
	req.Header["Content-Type"] = formContentType
	resp, err := c.hc.Do(req)
	return c.bodies.receive(resp, err, 1)
}

// get performs a lookup through go-retryablehttp, which retries it on
// transport errors, 429 and 5xx within the retry policy.
func (c *Client) get(ctx context.Context, pathAndQuery string) exchange {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+pathAndQuery, nil)
	if err != nil {
		return exchange{err: sanitize(err)}
	}
	c.setHeaders(req.Header)
	resp, err := c.rc.Do(req)
	attempts := 0
	var te *triedError
	if errors.As(err, &te) {
		err, attempts = te.err, te.n
	}
	return c.bodies.receive(resp, err, attempts)
}

// triedError is a lookup's last error with the number of attempts made.
type triedError struct {
	err error
	n   int
}

// Error returns the last error's text.
func (e *triedError) Error() string { return e.err.Error() }

// countAttempts is go-retryablehttp's ErrorHandler: it hands on the last
// response, or the last error with the number of attempts made.
func countAttempts(resp *http.Response, err error, n int) (*http.Response, error) {
	if err != nil {
		return resp, &triedError{err: err, n: n}
	}
	return resp, nil
}

var (
	formContentType = []string{"application/x-www-form-urlencoded"}
	acceptJSON      = []string{"application/json"}
)

func (c *Client) setHeaders(h http.Header) {
	c.authorize(h)
	h["Accept"] = acceptJSON
	h["User-Agent"] = c.userAgent
}

// receive reads and decodes a response, or keeps the transport error.
func (bodies *bodyPool) receive(resp *http.Response, err error, attempts int) exchange {
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return exchange{err: sanitize(err), attempts: attempts}
	}
	ex := exchange{status: resp.StatusCode, header: resp.Header, attempts: attempts}
	buf, err := bodies.read(resp)
	resp.Body.Close()
	if err != nil {
		ex.err = err
	} else {
		ex.ans = decode(*buf)
	}
	bodies.put(buf)
	return ex
}

// errTooLarge is a response body over maxResponseBytes.
var errTooLarge = fmt.Errorf("response larger than %d bytes", maxResponseBytes)

// bodyPool recycles a Client's response buffers. Decoding copies what it
// keeps, so a buffer goes back to the pool as soon as its answer is
// decoded.
type bodyPool struct{ p sync.Pool }

// pooledCap is the size of a fresh pooled buffer; larger bodies get a
// buffer of their own, which is pooled only up to maxPooled.
const (
	pooledCap = 4 << 10
	maxPooled = 64 << 10
)

func (bp *bodyPool) get(n int) *[]byte {
	if b, ok := bp.p.Get().(*[]byte); ok {
		if cap(*b) >= n {
			*b = (*b)[:0]
			return b
		}
		bp.p.Put(b)
	}
	b := make([]byte, 0, max(n, pooledCap))
	return &b
}

func (bp *bodyPool) put(b *[]byte) {
	if b != nil && cap(*b) <= maxPooled {
		bp.p.Put(b)
	}
}

// read reads resp's body into a pooled buffer: exactly Content-Length
// bytes when the server sent one (no regrowth waiting for an EOF that
// in-memory transports deliver late), else until EOF; never more than
// maxResponseBytes.
func (bodies *bodyPool) read(resp *http.Response) (*[]byte, error) {
	n := resp.ContentLength
	if n > maxResponseBytes {
		return nil, errTooLarge
	}
	if n >= 0 {
		buf := bodies.get(int(n))
		*buf = (*buf)[:n]
		if _, err := io.ReadFull(resp.Body, *buf); err != nil {
			bodies.put(buf)
			return nil, fmt.Errorf("reading the response: %w", sanitize(err))
		}
		return buf, nil
	}
	buf := bodies.get(pooledCap)
	b := *buf
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		m, err := resp.Body.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		*buf = b
		if len(b) > maxResponseBytes {
			bodies.put(buf)
			return nil, errTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			bodies.put(buf)
			return nil, fmt.Errorf("reading the response: %w", sanitize(err))
		}
	}
}

// readAll reads and closes resp's body into a buffer of its own, for the
// debug log, which hands the bytes on.
func (bodies *bodyPool) readAll(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	buf, err := bodies.read(resp)
	if err != nil {
		return nil, err
	}
	data := bytes.Clone(*buf)
	bodies.put(buf)
	return data, nil
}
