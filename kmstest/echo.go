package kmstest

// maxEcho bounds, in characters, a request value that a message repeats:
// AWS truncates long values in its validation messages too, and a 1 MiB
// value must not come back in a 1 MiB message (or fill Calls).
const maxEcho = 128

// echo returns v as an error message repeats it: at most maxEcho
// characters, a longer value cut on a character boundary and marked "...".
func echo(v string) string {
	if len(v) <= maxEcho {
		return v
	}
	n := 0
	for i := range v {
		if n == maxEcho {
			return v[:i] + "..."
		}
		n++
	}
	return v
}
