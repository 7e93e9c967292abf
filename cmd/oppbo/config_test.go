package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oppkit/backoffice/backofficetest"
)

// TestCredentials: the environment or a config file of mode 0600, never a
// flag; the host is explicit.
func TestCredentials(t *testing.T) {
	creds := "token = " + backofficetest.DefaultToken + "\nentity = " + backofficetest.DefaultEntityID + "\n"
	tests := []struct {
		name   string
		env    []string // replaces the harness's credentials
		config string   // a config file's content; "" for none
		perm   os.FileMode
		args   []string
		code   int
		stderr string
	}{
		{"environment", nil, "", 0, []string{"find", "x", "--host", "test"}, exitNotFound, "no transaction carries"},
		{"no credentials", []string{}, "", 0, []string{"find", "x", "--host", "test"}, exitUsage, "no credentials: set OPPBO_TOKEN and OPPBO_ENTITY"},
		{"config file 0600", []string{}, creds + "host = test\n", 0o600, []string{"find", "x"}, exitNotFound, "no transaction carries"},
		{"config file 0644 refused", []string{}, creds, 0o644, []string{"find", "x", "--host", "test"}, exitUsage, "has mode 0644: it holds the access token"},
		{"config file 0640 refused", []string{}, creds, 0o640, []string{"find", "x", "--host", "test"}, exitUsage, "must be readable by its owner only (chmod 600"},
		{"config file, unknown key", []string{}, "tokn = x\n", 0o600, []string{"find", "x", "--host", "test"}, exitUsage, `line 1: unknown key "tokn"`},
		{"token flag refused", nil, "", 0, []string{"find", "x", "--host", "test", "--token", "secret"}, exitUsage, "credentials are never taken from flags"},
		{"entity flag refused", nil, "", 0, []string{"refund", "--entity=abc", "x"}, exitUsage, "credentials are never taken from flags"},
		{"no host", []string{"OPPBO_TOKEN=" + backofficetest.DefaultToken, "OPPBO_ENTITY=" + backofficetest.DefaultEntityID}, "", 0, []string{"find", "x"}, exitUsage, "no host: pass --host test or --host live"},
		{"bad host", nil, "", 0, []string{"find", "x", "--host", "ftp://x"}, exitUsage, `--host "ftp://x": want test, live, or a URL`},
		{"plain http refused", nil, "", 0, []string{"find", "x", "--host", "http://opp.example.com"}, exitUsage, "http"},
		{"fake and host", nil, "", 0, []string{"find", "x", "--fake", "--host", "test"}, exitUsage, "--fake and --host exclude each other"},
		{"unknown flag", nil, "", 0, []string{"find", "x", "--nope"}, exitUsage, "flag provided but not defined: -nope"},
		{"unknown command", nil, "", 0, []string{"refnud"}, exitUsage, `unknown command "refnud"`},
		{"missing argument", nil, "", 0, []string{"refund", "--amount", "1.00"}, exitUsage, "want one argument <debit or capture id>, got 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			if tt.env != nil {
				c.env = append(tt.env, "HOME="+t.TempDir())
			}
			if tt.config != "" {
				path := filepath.Join(t.TempDir(), "config")
				if err := os.WriteFile(path, []byte(tt.config), tt.perm); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.perm); err != nil { // past the umask
					t.Fatal(err)
				}
				c.env = append(c.env, "OPPBO_CONFIG="+path)
			}
			r := c.do(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.stderr)
			}
			if strings.Contains(r.stderr, backofficetest.DefaultToken) {
				t.Errorf("the token is in stderr: %q", r.stderr)
			}
		})
	}
}

// TestDefaultConfigPath: without OPPBO_CONFIG the file is
// ~/.config/oppbo/config, and the environment wins over it.
func TestDefaultConfigPath(t *testing.T) {
	c := newCLI(t)
	home := t.TempDir()
	dir := filepath.Join(home, ".config", "oppbo")
	must(t, os.MkdirAll(dir, 0o700))
	must(t, os.WriteFile(filepath.Join(dir, "config"), []byte("token = "+backofficetest.DefaultToken+"\nentity = "+backofficetest.DefaultEntityID+"\nhost = live\n"), 0o600))
	c.env = []string{"HOME=" + home}
	s, err := loadSettings(envMap(c.env), "", "")
	if err != nil || s.token != backofficetest.DefaultToken || s.host != "live" || !s.live {
		t.Fatalf("from the file: %+v, %v", s, err)
	}
	s, err = loadSettings(envMap(append(c.env, "OPPBO_HOST=test")), "", "")
	if err != nil || s.host != "test" || s.live {
		t.Fatalf("the environment first: %+v, %v", s, err)
	}
	if strings.Contains(s.String(), backofficetest.DefaultToken) {
		t.Errorf("settings print their token: %s", s)
	}
}

func envMap(env []string) map[string]string {
	return newApp(nil, nil, nil, env).env
}

// TestLiveNeedsConfirmation: a live host moves money only after "yes" or
// with --yes; lookups need none.
func TestLiveNeedsConfirmation(t *testing.T) {
	const host = "https://white-label-psp.example" // any host but test and loopback is treated as live
	for _, tt := range []struct {
		name, stdin string
		yes         bool
		sent        bool
	}{
		{"declined", "no\n", false, false},
		{"no answer", "", false, false},
		{"confirmed", "yes\n", false, true},
		{"--yes", "", true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			args := []string{"refund", db, "--amount", "1.00", "--currency", "EUR", "--host", host}
			if tt.yes {
				args = append(args, "--yes")
			}
			r := c.run(t.Context(), tt.stdin, args...)
			if sent := len(c.gw.Ledger()) == 1; sent != tt.sent {
				t.Fatalf("sent %v, want %v; exit %d, stderr %q", sent, tt.sent, r.code, r.stderr)
			}
			if !tt.yes && !strings.Contains(r.stderr, "LIVE host "+host) {
				t.Errorf("no question asked: %q", r.stderr)
			}
			if tt.sent != (r.code == exitOK) {
				t.Errorf("exit %d", r.code)
			}
			if !tt.sent && !strings.Contains(r.stderr, "not confirmed; nothing was sent") {
				t.Errorf("stderr %q", r.stderr)
			}
		})
	}
	c := newCLI(t)
	db := c.gw.SeedDebit(dec("80.00"), "EUR")
	if r := c.do("get", db, "--host", host); r.code != exitOK || strings.Contains(r.stderr, "LIVE") {
		t.Errorf("a lookup asked: exit %d, %q", r.code, r.stderr)
	}
}

// TestHelp: every command has --help with an example and the exit codes,
// on stdout, exit 0.
func TestHelp(t *testing.T) {
	c := newCLI(t)
	for _, cmd := range newApp(nil, nil, nil, nil).commands() {
		r := c.do(cmd.name, "--help")
		if r.code != exitOK {
			t.Errorf("%s --help: exit %d", cmd.name, r.code)
		}
		for _, want := range []string{"Usage: oppbo " + cmd.name, "Example:\n  ", "oppbo " + cmd.name + " ", "Exit codes:", "10  outcome unknown"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s --help lacks %q:\n%s", cmd.name, want, r.stdout)
			}
		}
	}
	r := c.do("help")
	if r.code != exitOK || !strings.Contains(r.stdout, "reverse-chargeback") || !strings.Contains(r.stdout, "Exit codes:") {
		t.Errorf("help: exit %d\n%s", r.code, r.stdout)
	}
	golden(t, "help.txt", r.stdout)
	golden(t, "refund-help.txt", c.do("help", "refund").stdout)
	golden(t, "get-help.txt", c.do("get", "--help").stdout)
	golden(t, "search-help.txt", c.do("search", "--help").stdout)
}

// TestFake: 'oppbo fake' lists the seeded payments, and every command
// works on them with --fake and no credentials.
func TestFake(t *testing.T) {
	c := newCLI(t)
	c.env = []string{"HOME=" + t.TempDir()}
	r := c.do("fake")
	if r.code != exitOK {
		t.Fatalf("fake: exit %d", r.code)
	}
	golden(t, "fake.txt", r.stdout)
	_, seeds, err := newFake(0)
	must(t, err)
	pa, db, cb := seeds[0].id, seeds[1].id, seeds[5].id
	for _, args := range [][]string{
		{"capture", pa, "--amount", "60.00", "--currency", "EUR"},
		{"reverse", pa},
		{"refund", db, "--amount", "10.00", "--currency", "EUR"},
		{"chargeback", db, "--amount", "80.00", "--currency", "EUR", "--reason", "fraud"},
		{"rebill", db, "--amount", "5.00", "--currency", "EUR"},
		{"reverse-chargeback", cb, "--amount", "50.00", "--currency", "EUR"},
		{"get", db},
		{"get", seeds[6].id},
		{"search", "--from", fakeDay, "--to", fakeDay},
		{"find", "order-1001"},
	} {
		r := c.do(append(args, "--fake")...)
		if r.code != exitOK {
			t.Errorf("%v --fake: exit %d, %s", args, r.code, r.stderr)
		}
	}
	r = c.run(t.Context(), "4200000000000000\n", "credit", "--fake", "--amount", "5.00", "--currency", "EUR", "--brand", "VISA", "--holder", "Jane Doe", "--expiry", "12/2030")
	if r.code != exitOK || strings.Contains(r.stdout+r.stderr, "4200000000000000") {
		t.Errorf("credit --fake: exit %d, %s", r.code, r.stderr)
	}
}
