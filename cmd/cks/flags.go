package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// newFlagSet returns the FlagSet of one subcommand, printing to stderr.
// Its help (`cks help NAME`, --help) lists the flags the subcommand takes,
// spelt --name as everywhere in cks.
func newFlagSet(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("cks "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: cks %s %s\n\nFlags:\n", name, usage)
		printFlags(fs)
		fmt.Fprintln(fs.Output(), "\nExit codes, secrets and environment variables: cks help")
	}
	return fs
}

// printFlags writes fs's flags as flag.PrintDefaults does, but spelt
// --name, and the refused secret flags in a line of their own.
func printFlags(fs *flag.FlagSet) {
	w := fs.Output()
	var refused []string
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(refusedFlag); ok {
			refused = append(refused, "--"+f.Name)
			return
		}
		value, usage := placeholder(f)
		line := "  --" + f.Name
		if value != "" {
			line += " " + value
		}
		switch f.DefValue {
		case "", "0", "false", "0s":
		default:
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
	})
	if len(refused) > 0 {
		fmt.Fprintf(w, "\nRefused, because a secret is never a flag value: %s (use the --...-file flags or the environment variables of cks help)\n", strings.Join(refused, ", "))
	}
}

// placeholderWords name the value of a flag whose name ends in the word
// and whose usage names none: --endpoint-url URL, --id ID, --xks-path PATH.
var placeholderWords = map[string]string{
	"file": "FILE", "id": "ID", "name": "NAME", "path": "PATH", "url": "URL", "endpoint": "URL",
	"region": "REGION", "profile": "NAME", "output": "FORMAT", "type": "TYPE", "connectivity": "TYPE",
	"owner": "ACCOUNT", "resolve": "NAME=ADDRESS", "size": "N",
}

// placeholder returns the name of f's value in help, and its usage: the
// backquoted word of the usage (flag.UnquoteUsage) in capitals, else the
// one of the last word of f's name (placeholderWords), else DURATION or N
// by its type, or VALUE; "" for a boolean flag.
func placeholder(f *flag.Flag) (value, usage string) {
	value, usage = flag.UnquoteUsage(f)
	if value == "" || strings.Contains(f.Usage, "`") {
		return strings.ToUpper(value), usage
	}
	last := f.Name[strings.LastIndex(f.Name, "-")+1:]
	if w, ok := placeholderWords[last]; ok {
		return w, usage
	}
	switch value {
	case "duration":
		return "DURATION", usage
	case "int", "uint", "int64", "uint64":
		return "N", usage
	}
	return "VALUE", usage
}

// singleDash finds a flag named -name in a message of package flag.
var singleDash = regexp.MustCompile(`(^|: |flag |for )-([A-Za-z0-9][A-Za-z0-9-]*)`)

// flagError is err, a parse error of fs, as cks spells flags: --name, with
// what the flag wants when its value is missing or does not parse.
func flagError(fs *flag.FlagSet, err error) string {
	msg := singleDash.ReplaceAllString(err.Error(), "${1}--${2}")
	m := singleDash.FindStringSubmatch(err.Error())
	if m == nil {
		return msg
	}
	f := fs.Lookup(m[2])
	if f == nil {
		return msg
	}
	value, _ := placeholder(f)
	switch {
	case strings.HasPrefix(msg, "flag needs an argument"):
		msg += " " + value
	case !strings.HasSuffix(msg, "parse error"):
	case value == "DURATION":
		msg += ": want a DURATION such as 90s or 10m"
	case value == "N":
		msg += ": want a whole number"
	case value == "":
		msg += ": want true or false (--" + f.Name + "=false)"
	}
	return msg
}

// parseFlags parses args into fs. It returns -1 to go on, or the exit code:
// 0 for --help, exitUsage for bad flags, stray arguments or a refused
// secret. A bad flag is reported spelt --name (flagError), then the
// command's help.
func parseFlags(e *env, fs *flag.FlagSet, args []string, refused *refusals) int {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}     // package flag would print its own -name text first
	fs.SetOutput(io.Discard) // and this is where it prints it
	err := fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(out)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(out, "%s: %s\n", fs.Name(), flagError(fs, err))
		}
		fs.Usage()
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "cks: unexpected argument %q (flags come as --name value); run 'cks help %s'\n",
			fs.Arg(0), strings.TrimPrefix(fs.Name(), "cks "))
		return exitUsage
	}
	if refused != nil && refused.report(e) {
		return exitUsage
	}
	return -1
}

// optString is a flag for an optional member: nil when the flag is not
// given, a pointer to the value (possibly "") when it is.
type optString struct{ p **string }

func (o optString) String() string {
	if o.p == nil || *o.p == nil {
		return ""
	}
	return **o.p
}

func (o optString) Set(s string) error { *o.p = &s; return nil }

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

// refusals are the flags that would take a secret as a value. They exist
// only to be refused: the value is never kept, so it can never be echoed.
type refusals struct {
	given []refusal
	all   []refusal
}

type refusal struct{ flag, instead string }

// refusedFlag records that its flag was given, and drops the value.
type refusedFlag struct {
	r   *refusals
	ref refusal
}

func (f refusedFlag) String() string { return "" }
func (f refusedFlag) Set(string) error {
	f.r.given = append(f.r.given, f.ref)
	return nil
}

// add registers the refused flag name; instead says what to use.
func (r *refusals) add(fs *flag.FlagSet, name, instead string) {
	ref := refusal{flag: name, instead: instead}
	r.all = append(r.all, ref)
	fs.Var(refusedFlag{r: r, ref: ref}, name, "REFUSED: a secret is never a flag value; use "+instead)
}

// report prints why each given refused flag is refused, and says whether
// there was one.
func (r *refusals) report(e *env) bool {
	for _, ref := range r.given {
		fmt.Fprintf(e.stderr, "cks: --%s is refused: a secret given on the command line is saved in your shell history and shown to every user by ps; its value was not used. Use %s instead.\n", ref.flag, ref.instead)
	}
	return len(r.given) > 0
}
