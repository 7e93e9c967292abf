//go:build race

package main

// raceEnabled is true under -race, where the bulk proof runs fewer rows.
const raceEnabled = true
