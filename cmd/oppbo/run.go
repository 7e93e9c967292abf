package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/oppkit/backoffice"
)

// app is one invocation of the CLI: its streams and environment.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	env            map[string]string
	in             *bufio.Reader // stdin, read line by line by prompts

	// transport, when set, replaces the network (tests: a fake gateway that
	// outlives one invocation). retry, when set, replaces the retry policy.
	transport http.RoundTripper
	retry     *backoffice.RetryPolicy
}

// run is the whole program: main calls it with the process's streams and
// environment, tests with their own. It returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string) int {
	return newApp(stdin, stdout, stderr, environ).main(ctx, args)
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, environ []string) *app {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, env: env, in: bufio.NewReader(stdin)}
}

// command is a subcommand.
type command struct {
	name, args, summary, example string
	run                          func(a *app, ctx context.Context, name string, args []string) int
}

func (a *app) commands() []command {
	cmds := make([]command, 0, len(operations)+5)
	for _, op := range operations {
		cmds = append(cmds, command{name: op.name, args: op.args, summary: op.summary, example: op.example, run: runOperation})
	}
	return append(cmds,
		command{name: "get", args: "<payment-id>", summary: "look a payment up by its OPP id: its linked transactions, what is left of it, the operations it still takes",
			example: "oppbo get --host test 8ac7a4a1845f7e1f01846b3e0f3a1b2c\n" +
				"oppbo get --host test --json 8ac7a4a1845f7e1f01846b3e0f3a1b2c | jq -r .remaining.refund", run: runGet},
		command{name: "search", args: "", summary: "list the transactions of a time frame (31 days at most), newest first, filtered by type, method, key or short id",
			example: "oppbo search --host test --from 2026-01-01 --to 2026-01-31 --type CP,RF --limit 500\n" +
				"oppbo search --host test --from 2026-01-31T09:00:00Z --to 2026-01-31T10:00:00Z --method CC --json | jq -r .id\n" +
				"oppbo search --host test --transaction-id order-1001-refund-1", run: runSearch},
		command{name: "find", args: "<merchantTransactionId>", summary: "list the transactions that carry a merchantTransactionId (settles an unknown outcome)",
			example: "oppbo find --host test --json order-1001-refund", run: runFind},
		command{name: "fake", args: "", summary: "list the payments seeded in the embedded fake gateway (--fake), to try every command",
			example: "oppbo fake", run: runFake},
	)
}

func (a *app) main(ctx context.Context, args []string) int {
	if len(args) == 0 {
		a.usage(a.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return a.main(ctx, []string{args[1], "--help"})
		}
		a.usage(a.stdout)
		return exitOK
	}
	for _, c := range a.commands() {
		if c.name == name {
			return c.run(a, ctx, name, args[1:])
		}
	}
	fmt.Fprintf(a.stderr, "oppbo: unknown command %q\n\n", name)
	a.usage(a.stderr)
	return exitUsage
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintf(w, `oppbo performs OPP back-office operations and lookups.

Usage:
  oppbo <command> [flags] [arguments]

Commands:
`)
	for _, c := range a.commands() {
		fmt.Fprintf(w, "  %-19s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
Run 'oppbo <command> --help' for a command's flags and an example.

Credentials come from the environment (%s, %s) or from a config file
(--config, %s, or ~/.config/oppbo/config, mode 0600) of lines
"token = ...", "entity = ...", "host = ...". Never from flags.
The host is explicit: --host test, --host live, or a URL (or %s).
The live host asks for confirmation before moving money, unless --yes.

Try it with no account:
  oppbo fake
  oppbo capture --fake --amount 60.00 --currency EUR <PA id from 'oppbo fake'>

%s`, envToken, envEntity, envConfig, envHost, exitCodeHelp)
}

// common are the flags every command that talks to OPP takes.
type common struct {
	json        bool
	fake        bool
	host        string
	config      string
	yes         bool
	timeout     time.Duration
	fakeLatency time.Duration
}

func (c *common) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.json, "json", false, "print JSON instead of a table")
	fs.BoolVar(&c.fake, "fake", false, "use the embedded fake gateway and its seeded payments (see 'oppbo fake'); no account, no network")
	fs.StringVar(&c.host, "host", "", "OPP `host`: test, live, or a URL such as https://test.example-psp.com (default $"+envHost+")")
	fs.StringVar(&c.config, "config", "", "config `file` with token, entity and host (mode 0600; default $"+envConfig+" or ~/.config/oppbo/config)")
	fs.BoolVar(&c.yes, "yes", false, "do not ask before moving money on a live host")
	fs.DurationVar(&c.timeout, "timeout", 60*time.Second, "bound on each call, retries and lookups included")
	fs.DurationVar(&c.fakeLatency, "fake-latency", 0, "with --fake: make each request wait this `long`, to watch a bulk run")
}

// newFlagSet returns a command's flag set whose --help prints the command's
// usage, example and the exit codes.
func (a *app) newFlagSet(name string, args []string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	out := a.stderr
	for _, arg := range args {
		if arg == "-h" || arg == "-help" || arg == "--help" {
			out = a.stdout
		}
	}
	fs.SetOutput(out)
	fs.Usage = func() {
		for _, c := range a.commands() {
			if c.name == name {
				fmt.Fprintf(out, "Usage: oppbo %s\n\n%s.\n\nExample:\n  %s\n\nFlags:\n", strings.TrimSpace(name+" [flags] "+c.args), upperFirst(c.summary), strings.ReplaceAll(c.example, "\n", "\n  "))
			}
		}
		fs.PrintDefaults()
		fmt.Fprintf(out, "\n%s", exitCodeHelp)
	}
	return fs
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// parse parses flags and positional arguments in any order. It returns the
// positional arguments, or an exit code when parsing ends the command.
func (a *app) parse(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	for _, arg := range args {
		if n := strings.TrimLeft(arg, "-"); arg != n && isCredentialFlag(n) {
			fmt.Fprintf(a.stderr, "oppbo: credentials are never taken from flags (ps and shell history would show them): set %s and %s, or use a config file (mode 0600)\n", envToken, envEntity)
			return nil, exitUsage, false
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

func isCredentialFlag(name string) bool {
	name, _, _ = strings.Cut(name, "=")
	switch strings.ToLower(name) {
	case "token", "access-token", "password", "entity", "entity-id", "entityid":
		return true
	}
	return false
}

// client builds the backoffice client the flags and the configuration ask
// for. With --fake it runs against a new embedded fake gateway.
func (a *app) client(c *common) (*backoffice.Client, settings, error) {
	var s settings
	opts := []backoffice.Option{backoffice.WithUserAgent("oppbo/" + backoffice.Version)}
	if a.retry != nil {
		opts = append(opts, backoffice.WithRetry(*a.retry))
	}
	if c.fake {
		if c.host != "" {
			return nil, s, configErrorf("--fake and --host exclude each other")
		}
		gw, _, err := newFake(c.fakeLatency)
		if err != nil {
			return nil, s, err
		}
		s = settings{token: fakeToken, entity: fakeEntity, host: "fake", baseURL: backoffice.TestURL}
		opts = append(opts, backoffice.WithHTTPClient(&http.Client{Transport: gw}),
			backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}))
	} else {
		if c.fakeLatency != 0 {
			return nil, s, configErrorf("--fake-latency needs --fake")
		}
		var err error
		if s, err = loadSettings(a.env, c.config, c.host); err != nil {
			return nil, s, err
		}
		opts = append(opts, backoffice.WithBaseURL(s.baseURL))
		if a.transport != nil {
			opts = append(opts, backoffice.WithHTTPClient(&http.Client{Transport: a.transport}))
		}
	}
	cl, err := backoffice.New(s.token, s.entity, opts...)
	if err != nil {
		return nil, s, &configError{msg: err.Error()}
	}
	return cl, s, nil
}

// fail reports an error that ends a command before anything was sent
// (configuration, files, flags) and returns exit code 1.
func (a *app) fail(err error) int {
	fmt.Fprintf(a.stderr, "oppbo: %s\n", err)
	return exitUsage
}

// printed reports a failure to print a result: the call itself succeeded.
func (a *app) printed(err error) int {
	if err != nil {
		fmt.Fprintf(a.stderr, "oppbo: the call succeeded but its result could not be printed: %v\n", err)
	}
	return exitOK
}

// confirm asks before money moves on a live host. It reads one line from
// stdin; anything but "yes" declines.
func (a *app) confirm(s settings, c *common, what string) bool {
	if !s.live || c.yes {
		return true
	}
	fmt.Fprintf(a.stderr, "LIVE host %s, entity %s: %s.\nReal money moves. Type yes to go on: ", s.baseURL, s.entity, what)
	line, _ := a.in.ReadString('\n')
	if strings.TrimSpace(line) == "yes" {
		return true
	}
	fmt.Fprintln(a.stderr, "oppbo: not confirmed; nothing was sent (pass --yes to skip this question)")
	return false
}

// callContext bounds one call by --timeout.
func callContext(ctx context.Context, c *common) (context.Context, context.CancelFunc) {
	if c.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.timeout)
}
