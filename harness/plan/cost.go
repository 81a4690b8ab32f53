package plan

import (
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/harness/plan/catalog"
)

// CostLine is one priced item of a resource.
type CostLine struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// What says what is billed and how it was computed.
	What       string  `json:"what"`
	MonthlyUSD float64 `json:"monthlyUsd"`
	// MonthlyUSDMax is the high end of a range (Spot), else absent.
	MonthlyUSDMax float64 `json:"monthlyUsdMax,omitempty"`
	Region        string  `json:"region"`
	// Unpriced says why the item has no price (a type the table lacks).
	Unpriced string `json:"unpriced,omitempty"`
}

// High is the line's high end.
func (l CostLine) High() float64 { return max(l.MonthlyUSD, l.MonthlyUSDMax) }

// CostEstimate is the estimated monthly on-demand cost of a stack.
type CostEstimate struct {
	// MonthlyUSD is the total; with Spot capacity, its low end.
	MonthlyUSD float64 `json:"monthlyUsd"`
	// MonthlyUSDMax is the high end of the total (equal to MonthlyUSD
	// when nothing is a range).
	MonthlyUSDMax float64 `json:"monthlyUsdMax"`
	Currency      string  `json:"currency"`
	// Region is the stack's region (aws:region); lines say their own.
	Region string `json:"region"`
	// PriceDate is the oldest date among the price groups used.
	PriceDate string     `json:"priceDate"`
	Lines     []CostLine `json:"lines"`
	// NotIncluded are the charges billed by use, which the estimate
	// cannot know.
	NotIncluded []string `json:"notIncluded"`
	// Sources are the pricing pages of the groups used.
	Sources []catalog.PriceSource `json:"sources"`
}

// Unpriced counts the lines without a price.
func (e CostEstimate) Unpriced() int {
	n := 0
	for _, l := range e.Lines {
		if l.Unpriced != "" {
			n++
		}
	}
	return n
}

// EstimateCost prices every resource of the plan with its type's catalog
// record and the dated price table.
func EstimateCost(r *Result) CostEstimate {
	est := CostEstimate{Currency: "USD", Region: r.Config.Region(), Lines: []CostLine{}, NotIncluded: []string{}, Sources: []catalog.PriceSource{}}
	byURN := map[string]*offline.Resource{}
	for _, res := range r.Resources {
		byURN[res.URN] = res
	}
	groups := map[string]bool{}
	usage := map[string]bool{}
	for _, res := range r.Resources {
		t, ok := catalog.Lookup(res.Type)
		if !ok || !res.Custom {
			continue
		}
		for _, u := range t.Usage {
			usage[u] = true
		}
		if t.Cost == nil {
			continue
		}
		region := regionOf(res, byURN, est.Region)
		u := catalog.Usage{Inputs: res.Inputs, Region: region, From: func(input string) resource.PropertyMap {
			for _, d := range res.PropertyDependencies[input] {
				if src := byURN[d]; src != nil && src.Custom {
					return src.Inputs
				}
			}
			return nil
		}}
		for _, c := range t.Cost(u) {
			line := CostLine{URN: res.URN, Type: res.Type, Name: res.Name, What: c.What, MonthlyUSD: round2(c.USD), Region: region, Unpriced: c.Unpriced}
			if c.MaxUSD > c.USD {
				line.MonthlyUSDMax = round2(c.MaxUSD)
			}
			est.Lines = append(est.Lines, line)
			est.MonthlyUSD += c.USD
			est.MonthlyUSDMax += c.High()
			for _, g := range c.Groups {
				groups[g] = true
			}
		}
	}
	est.MonthlyUSD, est.MonthlyUSDMax = round2(est.MonthlyUSD), round2(est.MonthlyUSDMax)
	sort.SliceStable(est.Lines, func(i, j int) bool {
		a, b := est.Lines[i], est.Lines[j]
		if a.High() != b.High() {
			return a.High() > b.High()
		}
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		return a.What < b.What
	})
	for _, g := range slices.Sorted(maps.Keys(groups)) {
		src := catalog.Sources[g]
		est.Sources = append(est.Sources, src)
		if est.PriceDate == "" || src.AsOf < est.PriceDate {
			est.PriceDate = src.AsOf
		}
	}
	est.NotIncluded = slices.Sorted(maps.Keys(usage))
	return est
}

// regionOf is the region of a resource's provider: an explicit provider's
// region, else the stack's.
func regionOf(res *offline.Resource, byURN map[string]*offline.Resource, stackRegion string) string {
	if p := byURN[providerURN(res.Provider)]; p != nil {
		if region := catalog.Str(p.Inputs, "region"); region != "" {
			return region
		}
	}
	return stackRegion
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// CostDiff is the change of the monthly estimate against a baseline.
type CostDiff struct {
	BaseMonthlyUSD    float64 `json:"baseMonthlyUsd"`
	BaseMonthlyUSDMax float64 `json:"baseMonthlyUsdMax"`
	// DeltaUSD and DeltaUSDMax are this plan's totals minus the baseline's.
	DeltaUSD    float64 `json:"deltaUsd"`
	DeltaUSDMax float64 `json:"deltaUsdMax"`
	// Resources are the resources whose cost changes, biggest change first.
	Resources []CostDelta `json:"resources"`
}

// CostDelta is the change of one resource's monthly cost.
type CostDelta struct {
	URN        string  `json:"urn"`
	Type       string  `json:"type"`
	Name       string  `json:"name"`
	BaseUSD    float64 `json:"baseUsd"`
	USD        float64 `json:"usd"`
	BaseUSDMax float64 `json:"baseUsdMax"`
	USDMax     float64 `json:"usdMax"`
	// Base and New describe the items before and after.
	Base []string `json:"base"`
	New  []string `json:"new"`
}

// Diff compares this estimate with a baseline's.
func (e CostEstimate) Diff(base CostEstimate) CostDiff {
	d := CostDiff{
		BaseMonthlyUSD: base.MonthlyUSD, BaseMonthlyUSDMax: base.MonthlyUSDMax,
		DeltaUSD: round2(e.MonthlyUSD - base.MonthlyUSD), DeltaUSDMax: round2(e.MonthlyUSDMax - base.MonthlyUSDMax),
		Resources: []CostDelta{},
	}
	byURN := map[string]*CostDelta{}
	get := func(l CostLine) *CostDelta {
		c := byURN[l.URN]
		if c == nil {
			c = &CostDelta{URN: l.URN, Type: l.Type, Name: l.Name}
			byURN[l.URN] = c
		}
		return c
	}
	for _, l := range base.Lines {
		c := get(l)
		c.BaseUSD += l.MonthlyUSD
		c.BaseUSDMax += l.High()
		c.Base = append(c.Base, l.What)
	}
	for _, l := range e.Lines {
		c := get(l)
		c.USD += l.MonthlyUSD
		c.USDMax += l.High()
		c.New = append(c.New, l.What)
	}
	for _, c := range byURN {
		if round2(c.USD) == round2(c.BaseUSD) && round2(c.USDMax) == round2(c.BaseUSDMax) && slices.Equal(c.Base, c.New) {
			continue
		}
		c.BaseUSD, c.USD, c.BaseUSDMax, c.USDMax = round2(c.BaseUSD), round2(c.USD), round2(c.BaseUSDMax), round2(c.USDMax)
		d.Resources = append(d.Resources, *c)
	}
	sort.Slice(d.Resources, func(i, j int) bool {
		a, b := d.Resources[i], d.Resources[j]
		da, db := math.Abs(a.USDMax-a.BaseUSDMax), math.Abs(b.USDMax-b.BaseUSDMax)
		if da != db {
			return da > db
		}
		return strings.Compare(a.URN, b.URN) < 0
	})
	return d
}
