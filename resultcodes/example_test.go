package resultcodes_test

import (
	"fmt"

	"github.com/oppkit/backoffice/resultcodes"
)

func ExampleClassify() {
	for _, code := range []string{"000.000.000", "000.400.100", "800.400.500", "800.100.153", "700.400.100", "000.100.201", "not a code"} {
		c := resultcodes.Classify(code)
		fmt.Printf("%-11s success=%-5v pending=%-5v rejected=%-5v %s\n", code, c.IsSuccess(), c.IsPending(), c.IsRejected(), c)
	}
	// Output:
	// 000.000.000 success=true  pending=false rejected=false successfully processed transactions
	// 000.400.100 success=true  pending=false rejected=false successfully processed transactions that should be manually reviewed
	// 800.400.500 success=false pending=true  rejected=false pending transactions whose status can change even after several days
	// 800.100.153 success=false pending=false rejected=true  rejections by the external bank or similar payment system
	// 700.400.100 success=false pending=false rejected=true  rejections due to reference validation
	// 000.100.201 success=false pending=false rejected=false chargeback related result codes
	// not a code  success=false pending=false rejected=false unknown result code
}

func ExampleLookup() {
	c, ok := resultcodes.Lookup("800.100.153")
	fmt.Println(ok, c.Code, c.Description)
	fmt.Println(c.Category, c.Category.IsRejected())

	_, ok = resultcodes.Lookup("800.100.999") // not in the catalogue
	fmt.Println(ok, resultcodes.Classify("800.100.999"))
	// Output:
	// true 800.100.153 transaction declined (invalid CVV)
	// rejections by the external bank or similar payment system true
	// false rejections by the external bank or similar payment system
}
