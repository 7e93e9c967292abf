// Command benchcmp reproduces the SDK's performance ratios in one command:
//
//	go run ./internal/benchcmp [-rounds 6] [-benchtime 500ms] [-only text]
//
// It builds the test binaries of the packages that hold the benchmarks,
// then runs each pair (the SDK and its hand-written baseline, or the two
// things compared) interleaved, one benchmark process at a time, for
// several rounds, alternating which side of a pair runs first. Each round
// gives one ratio per pair; the table shows the median ratio, its
// interquartile range and its range over the rounds, with the allocations
// per operation of both sides. Ratios, not absolute times, are the claim:
// both sides of a ratio ran on the same machine within seconds of each
// other. A pair whose benchmarks a package does not have is reported as
// skipped.
//
// Run it from anywhere inside the module, on an otherwise idle machine for
// figures worth comparing.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// A pair is one ratio: the time per operation of Num divided by Den's.
type pair struct {
	measure string // what the ratio says
	pkg     string // the package holding both benchmarks, relative to the module root
	num     string // the benchmark in the numerator, as a -test.bench path: Top/sub
	den     string // the benchmark in the denominator
	target  string // the goal, as the issue of the ratio states it; "" when none
}

// pairs are the ratios the README's performance table shows.
var pairs = []pair{
	{"capture, sequential, in memory: SDK ÷ hand-written", ".", "BenchmarkCaptureInMemory/sdk", "BenchmarkCaptureInMemory/hand-written", "≤ 1.05"},
	{"capture, sequential, loopback: SDK ÷ hand-written", ".", "BenchmarkCapture/sdk", "BenchmarkCapture/hand-written", "≤ 1.05"},
	{"capture, 32 goroutines, default pool: SDK ÷ hand-written", ".", "BenchmarkCapture32/default-pool/sdk", "BenchmarkCapture32/default-pool/hand-written", "≤ 1.10"},
	{"capture, 32 goroutines, pool of 64: SDK ÷ hand-written", ".", "BenchmarkCapture32/pool-64/sdk", "BenchmarkCapture32/pool-64/hand-written", "≤ 1.05"},
	{"result codes: regex list ÷ Classify (speed-up)", "./resultcodes", "BenchmarkRegexList", "BenchmarkClassify", "≥ 50, Classify 0 allocs"},
	{"webhook: Parse ÷ bare AES-GCM open + json.Unmarshal", "./webhook", "BenchmarkParse/Parse", "BenchmarkParse/BareOpenUnmarshal", "≤ 1.3"},
	{"fake gateway: in memory ÷ loopback", "./backofficetest", "BenchmarkCaptureInMemory", "BenchmarkCaptureServer", ""},
}

// A result is one benchmark run's figures.
type result struct {
	nsPerOp     float64
	allocsPerOp float64
}

func main() {
	rounds := flag.Int("rounds", 6, "rounds of every pair; each round gives one ratio per pair")
	benchtime := flag.String("benchtime", "500ms", "the -test.benchtime of each benchmark run")
	verbose := flag.Bool("v", false, "print every benchmark line")
	only := flag.String("only", "", "run only the pairs whose measure contains this text, e.g. -only Classify")
	flag.Parse()
	if *rounds < 1 {
		fail(errors.New("-rounds must be at least 1"))
	}
	root, err := moduleRoot()
	if err != nil {
		fail(err)
	}
	tmp, err := os.MkdirTemp("", "benchcmp-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)

	var selected []pair
	for _, p := range pairs {
		if strings.Contains(strings.ToLower(p.measure), strings.ToLower(*only)) {
			selected = append(selected, p)
		}
	}
	if len(selected) == 0 {
		fail(fmt.Errorf("no measure contains %q", *only))
	}

	// Build each package's test binary once, and list its benchmarks.
	binaries := map[string]string{}
	listed := map[string][]string{}
	for _, p := range selected {
		if _, ok := binaries[p.pkg]; ok {
			continue
		}
		bin := filepath.Join(tmp, strings.NewReplacer("/", "_", ".", "root").Replace(p.pkg)+".test")
		fmt.Fprintf(os.Stderr, "building %s\n", p.pkg)
		if out, err := command(root, "go", "test", "-c", "-o", bin, p.pkg).CombinedOutput(); err != nil {
			fail(fmt.Errorf("go test -c %s: %v\n%s", p.pkg, err, out))
		}
		out, err := command(filepath.Join(root, p.pkg), bin, "-test.list", "^Benchmark").Output()
		if err != nil {
			fail(fmt.Errorf("%s -test.list: %v", p.pkg, err))
		}
		binaries[p.pkg] = bin
		listed[p.pkg] = strings.Fields(string(out))
	}

	var active []pair
	for _, p := range selected {
		top := func(b string) string { return strings.SplitN(b, "/", 2)[0] }
		if slices.Contains(listed[p.pkg], top(p.num)) && slices.Contains(listed[p.pkg], top(p.den)) {
			active = append(active, p)
		}
	}

	ratios := make([][]float64, len(pairs))
	nums := make([][]result, len(pairs))
	dens := make([][]result, len(pairs))
	var cpu string
	for r := range *rounds {
		fmt.Fprintf(os.Stderr, "round %d/%d\n", r+1, *rounds)
		for i, p := range pairs {
			if !slices.Contains(active, p) {
				continue
			}
			run := func(name string) result {
				res, c, err := runBenchmark(root, binaries[p.pkg], p.pkg, name, *benchtime, *verbose)
				if err != nil {
					fail(err)
				}
				if c != "" {
					cpu = c
				}
				return res
			}
			var n, d result
			if r%2 == 0 { // alternate which side runs first
				n, d = run(p.num), run(p.den)
			} else {
				d, n = run(p.den), run(p.num)
			}
			nums[i] = append(nums[i], n)
			dens[i] = append(dens[i], d)
			ratios[i] = append(ratios[i], n.nsPerOp/d.nsPerOp)
		}
	}

	onlyFlag := ""
	if *only != "" {
		onlyFlag = " -only " + strconv.Quote(*only)
	}
	fmt.Printf("`go run ./internal/benchcmp -rounds %d -benchtime %s%s`: %s, %s/%s, GOMAXPROCS=%d, %s\n\n",
		*rounds, *benchtime, onlyFlag, runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), cmp.Or(cpu, "cpu unknown"))
	fmt.Println("| measure | ratio (median) | IQR | range | allocs/op | target |")
	fmt.Println("|---|---|---|---|---|---|")
	for i, p := range pairs {
		if !slices.Contains(selected, p) {
			continue
		}
		if !slices.Contains(active, p) {
			fmt.Printf("| %s | skipped: %s has no %s or %s | | | | %s |\n", p.measure, p.pkg, p.num, p.den, p.target)
			continue
		}
		q := quartiles(ratios[i])
		fmt.Printf("| %s | %.2f× | %.2f–%.2f | %.2f–%.2f | %s ÷ %s | %s |\n", p.measure, q[2], q[1], q[3], q[0], q[4],
			fmtAllocs(nums[i]), fmtAllocs(dens[i]), p.target)
	}
}

// runBenchmark runs one benchmark of a test binary, in its package's
// directory (benchmarks may read testdata), and returns its figures and
// the cpu line of its output.
func runBenchmark(root, bin, pkg, name, benchtime string, verbose bool) (result, string, error) {
	var pattern []string
	for _, part := range strings.Split(name, "/") {
		pattern = append(pattern, "^"+regexpQuote(part)+"$")
	}
	cmd := command(filepath.Join(root, pkg), bin, "-test.run", "^$", "-test.bench", strings.Join(pattern, "/"),
		"-test.benchtime", benchtime, "-test.benchmem", "-test.count", "1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, "", fmt.Errorf("%s %s: %v\n%s%s", pkg, name, err, out, stderr.Bytes())
	}
	var cpu string
	var res result
	found := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if c, ok := strings.CutPrefix(line, "cpu: "); ok {
			cpu = c
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		if verbose {
			fmt.Fprintln(os.Stderr, line)
		}
		f := strings.Fields(line)
		for j := 1; j+1 < len(f); j++ {
			v, err := strconv.ParseFloat(f[j], 64)
			if err != nil {
				continue
			}
			switch f[j+1] {
			case "ns/op":
				res.nsPerOp, found = v, true
			case "allocs/op":
				res.allocsPerOp = v
			}
		}
	}
	if !found || res.nsPerOp <= 0 {
		return result{}, "", fmt.Errorf("%s %s: no ns/op in the output:\n%s", pkg, name, out)
	}
	return res, cpu, nil
}

// quartiles returns the minimum, first quartile, median, third quartile
// and maximum of xs (linear interpolation between ranks).
func quartiles(xs []float64) [5]float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	at := func(q float64) float64 {
		pos := q * float64(len(s)-1)
		lo := int(pos)
		if lo+1 >= len(s) {
			return s[len(s)-1]
		}
		return s[lo] + (pos-float64(lo))*(s[lo+1]-s[lo])
	}
	return [5]float64{s[0], at(0.25), at(0.5), at(0.75), s[len(s)-1]}
}

// fmtAllocs returns the allocations per operation of a side, as the
// median over the rounds.
func fmtAllocs(rs []result) string {
	a := make([]float64, len(rs))
	for i, r := range rs {
		a[i] = r.allocsPerOp
	}
	return strconv.FormatFloat(quartiles(a)[2], 'f', -1, 64)
}

// regexpQuote escapes the regexp metacharacters of a benchmark name part.
func regexpQuote(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func command(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	return cmd
}

// moduleRoot is the directory of the main module's go.mod, as the go
// command finds it from the working directory.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run benchcmp inside the backoffice module")
	}
	return filepath.Dir(gomod), nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchcmp:", err)
	os.Exit(1)
}
