package webhook

import "bytes"

// payloadValue returns the bytes of the value of obj's "payload" member.
// obj must be valid JSON (json.Unmarshal accepted it). ok is true only when
// encoding/json decodes that value, and nothing else, into a field tagged
// "payload": obj is an object with exactly one key that matches "payload"
// case-insensitively, spelled exactly "payload", and no key holds an escape
// sequence (which could spell "payload" too). Parse reads anything else the
// slower way.
func payloadValue(obj []byte) (val []byte, ok bool) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return nil, false
	}
	i++
	for {
		i = skipSpace(obj, i)
		if i >= len(obj) {
			return nil, false
		}
		switch obj[i] {
		case '}':
			return val, val != nil
		case ',':
			i = skipSpace(obj, i+1)
		}
		if i >= len(obj) || obj[i] != '"' {
			return nil, false
		}
		end := endOfString(obj, i+1)
		if end < 0 {
			return nil, false
		}
		key := obj[i+1 : end]
		if bytes.IndexByte(key, '\\') >= 0 {
			return nil, false
		}
		i = skipSpace(obj, end+1)
		if i >= len(obj) || obj[i] != ':' {
			return nil, false
		}
		start := skipSpace(obj, i+1)
		i = endOfValue(obj, start)
		if i < 0 {
			return nil, false
		}
		if bytes.EqualFold(key, []byte("payload")) {
			if val != nil || string(key) != "payload" {
				return nil, false
			}
			val = obj[start:i]
		}
	}
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// endOfString returns the index of the quote that closes the string whose
// text starts at i; -1 if it does not end. It jumps from quote to quote: in
// valid JSON a quote ends the string unless an odd run of backslashes
// precedes it.
func endOfString(b []byte, i int) int {
	start := i
	for {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return -1
		}
		q += i
		k := q
		for k > start && b[k-1] == '\\' {
			k--
		}
		if (q-k)%2 == 0 {
			return q
		}
		i = q + 1
	}
}

// endOfValue returns the index just past the JSON value that starts at i;
// -1 if there is none.
func endOfValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		end := endOfString(b, i+1)
		if end < 0 {
			return -1
		}
		return end + 1
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			case '"':
				end := endOfString(b, i+1)
				if end < 0 {
					return -1
				}
				i = end
			}
			i++
		}
		return -1
	default: // a number, true, false or null
		start := i
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
			i++
		}
		if i == start {
			return -1
		}
		return i
	}
}
