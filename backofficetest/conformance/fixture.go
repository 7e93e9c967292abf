package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// FixtureName is the file name of a fixture of host recorded on r's date:
// opp-<host>-<yyyy-mm-dd>.json.
func FixtureName(r *Report) string {
	host := strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' {
			return c
		}
		return '_'
	}, strings.ToLower(r.Host))
	return "opp-" + host + "-" + r.Recorded.Format("2006-01-02") + ".json"
}

// MarshalFixture returns r as a fixture: indented JSON, with every secret
// given (the access token, the entity id, ...) replaced by "[redacted]" in
// every form it could take (as is, URL-encoded, JSON-escaped), and every
// run of 12 to 19 digits (a card number, wherever an answer or a
// description echoed it) masked to its first six and last four digits. The
// requests are already redacted (see Request).
func MarshalFixture(r *Report, secrets ...string) ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	for _, s := range secrets {
		if len(s) < 4 {
			continue // too short to be a secret worth a blind replacement
		}
		q, _ := json.Marshal(s)
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s), string(q[1 : len(q)-1])} {
			b = bytes.ReplaceAll(b, []byte(form), []byte("[redacted]"))
		}
	}
	b = panRun.ReplaceAllFunc(b, func(m []byte) []byte {
		i := 0
		for i < len(m) && (m[i] < '0' || m[i] > '9') {
			i++
		}
		j := len(m)
		for j > i && (m[j-1] < '0' || m[j-1] > '9') {
			j--
		}
		return slices.Concat(m[:i], []byte(maskPAN(string(m[i:j]))), m[j:])
	})
	return append(b, '\n'), nil
}

// panRun matches a run of 12 to 19 digits that no other digit touches.
var panRun = regexp.MustCompile(`(?:^|[^0-9])[0-9]{12,19}(?:[^0-9]|$)`)

// WriteFixture writes r into dir as FixtureName(r), redacted as
// MarshalFixture does, and returns the file's path. A fixture of the same
// host and day is replaced.
func WriteFixture(dir string, r *Report, secrets ...string) (string, error) {
	b, err := MarshalFixture(r, secrets...)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, FixtureName(r))
	return path, os.WriteFile(path, b, 0o644)
}

// ReadFixtures reads every opp-*.json fixture of dir, in name order; a
// missing dir holds none.
func ReadFixtures(dir string) ([]*Report, error) {
	names, err := filepath.Glob(filepath.Join(dir, "opp-*.json"))
	if err != nil {
		return nil, err
	}
	var out []*Report
	for _, name := range names {
		b, err := os.ReadFile(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		r := new(Report)
		if err := json.Unmarshal(b, r); err != nil {
			return nil, fmt.Errorf("conformance: fixture %s: %w", name, err)
		}
		out = append(out, r)
	}
	return out, nil
}
