package backofficetest

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/jarcoal/httpmock"
)

// RegisterResponders mounts the gateway on a consumer's own
// *httpmock.MockTransport, next to the mocks of other services: POST and GET
// requests to baseURL's /v1/payments and /v1/query endpoints are answered by
// the gateway (its state, rules and faults), everything else by the
// consumer's other responders. baseURL is what the client is configured
// with, e.g. backoffice.TestURL.
func (g *Gateway) RegisterResponders(mt *httpmock.MockTransport, baseURL string) {
	base := regexp.QuoteMeta(strings.TrimRight(baseURL, "/"))
	rx := regexp.MustCompile(`^` + base + `/v1/(?:payments|query)(?:/[^/?#]+)?(?:\?.*)?$`)
	for _, method := range [...]string{http.MethodPost, http.MethodGet} {
		mt.RegisterRegexpResponder(method, rx, g.RoundTrip)
	}
}
