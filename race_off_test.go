//go:build !race

package backoffice_test

// raceEnabled is true under -race, where the proof runs a smaller count.
const raceEnabled = false
