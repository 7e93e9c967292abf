//go:build !race

package resultcodes

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
