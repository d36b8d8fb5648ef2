//go:build race

package faultsuite

// raceBuild reports that the tests run with the race detector: the
// command they run is built with it too.
const raceBuild = true
