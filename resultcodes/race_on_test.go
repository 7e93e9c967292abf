//go:build race

package resultcodes

// raceEnabled reports whether the tests run under the race detector, which
// makes the exhaustive regular-expression comparison too slow to be useful.
const raceEnabled = true
