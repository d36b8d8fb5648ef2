//go:build !unix

package rest

import "time"

// processCPU is not measured here: cpu-ns/row is left out.
func processCPU() time.Duration { return 0 }
