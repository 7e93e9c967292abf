package opp

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// slowTimestamp is ParseTimestamp without its fast path: time.Parse with
// each of OPP's layouts.
func slowTimestamp(s string) time.Time {
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func checkTimestamp(t *testing.T, s string) {
	t.Helper()
	if got, want := ParseTimestamp(s), slowTimestamp(s); !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseTimestamp(%q) = %v (%#v); time.Parse reads %v (%#v)", s, got, got, want, want)
	}
}

// TestParseTimestamp: the fast path reads every text exactly as time.Parse
// with OPP's layouts does, in range or not: fixed cases and 50,000 random
// texts of the common form with digits anywhere in their ranges and beyond.
func TestParseTimestamp(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"2017-05-06 09:02:49+0000", time.Date(2017, 5, 6, 9, 2, 49, 0, time.UTC)},
		{"2026-11-23 09:00:00+0200", time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)},
		{"2026-11-23 23:30:00-0130", time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)},
		{"2024-02-29 00:00:00+0000", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"2026-11-23 09:00:00.123+0200", time.Date(2026, 11, 23, 7, 0, 0, 123e6, time.UTC)},
		{"2026-11-23T09:00:00Z", time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)},
		{"2023-02-29 00:00:00+0000", time.Time{}},
		{"2026-13-01 00:00:00+0000", time.Time{}},
		{"2026-11-23 24:00:00+0000", time.Time{}},
		{"2026-11-23 09:60:00+0000", time.Time{}},
		{"2026-11-23 09:00:60+0000", time.Time{}},
		{"2026-11-23 09:00:00 0000", time.Time{}},
		{"2026-11-23 09:00:00+00:00", time.Time{}},
		{"yesterday", time.Time{}},
		{"", time.Time{}},
	} {
		if got := ParseTimestamp(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseTimestamp(%q) = %v; want %v", tt.in, got, tt.want)
		}
		checkTimestamp(t, tt.in)
	}
	for _, s := range []string{"2024-02-30 00:00:00+0000", "1900-02-29 00:00:00+0000", "2000-02-29 00:00:00+0000",
		"0000-01-01 00:00:00+0000", "9999-12-31 23:59:59-2359", "2026-11-23 09:00:00+2400", "2026-11-23 09:00:00+0060",
		"2026-11-23 09:00:00+2500", "2026-11-23 09:00:00-0000", "+026-11-23 09:00:00+0000", "2026-1a-23 09:00:00+0000",
		"2026-00-23 09:00:00+0000", "2026-11-00 09:00:00+0000", "2026-11-23 9:00:00+00000", "2026-11-23 09:00:00,1+0000"} {
		checkTimestamp(t, s)
	}
	r := rand.New(rand.NewPCG(1, 2))
	num := func(width, limit int) string {
		n := r.IntN(limit)
		b := make([]byte, width)
		for i := width - 1; i >= 0; i-- {
			b[i] = byte('0' + n%10)
			n /= 10
		}
		return string(b)
	}
	for range 50000 {
		sign := "+"
		if r.IntN(2) == 0 {
			sign = "-"
		}
		s := num(4, 10000) + "-" + num(2, 14) + "-" + num(2, 33) + " " + num(2, 26) + ":" + num(2, 62) + ":" + num(2, 62) +
			sign + num(2, 27) + num(2, 62)
		checkTimestamp(t, s)
	}
}

// FuzzParseTimestamp: the fast path reads any text as time.Parse does.
func FuzzParseTimestamp(f *testing.F) {
	f.Add("2017-05-06 09:02:49+0000")
	f.Add("2026-11-23 09:00:00.123+0200")
	f.Add("2024-02-29 23:59:59-2359")
	f.Fuzz(func(t *testing.T, s string) { checkTimestamp(t, s) })
}
