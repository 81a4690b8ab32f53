package catalog

import (
	"fmt"
	"math"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Usage is what a type's Cost needs to price one resource.
type Usage struct {
	Inputs resource.PropertyMap
	// Region is where the resource lives: its provider's region.
	Region string
	// From returns the inputs of the resource an input comes from (a node
	// group's launch template), or nil.
	From func(input string) resource.PropertyMap
}

// Charge is one line of a monthly estimate.
type Charge struct {
	// What says what is billed and how: "db.t4g.micro, Single-AZ: 730 h × $0.016".
	What string
	// USD is the monthly amount; for a range, its low end.
	USD float64
	// MaxUSD is the high end of a range (Spot capacity), 0 otherwise.
	MaxUSD float64
	// Groups are the price groups used (keys of Sources), for the date.
	Groups []string
	// Unpriced says why no price could be given (a type or region the table
	// lacks); USD is then 0.
	Unpriced string
}

// High is the high end of the charge.
func (c Charge) High() float64 { return max(c.USD, c.MaxUSD) }

// prices returns the region's prices, or a charge saying there are none.
func (u Usage) prices(what string) (*Prices, *Charge) {
	p, ok := PricesFor(u.Region)
	if !ok {
		return nil, &Charge{What: what, Unpriced: fmt.Sprintf("no prices for region %q in the table", u.Region)}
	}
	return p, nil
}

// hourly is a charge of an hourly rate for a month, times n.
func hourly(what, group string, rate float64, n float64) Charge {
	return Charge{
		What:   fmt.Sprintf("%s: %s × %d h × $%s", what, count(n), HoursPerMonth, usd(rate)),
		USD:    n * rate * HoursPerMonth,
		Groups: []string{group},
	}
}

// monthly is a charge of a monthly rate, times n.
func monthly(what, group string, rate float64, n float64) Charge {
	return Charge{What: fmt.Sprintf("%s: %s × $%s/month", what, count(n), usd(rate)), USD: n * rate, Groups: []string{group}}
}

// lookup prices a named item (instance type, class, node type) from a
// table; a missing one is an unpriced charge.
func lookup(table map[string]float64, item, what, region string) (float64, *Charge) {
	if rate, ok := table[item]; ok {
		return rate, nil
	}
	return 0, &Charge{What: what, Unpriced: fmt.Sprintf("no price for %s in %s in the table", item, region)}
}

// usd shows a rate without float noise: 0.00752, 0.1.
func usd(rate float64) string {
	return strconv.FormatFloat(math.Round(rate*1e6)/1e6, 'f', -1, 64)
}

func count(n float64) string {
	if n == float64(int(n)) {
		return fmt.Sprintf("%d", int(n))
	}
	return fmt.Sprintf("%g", n)
}

// one returns a single charge as a list.
func one(c Charge) []Charge { return []Charge{c} }

// unpriced returns an unpriced charge as a list.
func unpriced(c *Charge) []Charge { return []Charge{*c} }
