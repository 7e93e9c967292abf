package opp

import "time"

// timestampLayouts are the forms OPP's timestamp takes ("2017-05-06
// 09:02:49+0000", sometimes with milliseconds).
var timestampLayouts = [...]string{"2006-01-02 15:04:05-0700", "2006-01-02 15:04:05.000-0700", time.RFC3339Nano}

// ParseTimestamp reads OPP's timestamp in UTC; zero when absent or in none
// of its forms. The common form, "2017-05-06 09:02:49+0000", is read
// without time.Parse; every other text goes through time.Parse, and
// TestParseTimestamp holds the two readings equal.
func ParseTimestamp(s string) time.Time {
	if t, ok := parseCommonTimestamp(s); ok {
		return t
	}
	if s == "" {
		return time.Time{}
	}
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parseCommonTimestamp reads "2006-01-02 15:04:05-0700" when every field
// is in range (offsets under 24 hours); ok is false for anything else,
// which ParseTimestamp leaves to time.Parse.
func parseCommonTimestamp(s string) (t time.Time, ok bool) {
	if len(s) != 24 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' || (s[19] != '+' && s[19] != '-') {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	zh, ok7 := digits(s[20:22])
	zm, ok8 := digits(s[22:24])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8) ||
		month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour > 23 || minute > 59 || sec > 59 || zh > 23 || zm > 59 {
		return time.Time{}, false
	}
	offset := (zh*60 + zm) * 60
	if s[19] == '-' {
		offset = -offset
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC).Add(-time.Duration(offset) * time.Second), true
}

// digits reads s, ASCII digits only, as a decimal number.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn is the number of days of month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
