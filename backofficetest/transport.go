package backofficetest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// LiveHost is OPP's live host (backoffice.LiveURL). The gateway refuses every
// request to it.
const LiveHost = "eu-prod.oppwa.com"

// errLiveToken is the RoundTripper's answer to a real-looking access token.
var errLiveToken = errors.New("backofficetest: refusing a request carrying what looks like a real OPP access token " +
	"(base64 of \"<userId>|<password>\"): the fake gateway must never see production credentials")

// RoundTrip implements http.RoundTripper without a socket: the request is
// answered in memory, as OPP would answer it, with the faults injected into
// it. For every request that reaches the gateway it first calls the
// WroteHeaders and WroteRequest hooks of the httptrace.ClientTrace in the
// request's context, as net/http does once a request is on the wire; a
// request that a Refused or ResetBeforeWrite fault stops gets no hook.
//
// Any host is accepted except LiveHost, which gets an error, as does a
// request whose bearer token looks like a real OPP access token.
func (g *Gateway) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	auth := req.Header.Get("Authorization")
	switch {
	case strings.EqualFold(req.URL.Hostname(), LiveHost):
		return nil, errors.New("backofficetest: refusing a request to the live OPP host " + LiveHost +
			": the fake gateway must never be confused with production; use backoffice.TestURL or any other host")
	case looksLive(bearer(auth)):
		return nil, errLiveToken
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	in := inbound{method: method, path: req.URL.Path, rawQuery: req.URL.RawQuery, auth: auth, body: body}
	rep := g.exchange(req.Context(), &in, func() { wroteRequest(req) })
	switch rep.fail {
	case failRefused:
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	case failResetWrite:
		return nil, &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)}
	case failResetRead:
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	case failContext:
		return nil, rep.err
	}
	h := make(http.Header, 2)
	h["Content-Type"] = []string{rep.contentType}
	if rep.retryAfter != "" {
		h["Retry-After"] = []string{rep.retryAfter}
	}
	return &http.Response{
		Status:        strconv.Itoa(rep.status) + " " + http.StatusText(rep.status),
		StatusCode:    rep.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          &memBody{Reader: bytes.NewReader(rep.body)},
		ContentLength: int64(len(rep.body)),
		Request:       req,
	}, nil
}

// readBody reads and closes a request's body, at most maxBody bytes.
func readBody(req *http.Request) (string, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return "", nil
	}
	defer req.Body.Close()
	size := 512
	if n := req.ContentLength; n > 0 && n <= maxBody {
		size = int(n) + 1 // room to see EOF without growing
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := req.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > maxBody {
			return "", errors.New("backofficetest: request body larger than 1 MiB")
		}
		if err == io.EOF {
			return string(buf), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// memBody is a response body in memory.
type memBody struct{ *bytes.Reader }

// Close does nothing: the body is in memory.
func (*memBody) Close() error { return nil }

// wroteRequest calls the hooks net/http calls once a request is written.
func wroteRequest(req *http.Request) {
	tr := httptrace.ContextClientTrace(req.Context())
	if tr == nil {
		return
	}
	if tr.WroteHeaders != nil {
		tr.WroteHeaders()
	}
	if tr.WroteRequest != nil {
		tr.WroteRequest(httptrace.WroteRequestInfo{})
	}
}
