package main

import "aggregator/internal/wiring"

// version is set at build time with -ldflags "-X main.version=…"; when it
// is empty the module version or VCS revision from the build info is used.
var version = ""

// programVersion is the version this binary reports, and the one in the
// default User-Agent of the cycle benchmark's fetcher (as in the daemon's).
func programVersion() string { return wiring.Version(version) }
