package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/oppkit/backoffice"
)

// The environment variables the CLI reads. Credentials come from here or from
// a config file, never from flags: ps and shell history show flags.
const (
	envToken  = "OPPBO_TOKEN"
	envEntity = "OPPBO_ENTITY"
	envHost   = "OPPBO_HOST"
	envConfig = "OPPBO_CONFIG"
)

// settings is where the CLI sends and as whom.
type settings struct {
	token, entity string
	host          string // test, live, or a URL
	baseURL       string
	live          bool // the host moves real money: ask before sending
}

// String describes the settings without the token.
func (s settings) String() string {
	return fmt.Sprintf("entity %s on %s", s.entity, s.baseURL)
}

// configError is a problem with the configuration or the command line:
// exit code 1, nothing was sent.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

func configErrorf(format string, args ...any) error {
	return &configError{msg: fmt.Sprintf(format, args...)}
}

// loadSettings reads the credentials and the host: the environment first,
// then the config file (--config, OPPBO_CONFIG, or $XDG_CONFIG_HOME/oppbo/config,
// ~/.config/oppbo/config), which must not be readable by group or others.
// hostFlag, when set, names the host.
func loadSettings(env map[string]string, configFlag, hostFlag string) (settings, error) {
	var s settings
	path, explicit := configFlag, configFlag != ""
	if !explicit && env[envConfig] != "" {
		path, explicit = env[envConfig], true
	}
	if !explicit {
		path = defaultConfigPath(env)
	}
	file := map[string]string{}
	if path != "" {
		f, err := readConfig(path)
		switch {
		case err == nil:
			file = f
		case errors.Is(err, os.ErrNotExist) && !explicit:
		default:
			return s, err
		}
	}
	pick := func(envName, key string) string {
		if v := env[envName]; v != "" {
			return v
		}
		return file[key]
	}
	s.token, s.entity, s.host = pick(envToken, "token"), pick(envEntity, "entity"), pick(envHost, "host")
	if hostFlag != "" {
		s.host = hostFlag
	}
	if s.token == "" || s.entity == "" {
		return s, configErrorf("no credentials: set %s and %s, or write token = ... and entity = ... in %s (mode 0600)", envToken, envEntity, displayPath(path))
	}
	return s, s.resolveHost()
}

// resolveHost turns the host name into a base URL. The host is never
// implied: "test", "live" or a URL must be given.
func (s *settings) resolveHost() error {
	switch s.host {
	case "":
		return configErrorf("no host: pass --host test or --host live (or set %s, or host = ... in the config file)", envHost)
	case "test":
		s.baseURL = backoffice.TestURL
	case "live":
		s.baseURL, s.live = backoffice.LiveURL, true
	default:
		u, err := url.Parse(s.host)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return configErrorf("--host %q: want test, live, or a URL such as https://test.example-psp.com", s.host)
		}
		s.baseURL = strings.TrimSuffix(s.host, "/")
		// A white label's host may be live: only loopback (a local fake
		// gateway) goes without confirmation.
		s.live = !isLoopback(u.Hostname())
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func defaultConfigPath(env map[string]string) string {
	if d := env["XDG_CONFIG_HOME"]; d != "" {
		return filepath.Join(d, "oppbo", "config")
	}
	if h := env["HOME"]; h != "" {
		return filepath.Join(h, ".config", "oppbo", "config")
	}
	return ""
}

func displayPath(p string) string {
	if p == "" {
		return "~/.config/oppbo/config"
	}
	return p
}

// readConfig reads a config file of "key = value" lines (token, entity,
// host; # starts a comment). A file that group or others may read is
// refused: it holds the access token.
func readConfig(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("config file %s: %w", path, err)
		}
		return nil, configErrorf("config file %s: %v", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, configErrorf("config file %s: %v", path, err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, configErrorf("config file %s has mode %04o: it holds the access token, so it must be readable by its owner only (chmod 600 %s)", path, perm, path)
	}
	return parseConfig(path, f)
}

func parseConfig(path string, r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok:
			return nil, configErrorf("config file %s line %d: want key = value", path, n)
		case k != "token" && k != "entity" && k != "host":
			return nil, configErrorf("config file %s line %d: unknown key %q (want token, entity or host)", path, n, k)
		}
		out[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, configErrorf("config file %s: %v", path, err)
	}
	return out, nil
}
