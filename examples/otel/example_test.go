package main

import (
	"fmt"
	"os"
)

// Example runs the recipe against the fake gateway: the throttled capture
// and the capture sent again (OPP's throttling code says nothing was
// performed) are two client spans, children of the caller's span.
func Example() {
	if err := run(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// captured 60.00 EUR: 000.100.110
	//   span "HTTP POST": POST /v1/payments/824db13f68a8a8e2f72ed20f7ce5d1e9 -> 429
	//   span "HTTP POST": POST /v1/payments/824db13f68a8a8e2f72ed20f7ce5d1e9 -> 200
	// span "capture order 42", 2 attempts as children
}
