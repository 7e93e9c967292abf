// Package httpmockgateway mounts the fake OPP gateway of package
// backofficetest on an httpmock transport, for tests that already mock
// other services with github.com/jarcoal/httpmock. It is a package of its
// own so that importing backofficetest does not compile httpmock.
package httpmockgateway

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/jarcoal/httpmock"
	"github.com/oppkit/backoffice/backofficetest"
)

// Register mounts gw on a consumer's own *httpmock.MockTransport, next to
// the mocks of other services: POST and GET requests to baseURL's
// /v1/payments and /v1/query endpoints are answered by the gateway (its
// state, rules and faults), everything else by the consumer's other
// responders. baseURL is what the client is configured with, e.g.
// backoffice.TestURL.
func Register(mt *httpmock.MockTransport, gw *backofficetest.Gateway, baseURL string) {
	base := regexp.QuoteMeta(strings.TrimRight(baseURL, "/"))
	rx := regexp.MustCompile(`^` + base + `/v[13]/(?:payments|query)(?:/[^/?#]+)?(?:\?.*)?$`)
	for _, method := range [...]string{http.MethodPost, http.MethodGet} {
		mt.RegisterRegexpResponder(method, rx, gw.RoundTrip)
	}
}
